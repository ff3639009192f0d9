"""Branch meetings: recorded with attendance, judged against the regime in force (12-HD
before 2025, 42-HD after), the compliance grid and the indicators."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period
from dangvu.meetings.models import Meeting
from dangvu.meetings.selectors import grid
from dangvu.meetings.services import MeetingSpec, meeting_save, rule_for

TDP1 = "DN.CUJUT.EATLING.TDP1"


def held(world: World, month: date, **kw: object) -> Meeting:
    spec = dict(
        unit=world.units[TDP1],
        kind="regular",
        month=month,
        topics="Quán triệt nghị quyết.",
        held_on=month.replace(day=10),
        duration_minutes=120,
        documents_sent_on=month.replace(day=5),
    )
    spec.update(kw)
    return meeting_save(spec=MeetingSpec(**spec))  # type: ignore[arg-type]


def plan_before(meeting: Meeting, day: date) -> Meeting:
    """Plans entered in the past: the date the plan was typed in is set by the test."""
    Meeting.objects.filter(pk=meeting.pk).update(planned_at=day)
    meeting.refresh_from_db()
    return meeting


def test_it_reads_the_regime_of_each_month(db: None) -> None:
    assert rule_for(date(2024, 12, 1)).code == "12-HD/BTCTW"
    assert rule_for(date(2025, 1, 1)).code == "42-HD/BTCTW"
    assert rule_for(date(2025, 1, 1)).min_minutes == 90


def test_it_judges_a_meeting_against_the_regime_in_force(world: World) -> None:
    # 2024 (12-HD): planned only in the month → not as the regime asks.
    late = held(world, date(2024, 3, 1))
    assert not late.compliant and "kế hoạch không nhập trước tháng" in late.shortfalls
    # 2025 (42-HD): short, documents the same day.
    short = held(world, date(2025, 3, 1), duration_minutes=60, documents_sent_on=date(2025, 3, 10))
    assert (
        "dưới 90 phút" in short.shortfalls and "tài liệu không gửi trước 1 ngày" in short.shortfalls
    )
    # Planned in the previous month and the rest as asked: compliant once re-judged.
    plan = meeting_save(
        spec=MeetingSpec(unit=world.units[TDP1], kind="regular", month=date(2025, 4, 1), topics="x")
    )
    plan = plan_before(plan, date(2025, 3, 28))
    done = meeting_save(
        spec=MeetingSpec(
            unit=world.units[TDP1],
            kind="regular",
            month=date(2025, 4, 1),
            topics="x",
            held_on=date(2025, 4, 8),
            duration_minutes=95,
            documents_sent_on=date(2025, 4, 6),
        ),
        existing=plan,
    )
    assert done.compliant and done.shortfalls == ""


def test_it_refuses_what_the_regime_or_the_calendar_rules_out(world: World) -> None:
    held(world, date(2022, 5, 1))
    with pytest.raises(DomainError, match="đã có buổi sinh hoạt thường kỳ tháng 05/2022"):
        held(world, date(2022, 5, 1))
    with pytest.raises(DomainError, match="phải trong tháng 06/2022"):
        held(world, date(2022, 6, 1), held_on=date(2022, 7, 1))
    with pytest.raises(DomainError, match="không phải chi bộ"):
        held(world, date(2022, 6, 1), unit=world.units["DN.CUJUT.EATLING"])
    with pytest.raises(DomainError, match="Cần ghi lý do vắng của Đặng Văn Bình"):
        held(world, date(2022, 6, 1), attendance={world.members["binh"].pk: (False, "")})
    with pytest.raises(DomainError, match="sau hôm nay"):
        future = timezone.localdate().replace(day=1)
        held(world, future, held_on=timezone.localdate().replace(day=28))
    assert Meeting.objects.count() == 1


def test_it_records_attendance_as_evidence_for_the_rating(world: World) -> None:
    m = world.members
    held(world, date(2022, 5, 1), attendance={m["hoa"].pk: (True, ""), m["binh"].pk: (False, "Ốm")})
    from dangvu.reviews.selectors import evidence

    hoa = world.users["hoa"]
    assert (
        evidence(user=hoa, member=m["binh"], year=2022).meetings_recorded,
        evidence(user=hoa, member=m["binh"], year=2022).meetings_attended,
    ) == (1, 0)
    assert evidence(user=hoa, member=m["hoa"], year=2022).meetings_attended == 1


def test_it_shows_a_cell_by_month_grid(world: World) -> None:
    march = plan_before(held(world, date(2022, 3, 1)), date(2022, 2, 25))
    meeting_save(
        spec=MeetingSpec(
            unit=march.unit,
            kind="regular",
            month=date(2022, 3, 1),
            topics="x",
            held_on=date(2022, 3, 10),
            duration_minutes=120,
        ),
        existing=march,
    )
    held(world, date(2022, 4, 1))  # planned late
    _unit, rows = grid(user=world.users["tochuc"], code="DN.CUJUT", year=2022)
    row = next(r for r in rows if r.version.unit.code == TDP1)
    status = {m.month: s for m, s, _ in row.months}
    assert status[3] == "held" and status[4] == "late" and status[5] == "missing"
    assert row.out_of_compliance
    assert [r.version.unit.code for r in rows] == [TDP1, "DN.CUJUT.EATLING.TDP2"]
    page = world.client("hoa").get(f"/sinh-hoat/?don-vi={TDP1}&nam=2022&chua-dat=1")
    assert "Chi bộ Tổ dân phố 1" in page.content.decode()
    # Her reach is her cell: the commune above is not hers to see.
    assert world.client("hoa").get("/sinh-hoat/?don-vi=DN.CUJUT.EATLING").status_code == 404


def test_it_counts_meetings_and_the_cells_that_kept_them_up(world: World) -> None:
    for month in range(1, 13):
        held(world, date(2021, month, 1))
    meeting_save(
        spec=MeetingSpec(
            unit=world.units[TDP1],
            kind="thematic",
            month=date(2021, 2, 1),
            held_on=date(2021, 2, 20),
            duration_minutes=100,
            upper_attended=True,
        )
    )
    codes = [
        "meeting.regular_held",
        "meeting.thematic_held",
        "meeting.cells_compliant_rate",
        "meeting.upper_attendance",
    ]
    ev = evaluate(
        targets=[world.units["DN.CUJUT"]],
        period=parse_period("2021"),
        indicators=list(Indicator.objects.filter(code__in=codes)),
    )
    of = lambda code: ev.of(code, world.units["DN.CUJUT"].pk)  # noqa: E731
    assert of("meeting.regular_held")["2021-05"][""] == 1
    assert of("meeting.thematic_held")["2021Q1"][""] == 1
    assert of("meeting.upper_attendance")["2021"][""] == 1
    # Tổ dân phố 1 met every month, Tổ dân phố 2 never: one cell of two.
    assert of("meeting.cells_compliant_rate")["2021"][""] == 50.0


def test_it_lets_the_secretary_record_a_meeting_with_attendance(world: World) -> None:
    m = world.members
    response = world.client("hoa").post(
        f"/sinh-hoat/{TDP1}/ghi/?thang=2022-05",
        {
            "loai": "regular",
            "thang": "2022-05",
            "noi_dung": "Kiểm điểm nhiệm vụ tháng.",
            "ngay": "12/05/2022",
            "thoi_luong": "100",
            "danh_gia": "good",
            "diem_danh": "1",
            f"co_mat_{m['hoa'].pk}": "1",
            f"co_mat_{m['ybhiong'].pk}": "1",
            f"ly_do_{m['binh'].pk}": "Đi công tác",
            f"co_mat_{m['an'].pk}": "1",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    absent = dict(
        meeting.attendances.filter(present=False).values_list("member__full_name", "absence_reason")
    )
    assert absent == {"Đặng Văn Bình": "Đi công tác"}
    assert world.client("kbinh").get(f"/sinh-hoat/buoi/{meeting.pk}/").status_code == 404


def test_it_keeps_the_minutes_file_for_those_who_see_the_cell(
    world: World, settings: object, tmp_path: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    m = world.members
    form = {
        "loai": "regular",
        "thang": "2022-05",
        "ngay": "12/05/2022",
        "thoi_luong": "100",
        "diem_danh": "1",
        f"co_mat_{m['hoa'].pk}": "1",
        f"co_mat_{m['ybhiong'].pk}": "1",
        f"co_mat_{m['binh'].pk}": "1",
        f"co_mat_{m['an'].pk}": "1",
    }
    bad = SimpleUploadedFile("bien-ban.exe", b"MZ", content_type="application/octet-stream")
    refused = world.client("hoa").post(f"/sinh-hoat/{TDP1}/ghi/", {**form, "tep_bien_ban": bad})
    assert (
        "Tệp biên bản phải là PDF, Word (.doc, .docx) hoặc ảnh (.jpg, .png)."
        in refused.content.decode()
    )
    assert not Meeting.objects.exists()
    pdf = SimpleUploadedFile("bb.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    world.client("hoa").post(f"/sinh-hoat/{TDP1}/ghi/", {**form, "tep_bien_ban": pdf})
    meeting = Meeting.objects.get()
    got = world.client("tochuc").get(f"/sinh-hoat/buoi/{meeting.pk}/bien-ban/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 bien ban"  # type: ignore[attr-defined]
    assert 'filename="bien-ban-DN.CUJUT.EATLING.TDP1-2022-05.pdf"' in got["Content-Disposition"]
    assert world.client("kbinh").get(f"/sinh-hoat/buoi/{meeting.pk}/bien-ban/").status_code == 404


def test_it_asks_nothing_of_a_cell_before_it_was_founded(world: World) -> None:
    from dangvu.units.services import unit_create

    unit_create(
        code="DN.CUJUT.EATLING.TDP9",
        name="Chi bộ Tổ dân phố 9",
        kind="cell",
        parent=world.units["DN.CUJUT.EATLING"],
        valid_from=date(2022, 8, 1),
    )
    _unit, rows = grid(user=world.users["tochuc"], code="DN.CUJUT.EATLING", year=2022)
    row = next(r for r in rows if r.version.unit.code == "DN.CUJUT.EATLING.TDP9")
    status = {m.month: s for m, s, _ in row.months}
    assert [status[m] for m in range(1, 8)] == ["absent"] * 7 and status[8] == "missing"
    assert [due for _, _, due in row.quarters] == [False, False, True, True]


def test_meetings_in_bulk_follow_the_rules_of_one_meeting(world: World) -> None:
    from dangvu.meetings.services import (
        HELD_OUTSIDE,
        NOT_A_CELL,
        REGULAR_TAKEN,
        MeetingRow,
        meetings_create,
    )

    cell = world.units[TDP1]
    march = date(2025, 3, 1)
    row = MeetingRow(
        unit_id=cell.pk,
        kind="regular",
        month=march,
        planned_at=date(2025, 2, 20),
        topics="Quán triệt nghị quyết.",
        held_on=date(2025, 3, 10),
        duration_minutes=60,
        documents_sent_on=date(2025, 3, 5),
    )
    refusals = [
        ([row, row], REGULAR_TAKEN.format(month=march)),
        ([row._replace(held_on=date(2025, 4, 2))], HELD_OUTSIDE.format(month=march)),
        (
            [row._replace(unit_id=world.units["DN.CUJUT"].pk)],
            NOT_A_CELL.format(unit="DN.CUJUT", month=march),
        ),
    ]
    for rows, message in refusals:
        with pytest.raises(DomainError) as refused:
            meetings_create(rows=rows)
        assert str(refused.value) == message
    assert not Meeting.objects.exists()
    # Judged against the regime of the month, like a meeting saved on the page, whatever
    # its kind (the demo used to leave its thematic meetings unjudged).
    thematic = row._replace(kind="thematic", month=date(2025, 3, 17))
    assert meetings_create(rows=[row, thematic]) == 2
    page = meeting_save(
        spec=MeetingSpec(
            unit=cell,
            kind="thematic",
            month=date(2025, 4, 1),
            topics="Chuyên đề.",
            held_on=date(2025, 4, 10),
            duration_minutes=60,
            documents_sent_on=date(2025, 4, 5),
        )
    )
    for saved in Meeting.objects.filter(month=march):
        assert saved.month == march and not saved.compliant
        assert saved.shortfalls == "dưới 90 phút"
    assert not page.compliant and "dưới 90 phút" in page.shortfalls
    with pytest.raises(DomainError) as refused:
        meetings_create(rows=[row])
    assert str(refused.value) == REGULAR_TAKEN.format(month=march)


def test_attendance_in_bulk_follows_the_rules_of_the_page(world: World) -> None:
    from dangvu.meetings.models import MeetingAttendance
    from dangvu.meetings.services import AttendanceRow, attendance_record, members_in

    meeting = held(world, date(2025, 3, 1))
    member = members_in(world.units[TDP1], date(2025, 3, 1))[0]
    absent = AttendanceRow(meeting_id=meeting.pk, member_id=member.pk, present=False)
    with pytest.raises(DomainError, match="Cần ghi lý do vắng"):
        attendance_record(rows=[absent])
    stranger = members_in(world.units["DN.CUJUT.EATLING.TDP2"], date(2025, 3, 1))[0]
    with pytest.raises(DomainError, match="không sinh hoạt tại chi bộ này"):
        attendance_record(rows=[AttendanceRow(meeting.pk, stranger.pk, True)])
    assert not MeetingAttendance.objects.exists()
    assert attendance_record(rows=[absent._replace(absence_reason=" Ốm ")]) == 1
    assert MeetingAttendance.objects.get().absence_reason == "Ốm"


def test_it_reads_the_unit_and_filter_under_one_spelling_and_the_old_one(world):
    hoa = world.client("hoa")

    new = hoa.get(f"/sinh-hoat/?don_vi={TDP1}&nam=2022&chua_dat=1")
    old = hoa.get(f"/sinh-hoat/?don-vi={TDP1}&nam=2022&chua-dat=1")  # bookmarks from before

    assert new.status_code == old.status_code == 200
    for page in (new.content.decode(), old.content.decode()):
        assert "Chi bộ Tổ dân phố 1" in page
        assert f'name="don_vi" value="{TDP1}"' in page and "don-vi" not in page
        assert 'name="chua_dat" value="1" checked' in page
    assert hoa.get("/sinh-hoat/?don_vi=DN.CUJUT.EATLING").status_code == 404
