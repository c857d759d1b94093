"""Support for a suspect's family at enforcement: family members, their vulnerabilities, MARFs,
signposting, leaflets and welfare packs."""

from __future__ import annotations

from datetime import date

from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.ocsea.models import (
    AgeBand,
    Enforcement,
    FamilyMember,
    Leaflet,
    Referral,
    Relationship,
    SupportOrganisation,
)
from vigil.ocsea.services._common import (
    _audit,
    _choice,
    _lock_open,
    _not_before,
    _not_future,
    _people,
    _raise,
    _require,
    _saved,
    _sync_case,
)
from vigil.ocsea.services.entries import recorded_before

# --- Family support ---------------------------------------------------------------------------


def _enforcement_locked(enforcement: Enforcement) -> tuple[Enforcement, Referral]:
    referral = _lock_open(enforcement.referral)
    return Enforcement.objects.select_for_update().get(pk=enforcement.pk), referral


@atomic
def family_member_add(
    *,
    actor: User,
    enforcement: Enforcement,
    relationship: str,
    age_band: str,
    lives_with_suspect: bool = True,
    vulnerability: str = "",
    vulnerability_identified_on: date | None = None,
) -> FamilyMember:
    """A household member or family in contact, and any vulnerability found (which calls for a
    MARF). Recording family marks the enforcement as one where family were present."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(enforcement)
    errors: dict[str, str] = {}
    _choice(errors, "relationship", relationship, Relationship, "the relationship")
    _choice(errors, "age_band", age_band, AgeBand, "the age band")
    if vulnerability.strip() and vulnerability_identified_on is None:
        errors["vulnerability_identified_on"] = "Enter when the vulnerability was identified"
    if vulnerability_identified_on is not None and not vulnerability.strip():
        errors["vulnerability"] = "Describe the vulnerability"
    _not_future(errors, "vulnerability_identified_on", vulnerability_identified_on, "date")
    _not_before(
        errors,
        "vulnerability_identified_on",
        vulnerability_identified_on,
        enforcement.enforced_on,
        "date",
    )
    _raise(errors)
    member = FamilyMember.objects.create(
        force_id=referral.force_id,
        enforcement=enforcement,
        relationship=relationship,
        age_band=age_band,
        lives_with_suspect=lives_with_suspect,
        vulnerability=vulnerability.strip(),
        vulnerability_identified_on=vulnerability_identified_on,
    )
    if not enforcement.family_present:
        enforcement.family_present = True
        _saved(enforcement, ["family_present"])
    _audit(actor, member, "ocsea.family_member_recorded", _people(referral))
    _sync_case(referral)
    return member


@atomic
def family_vulnerability_record(
    *,
    actor: User,
    member: FamilyMember,
    vulnerability: str,
    vulnerability_identified_on: date | None,
) -> FamilyMember:
    """A vulnerability found after the family member was recorded (R7): a MARF falls due
    within the policy's days of the day it was identified (`ocsea.marf_days`). A member has
    one vulnerability and one MARF: one already recorded is not replaced."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(member.enforcement)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if member.vulnerability_identified_on is not None:
        errors["vulnerability"] = (
            f"A vulnerability identified on {member.vulnerability_identified_on:%-d %b %Y} "
            f"is already recorded for this family member ({member})"
        )
    elif not vulnerability.strip():
        errors["vulnerability"] = "Describe the vulnerability"
    if vulnerability_identified_on is None:
        errors["vulnerability_identified_on"] = "Enter when the vulnerability was identified"
    _not_future(errors, "vulnerability_identified_on", vulnerability_identified_on, "date")
    found, enforced = vulnerability_identified_on, enforcement.enforced_on
    if found is not None and found < enforced and "vulnerability_identified_on" not in errors:
        errors["vulnerability_identified_on"] = (
            f"The date must be on or after {enforced:%-d %b %Y}, the day of the enforcement"
        )
    _raise(errors)
    fields = ("vulnerability", "vulnerability_identified_on")
    before = recorded_before(member, "ocsea.family_vulnerability_recorded")
    member.vulnerability = vulnerability.strip()
    member.vulnerability_identified_on = vulnerability_identified_on
    _saved(member, list(fields))
    _audit(actor, member, "ocsea.family_vulnerability_recorded", _people(referral), before=before)
    _sync_case(referral)
    return member


@atomic
def family_support_record(
    *,
    actor: User,
    enforcement: Enforcement,
    support_signposted_on: date | None = None,
    support_organisation: SupportOrganisation | None = None,
    leaflet_given_on: date | None = None,
    leaflet: Leaflet | None = None,
    welfare_pack_on: date | None = None,
) -> Enforcement:
    """Records the support given to the family (R7); what was recorded before stays unless
    given again."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(enforcement)
    errors: dict[str, str] = {}
    for name, value in (
        ("support_signposted_on", support_signposted_on),
        ("leaflet_given_on", leaflet_given_on),
        ("welfare_pack_on", welfare_pack_on),
    ):
        _not_future(errors, name, value, "date")
        _not_before(errors, name, value, enforcement.enforced_on, "date")
    if support_signposted_on and support_organisation is None:
        errors["support_organisation"] = "Choose the organisation the family was signposted to"
    if support_organisation is not None and (
        support_organisation.force_id != referral.force_id or not support_organisation.active
    ):
        errors["support_organisation"] = "Choose one of your force's support organisations"
    if leaflet_given_on and leaflet is None:
        errors["leaflet"] = "Choose the leaflet given"
    if leaflet is not None and (leaflet.force_id != referral.force_id or not leaflet.active):
        errors["leaflet"] = "Choose one of your force's leaflets"
    if not any((support_signposted_on, leaflet_given_on, welfare_pack_on)):
        errors["support_signposted_on"] = "Enter at least one date of support given"
    _raise(errors)
    before = recorded_before(enforcement, "ocsea.family_support_recorded")
    if support_signposted_on:
        enforcement.support_signposted_on = support_signposted_on
        enforcement.support_organisation = support_organisation
    if leaflet_given_on:
        enforcement.leaflet_given_on, enforcement.leaflet = leaflet_given_on, leaflet
    if welfare_pack_on:
        enforcement.welfare_pack_on = welfare_pack_on
    enforcement.family_present = True
    _saved(
        enforcement,
        [
            "support_signposted_on",
            "support_organisation",
            "leaflet_given_on",
            "leaflet",
            "welfare_pack_on",
            "family_present",
        ],
    )
    _audit(actor, enforcement, "ocsea.family_support_recorded", _people(referral), before=before)
    _sync_case(referral)
    return enforcement


@atomic
def marf_record(
    *, actor: User, member: FamilyMember, submitted_on: date, reference: str
) -> FamilyMember:
    _require(actor, "investigate")
    _, referral = _enforcement_locked(member.enforcement)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if member.marf_submitted_on is not None:
        errors["submitted_on"] = f"A MARF was submitted on {member.marf_submitted_on:%-d %b %Y}"
    elif member.vulnerability_identified_on is None:
        errors["submitted_on"] = "Record the vulnerability first"
    else:
        _not_before(
            errors, "submitted_on", submitted_on, member.vulnerability_identified_on, "date"
        )
    _not_future(errors, "submitted_on", submitted_on, "date")
    if not reference.strip():
        errors["reference"] = "Enter the MARF's reference"
    _raise(errors)
    member.marf_submitted_on, member.marf_reference = submitted_on, reference.strip()
    _saved(member, ["marf_submitted_on", "marf_reference"])
    _audit(actor, member, "ocsea.marf_submitted", _people(referral))
    _sync_case(referral)
    return member
