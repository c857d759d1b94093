"""Recording an assessment: what is kept (the pack's version and digest, the answers and what
they came to), its one audit event, the errors keyed by form field, and that a later change
to the pack never rewrites a stored assessment."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditAction, AuditEvent
from vigil.core import clock
from vigil.instruments.models import Assessment
from vigil.instruments.packs import clear_cache, get_pack
from vigil.instruments.services import assessment_create
from vigil.instruments.tests.packdata import ACCESS, small_pack, write_pack

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
ANSWERS = {"access": "yes", "images": "none", "contact": "no"}


@pytest.fixture
def tool_in_force(tmp_path: Path, settings: Any, monkeypatch: Any) -> Iterator[Path]:
    """The small pack, in force (through VIGIL_INSTRUMENT_DIRS), as a file the test may change."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    path = write_pack(tmp_path / "force", small_pack(), "test-tool.toml")
    settings.VIGIL_INSTRUMENT_DIRS = [tmp_path / "force"]
    clear_cache()
    yield path
    clear_cache()


def _record(world: World, **changes: Any) -> Assessment:
    args: dict[str, Any] = {
        "actor": world.users["ocsea_triage"],
        "pack_code": "test-tool",
        "answers": ANSWERS,
        "force_id": world.users["ocsea_triage"].force_id,
        "subject_type": "test.referral",
        "subject_id": uuid.UUID(int=7),
        "person_id": world.nominal.pk,
    }
    return assessment_create(**{**args, **changes})


def test_an_assessment_keeps_the_pack_answers_and_result(world: World, tool_in_force: Path) -> None:
    pack = get_pack("test-tool")
    recorded = _record(world, notes="Spoke to the referring officer")
    found = Assessment.objects.get(pk=recorded.pk)
    assert (found.pack_code, found.pack_name, found.pack_version) == ("test-tool", "Test tool", "1")
    assert found.pack_digest == pack.digest
    assert len(found.pack_digest) == 64
    assert found.answers == ANSWERS
    assert found.item_points == {"access": 3, "images": 0, "contact": 0}
    assert found.flags == ["access"]
    assert (found.score, found.band, found.band_label) == (3, "high", "High")
    assert found.timescale_key == "ocsea.action_days_by_band.high"
    assert (found.override_item, found.override_reason) == ("access", "Current access")
    assert found.assessed_by == world.users["ocsea_triage"]
    assert found.assessed_at == NOW
    assert found.force_id == world.users["ocsea_triage"].force_id
    assert (found.subject_type, found.subject_id) == ("test.referral", uuid.UUID(int=7))
    assert found.person_id == world.nominal.pk
    assert found.notes == "Spoke to the referring officer"


def test_no_override_is_kept_when_it_raised_nothing(world: World, tool_in_force: Path) -> None:
    found = _record(world, answers={"access": "yes", "images": "many", "contact": "no"})
    assert (found.score, found.band) == (8, "very_high")
    assert (found.override_item, found.override_reason) == ("", "")


def test_an_assessment_writes_exactly_one_audit_event_with_the_person(
    world: World, tool_in_force: Path
) -> None:
    before = AuditEvent.objects.count()
    assessment = _record(world)
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.event == "instrument.assessment_recorded"
    assert event.action == AuditAction.COLLECTION
    assert event.object_type == "instruments.assessment"
    assert event.object_id == str(assessment.pk)
    assert event.person_id == world.nominal.pk
    assert event.actor_id == world.users["ocsea_triage"].pk
    assert event.force_id == world.users["ocsea_triage"].force_id
    assert event.changes["band"] == {"before": None, "after": "high"}
    assert event.changes["pack_version"] == {"before": None, "after": "1"}
    assert event.changes["answers"]["after"] == ANSWERS
    assert verify_chain().ok


def test_an_assessment_about_no_person_is_audited_without_one(
    world: World, tool_in_force: Path
) -> None:
    assessment = _record(world, person_id=None)
    event = AuditEvent.objects.get(object_id=str(assessment.pk))
    assert event.person_id is None


def test_unanswered_and_wrong_answers_are_errors_by_form_field(
    world: World, tool_in_force: Path
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _record(world, answers={"images": "lots", "contact": "no"})
    assert excinfo.value.message_dict == {
        "item_access": [f"Answer '{ACCESS}'"],
        "item_images": ["'lots' is not an answer to 'How many images?'"],
    }
    assert not Assessment.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_unknown_pack_and_a_future_time_are_refused(world: World, tool_in_force: Path) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(world, pack_code="kirat")  # not in force here: only the test directory is
    assert "pack_code" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        _record(world, assessed_at=NOW + timedelta(hours=1))
    assert "assessed_at" in excinfo.value.message_dict
    assert not Assessment.objects.exists()


def test_an_earlier_time_is_kept(world: World, tool_in_force: Path) -> None:
    earlier = NOW - timedelta(days=1)
    assert _record(world, assessed_at=earlier).assessed_at == earlier


def test_a_later_change_to_the_pack_does_not_change_a_stored_assessment(
    world: World, tool_in_force: Path
) -> None:
    first = _record(world)
    old_digest = first.pack_digest

    # the force loads a new version of the pack under the same code: new points, new bands
    changed = small_pack(version="2")
    changed["sections"][0]["items"][0]["options"][1]["points"] = 7
    write_pack(tool_in_force.parent, changed, tool_in_force.name)
    clear_cache()  # (a running Vigil reads its packs at start)
    assert get_pack("test-tool").version == "2"

    stored = Assessment.objects.get(pk=first.pk)
    assert (stored.pack_version, stored.pack_digest) == ("1", old_digest)
    assert (stored.score, stored.band, stored.override_item) == (3, "high", "access")
    assert stored.item_points == {"access": 3, "images": 0, "contact": 0}

    second = _record(world)
    assert (second.pack_version, second.score, second.band) == ("2", 7, "very_high")
    assert second.pack_digest != old_digest
    assert second.override_item == ""
