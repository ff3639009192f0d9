"""Pages of the annual cycle. Thin: find through selectors, write through services."""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, form_day_or_none, page_number
from dangvu.inspection import services as inspection
from dangvu.inspection.models import ReadKind
from dangvu.members.models import Member
from dangvu.reviews import selectors, services
from dangvu.reviews.models import (
    COMMITMENT_SECTIONS,
    CollectiveKind,
    CommitmentStatus,
    ExemptReason,
    Fulfilment,
    ReviewOutcome,
    ReviewSuggestion,
)
from dangvu.units.models import Unit
from dangvu.units.selectors import unit_picked

VIEW, RUN = Capability.VIEW_MEMBERS, Capability.RUN_REVIEWS
SUBJECT_NOT_FOUND = "Không có {what} {subject} trong phạm vi của bạn năm {year}."
PAPER_NOT_IN_CELL = "Không có đảng viên số thẻ {card} sinh hoạt tại chi bộ này năm {year}."


def _year(raw: str | None, default: int | None = None) -> int:
    try:
        return services.check_year(int(str(raw or "").strip()))
    except (ValueError, DomainError):
        return default or timezone.localdate().year


def _year_or_404(year: int) -> int:
    """A year in the address that the system cannot hold is a page that does not exist."""
    try:
        return services.check_year(year)
    except DomainError as error:
        raise Http404(error.message) from error


# -- overview -----------------------------------------------------------------------------
@require_GET
@requires(VIEW)
def home(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("nam"), timezone.localdate().year - 1)
    within = _unit_chosen(request, year)
    cells = selectors.cells_in_reach(user=request.user, year=year, within=within)
    page = Paginator(cells, 50).get_page(page_number(request))
    overdue = selectors.remediation_visible(
        user=request.user, day=timezone.localdate(), overdue=True
    ).count()
    return render(
        request,
        "reviews/home.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, 2017, -1),
            "within": within,
            "page": page,
            "names": selectors.unit_names({v.unit_id for v in page}, year),
            "staff": selectors.reaches_committee(user=request.user, year=year),
            "day": min(date(year, 12, 31), timezone.localdate()),
            "waiting": selectors.commitments_waiting(user=request.user),
            "overdue": overdue,
        },
    )


def _unit_chosen(request: AuthedRequest, year: int) -> str:
    """The unit of `?don-vi=`: a code (the picker's), or a name typed without the script."""
    raw = request.GET.get("don-vi", "").strip()
    if not raw:
        return ""
    day = min(date(year, 12, 31), timezone.localdate())
    try:
        return unit_picked(user=request.user, text=raw, day=day, cap=VIEW).code
    except DomainError as error:
        messages.error(request, error.message)
        return ""


# -- a cell's year ------------------------------------------------------------------------------
def _row_spec(
    request: AuthedRequest, member: Member, year: int, unit: Unit
) -> services.MemberReviewSpec | None:
    key = str(member.pk)
    outcome = request.POST.get(f"ket_qua_{key}", "").strip()
    points, grade = (
        request.POST.get(f"diem_{key}", "").strip(),
        request.POST.get(f"xep_loai_{key}", "").strip(),
    )
    if not outcome and (points or grade):
        outcome = ReviewOutcome.REVIEWED  # points or a grade given: the member was reviewed
    if not outcome:
        return None
    return services.MemberReviewSpec(
        member=member,
        year=year,
        unit=unit,
        outcome=outcome,
        exempt_reason=request.POST.get(f"ly_do_{key}", "").strip(),
        grade=grade,
        points=services.parse_points(points),
    )


@require_GET
@requires(VIEW)
def cell(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    _year_or_404(year)
    data = selectors.cell_year(user=request.user, code=code, year=year)
    return _cell_page(request, data, errors=[])


def _entries(
    request: AuthedRequest, data: selectors.CellYear, posted: bool
) -> list[dict[str, object]]:
    """Each member's row as the form shows it: what was just sent (refused, to correct it),
    else what is recorded."""
    out = []
    for row in data.rows:
        key, review = str(row.member.pk), row.review
        if posted:
            values = {
                "outcome": request.POST.get(f"ket_qua_{key}", ""),
                "reason": request.POST.get(f"ly_do_{key}", ""),
                "grade": request.POST.get(f"xep_loai_{key}", ""),
                "points": request.POST.get(f"diem_{key}", ""),
            }
        else:
            values = {
                "outcome": review.outcome if review else "",
                "reason": review.exempt_reason if review else "",
                "grade": review.grade.code if review and review.grade else "",
                "points": "" if review is None or review.points is None else f"{review.points:f}",
            }
        out.append({"row": row, "key": key, **values})
    return out


def _cell_page(request: AuthedRequest, data: selectors.CellYear, errors: list[str]) -> HttpResponse:
    return render(
        request,
        "reviews/cell.html",
        {
            "d": data,
            "entries": _entries(request, data, posted=bool(errors)),
            "editable": selectors.can_run(request.user, data.unit),
            "calendar": selectors.rating_calendar(
                user=request.user, unit=data.unit, year=data.year
            ),
            "year": data.year,
            "errors": errors,
            "outcomes": ReviewOutcome.choices,
            "reasons": ExemptReason.choices,
            "grades": list(data.scheme.grades.all()),
        },
        status=400 if errors else 200,
    )


@require_POST
@requires(RUN)
def cell_save(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The cell's reviews of the year in one go: every row is checked first; one bad row
    and nothing is saved, every bad row is listed."""
    _year_or_404(year)
    selectors.unit_or_404(user=request.user, code=code, cap=RUN)
    data = selectors.cell_year(user=request.user, code=code, year=year)
    rows: list[tuple[Member, services.MemberReviewSpec | DomainError]] = []
    for row in data.rows:
        try:
            spec = _row_spec(request, row.member, year, data.unit)
        except DomainError as error:
            rows.append((row.member, error))
            continue
        if spec is not None:
            rows.append((row.member, spec))
    try:
        saved = services.cell_reviews_save(
            rows=rows, actor=request.user, reason=request.POST.get("ly_do_sua", "")
        )
    except services.RowsRefused as refused:
        errors = [f"{m.full_name} ({m.card_number}): {message}" for m, message in refused.errors]
        return _cell_page(request, data, errors)
    messages.success(request, f"Đã lưu kết quả kiểm điểm của {saved} đảng viên.")
    return redirect("reviews:cell", code=data.unit.code, year=year)


@require_POST
@requires(RUN)
def collective(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    _year_or_404(year)
    unit = selectors.unit_or_404(user=request.user, code=code, cap=RUN)
    try:
        spec = services.CollectiveReviewSpec(
            unit=unit,
            year=year,
            collective=request.POST.get("tap_the", "").strip(),
            grade=request.POST.get("xep_loai", "").strip(),
            points=services.parse_points(request.POST.get("diem", "")),
            held_on=form_day_or_none(request.POST.get("ngay", ""), "Ngày"),
            summary=request.POST.get("tom_tat", ""),
        )
        review = services.collective_review_save(
            spec=spec, actor=request.user, reason=request.POST.get("ly_do_sua", "")
        )
        messages.success(request, f"Đã lưu kiểm điểm {review.get_collective_display().lower()}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("reviews:cell", code=unit.code, year=year)


# -- one member's review and rating, with the evidence -----------------------------------------
@require_GET
@requires(VIEW)
def member(request: AuthedRequest, code: str, year: int, card: str) -> HttpResponse:
    _year_or_404(year)
    unit, person = selectors.review_of(user=request.user, code=code, year=year, card=card)
    scheme = services.scheme_for(year)
    ev = selectors.evidence(user=request.user, member=person, year=year)
    discipline = selectors.discipline_in_year(
        user=request.user, member=person, unit=unit, year=year
    )
    if discipline:
        inspection.cases_read(actor=request.user, cases=discipline, what=ReadKind.EVIDENCE)
    return render(
        request,
        "reviews/member.html",
        {
            "unit": unit,
            "heading": selectors.unit_heading_of(unit, year),
            "person": person,
            "year": year,
            "scheme": scheme,
            "grades": list(scheme.grades.all()),
            "scale": selectors.scale_text(scheme) if scheme.uses_points else "",
            "ev": ev,
            "issuers": selectors.unit_names({s.issuer_id for s in ev.suggestions}, year),
            "discipline": discipline,
            "editable": selectors.can_run(request.user, unit),
            "calendar": selectors.rating_calendar(user=request.user, unit=unit, year=year),
            "is_self": person.pk == request.user.member_id,
            "outcomes": ReviewOutcome.choices,
            "reasons": ExemptReason.choices,
            "fulfilments": Fulfilment.choices,
        },
    )


@require_POST
@requires(RUN)
def member_save(request: AuthedRequest, code: str, year: int, card: str) -> HttpResponse:
    _year_or_404(year)
    unit, person = selectors.review_of(user=request.user, code=code, year=year, card=card)
    if not selectors.can_run(request.user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    try:
        spec = services.MemberReviewSpec(
            member=person,
            year=year,
            unit=unit,
            outcome=request.POST.get("ket_qua", "").strip(),
            exempt_reason=request.POST.get("ly_do", "").strip(),
            grade=request.POST.get("xep_loai", "").strip(),
            points=services.parse_points(request.POST.get("diem", "")),
            held_on=form_day_or_none(request.POST.get("ngay", ""), "Ngày"),
            self_review=request.POST.get("tu_kiem_diem", "").strip(),
            fulfilment=request.POST.get("thuc_hien_cam_ket", "").strip(),
        )
        services.member_review_save(
            spec=spec, actor=request.user, reason=request.POST.get("ly_do_sua", "")
        )
        messages.success(request, f"Đã lưu kiểm điểm, xếp loại năm {year} của {person.full_name}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("reviews:member", code=unit.code, year=year, card=person.card_number)


@require_POST
@requires(RUN)
def remediation_add(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    _year_or_404(year)
    unit = selectors.unit_or_404(user=request.user, code=code, cap=RUN)
    card = request.POST.get("the", "").strip()
    try:
        services.remediation_attach(
            unit=unit,
            year=year,
            card=card,
            collective=request.POST.get("tap_the", ""),
            shortcoming=request.POST.get("han_che", ""),
            plan=request.POST.get("bien_phap", ""),
            deadline=form_day(request.POST.get("thoi_han", ""), "Thời hạn khắc phục"),
        )
        messages.success(request, "Đã ghi nội dung cần khắc phục.")
    except DomainError as error:
        messages.error(request, error.message)
    back = request.POST.get("ve", "")
    if card and back == "member":
        return redirect("reviews:member", code=unit.code, year=year, card=card)
    return redirect("reviews:cell", code=unit.code, year=year)


# -- remediation ------------------------------------------------------------------------------------
@require_GET
@requires(VIEW)
def remediation(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    overdue = bool(request.GET.get("qua-han"))
    items = selectors.remediation_visible(user=request.user, day=today, overdue=overdue)
    page = Paginator(items, 50).get_page(page_number(request))
    runnable = selectors.runnable_unit_ids(user=request.user, unit_ids=[i.unit_id for i in page])
    return render(
        request,
        "reviews/remediation.html",
        {
            "page": page,
            "overdue": overdue,
            "today": today,
            "runnable": runnable,
            "names": selectors.unit_names({i.unit_id for i in page}, today.year),
        },
    )


@require_POST
@requires(RUN)
def remediation_done(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = selectors.remediation_item_or_404(user=request.user, item_id=item_id)
    try:
        services.remediation_done(
            item=item,
            done_on=form_day(request.POST.get("ngay", ""), "Ngày hoàn thành"),
            result=request.POST.get("ket_qua", ""),
        )
        messages.success(request, "Đã ghi nhận kết quả khắc phục.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(
        reverse("reviews:remediation") + ("?qua-han=1" if request.POST.get("qua_han") else "")
    )


def _int(raw: str | None) -> int:
    try:
        return int(str(raw or "").strip())
    except ValueError:
        return 0


# -- review suggestions -------------------------------------------------------------------------------
@require_GET
@requires(VIEW)
def suggestions(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("nam"), timezone.localdate().year - 1)
    items = selectors.suggestions_visible(user=request.user, year=year)
    page = Paginator(items, 50).get_page(page_number(request))
    return render(
        request,
        "reviews/suggestions.html",
        {
            "page": page,
            "names": selectors.unit_names(
                {s.issuer_id for s in page}
                | {s.subject_unit_id for s in page if s.subject_unit_id},
                year,
            ),
            "year": year,
            "years": range(timezone.localdate().year, 2017, -1),
            "can_run": selectors.may_run(request.user),
            "collectives": CollectiveKind.choices,
        },
    )


@require_POST
@requires(RUN)
def suggestion_issue(request: AuthedRequest) -> HttpResponse:
    try:
        suggestion = _issue(request)
        messages.success(request, "Đã ghi gợi ý kiểm điểm.")
        return redirect(reverse("reviews:suggestions") + f"?nam={suggestion.year}")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("reviews:suggestions") + f"?nam={_year(request.POST.get('nam'))}")


def _issue(request: AuthedRequest) -> ReviewSuggestion:
    raw = request.POST.get("cap_uy", "")
    with contextlib.suppress(DomainError):  # a name typed without the picker's script
        raw = unit_picked(user=request.user, text=raw, day=timezone.localdate(), cap=RUN).code
    issuer = selectors.issuer_typed(user=request.user, code=raw)
    year = services.check_year(_int(request.POST.get("nam")))
    subject = request.POST.get("doi_tuong", "").strip()
    individual = request.POST.get("loai", "") == "ca_nhan"
    # The subject is looked for inside the user's reach first: no message tells anything
    # (a card number's existence, a member's cell or management level) outside it.
    subject_member = subject_unit = None
    if individual:
        subject_member = selectors.member_in_reach(
            user=request.user, card=subject.upper(), year=year, cap=RUN
        )
    else:
        subject_unit = selectors.unit_or_none(user=request.user, code=subject, cap=RUN)
    if subject_member is None and subject_unit is None:
        raise DomainError(
            SUBJECT_NOT_FOUND.format(
                what="đảng viên số thẻ" if individual else "đơn vị mã",
                subject=subject or "(trống)",
                year=year,
            )
        )
    spec = services.SuggestionSpec(
        year=year,
        issuer=issuer,
        issued_on=form_day(request.POST.get("ngay", ""), "Ngày gợi ý"),
        content=request.POST.get("noi_dung", ""),
        subject_member=subject_member,
        subject_unit=subject_unit,
        subject_collective="" if individual else request.POST.get("tap_the", "").strip(),
    )
    return services.suggestion_issue(spec=spec, actor=request.user)


@require_POST
@requires(RUN)
def suggestion_answer(request: AuthedRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_to_answer_or_404(
        user=request.user, suggestion_id=suggestion_id
    )
    try:
        member_review, collective_review = selectors.answering_review(suggestion)
        services.suggestion_answer(
            suggestion=suggestion,
            answer=request.POST.get("tra_loi", ""),
            answered_on=form_day(request.POST.get("ngay", ""), "Ngày kiểm điểm"),
            member_review=member_review,
            collective_review=collective_review,
        )
        messages.success(request, "Đã gắn nội dung trả lời gợi ý kiểm điểm.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("reviews:suggestions") + f"?nam={suggestion.year}")


# -- commitments ---------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def my_commitment(request: AuthedRequest) -> HttpResponse:
    """The member's own commitment of the year, on a phone."""
    person = request.user.member
    if person is None:
        raise Http404("Tài khoản này không gắn với đảng viên nào.")
    year = _year(request.GET.get("nam"), timezone.localdate().year)
    commitment = selectors.own_commitments(person).filter(year=year).first()
    if request.method == "POST":
        try:
            sections = {key: request.POST.get(key, "") for key, _ in COMMITMENT_SECTIONS}
            submit = request.POST.get("hanh_dong") == "gui"
            services.commitment_save_own(
                member=person, year=year, commitment=commitment, sections=sections, submit=submit
            )
            messages.success(
                request,
                "Đã gửi bản cam kết đến chi bộ." if submit else "Đã lưu bản nháp.",
            )
            return redirect(reverse("reviews:my_commitment") + f"?nam={year}")
        except DomainError as error:
            messages.error(request, error.message)
    editable = commitment is None or commitment.status in (
        CommitmentStatus.DRAFT,
        CommitmentStatus.RETURNED,
    )
    start = None
    if commitment is None:
        last = selectors.own_commitments(person).filter(year__lt=year).first()
        start = last.sections if last else None
    texts = (
        {k: request.POST.get(k, "") for k, _ in COMMITMENT_SECTIONS}
        if request.method == "POST"
        else commitment.sections
        if commitment
        else start or {}
    )
    return render(
        request,
        "reviews/my_commitment.html",
        {
            "person": person,
            "year": year,
            "commitment": commitment,
            "editable": editable,
            "from_last_year": commitment is None and start is not None,
            "fields": [(k, h, texts.get(k, "")) for k, h in COMMITMENT_SECTIONS],
            "comments": list(commitment.comments.all()) if commitment else [],
            "others": selectors.cell_commitments(person, year),
            "history": selectors.own_commitments(person).exclude(year=year),
            "sections": dict(COMMITMENT_SECTIONS),
        },
    )


@require_GET
def commitment(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    """Read a commitment: the member's own, the cell's (to comment and approve), or a
    cell-mate's once approved (published inside the cell)."""
    found = selectors.commitment_or_404(user=request.user, commitment_id=commitment_id)
    return render(
        request,
        "reviews/commitment.html",
        {
            "c": found,
            "unit_name": selectors.unit_heading_of(found.unit, found.year),
            "reviewer": selectors.can_run(request.user, found.unit),
            "cellmate": found.member_id != request.user.member_id
            and found.status == CommitmentStatus.SUBMITTED
            and selectors.in_cell_of(request.user, found),
            "fields": [(k, h, found.text_of(k)) for k, h in COMMITMENT_SECTIONS],
            "comments": list(found.comments.select_related("author")),
            "sections": dict(COMMITMENT_SECTIONS),
        },
    )


@require_POST
def commitment_comment(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    """A cell-mate's comment on a commitment sent to the cell."""
    found = selectors.commitment_or_404(user=request.user, commitment_id=commitment_id)
    if found.member_id == request.user.member_id or not selectors.in_cell_of(request.user, found):
        raise Http404("Không tìm thấy bản cam kết.")
    try:
        services.commitment_comment(
            commitment=found,
            section=request.POST.get("muc", ""),
            text=request.POST.get("y_kien", ""),
            actor=request.user,
        )
        messages.success(request, "Đã gửi ý kiến góp ý.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("reviews:commitment", commitment_id=found.pk)


@require_POST
@requires(RUN)
def commitment_decide(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    """The cell's decision: approve (and publish), or return with comments."""
    found = selectors.commitment_or_404(user=request.user, commitment_id=commitment_id)
    if not selectors.can_run(request.user, found.unit):
        raise Http404("Không tìm thấy bản cam kết.")
    try:
        if request.POST.get("hanh_dong") == "duyet":
            services.commitment_approve(commitment=found, actor=request.user)
            messages.success(request, "Đã duyệt và công khai bản cam kết trong chi bộ.")
        else:
            comments = {
                key: request.POST.get(f"y_kien_{key}", "") for key, _ in COMMITMENT_SECTIONS
            }
            comments[""] = request.POST.get("y_kien", "")
            services.commitment_return(commitment=found, comments=comments, actor=request.user)
            messages.success(request, "Đã gửi ý kiến góp ý; bản cam kết trả lại đảng viên để sửa.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("reviews:commitment", commitment_id=found.pk)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def commitment_paper(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """Staff enter a commitment signed on paper."""
    _year_or_404(year)
    unit = selectors.unit_or_404(user=request.user, code=code, cap=RUN)
    if request.method == "POST":
        card = request.POST.get("the", "").strip().upper()
        try:
            person = selectors.member_of_cell(unit=unit, card=card, year=year)
            if person is None:
                raise DomainError(PAPER_NOT_IN_CELL.format(card=card or "(trống)", year=year))
            services.commitment_record_paper(
                member=person,
                year=year,
                sections={key: request.POST.get(key, "") for key, _ in COMMITMENT_SECTIONS},
                signed_on=form_day(request.POST.get("ngay", ""), "Ngày ký"),
                actor=request.user,
                unit=unit,
            )
            messages.success(request, f"Đã ghi bản cam kết giấy của {person.full_name}.")
            return redirect("reviews:cell", code=unit.code, year=year)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "reviews/paper.html",
        {
            "unit": unit,
            "heading": selectors.unit_heading_of(unit, year),
            "members": selectors.cell_members_now(unit=unit, year=year),
            "year": year,
            "sections": COMMITMENT_SECTIONS,
            "posted": request.POST if request.method == "POST" else None,
        },
    )
