"""Quote while writing: the committee's report's page offers, under each section, the
texts its round's accepted reports gave for that section (a closed <details> per unit,
with a "Trích vào mục này" button for the script, reports/static/reports/quote.js)."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from dangvu.accounts.models import User
from dangvu.conftest import World
from dangvu.reports.models import SummaryReport
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound
from dangvu.rounds.tests import conftest as rounds_conftest
from dangvu.rounds.tests.conftest import report_of, texts_for

# The round's fixtures: the offices of the province and its districts, the five-year round.
offices, rnd = rounds_conftest.offices, rounds_conftest.rnd

CUJUT_CELLS = "Các chi bộ ở Cư Jút sinh hoạt đều đặn.\n\nChất lượng sinh hoạt được nâng lên."
DAKMIL_CELLS = "Đắk Mil chưa được chấp nhận: không trích."


@pytest.fixture
def accepted(world: World, offices: dict[str, User], rnd: ReportingRound) -> ReportingRound:
    """Cư Jút accepted; Đắk Mil sent, not yet accepted; Tuy Đức drafting."""
    cujut = report_of(rnd, world, "DN.CUJUT")
    services.report_submit(
        report=cujut, texts={**texts_for(rnd), "2.3": CUJUT_CELLS}, actor=offices["vp.cujut"]
    )
    services.report_accept(report=cujut, actor=offices["vp.tinh"])
    services.report_submit(
        report=report_of(rnd, world, "DN.DAKMIL"),
        texts={**texts_for(rnd), "2.3": DAKMIL_CELLS},
        actor=offices["vp.dakmil"],
    )
    services.report_save(
        report=report_of(rnd, world, "DN.TUYDUC"),
        texts={"2.3": "Bản nháp của Tuy Đức."},
        actor=offices["vp.tuyduc"],
    )
    return rnd


def _page(world: World, username: str, summary: SummaryReport) -> str:
    response = world.client(username).get(reverse("reports:edit", args=[summary.pk]))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_it_offers_the_accepted_texts_under_their_section(
    world: World, summary: SummaryReport, accepted: ReportingRound
) -> None:
    page = _page(world, "tochuc", summary)

    assert 'data-quote-target="id_s__2.3"' in page
    assert f'data-quote-text="Huyện ủy Cư Jút: {CUJUT_CELLS}"' in page
    assert "<summary>Huyện ủy Cư Jút</summary>" in page
    assert "Các chi bộ ở Cư Jút sinh hoạt đều đặn.</p>" in page  # readable without the script
    assert page.count("data-quote-target=") == len(rounds_conftest.SECTIONS)  # one a section
    assert DAKMIL_CELLS not in page and "Bản nháp của Tuy Đức." not in page
    assert "reports/quote" in page and "Trích vào mục này" in page


def test_it_offers_nothing_without_a_round(world: World, summary: SummaryReport) -> None:
    page = _page(world, "tochuc", summary)

    assert "data-quote" not in page and "reports/quote" not in page


def test_it_offers_nothing_to_a_reader_who_does_not_write(
    world: World, summary: SummaryReport, accepted: ReportingRound
) -> None:
    page = _page(world, "mattran", summary)

    assert "data-quote" not in page and "Cư Jút sinh hoạt" not in page
