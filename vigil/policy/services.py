from __future__ import annotations

from vigil.policy.models import PolicyVersion
from vigil.policy.pack import PolicyPack, active


def policy_version_recorded(pack: PolicyPack | None = None) -> PolicyVersion:
    """The stored row for a pack's version (created the first time it dates anything)."""
    pack = pack or active()
    version, _ = PolicyVersion.objects.get_or_create(
        pk=pack.version,
        defaults={"label": pack.label, "values": {k: r.value for k, r in pack.rules.items()}},
    )
    return version
