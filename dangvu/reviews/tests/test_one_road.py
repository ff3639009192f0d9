"""One road for every write of reviews: what the pages refuse, a workbook refuses too, and
what a page records in the audit trail, an import records as well (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM, World
from dangvu.exchange.services import NOT_ALLOWED
from dangvu.exchange.tests.helpers import run_import
from dangvu.members.services import member_transfer
from dangvu.reviews import services
from dangvu.reviews.models import MemberReview, ReviewSuggestion
from dangvu.reviews.services import (
    MemberReviewSpec,
    SuggestionSpec,
    member_review_save,
    suggestion_issue,
)

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
KIEM_DIEM = ["Năm", "Số thẻ đảng viên", "Kết quả", "Xếp loại"]
KIEM_DIEM_CELL = [*KIEM_DIEM, "Mã chi bộ"]
GOI_Y = ["Năm", "Đối tượng", "Loại đối tượng", "Cấp quản lý", "Nội dung"]


def _officer(world: World, code: str) -> User:
    user = account_create(
        username=f"tochuc.{code.lower()}", password=PASSWORD, check_password=False
    )
    role_grant(
        user=user, unit=world.units[code], department=Department.ORGANISATION, valid_from=ROLES_FROM
    )
    return user


def _reasons(report) -> list[str]:
    return [e.reason for e in report.errors]


def _moved_in_2021(world: World, to: str) -> MemberReview:
    """Trần Văn An left Tổ dân phố 1 for `to` on 01/07/2021 and was reviewed there."""
    an = world.members["an"]
    member_transfer(member=an, to_cell=world.units[to], effective_on=date(2021, 7, 1))
    return member_review_save(
        spec=MemberReviewSpec(member=an, year=2021, outcome="reviewed", grade="good")
    )


# -- a role that has ended writes nothing ---------------------------------------------------------
def test_it_writes_no_2026_review_for_the_officer_whose_role_ended(world: World) -> None:
    officer = world.users["tuyduc.cu"]

    report = run_import(
        {"KiemDiem": [KIEM_DIEM, [2026, "67000008", "Đã kiểm điểm", "Không hoàn thành nhiệm vụ"]]},
        user=officer,
    )
    page = world.client("tuyduc.cu").post(
        "/kiem-diem/DN.TUYDUC.QUANGTRUC.BP/2026/67000008/luu/",
        {"ket_qua": "reviewed", "diem": "10"},
    )

    assert _reasons(report) == [NOT_ALLOWED]
    assert page.status_code in (403, 404)
    assert not MemberReview.objects.exists()


# -- the review's own cell --------------------------------------------------------------------------
def test_it_keeps_the_new_cells_2021_review_from_the_former_cells_page(
    world: World, season: Callable[[date], None]
) -> None:
    season(date(2022, 1, 15))  # the results of 2021 are open
    review = _moved_in_2021(world, TDP2)

    response = world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2021/67000004/luu/", {"ket_qua": "reviewed", "xep_loai": "failed"}
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [services.REVIEW_HELD_ELSEWHERE.format(year=2021)]
    review.refresh_from_db()
    assert (review.unit.code, review.grade.code) == (TDP2, "good")  # type: ignore[union-attr]


def test_it_keeps_the_new_cells_2021_review_from_the_former_cells_import(
    world: World, season: Callable[[date], None]
) -> None:
    season(date(2022, 1, 15))
    review = _moved_in_2021(world, "DN.DAKMIL.DUCMINH.T1")
    cujut = _officer(world, "DN.CUJUT")

    report = run_import(
        {
            "KiemDiem": [
                KIEM_DIEM_CELL,
                [2021, "67000004", "Đã kiểm điểm", "Không hoàn thành nhiệm vụ", TDP1],
            ]
        },
        user=cujut,
    )

    assert _reasons(report) == [services.REVIEW_HELD_ELSEWHERE.format(year=2021)]
    review.refresh_from_db()
    assert (review.unit.code, review.grade.code) == ("DN.DAKMIL.DUCMINH.T1", "good")  # type: ignore[union-attr]


# -- review suggestions: issued by a body the importer writes ------------------------------------
def test_it_refuses_a_suggestion_issued_by_the_province_for_a_commune_officer(
    world: World,
) -> None:
    commune = _officer(world, "DN.CUJUT.EATLING")

    report = run_import(
        {"GoiYKiemDiem": [GOI_Y, [2022, TDP1, "Tập thể", "Tỉnh ủy", "Làm rõ trách nhiệm."]]},
        user=commune,
    )

    assert _reasons(report) == [services.ISSUER_OUTSIDE.format(issuer="Đảng bộ tỉnh Đắk Nông")]
    assert not ReviewSuggestion.objects.exists()


def test_it_keeps_the_provinces_suggestion_from_a_commune_officers_import(world: World) -> None:
    issued = suggestion_issue(
        spec=SuggestionSpec(
            year=2022,
            issuer=world.units["DN"],
            issued_on=date(2022, 11, 1),
            content="Nội dung của Tỉnh ủy.",
            subject_unit=world.units[TDP1],
            subject_collective="cell",
        )
    )
    commune = _officer(world, "DN.CUJUT.EATLING")

    report = run_import(
        {"GoiYKiemDiem": [GOI_Y, [2022, TDP1, "Tập thể", "Cấp ủy cơ sở", "Nội dung khác."]]},
        user=commune,
    )

    assert _reasons(report) == [services.SUGGESTION_NOT_YOURS.format(year=2022)]
    issued.refresh_from_db()
    assert (issued.issuer.code, issued.content) == ("DN", "Nội dung của Tỉnh ủy.")


# -- audit: an import is entered like the page's change -----------------------------------------
def test_it_enters_an_imported_review_in_the_audit_trail_as_the_page_does(
    world: World, season: Callable[[date], None]
) -> None:
    cujut = _officer(world, "DN.CUJUT")
    kind = ContentType.objects.get_for_model(MemberReview)
    sheet = {"KiemDiem": [KIEM_DIEM, [2022, "67000003", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"]]}

    assert run_import(sheet, user=cujut).ok
    sheet["KiemDiem"][1][3] = "Hoàn thành tốt nhiệm vụ"
    assert run_import(sheet, user=cujut).ok

    review = MemberReview.objects.get()
    # Created by an import: one entry for the write, naming the import and the ids
    # (docs/decisions.md, "The audit of an import"); changed: one entry with the diff.
    (created,) = LogEntry.objects.filter(content_type=kind, action=LogEntry.Action.CREATE)
    assert (created.actor, created.additional_data["ids"]) == (cujut, [[review.pk, review.pk]])
    entries = LogEntry.objects.filter(content_type=kind, object_pk=str(review.pk))
    assert [(e.action, e.actor) for e in entries.order_by("pk")] == [
        (LogEntry.Action.UPDATE, cujut),
    ]
    assert set(entries.order_by("pk").last().changes) == {"grade"}  # type: ignore[union-attr]
    # The page's change of the same review is entered the same way.
    world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2022/67000003/luu/", {"ket_qua": "reviewed", "xep_loai": "excellent"}
    )
    assert entries.count() == 2


# -- one road: nothing outside the services writes the tables of reviews --------------------------
WRITES = {
    "insert_rows",
    "update_rows",
    "bulk_create",
    "bulk_update",
    "save",
    "create",
    "update",
    "delete",
    "update_or_create",
    "get_or_create",
}


def test_it_writes_reviews_tables_only_in_the_services() -> None:
    import ast
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    found = []
    for name in ("demo.py", "exchange.py", "views.py", "selectors.py"):
        tree = ast.parse((here / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in WRITES:
                    found.append(f"{name}:{node.lineno} {called}")
    assert found == []
