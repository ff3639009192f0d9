"""Import of the exchange workbook: create, update, all or nothing, every bad cell listed."""

from __future__ import annotations

from datetime import date, datetime

from auditlog.models import LogEntry

from dangvu.accounts.scope import today
from dangvu.core.effective import END_OF_TIME
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.services import UNKNOWN_SHEET
from dangvu.exchange.tests.helpers import (
    DANG_VIEN,
    DON_VI,
    db_counts,
    member_row,
    members_of,
    run_import,
    unit_row,
    where,
)
from dangvu.exchange.workbook import BadCell, SheetResult
from dangvu.members.models import Gender, ManagementLevel, Member, Membership, MembershipReason
from dangvu.units.models import Unit, UnitKind, UnitVersion
from dangvu.units.services import unit_rename

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"

#: Cư Jút as a province office keeps it in Excel; the root is listed last on purpose.
CUJUT_UNITS = [
    DON_VI,
    unit_row(TDP1, "Chi bộ Tổ dân phố 1", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", "01/01/2004"),
    unit_row(TDP2, "Chi bộ Tổ dân phố 2", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", "01/01/2004"),
    unit_row("DN.CUJUT.EATLING", "Đảng bộ thị trấn Ea T'Ling", "Đảng bộ cơ sở", "DN.CUJUT"),
    unit_row("DN.CUJUT", "Huyện ủy Cư Jút", "Đảng bộ trực thuộc", "DN"),
    unit_row("DN", "Đảng bộ tỉnh Đắk Nông", "Đảng bộ tỉnh"),
]
CUJUT_MEMBERS = [
    DANG_VIEN,
    member_row("67000001", "Nguyễn Thị Hoà", TDP1, gender="Nữ", committee="Có"),
    member_row("67000003", "Đặng Văn Bình", TDP1),
    member_row("67000005", "Lê Thị Ánh", TDP2, gender="Nữ", joined="03/03/2000"),
]


def _path_codes(version: UnitVersion) -> list[str]:
    codes = dict(Unit.objects.values_list("pk", "code"))
    return [codes[int(part)] for part in version.path.strip("/").split("/")]


# -- the happy path -------------------------------------------------------------------
def test_it_creates_units_and_members_in_an_empty_database(db):
    report = run_import({"DonVi": CUJUT_UNITS, "DangVien": CUJUT_MEMBERS})

    assert report.ok, report.errors
    assert report.counts == {
        "DonVi": SheetResult(created=5),
        "DangVien": SheetResult(created=3),
    }
    tdp1 = UnitVersion.objects.get(unit__code=TDP1)
    assert (tdp1.name, tdp1.kind, tdp1.parent.code) == (
        "Chi bộ Tổ dân phố 1",
        UnitKind.CELL,
        "DN.CUJUT.EATLING",
    )
    assert (tdp1.valid_from, tdp1.valid_to) == (date(2004, 1, 1), END_OF_TIME)
    assert _path_codes(tdp1) == ["DN", "DN.CUJUT", "DN.CUJUT.EATLING", TDP1]
    assert tdp1.depth == 3
    assert UnitVersion.objects.get(unit__code="DN").parent is None
    assert Unit.objects.count() == 5
    assert UnitVersion.objects.count() == 5
    hoa = Member.objects.get(card_number="67000001")
    assert (hoa.full_name, hoa.gender, hoa.birth_date) == (
        "Nguyễn Thị Hoà",
        Gender.FEMALE,
        date(1980, 5, 17),
    )
    assert hoa.is_committee_member and not hoa.is_exempt
    assert hoa.name_search == " nguyen thi hoa "
    assert members_of(TDP1, date(2010, 1, 1)) == ["67000001", "67000003"]
    # Ánh joined before her cell was founded: she is active from the founding.
    anh = Membership.objects.get(member__card_number="67000005")
    assert (anh.unit.code, anh.valid_from, anh.valid_to, anh.reason_in) == (
        TDP2,
        date(2004, 1, 1),
        END_OF_TIME,
        MembershipReason.JOINED,
    )
    log = ExchangeLog.objects.get()
    assert (log.kind, log.succeeded, log.error_count, log.file_name) == (
        ExchangeKind.IMPORT,
        True,
        0,
        "du-lieu.xlsx",
    )
    assert log.counts["DonVi"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert log.stored_file


def test_it_audits_what_an_import_creates(world):
    report = run_import(
        {"DangVien": [DANG_VIEN, member_row("67000099", "Võ Văn Mới", TDP2)]},
        user=world.users["tochuc"],
    )

    assert report.ok
    member = Member.objects.get(card_number="67000099")
    # One entry for the records the write created, naming the import (test_audit.py).
    entry = LogEntry.objects.get(additional_data__import=ExchangeLog.objects.get().pk)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == world.users["tochuc"]
    assert entry.additional_data["ids"] == [[member.pk, member.pk]]


def test_it_reports_everything_unchanged_when_the_same_file_comes_again(db):
    sheets = {"DonVi": CUJUT_UNITS, "DangVien": CUJUT_MEMBERS}
    assert run_import(sheets).ok
    before = db_counts()

    report = run_import(sheets)

    assert report.ok
    assert report.counts == {
        "DonVi": SheetResult(unchanged=5),
        "DangVien": SheetResult(unchanged=3),
    }
    assert db_counts() == before


# -- headers and sheets ---------------------------------------------------------------
def test_it_matches_headers_ignoring_case_diacritics_spaces_and_order(world):
    headers = [
        " HỌ VÀ TÊN ",
        "so the dang vien",
        "MÃ CHI BỘ",
        "gioi tinh",
        "Ngày Vào Đảng",
        "ngay sinh  ",
    ]
    row = ["Võ Thị Mai", "67000099", TDP2, "Nữ", "01/02/2015", "09/09/1990"]

    report = run_import({"DangVien": [headers, row]})

    assert report.ok, report.errors
    mai = Member.objects.get(card_number="67000099")
    assert (mai.full_name, mai.birth_date, mai.joined_on, mai.full_member_on) == (
        "Võ Thị Mai",
        date(1990, 9, 9),
        date(2015, 2, 1),
        None,
    )
    assert members_of(TDP2, date(2016, 1, 1)) == ["67000005", "67000099"]


def test_it_refuses_an_unknown_column_at_row_1(world):
    before = db_counts()

    report = run_import(
        {"DangVien": [[*DANG_VIEN, "Ghi chú"], [*member_row("67000099", "Võ Thị Mai", TDP2), "?"]]}
    )

    assert report.errors == [BadCell("DangVien", 1, "Ghi chú", "cột không có trong mẫu")]
    assert db_counts() == before


def test_it_refuses_a_sheet_without_a_required_column(world):
    headers = [h for h in DANG_VIEN if h != "Ngày sinh"]
    row = member_row("67000099", "Võ Thị Mai", TDP2)
    del row[2]
    before = db_counts()

    report = run_import({"DangVien": [headers, row]})

    assert report.errors == [BadCell("DangVien", 1, "Ngày sinh", "thiếu cột bắt buộc")]
    assert db_counts() == before


def test_it_refuses_a_units_sheet_without_its_kind_column(world):
    before = db_counts()

    report = run_import({"DonVi": [["Mã đơn vị", "Tên đơn vị"], ["DN.CUJUT.MOI", "Mới"]]})

    assert report.errors == [BadCell("DonVi", 1, "Loại đơn vị", "thiếu cột bắt buộc")]
    assert db_counts() == before


def test_it_refuses_a_duplicate_key_naming_the_earlier_row(world):
    before = db_counts()

    report = run_import(
        {
            "DangVien": [
                DANG_VIEN,
                member_row("67000099", "Võ Thị Mai", TDP2),
                member_row("67000100", "Võ Văn Hùng", TDP2),
                member_row("67000099", "Võ Thị Mai", TDP1),
            ]
        }
    )

    assert report.errors == [
        BadCell("DangVien", 4, "Số thẻ đảng viên", "trùng khóa với dòng 2"),
    ]
    assert db_counts() == before


def test_it_refuses_an_unknown_sheet_but_ignores_the_guide(world):
    before = db_counts()

    report = run_import(
        {
            "HuongDan": [["Mẫu trao đổi dữ liệu dangvu"], ["Trang tính", "Cột"]],
            "Sheet1": [["Gì đó"]],
            "DangVien": [DANG_VIEN, member_row("67000099", "Võ Thị Mai", TDP2)],
        }
    )

    assert report.errors == [BadCell("Sheet1", 0, "", UNKNOWN_SHEET)]
    assert str(report.errors[0]) == f"Sheet1: {UNKNOWN_SHEET}"
    assert db_counts() == before


def test_it_ignores_a_guide_sheet_named_with_diacritics_and_finds_sheets_by_folded_name(world):
    report = run_import(
        {
            "Hướng dẫn": [["Đọc kỹ trước khi nhập"]],
            "dangvien": [DANG_VIEN, member_row("67000099", "Võ Thị Mai", TDP2)],
        }
    )

    assert report.ok, report.errors
    assert report.counts == {"DangVien": SheetResult(created=1)}
    assert Member.objects.filter(card_number="67000099").exists()


# -- all or nothing -------------------------------------------------------------------
def test_it_lists_every_bad_cell_and_writes_nothing(world):
    LogEntry.objects.create(
        content_type_id=LogEntry.objects.values_list("content_type_id", flat=True).first(),
        object_pk="0",
        object_repr="mốc",
        action=LogEntry.Action.UPDATE,
    )
    before = db_counts()
    sheets = {
        "DonVi": [
            DON_VI,
            unit_row(
                "DN.CUJUT.EATLING.TDP3",
                "Chi bộ Tổ dân phố 3",
                "Chi bộ trực thuộc",
                "DN.CUJUT.EATLING",
                "01/01/2024",
            ),
            unit_row("DN.CUJUT.XA", "Đảng bộ xã Tâm Thắng", "Đảng bộ cơ sở", "DN.CUJUT.KHONGCO"),
        ],
        "DangVien": [
            DANG_VIEN,
            member_row("67000099", "Võ Thị Mai", TDP2, gender="Nữ"),
            member_row("67000100", "Võ Văn Hùng", TDP2, born="31/02/1980"),
            member_row("67000101", "Võ Văn Dũng", TDP2, gender="Nam giới"),
            member_row("67000102", "Võ Văn Trí", "DN.CUJUT.EATLING.KHONGCO"),
            member_row("67000103", "Võ Văn Tài", TDP2, committee="có lẽ"),
            member_row("67000104", "Võ Văn Đức", TDP2, born="01/01/1990", joined="01/01/1989"),
            member_row("67000003", "Đặng Văn Bính", TDP1),
        ],
    }

    report = run_import(sheets)

    assert not report.ok
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("DangVien", 3, "Ngày sinh"),
        ("DangVien", 4, "Giới tính"),
        ("DangVien", 5, "Mã chi bộ"),
        ("DangVien", 6, "Cấp ủy viên"),
        ("DangVien", 7, "Ngày vào Đảng"),
        ("DonVi", 3, "Mã đơn vị cấp trên"),
    ]
    assert [e.reason for e in report.errors] == [
        "'31/02/1980' không phải ngày hợp lệ (dd/mm/yyyy)",
        "'Nam giới' không hợp lệ; chọn một trong: Nam, Nữ",
        "không có đơn vị mã DN.CUJUT.EATLING.KHONGCO",
        "'có lẽ' không hợp lệ: ghi Có hoặc Không (hoặc x, để trống)",
        "ngày vào Đảng phải sau ngày sinh",
        "không có đơn vị mã DN.CUJUT.KHONGCO",
    ]
    assert str(report.errors[0]) == (
        "DangVien, dòng 3, cột Ngày sinh: '31/02/1980' không phải ngày hợp lệ (dd/mm/yyyy)"
    )
    assert db_counts() == before
    assert not Unit.objects.filter(code="DN.CUJUT.EATLING.TDP3").exists()
    assert Member.objects.get(card_number="67000003").full_name == "Đặng Văn Bình"
    log = ExchangeLog.objects.get()
    assert (log.kind, log.succeeded, log.error_count) == (ExchangeKind.IMPORT, False, 6)
    assert not log.stored_file


# -- cell values ----------------------------------------------------------------------
def test_it_reads_dates_as_excel_dates_serial_numbers_or_dd_mm_yyyy_text(world):
    row = member_row(
        "67000099",
        "Võ Thị Mai",
        TDP2,
        born=datetime(1990, 9, 9),
        joined="1/2/2015",
        full=42767,  # the Excel serial number of 01/02/2017
    )

    report = run_import({"DangVien": [DANG_VIEN, row]})

    assert report.ok, report.errors
    mai = Member.objects.get(card_number="67000099")
    assert (mai.birth_date, mai.joined_on, mai.full_member_on) == (
        date(1990, 9, 9),
        date(2015, 2, 1),
        date(2017, 2, 1),
    )


def test_it_reads_booleans_as_co_khong_x_or_blank(world):
    rows = [
        member_row("67000091", "Một", TDP2, committee="Có", exempt="Không"),
        member_row("67000092", "Hai", TDP2, committee="x", exempt=None),
        member_row("67000093", "Ba", TDP2, committee="KHÔNG", exempt="co"),
        member_row("67000094", "Bốn", TDP2, committee="", exempt="X"),
    ]

    report = run_import({"DangVien": [DANG_VIEN, *rows]})

    assert report.ok, report.errors
    flags = dict(
        Member.objects.filter(card_number__in=["67000091", "67000092", "67000093", "67000094"])
        .values_list("card_number", "is_committee_member")
        .order_by("card_number")
    )
    assert flags == {"67000091": True, "67000092": True, "67000093": False, "67000094": False}
    exempt = set(
        Member.objects.filter(is_exempt=True, card_number__startswith="670000").values_list(
            "card_number", flat=True
        )
    )
    assert exempt == {"67000093", "67000094"}


def test_it_matches_coded_values_ignoring_case_and_diacritics(db):
    units = [
        DON_VI,
        unit_row("DN", "Đảng bộ tỉnh Đắk Nông", "dang bo tinh"),
        unit_row("DN.CUJUT", "Huyện ủy Cư Jút", "ĐẢNG BỘ TRỰC THUỘC", "DN"),
        unit_row("DN.CUJUT.TT", "Đảng bộ thị trấn", "Dang Bo Co So", "DN.CUJUT"),
        unit_row("DN.CUJUT.TT.C1", "Chi bộ 1", "chi bo truc thuoc", "DN.CUJUT.TT"),
    ]
    members = [
        DANG_VIEN,
        member_row("67000099", "Võ Thị Mai", "DN.CUJUT.TT.C1", gender="nu", level="tinh uy"),
        member_row("67000100", "Võ Văn Hùng", "DN.CUJUT.TT.C1", gender="NAM", level="cap huyen"),
    ]

    report = run_import({"DonVi": units, "DangVien": members})

    assert report.ok, report.errors
    kinds = dict(UnitVersion.objects.values_list("unit__code", "kind"))
    assert kinds == {
        "DN": UnitKind.PROVINCE,
        "DN.CUJUT": UnitKind.DIRECT,
        "DN.CUJUT.TT": UnitKind.GRASSROOTS_COMMITTEE,
        "DN.CUJUT.TT.C1": UnitKind.CELL,
    }
    assert list(
        Member.objects.order_by("card_number").values_list("gender", "management_level")
    ) == [(Gender.FEMALE, ManagementLevel.PROVINCE), (Gender.MALE, ManagementLevel.DISTRICT)]


# -- dry run --------------------------------------------------------------------------
def test_it_reports_counts_on_a_dry_run_and_writes_nothing(world):
    before = db_counts()
    sheets = {
        "DonVi": [
            DON_VI,
            unit_row(
                "DN.CUJUT.EATLING.TDP3",
                "Chi bộ Tổ dân phố 3",
                "Chi bộ trực thuộc",
                "DN.CUJUT.EATLING",
                "01/01/2024",
            ),
        ],
        "DangVien": [
            DANG_VIEN,
            member_row(
                "67000099", "Võ Thị Mai", "DN.CUJUT.EATLING.TDP3", joined="01/02/2024", full=None
            ),
            member_row("67000003", "Đặng Văn Bính", TDP1),
        ],
    }

    report = run_import(sheets, user=world.users["tochuc"], dry_run=True)

    assert report.ok and report.dry_run and not report.written
    assert report.counts == {
        "DonVi": SheetResult(created=1),
        "DangVien": SheetResult(created=1, updated=1),
    }
    assert db_counts() == before
    assert Member.objects.get(card_number="67000003").full_name == "Đặng Văn Bình"
    log = ExchangeLog.objects.get()
    assert (log.kind, log.succeeded, log.actor) == (
        ExchangeKind.DRY_RUN,
        True,
        world.users["tochuc"],
    )
    assert log.counts["DangVien"] == {"created": 1, "updated": 1, "unchanged": 0}
    assert not log.stored_file


# -- updates --------------------------------------------------------------------------
def test_it_updates_a_member_and_audits_before_and_after(world):
    binh = world.members["binh"]
    row = member_row("67000003", "Đặng Văn Bính", TDP1, level="Cấp ủy cơ sở")

    report = run_import({"DangVien": [DANG_VIEN, row]}, user=world.users["tochuc"])

    assert report.ok, report.errors
    assert report.counts == {"DangVien": SheetResult(updated=1)}
    binh.refresh_from_db()
    assert (binh.full_name, binh.management_level) == (
        "Đặng Văn Bính",
        ManagementLevel.GRASSROOTS,
    )
    assert binh.name_search == " dang van binh "
    entry = LogEntry.objects.get_for_object(binh).get(action=LogEntry.Action.UPDATE)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == world.users["tochuc"]
    assert entry.changes_dict == {
        "full_name": ["Đặng Văn Bình", "Đặng Văn Bính"],
        "management_level": ["", "grassroots"],
    }
    # The membership is untouched.
    assert list(binh.memberships.values_list("unit__code", "valid_from", "valid_to")) == [
        (TDP1, date(2005, 3, 3), END_OF_TIME)
    ]


def test_it_transfers_a_member_on_the_import_day_when_the_cell_changes(world):
    binh = world.members["binh"]
    day = today()

    report = run_import({"DangVien": [DANG_VIEN, member_row("67000003", "Đặng Văn Bình", TDP2)]})

    assert report.ok, report.errors
    assert report.counts == {"DangVien": SheetResult(updated=1)}
    assert list(
        binh.memberships.order_by("valid_from").values_list(
            "unit__code", "valid_from", "valid_to", "reason_in", "reason_out"
        )
    ) == [
        (TDP1, date(2005, 3, 3), day, MembershipReason.JOINED, MembershipReason.TRANSFER),
        (TDP2, day, END_OF_TIME, MembershipReason.TRANSFER, ""),
    ]
    assert "67000003" in members_of(TDP1, date(2020, 1, 1))
    assert "67000003" in members_of(TDP2, day)
    entry = LogEntry.objects.get_for_object(binh).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict == {"memberships": ["(trước khi nhập)", "2 giai đoạn"]}


def test_it_closes_the_membership_when_a_member_leaves(world):
    binh = world.members["binh"]
    row = member_row("67000003", "Đặng Văn Bình", TDP1, left="01/06/2023")

    report = run_import({"DangVien": [DANG_VIEN, row]})

    assert report.ok, report.errors
    binh.refresh_from_db()
    assert binh.left_on == date(2023, 6, 1)
    assert list(
        binh.memberships.values_list("unit__code", "valid_from", "valid_to", "reason_out")
    ) == [(TDP1, date(2005, 3, 3), date(2023, 6, 1), MembershipReason.LEFT)]
    assert "67000003" not in members_of(TDP1, date(2023, 6, 1))
    assert "67000003" in members_of(TDP1, date(2023, 5, 31))


def test_it_renames_a_unit_from_the_import_day(world):
    day = today()
    row = unit_row(TDP2, "Chi bộ Khối phố 2", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", "01/01/2004")

    report = run_import({"DonVi": [DON_VI, row]})

    assert report.ok, report.errors
    assert report.counts == {"DonVi": SheetResult(updated=1)}
    versions = UnitVersion.objects.filter(unit__code=TDP2).order_by("valid_from")
    assert list(versions.values_list("name", "valid_from", "valid_to")) == [
        ("Chi bộ Tổ dân phố 2", date(2004, 1, 1), day),
        ("Chi bộ Khối phố 2", day, END_OF_TIME),
    ]
    assert members_of(TDP2, day) == ["67000005"]


# -- refusals that used to crash the import (IntegrityError / TypeError) ---------------
def test_it_refuses_a_dissolution_date_before_the_units_last_change(world):
    tdp2 = world.units[TDP2]
    unit_rename(unit=tdp2, name="Chi bộ Khối phố 2", effective_on=date(2022, 1, 1))
    before = db_counts()
    row = unit_row(
        TDP2, "Chi bộ Khối phố 2", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", None, "01/01/2021"
    )

    report = run_import({"DonVi": [DON_VI, row]})

    assert report.errors == [
        BadCell(
            "DonVi",
            2,
            "Ngày giải thể",
            "ngày giải thể phải sau 01/01/2022 (đơn vị có thay đổi từ ngày đó)",
        )
    ]
    assert db_counts() == before
    tdp2.refresh_from_db()
    assert not tdp2.is_dissolved


def test_it_refuses_a_founding_date_after_the_units_first_change(world):
    unit_rename(unit=world.units[TDP2], name="Chi bộ Khối phố 2", effective_on=date(2022, 1, 1))
    before = db_counts()
    row = unit_row(TDP2, "Chi bộ Khối phố 2", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", "01/01/2023")

    report = run_import({"DonVi": [DON_VI, row]})

    assert where(report) == {("DonVi", 2, "Ngày thành lập")}
    assert db_counts() == before


def test_it_refuses_leaving_before_the_cell_was_founded(world):
    before = db_counts()
    row = member_row(
        "67000099", "Võ Thị Mai", TDP2, born="01/01/1970", joined="01/01/2000", left="01/01/2003"
    )

    report = run_import({"DangVien": [DANG_VIEN, row]})

    assert report.errors == [
        BadCell(
            "DangVien",
            2,
            "Ngày ra khỏi Đảng",
            "ngày ra khỏi Đảng phải sau ngày bắt đầu sinh hoạt (01/01/2004)",
        )
    ]
    assert db_counts() == before


def test_it_refuses_a_kind_change_that_strands_the_members_of_a_cell(world):
    before = db_counts()
    row = unit_row(TDP2, "Chi bộ Tổ dân phố 2", "Đảng bộ bộ phận", "DN.CUJUT.EATLING", "01/01/2004")

    report = run_import({"DonVi": [DON_VI, row]})

    assert where(report) == {("DonVi", 2, "Mã đơn vị")}
    assert "1 đảng viên sinh hoạt tại DN.CUJUT.EATLING.TDP2" in report.errors[0].reason
    assert db_counts() == before


def test_it_accepts_a_kind_change_when_the_workbook_moves_the_members_out(world):
    day = today()
    sheets = {
        "DonVi": [
            DON_VI,
            unit_row(
                TDP2, "Chi bộ Tổ dân phố 2", "Đảng bộ bộ phận", "DN.CUJUT.EATLING", "01/01/2004"
            ),
        ],
        "DangVien": [DANG_VIEN, member_row("67000005", "Lê Thị Ánh", TDP1, gender="Nữ")],
    }

    report = run_import(sheets)

    assert report.ok, report.errors
    assert UnitVersion.objects.as_of(day).get(unit__code=TDP2).kind == UnitKind.PARTIAL_COMMITTEE
    assert members_of(TDP1, day) == ["67000001", "67000002", "67000003", "67000004", "67000005"]
    assert members_of(TDP2, date(2020, 1, 1)) == ["67000005"]


def test_it_leaves_fields_of_absent_optional_columns_unchanged(world) -> None:
    """A sheet without `Cấp ủy viên` or `Ngày ra khỏi Đảng` does not clear them."""
    from dangvu.exchange.tests.helpers import xlsx
    from dangvu.members.services import member_leave

    hoa = world.members["hoa"]
    Member.objects.filter(pk=hoa.pk).update(is_committee_member=True)
    member_leave(member=world.members["binh"], left_on=date(2022, 3, 1))
    headers = [
        "Số thẻ đảng viên",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Ngày vào Đảng",
        "Mã chi bộ",
    ]
    rows = [
        [
            m.card_number,
            m.full_name,
            m.birth_date,
            "Nữ" if m.gender == "F" else "Nam",
            m.joined_on,
            "DN.CUJUT.EATLING.TDP1",
        ]
        for m in (world.members["hoa"], world.members["binh"])
    ]
    report = run_import(xlsx({"DangVien": [headers, *rows]}))
    assert report.ok, report.errors
    hoa.refresh_from_db()
    binh = Member.objects.get(pk=world.members["binh"].pk)
    assert hoa.is_committee_member is True
    assert binh.left_on == date(2022, 3, 1)
