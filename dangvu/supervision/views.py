"""Pages of supervisions. Thin: find through selectors, write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import page_number
from dangvu.supervision import selectors, services
from dangvu.supervision.forms import SupervisionForm
from dangvu.supervision.models import FrontLevel, Supervision

RECORD = Capability.SUPERVISION


def _anyone_who_reads(request: AuthedRequest) -> bool:
    scope = scope_for(request.user)
    return scope.can(RECORD) or scope.can(Capability.VIEW_REPORTS)


@require_GET
def supervision_list(request: AuthedRequest) -> HttpResponse:
    if not _anyone_who_reads(request):
        raise Http404("Không có quyền.")
    level = request.GET.get("cap", "")
    level = level if level in FrontLevel.values else ""
    pending = bool(request.GET.get("cho_ket_qua") or request.GET.get("cho-ket-qua"))
    query = request.GET.get("q", "").strip()
    items = selectors.supervisions_visible(
        user=request.user, query=query, level=level, pending=pending
    )
    page = Paginator(items, 50).get_page(page_number(request))
    return render(
        request,
        "supervision/list.html",
        {
            "page": page,
            "levels": FrontLevel.choices,
            "level": level,
            "pending": pending,
            "q": query,
            "can_record": scope_for(request.user).can(RECORD),
        },
    )


def _spec(request: AuthedRequest, data: dict[str, Any]) -> services.SupervisionSpec:
    unit = scope_for(request.user).writable_unit(RECORD, data["unit_code"])
    return services.SupervisionSpec(
        code=data["code"],
        held_on=data["held_on"],
        level=data["level"],
        organisation=data["organisation"],
        unit=unit,
        subject=data["subject"],
        findings=data["findings"],
        recommendations=data["recommendations"],
        follow_up=data["follow_up"],
        followed_up_on=data["followed_up_on"],
    )


def _save(request: AuthedRequest, existing: Supervision | None) -> HttpResponse:
    initial = None
    if existing is not None:
        initial = {
            "code": existing.code,
            "held_on": existing.held_on,
            "level": existing.level,
            "organisation": existing.organisation,
            "unit_code": existing.unit.code,
            "subject": existing.subject,
            "findings": existing.findings,
            "recommendations": existing.recommendations,
            "follow_up": existing.follow_up,
            "followed_up_on": existing.followed_up_on,
        }
    form = SupervisionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.supervision_save(
                spec=_spec(request, form.cleaned_data), actor=request.user, existing=existing
            )
            messages.success(request, f"Đã lưu cuộc giám sát {saved.code}.")
            return redirect("supervision:list")
        except DomainError as error:
            form.add_error(None, error.message)
    return render(request, "supervision/form.html", {"form": form, "existing": existing})


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def supervision_create(request: AuthedRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def supervision_edit(request: AuthedRequest, supervision_id: int) -> HttpResponse:
    found = selectors.supervision_or_404(
        user=request.user, supervision_id=supervision_id, cap=RECORD
    )
    return _save(request, found)
