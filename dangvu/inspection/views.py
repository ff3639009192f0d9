"""Pages of inspection and discipline cases. Every page needs DISCIPLINE, every case read
is recorded; a case outside the user's reach is a 404 like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, page_number
from dangvu.inspection import selectors, services
from dangvu.inspection.models import CaseKind, ReadKind
from dangvu.units.models import Unit

CAP = Capability.DISCIPLINE


@require_GET
@requires(CAP)
def case_list(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("loai", "")
    kind = kind if kind in CaseKind.values else ""
    query = request.GET.get("q", "").strip()
    open_only = bool(request.GET.get("dang-xu-ly"))
    cases = selectors.cases_visible(user=request.user, query=query, kind=kind, open_only=open_only)
    page = Paginator(cases, 50).get_page(page_number(request))
    services.cases_read(actor=request.user, cases=list(page), what=ReadKind.LIST)
    return render(
        request,
        "inspection/list.html",
        {"page": page, "kinds": CaseKind.choices, "kind": kind, "q": query, "open_only": open_only},
    )


def _reached_unit(request: AuthedRequest, code: str) -> Unit:
    return scope_for(request.user).writable_unit(CAP, code)


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
                body=_reached_unit(request, post.get("co_quan", "")),
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


@require_POST
@requires(CAP)
def case_conclude(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, case_id=case_id, what=None)
    raw = request.POST.get("vi_pham", "")
    try:
        services.case_conclude(
            actor=request.user,
            case=case,
            concluded_on=form_day(request.POST.get("ngay", ""), "Ngày kết luận"),
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
            decision_on=form_day(request.POST.get("ngay", ""), "Ngày quyết định kỷ luật"),
        )
        messages.success(request, "Đã ghi quyết định kỷ luật.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inspection:detail", case_id=case.pk)
