"""The rating calendar's day, pinned for the tests that record a past year's results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from dangvu.reviews import services
from dangvu.reviews.services import common


@pytest.fixture
def season(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Today, for the rating calendar, is 15/01/2023: the results of 2022 are open (until
    31/03/2023). Call the fixture with another day to move it."""

    def pin(day: date) -> None:
        monkeypatch.setattr(services, "today", lambda: day)
        monkeypatch.setattr(common, "today", lambda: day)

    pin(date(2023, 1, 15))
    return pin
