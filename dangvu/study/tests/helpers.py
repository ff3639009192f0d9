"""Shared pieces of the study tests: the documents studied, and sessions made as users do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from dangvu.conftest import World
from dangvu.documents.models import Document
from dangvu.documents.services import document_register, document_register_unnumbered
from dangvu.study import services
from dangvu.study.models import Attendance, Site, StudySession

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
UBKT = "DN.DAKMIL.UBKT"
DUCMINH = "DN.DAKMIL.DUCMINH"
T1 = "DN.DAKMIL.DUCMINH.T1"
BP = "DN.TUYDUC.QUANGTRUC.BP"
HELD_ON = date(2021, 6, 18)


def documents() -> dict[str, Document]:
    """The two congress resolutions the catalogue reports on, and the Đề án itself."""
    return {
        "nq-dh-xiii": document_register_unnumbered(
            type_code="NQ",
            issued_on=date(2021, 2, 1),
            issuer="Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            key="nq-dh-xiii",
            term="2021-2026",
        ),
        "nq-dhdb-tinh-xii": document_register_unnumbered(
            type_code="NQ",
            issued_on=date(2020, 10, 16),
            issuer="Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XII",
            title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XII",
            key="nq-dhdb-tinh-xii",
            term="2020-2025",
        ),
        "da-05": document_register(
            symbol="05-ĐA/TU",
            issued_on=date(2018, 7, 5),
            issuer="Ban Thường vụ Tỉnh ủy",
            title="Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
            term="2015-2020",
            key="da-05",
        ),
    }


def session(
    world: World,
    unit: str,
    docs: Sequence[Document],
    *,
    sites: Sequence[str] = (),
    held_on: date = HELD_ON,
    **overrides: Any,
) -> StudySession:
    fields: dict[str, Any] = {
        "title": f"Hội nghị học tập, quán triệt tại {unit}",
        "unit": world.units[unit],
        "held_on": held_on,
        "form": "in_person",
        "documents": list(docs),
        "sites": [world.units[code] for code in sites],
    }
    fields.update(overrides)
    return services.session_create(**fields)


def expected_at(session: StudySession) -> dict[str, list[str]]:
    """Card numbers expected at each site, by the site's unit code."""
    result: dict[str, list[str]] = {}
    for site in session.sites.select_related("unit"):
        result[site.unit.code] = sorted(
            site.attendances.values_list("member__card_number", flat=True)
        )
    return result


def present_cards(session: StudySession) -> list[str]:
    return sorted(
        Attendance.objects.filter(session=session, attended=True).values_list(
            "member__card_number", flat=True
        )
    )


def site_of(session: StudySession, code: str) -> Site:
    return session.sites.get(unit__code=code)
