"""Pages of inspection and discipline cases. Every page needs DISCIPLINE, every case read
is recorded; a case outside the user's reach is a 404 like one that does not exist."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, form_day_or_none, page_number
from dangvu.inspection import selectors, services
from dangvu.inspection.models import CaseKind
from dangvu.units.models import Unit
from dangvu.units.selectors import unit_picked

CAP = Capability.DISCIPLINE


@require_GET
@requires(CAP)
def case_list(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("loai", "")
    kind = kind if kind in CaseKind.values else ""
    query = request.GET.get("q", "").strip()
    open_only = bool(request.GET.get("dang-xu-ly"))
    page = selectors.cases_page(
        user=request.user, number=page_number(request), query=query, kind=kind, open_only=open_only
    )
    return render(
        request,
        "inspection/list.html",
        {"page": page, "kinds": CaseKind.choices, "kind": kind, "q": query, "open_only": open_only},
    )


def _reached_unit(request: AuthedRequest, text: str, day: date) -> Unit:
    """The unit the picker's box names (a code, its label or a unique name), if reached."""
    unit = unit_picked(user=request.user, text=text, day=day, cap=CAP)
    return scope_for(request.user).writable_unit(CAP, unit.code)


@require_http_methods(["GET", "POST"])
@requires(CAP)
def case_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        try:
            opened = form_day(post.get("ngay", ""), "Ngày quyết định kiểm tra")
            individual = post.get("doi_tuong_loai") == "member"
            subject_member = None
            subject_unit = None
            # The reach check comes first: an unreached subject is answered as an unknown one.
            if individual:
                subject_member = selectors.subject_member(
                    user=request.user, card_number=post.get("doi_tuong", ""), day=opened
                )
            else:
                subject_unit = selectors.subject_unit(
                    user=request.user, code=post.get("doi_tuong", "")
                )
            spec = services.CaseSpec(
                code=post.get("ma", ""),
                kind=post.get("loai", ""),
                body=_reached_unit(request, post.get("co_quan", ""), opened),
                opened_on=opened,
                subject_unit=subject_unit,
                subject_member=subject_member,
                complex=bool(post.get("phuc_tap")),
            )
            case = services.case_open(spec=spec, actor=request.user)
            messages.success(request, f"Đã ghi vụ việc {case.code}.")
            return redirect("inspection:detail", case_id=case.pk)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "inspection/create.html",
        {"kinds": CaseKind.choices, "posted": request.POST if request.method == "POST" else None},
    )


@require_GET
@requires(CAP)
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, case_id=case_id)
    day = case.decision_on or case.concluded_on or case.opened_on
    return render(
        request,
        "inspection/detail.html",
        {
            "case": case,
            "forms": services.allowed_forms(case, day),
            "rule": services.rule_on(day),
            "reads": selectors.reads_of(case),
            "level": selectors.body_level(case),
        },
    )


def _day(raw: str) -> date | None:
    """The form's date, None when it cannot be read: the service refuses it (and records
    the refused change as a read of the case)."""
    try:
        return form_day_or_none(raw, "")
    except DomainError:
        return None


@require_POST
@requires(CAP)
def case_conclude(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, case_id=case_id, what=None)
    raw = request.POST.get("vi_pham", "")
    try:
        services.case_conclude(
            actor=request.user,
            case=case,
            concluded_on=_day(request.POST.get("ngay", "")),
            violation={"co": True, "khong": False}.get(raw),
            conclusion=request.POST.get("noi_dung", ""),
        )
        messages.success(request, "Đã ghi kết luận.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inspection:detail", case_id=case.pk)


@require_POST
@requires(CAP)
def case_discipline(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, case_id=case_id, what=None)
    try:
        services.case_discipline(
            actor=request.user,
            case=case,
            form_code=request.POST.get("hinh_thuc", ""),
            decision_number=request.POST.get("so_quyet_dinh", ""),
            decision_on=_day(request.POST.get("ngay", "")),
        )
        messages.success(request, "Đã ghi quyết định kỷ luật.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inspection:detail", case_id=case.pk)
