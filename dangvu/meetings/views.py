"""Pages of branch meetings: the compliance grid, a cell's year, recording a meeting."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day_or_none, page_number
from dangvu.core.widgets import MonthField
from dangvu.lib.dates import FIRST_YEAR, LAST_YEAR
from dangvu.lib.numbers import int_or_none
from dangvu.meetings import selectors, services
from dangvu.meetings.models import Meeting, MeetingKind, Quality
from dangvu.members.models import Member
from dangvu.units.models import Unit
from dangvu.units.selectors import unit_picked

VIEW, RECORD = Capability.VIEW_MEMBERS, Capability.RECORD_MEETINGS
NO_UPPER_MEMBER = "Không có cấp ủy viên cấp trên số thẻ {card} của chi bộ này."
STATUS = {
    "held": "Đã sinh hoạt đúng quy định",
    "late": "Có sinh hoạt nhưng chưa đúng quy định",
    "missing": "Không sinh hoạt",
    "planned": "Đã có kế hoạch",
    "future": "Chưa đến",
    "absent": "Chưa thành lập hoặc đã giải thể",
}


def _year(raw: str | None) -> int:
    try:
        year = int(str(raw or "").strip())
    except ValueError:
        return timezone.localdate().year
    return year if 1990 <= year <= timezone.localdate().year + 1 else timezone.localdate().year


def _years() -> range:
    return range(timezone.localdate().year + 1, 2017, -1)


def _day_in(year: int) -> date:
    """The day a year's page names its units on: today, or the year's last day."""
    return min(date(year, 12, 31), timezone.localdate())


def _unit_chosen(request: AuthedRequest, year: int) -> str:
    """The unit of `?don_vi=`: a code (the picker's), or a name typed without the script."""
    raw = (request.GET.get("don_vi") or request.GET.get("don-vi", "")).strip()
    if not raw:
        return ""
    try:
        return unit_picked(user=request.user, text=raw, day=_day_in(year), cap=VIEW).code
    except DomainError as error:
        messages.error(request, error.message)
        return ""


def _top_code(request: AuthedRequest) -> str:
    return selectors.top_unit_or_404(user=request.user).code


@require_GET
@requires(VIEW)
def grid(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("nam"))
    choices = selectors.cell_choices(user=request.user, year=year)
    code = _unit_chosen(request, year) or (choices[0].code if choices else _top_code(request))
    unit, rows = selectors.grid(user=request.user, code=code, year=year)
    this_month = services.first_of(timezone.localdate())
    only_bad = bool(request.GET.get("chua_dat") or request.GET.get("chua-dat"))
    if only_bad:
        rows = [r for r in rows if r.out_of_compliance]
    page = Paginator(rows, 60).get_page(page_number(request))
    return render(
        request,
        "meetings/grid.html",
        {
            "unit": unit,
            "heading": selectors.unit_heading(unit, _day_in(year)),
            "day": _day_in(year),
            "year": year,
            "years": _years(),
            "choices": choices,
            # A secretary's own cells, one tap from this month's record (staff: the grid).
            "recordable": selectors.recordable_cells(user=request.user, month=this_month)
            if choices is not None
            else [],
            "this_month": this_month,
            "page": page,
            "months": selectors.months_of(year),
            "status": STATUS,
            "only_bad": only_bad,
            "code": code,
            "regime": selectors.regime(date(year, 12, 1)),
            "bad_count": sum(1 for r in rows if r.out_of_compliance) if not only_bad else len(rows),
        },
    )


@require_GET
@requires(VIEW)
def cell(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    if _year(str(year)) != year:
        raise Http404("Năm không hợp lệ.")
    unit, meetings = selectors.cell_meetings(user=request.user, code=code, year=year)
    return render(
        request,
        "meetings/cell.html",
        {
            "unit": unit,
            "heading": selectors.unit_heading(unit, _day_in(year)),
            "year": year,
            "meetings": meetings,
            "can_record": scope_for(request.user)
            .writable_units(RECORD)
            .filter(pk=unit.pk)
            .exists(),
        },
    )


BAD_MONTH = "Tháng không hợp lệ: chọn tháng, ví dụ 12/2026."


def _month(raw: str) -> date:
    """The month picker's yyyy-mm (or mm/yyyy), as the month's first day."""
    try:
        month = MonthField().clean((raw or "").strip())
    except ValidationError as error:
        raise DomainError(BAD_MONTH) from error
    if month is None or not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise DomainError(BAD_MONTH)
    return date(month.year, month.month, 1)


#: The attendance of one member: present, absent with a reason (written), absent without.
PRESENT, EXCUSED, UNEXCUSED = "co_mat", "co_ly_do", "khong_ly_do"


def _attendance(post: Any, member_id: int) -> tuple[bool, str]:
    """(present, reason) as sent: the three choices, or the older check box."""
    choice = post.get(f"diem_danh_{member_id}")
    reason = post.get(f"ly_do_{member_id}", "")
    if choice is None:
        return post.get(f"co_mat_{member_id}") == "1", reason
    if choice == UNEXCUSED:
        return False, services.NO_REASON
    return choice != EXCUSED, reason if choice == EXCUSED else ""


def _spec(request: AuthedRequest, unit: Unit, members: list[Member]) -> services.MeetingSpec:
    post = request.POST
    duration = post.get("thoi_luong", "").strip()
    if duration and int_or_none(duration, low=1, high=600) is None:
        raise DomainError("Thời lượng ghi bằng số phút, từ 1 đến 600.")
    upper = None
    card = post.get("cap_tren", "").strip().upper()
    if card:
        upper = selectors.upper_committee_member(
            unit=unit, month=_month(post.get("thang", "")), card=card
        )
        if upper is None:
            raise DomainError(NO_UPPER_MEMBER.format(card=card))
    attendance = {}
    if post.get("diem_danh"):
        for m in members:
            attendance[m.pk] = _attendance(post, m.pk)
    return services.MeetingSpec(
        unit=unit,
        kind=post.get("loai", MeetingKind.REGULAR),
        month=_month(post.get("thang", "")),
        planned_on=form_day_or_none(post.get("ngay_du_kien", ""), "Ngày dự kiến"),
        topics=post.get("noi_dung", ""),
        documents_sent_on=form_day_or_none(post.get("ngay_gui_tai_lieu", ""), "Ngày gửi tài liệu"),
        held_on=form_day_or_none(post.get("ngay", ""), "Ngày sinh hoạt"),
        duration_minutes=int(duration) if duration else None,
        minutes=post.get("bien_ban", ""),
        quality=post.get("danh_gia", ""),
        upper_member=upper,
        upper_attended=post.get("cap_tren_du") == "1",
        attendance=attendance,
    )


def _form(request: AuthedRequest, unit: Unit, existing: Meeting | None) -> HttpResponse:
    month = existing.month if existing else services.first_of(timezone.localdate())
    if not existing and request.GET.get("thang"):
        with contextlib.suppress(DomainError):  # a bad month in the address: this month
            month = _month(request.GET["thang"])
    if request.method == "POST":
        # The attendance is of the month sent, which may differ from the address's.
        with contextlib.suppress(DomainError):
            month = _month(request.POST.get("thang", ""))
    members = services.members_in(unit, month)
    if request.method == "POST":
        try:
            saved = services.meeting_save(
                spec=_spec(request, unit, members),
                actor=request.user,
                existing=existing,
                minutes_file=request.FILES.get("tep_bien_ban"),
            )
            note = (
                f" (chưa đúng quy định: {saved.shortfalls})"
                if saved.held_on and not saved.compliant
                else ""
            )
            messages.success(request, f"Đã lưu buổi sinh hoạt tháng {saved.month:%m/%Y}{note}.")
            return redirect("meetings:cell", code=unit.code, year=saved.month.year)
        except DomainError as error:
            messages.error(request, error.message)
    present: dict[int, tuple[bool, str]] = {}
    if request.method == "POST":
        present = {m.pk: _attendance(request.POST, m.pk) for m in members}
    elif existing is not None:
        present = {a.member_id: (a.present, a.absence_reason) for a in existing.attendances.all()}
    return render(
        request,
        "meetings/form.html",
        {
            "unit": unit,
            "m": existing,
            "month": month,
            "heading": selectors.unit_heading(unit, month),
            "members": [_attendee(m, present.get(m.pk)) for m in members],
            "uppers": selectors.upper_committee_choices(unit=unit, month=month),
            "kinds": MeetingKind.choices,
            "qualities": Quality.choices,
            "regime": selectors.regime(month),
            "v": _values(request, existing),
        },
    )


def _attendee(member: Member, recorded: tuple[bool, str] | None) -> dict[str, object]:
    """A member's line of the attendance list: present unless recorded otherwise."""
    present, reason = recorded or (True, "")
    if present:
        choice, reason = PRESENT, ""
    elif reason == services.NO_REASON:
        choice, reason = UNEXCUSED, ""
    else:
        choice = EXCUSED
    return {"member": member, "key": str(member.pk), "choice": choice, "reason": reason}


@require_GET
@requires(VIEW)
def minutes(request: AuthedRequest, meeting_id: int) -> HttpResponseBase:
    """The file of a meeting's minutes, to whom the cell's records are open."""
    meeting = selectors.meeting_or_404(user=request.user, meeting_id=meeting_id)
    if not meeting.minutes_file:
        raise Http404("Buổi sinh hoạt chưa có tệp biên bản.")
    name = f"bien-ban-{meeting.unit.code}-{meeting.month:%Y-%m}{Path(meeting.minutes_file.name or '').suffix}"
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=name)


def _values(request: AuthedRequest, m: Meeting | None) -> dict[str, str]:
    """The form's values: what was just sent (refused, to correct it), else the meeting's."""
    if request.method == "POST":
        return {k: str(v) for k, v in request.POST.items()}
    if m is None:
        return {}

    def day(d: date | None) -> str:
        return d.isoformat() if d else ""  # the date picker's value

    return {
        "loai": m.kind,
        "thang": m.month.strftime("%Y-%m"),
        "ngay_du_kien": day(m.planned_on),
        "noi_dung": m.topics,
        "ngay_gui_tai_lieu": day(m.documents_sent_on),
        "ngay": day(m.held_on),
        "thoi_luong": str(m.duration_minutes or ""),
        "danh_gia": m.quality,
        "bien_ban": m.minutes,
        "cap_tren": m.upper_member.card_number if m.upper_member else "",
        "cap_tren_du": "1" if m.upper_attended else "",
    }


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def record(request: AuthedRequest, code: str) -> HttpResponse:
    return _form(request, selectors.recordable_unit_or_404(user=request.user, code=code), None)


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def edit(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_or_404(user=request.user, meeting_id=meeting_id, cap=RECORD)
    return _form(request, meeting.unit, meeting)
