"""Obligations made for a test beside the world's own: each on the world's ordinary person's
subject, with the fields a test sets (its rule, due date, owner, met date...)."""

from __future__ import annotations

import uuid
from typing import Any

from vigil.obligations.models import Obligation


def work_like(world: Any, **fields: Any) -> Obligation:
    """An obligation on the subject of the world's person's first one, owned by its team
    unless `owner_team` is given; `rule_id` (and `kind`, by default the rule's first two
    parts) and `due_date` are the test's."""
    template = Obligation.objects.filter(person_id=world.nominal.pk).order_by("key").first()
    assert template is not None
    rule = fields.pop("rule_id")
    return Obligation.objects.create(
        force_id=template.force_id,
        subject_type=template.subject_type,
        subject_id=template.subject_id,
        subject_label=template.subject_label,
        person_id=template.person_id,
        rule_id=rule,
        kind=fields.pop("kind", ".".join(rule.split(".")[:2])),
        label=fields.pop("label", "Test work"),
        key=f"test-{uuid.uuid4()}",
        owner_team=fields.pop("owner_team", template.owner_team),
        policy_version=template.policy_version,
        policy_keys=[],
        **fields,
    )
