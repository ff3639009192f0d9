"""Sheets KiemDiem, KiemDiemTapThe, GoiYKiemDiem: all or nothing, every bad cell listed,
and the export that imports back the same."""

from __future__ import annotations

import io

from dangvu.conftest import World
from dangvu.exchange.services import workbook_export
from dangvu.exchange.tests.helpers import read, run_import, where
from dangvu.members.models import ManagementLevel
from dangvu.reviews.models import CollectiveReview, MemberReview, ReviewSuggestion

KIEM_DIEM = ["Năm", "Số thẻ đảng viên", "Kết quả", "Xếp loại"]
TAP_THE = ["Năm", "Mã đơn vị", "Tập thể", "Xếp loại"]
GOI_Y = ["Năm", "Đối tượng", "Loại đối tượng", "Cấp quản lý"]


def counts() -> tuple[int, int, int]:
    return (
        MemberReview.objects.count(),
        CollectiveReview.objects.count(),
        ReviewSuggestion.objects.count(),
    )


def district_level(world: World, *keys: str) -> None:
    for key in keys:
        member = world.members[key]
        member.management_level = ManagementLevel.DISTRICT
        member.save()


def test_it_imports_the_shared_format_of_the_three_sheets(world: World) -> None:
    district_level(world, "binh")
    report = run_import(
        {
            "KiemDiem": [
                KIEM_DIEM,
                [2022, "67000001", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],
                [2022, "67000002", "Không phải kiểm điểm", None],
                [2022, "67000003", "da kiem diem", "hoan thanh xuat sac nhiem vu"],
            ],
            "KiemDiemTapThe": [
                TAP_THE,
                [2022, "DN.CUJUT.EATLING.TDP1", "Chi bộ", "Hoàn thành nhiệm vụ"],
                [2022, "DN.CUJUT", "Ban Thường vụ", None],
            ],
            "GoiYKiemDiem": [
                GOI_Y,
                [2022, "DN.CUJUT.EATLING", "Tập thể", "Cấp huyện"],
                [2022, "67000003", "Cá nhân", "Cấp huyện"],
            ],
        }
    )
    assert report.ok, report.errors
    assert counts() == (3, 2, 2)
    exempt = MemberReview.objects.get(member=world.members["ybhiong"])
    assert exempt.exempt_reason == "other" and exempt.grade is None
    collective = ReviewSuggestion.objects.get(subject_unit__code="DN.CUJUT.EATLING")
    assert (collective.issuer.code, collective.level, collective.subject_collective) == (
        "DN.CUJUT",
        "district",
        "committee",
    )
    person = ReviewSuggestion.objects.get(subject_member=world.members["binh"])
    assert person.issuer.code == "DN.CUJUT"


def test_it_lists_every_bad_cell_and_writes_nothing(world: World) -> None:
    before = counts()
    report = run_import(
        {
            "KiemDiem": [
                KIEM_DIEM,
                [2022, "67000001", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],  # good
                [2022, "99999999", "Đã kiểm điểm", None],  # no such member
                [2018, "67000004", "Đã kiểm điểm", None],  # joined in 2019
                [2022, "67000002", "Không phải kiểm điểm", "Hoàn thành nhiệm vụ"],  # exempt, rated
                [2022, "67000003", "Có mặt", None],  # not an outcome
                [2022, "67000001", "Đã kiểm điểm", None],  # twice
            ],
            "KiemDiemTapThe": [
                TAP_THE,
                [2022, "DN.CUJUT.EATLING.TDP1", "Ban Thường vụ", None],  # a cell has none
                [2022, "DN.KHONGCO", "Chi bộ", None],
            ],
            "GoiYKiemDiem": [
                GOI_Y,
                [2022, "67000003", "Cá nhân", "Cấp huyện"],  # not managed at district level
                [2022, "DN.CUJUT.EATLING", "Tập thể", "Tỉnh ủy"],  # a province-level body? yes
            ],
        }
    )
    assert not report.ok
    assert {
        ("KiemDiem", 3, "Số thẻ đảng viên"),
        ("KiemDiem", 4, "Số thẻ đảng viên"),
        ("KiemDiem", 5, "Xếp loại"),
        ("KiemDiem", 6, "Kết quả"),
        ("KiemDiem", 7, "Số thẻ đảng viên"),
        ("KiemDiemTapThe", 2, "Tập thể"),
        ("KiemDiemTapThe", 3, "Mã đơn vị"),
        ("GoiYKiemDiem", 2, "Cấp quản lý"),
    } <= where(report)
    assert counts() == before
    assert all(e.reason for e in report.errors)


def test_it_refuses_points_where_the_rule_has_none_and_grades_points_where_it_has(
    world: World,
) -> None:
    headers = [*KIEM_DIEM, "Điểm"]
    bad = run_import({"KiemDiem": [headers, [2022, "67000001", "Đã kiểm điểm", None, 80]]})
    assert where(bad) == {("KiemDiem", 2, "Xếp loại")}
    good = run_import({"KiemDiem": [headers, [2025, "67000001", "Đã kiểm điểm", None, 91]]})
    assert good.ok, good.errors
    assert MemberReview.objects.get().grade.code == "excellent"  # type: ignore[union-attr]


def test_it_keeps_a_user_to_the_subtree_of_their_role(world: World) -> None:
    report = run_import(
        {"KiemDiem": [KIEM_DIEM, [2022, "67000008", "Đã kiểm điểm", None]]},
        user=world.users["hoa"],
    )
    assert not report.ok and counts() == (0, 0, 0)


def test_it_exports_what_it_imports(world: World) -> None:
    district_level(world, "binh")
    sheets = {
        "KiemDiem": [
            KIEM_DIEM,
            [2021, "67000001", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],
            [2022, "67000002", "Không phải kiểm điểm", None],
        ],
        "KiemDiemTapThe": [TAP_THE, [2022, "DN.CUJUT.EATLING.TDP1", "Chi bộ", None]],
        "GoiYKiemDiem": [GOI_Y, [2022, "67000003", "Cá nhân", "Cấp huyện"]],
    }
    assert run_import(sheets).ok
    out = io.BytesIO()
    workbook_export(out=out, actor=None, scope=None)
    book = read(out.getvalue())
    assert book["KiemDiem"][1:] == [
        (
            2021,
            "67000001",
            "Đã kiểm điểm",
            "Hoàn thành tốt nhiệm vụ",
            None,
            None,
            "DN.CUJUT.EATLING.TDP1",
        ),
        (
            2022,
            "67000002",
            "Không phải kiểm điểm",
            None,
            "Lý do khác",
            None,
            "DN.CUJUT.EATLING.TDP1",
        ),
    ]
    again = run_import(out.getvalue())
    assert again.ok, again.errors
    assert counts() == (2, 1, 1)
