"""Every rule is named in the users' words and linked to the policy that sets its date; the
pages never show a rule's identifier as its name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.urls import reverse

from vigil.obligations import registry

ROOT = Path(__file__).resolve().parents[2]


def _rule_ids_in_the_code() -> set[str]:
    """Every `rule_id="..."` a rule or service writes; f-strings expanded from the loop that
    feeds them is beyond a regex, so their prefixes are checked by the named ids instead."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(re.findall(r'rule_id="([a-z_.]+)"', path.read_text()))
    return found


def test_every_rule_has_a_name() -> None:
    named = registry.rule_names()
    missing = sorted(r for r in _rule_ids_in_the_code() if r not in named)
    assert not missing, f"Name these rules (registry.names_rules): {missing}"
    for prefix in ("rso.review.", "ocsea.family.", "rso.arms."):  # the f-string families
        assert any(r.startswith(prefix) for r in named), prefix


def test_a_worklist_names_the_rule_and_links_its_policy(world: Any, client_for: Any) -> None:
    client = client_for("head_of_pp")
    response = client.get(reverse("obligations:team-worklist"), {"team": ""})
    page = response.content.decode()
    shown = next(o for o in response.context["page"] if o.policy_keys)
    assert f"Rule: {shown.rule_id}" not in page
    name = registry.rule_name(shown.rule_id)
    assert name != shown.rule_id
    assert f'href="/policy/#{shown.policy_keys[0]}">{name}</a>' in page
    policy = client.get(reverse("policy:policy-detail")).content.decode()
    assert f'id="{shown.policy_keys[0]}"' in policy


def test_the_page_where_work_is_done_is_linked_for_those_who_may_do_it(
    world: Any, client_for: Any
) -> None:
    """An offender manager's due visit links straight to the visit form; the head of unit,
    who records no visits, is not offered the link."""
    from vigil.obligations.models import Obligation

    visit = Obligation.objects.open().filter(rule_id="rso.visit.frequency").first()
    assert visit is not None
    action = registry.action_for(visit.rule_id)
    assert action is not None
    url = reverse("offenders:visit-create", kwargs={"pk": visit.subject_id})
    assert action.url(visit) == url
    head = client_for("head_of_pp").get(
        reverse("obligations:team-worklist"), {"team": "", "kind": "rso.visit"}
    )
    assert visit in head.context["page"]  # listed, without the link
    assert url not in head.content.decode()
    supervisor = client_for("mosovo_supervisor").get(
        reverse("obligations:team-worklist"), {"kind": "rso.visit"}
    )
    assert visit in supervisor.context["page"]
    assert f'href="{url}">Record the visit' in supervisor.content.decode()
