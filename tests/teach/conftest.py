"""Fixtures of the lesson views' tests: hand counts of the shared work log of tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def shared_oracle() -> dict[str, object]:
    """What the ``shared_log`` fixture's docstring counts by hand, per month (March, April)."""
    return {
        "company": {"rows": [3, 3], "active": [3, 2], "new": [3, 1]},
        "A": {"rows": [2, 1], "active": [2, 2], "new": [2, 1]},
        "B": {"rows": [1, 2], "active": [2, 1], "new": [1, 0]},
    }
