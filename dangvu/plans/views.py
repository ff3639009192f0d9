"""Pages of units' plans: the programme's plans with the units still missing one, submit,
approve or return."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day
from dangvu.indicators.selectors import latest_programme
from dangvu.plans import selectors, services
from dangvu.units.selectors import unit_picked

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS


@require_GET
@requires(VIEW)
def plan_list(request: AuthedRequest) -> HttpResponse:
    programme = latest_programme()
    scope = scope_for(request.user)
    code = (request.GET.get("don_vi") or request.GET.get("don-vi", "")).strip()
    top = (
        scope.get_unit(VIEW, code) if code else scope.units(VIEW).order_by("versions__path").first()
    )
    expected = (
        selectors.expected_units(user=request.user, programme=programme, unit=top) if top else []
    )
    plans = list(selectors.plans_visible(user=request.user, programme=programme))
    return render(
        request,
        "plans/list.html",
        {
            "programme": programme,
            "top": top,
            "expected": expected,
            "missing": [e for e in expected if e.plan is None],
            "plans": plans,
            "deciding": selectors.decidable(request.user, plans),
            "can_submit": scope.can(WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def plan_submit(request: AuthedRequest) -> HttpResponse:
    programme = latest_programme()
    if request.method == "POST":
        try:
            # The unit picker sends a code; without its script, a code or a name as typed.
            picked = unit_picked(
                user=request.user, text=request.POST.get("don_vi", ""), day=today(), cap=WRITE
            )
            unit = scope_for(request.user).writable_unit(WRITE, picked.code)
            services.plan_submit(
                programme=programme,
                unit=unit,
                title=request.POST.get("trich_yeu", ""),
                number=request.POST.get("so", ""),
                submitted_on=form_day(request.POST.get("ngay", ""), "Ngày trình"),
            )
            messages.success(request, "Đã trình kế hoạch lên cấp trên.")
            return redirect("plans:list")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "plans/submit.html",
        {"programme": programme, "posted": request.POST if request.method == "POST" else None},
    )


@require_POST
@requires(WRITE)
def plan_decide(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_or_404(user=request.user, plan_id=plan_id)
    if not selectors.may_decide(request.user, plan):
        raise Http404("Không tìm thấy kế hoạch.")
    try:
        approve = request.POST.get("hanh_dong") == "duyet"
        services.plan_decide(
            plan=plan,
            approve=approve,
            on=timezone.localdate(),
            actor=request.user,
            comments=request.POST.get("y_kien", ""),
        )
        messages.success(
            request, "Đã phê duyệt kế hoạch." if approve else "Đã trả lại kế hoạch kèm ý kiến."
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("plans:list")
