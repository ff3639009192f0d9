"""Who opens what in a round, through its pages: a draft is its writers' alone; the
province's readers see what was sent; the offices of sibling districts and people of the
cells see nothing of the province's round; refusals are 404 and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.conftest import World
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound, ReportState, RoundReport
from dangvu.rounds.tests.conftest import report_of, texts_for


def url(name: str, report: RoundReport) -> str:
    return reverse(f"rounds:{name}", args=[report.round_id, report.pk])


def status(world: World, who: str, path: str) -> int:
    return world.client(who).get(path).status_code


def everything() -> list[tuple[object, ...]]:
    return [
        *sorted(
            RoundReport.objects.values_list(
                "pk", "state", "extended_to", "submitted_at", "accepted_at", "number"
            )
        ),
        (RoundReport.objects.count(), ReportingRound.objects.count()),
    ]


def test_it_keeps_a_sibling_districts_report_from_an_office(world: World, offices, rnd) -> None:
    dakmil = report_of(rnd, world, "DN.DAKMIL")
    assert status(world, "vp.cujut", url("report", dakmil)) == 404
    services.report_submit(report=dakmil, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    assert status(world, "vp.cujut", url("report", dakmil)) == 404
    assert status(world, "vp.cujut", url("report_docx", dakmil)) == 404
    assert status(world, "vp.dakmil", url("report", dakmil)) == 200
    # Nor the province's board: its siblings' states and figures are not its to read.
    assert status(world, "vp.cujut", reverse("rounds:board", args=[rnd.pk])) == 404
    assert status(world, "vp.cujut", reverse("rounds:figures", args=[rnd.pk])) == 404


def test_it_shows_the_province_a_report_once_submitted(world: World, offices, rnd) -> None:
    cujut = report_of(rnd, world, "DN.CUJUT")
    assert status(world, "vp.tinh", url("report", cujut)) == 404
    services.report_save(report=cujut, texts=texts_for(rnd), actor=offices["vp.cujut"])
    assert status(world, "vp.tinh", url("report", cujut)) == 404  # a draft
    assert status(world, "quantri", url("report", cujut)) == 404
    services.report_submit(report=cujut, actor=offices["vp.cujut"])
    assert status(world, "vp.tinh", url("report", cujut)) == 200
    # Returned, it is still what was sent that the province reads, not the new draft.
    services.report_return(report=cujut, comments={"": "Viết lại."}, actor=offices["vp.tinh"])
    services.report_save(
        report=cujut, texts=texts_for(rnd, "Bản nháp mới"), actor=offices["vp.cujut"]
    )
    html = world.client("vp.tinh").get(url("report", cujut)).content.decode()
    assert "Nội dung mục" in html and "Bản nháp mới" not in html


@pytest.mark.parametrize("persona", ["kbinh", "hoa", "ybhiong", "huong"])
def test_it_hides_the_round_from_the_people_of_the_cells(
    world: World, offices, rnd, persona: str
) -> None:
    cujut = report_of(rnd, world, "DN.CUJUT")
    services.report_submit(report=cujut, texts=texts_for(rnd), actor=offices["vp.cujut"])
    services.report_accept(report=cujut, actor=offices["vp.tinh"])
    for path in (
        reverse("rounds:board", args=[rnd.pk]),
        reverse("rounds:figures", args=[rnd.pk]),
        url("report", cujut),
        url("report", report_of(rnd, world, "DN.DAKMIL")),
        url("report_docx", cujut),
    ):
        assert status(world, persona, path) == 404, path
    assert status(world, persona, reverse("rounds:create")) == 404


@pytest.mark.parametrize("persona", ["tochuc", "tuyengiao"])
def test_it_lets_the_province_staff_read_the_board(
    world: World, offices, rnd, persona: str
) -> None:
    response = world.client(persona).get(reverse("rounds:board", args=[rnd.pk]))
    assert response.status_code == 200
    assert "Huyện ủy Đắk Mil" in response.content.decode()
    assert status(world, persona, reverse("rounds:figures", args=[rnd.pk])) == 200


def test_it_lets_no_district_office_accept_or_return_anything(world: World, offices, rnd) -> None:
    own = report_of(rnd, world, "DN.DAKMIL")
    other = report_of(rnd, world, "DN.CUJUT")
    services.report_submit(report=own, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    services.report_submit(report=other, texts=texts_for(rnd), actor=offices["vp.cujut"])
    before = everything()
    client = world.client("vp.dakmil")
    for report in (own, other):
        for name, data in (
            ("accept", {}),
            ("return", {"y_": "Trả lại."}),
            ("reopen", {"reason": "Thử."}),
            ("extend", {"until": (timezone.localdate() + timedelta(days=9)).isoformat()}),
        ):
            assert client.post(url(name, report), data).status_code == 404, (name, report)
    # Nor write a sibling's report.
    for name in ("save", "submit"):
        assert client.post(url(name, other), {"muc_1": "Ghi đè."}).status_code == 404
    assert everything() == before
    assert other.__class__.objects.get(pk=other.pk).state == ReportState.SUBMITTED


def test_it_lets_no_district_office_launch_a_round_at_the_province(
    world: World, offices, programme, period
) -> None:
    deadline = (timezone.localdate() + timedelta(days=20)).isoformat()
    data = {
        "unit": str(world.units["DN"].pk),
        "programme": str(programme.pk),
        "ky": period.label,
        "title": "Đợt của tỉnh do huyện phát động",
        "deadline": deadline,
        "outline": "Mục một",
        "reporters": "direct",
    }
    client = world.client("vp.cujut")
    page = client.get(reverse("rounds:create")).content.decode()
    assert "Huyện ủy Cư Jút" in page and "Đảng bộ tỉnh Đắk Nông" not in page
    response = client.post(reverse("rounds:create"), data)
    assert response.status_code == 200
    assert ReportingRound.objects.count() == 0
    # At its own unit it may: Cư Jút asks Ea T'Ling.
    client.post(reverse("rounds:create"), {**data, "unit": str(world.units["DN.CUJUT"].pk)})
    rnd = ReportingRound.objects.get()
    assert rnd.unit == world.units["DN.CUJUT"]
    assert list(rnd.reports.values_list("unit__code", flat=True)) == ["DN.CUJUT.EATLING"]


def test_it_keeps_the_launch_form_from_the_administrator(world: World, offices) -> None:
    """The administrator holds no role at a unit: he runs the system, not its rounds."""
    assert status(world, "quantri", reverse("rounds:create")) == 404
