"""The declared-writes mechanism refuses declarations that would be open or unchecked
(vigil/writes.py): a write with no verb, and an API action on a record under the viewset's own
that does not say how it hangs from it."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.offenders.writes import PND_CHECK
from vigil.writes import Write, api_action


def test_a_write_names_a_verb() -> None:
    fields: dict[str, Any] = {**PND_CHECK.__dict__, "name": "test.unguarded", "verbs": ()}
    with pytest.raises(ValueError, match="names no verb"):
        Write(**fields)


def test_an_action_on_a_record_under_the_viewsets_own_says_how_it_hangs_from_it() -> None:
    with pytest.raises(ValueError, match="needs `under`"):
        api_action(PND_CHECK, url_path="checks/(?P<check_id>[^/.]+)/x", record="check_id")
