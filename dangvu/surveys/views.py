"""Pages of implementation surveys: the rounds in reach, recording one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.scope import scope_for, today
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day
from dangvu.indicators.selectors import latest_programme
from dangvu.surveys import selectors, services
from dangvu.surveys.selectors import VIEW, WRITE
from dangvu.units.selectors import unit_picked


@require_GET
@requires(VIEW)
def survey_list(request: AuthedRequest) -> HttpResponse:
    rounds = selectors.surveys_visible(user=request.user)
    return render(
        request,
        "surveys/list.html",
        {"rounds": rounds, "can_write": scope_for(request.user).can(WRITE)},
    )


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def survey_create(request: AuthedRequest) -> HttpResponse:
    programme = latest_programme()
    if request.method == "POST":
        post = request.POST
        try:
            scope = scope_for(request.user)
            # The unit picker sends a code; without its script, a code or a name as typed.
            picked = unit_picked(
                user=request.user, text=post.get("don_vi", ""), day=today(), cap=WRITE
            )
            unit = scope.unit_typed(picked.code, cap=WRITE, what="Cấp ủy tiến hành")
            targets = scope.units_typed(post.get("doi_tuong", ""))
            symbol = post.get("ket_luan", "").strip()
            conclusion = services.document_by_symbol(symbol) if symbol else None
            services.survey_record(
                programme=programme,
                unit=unit,
                title=post.get("ten", ""),
                started_on=form_day(post.get("tu_ngay", ""), "Ngày bắt đầu"),
                ended_on=form_day(post.get("den_ngay", ""), "Ngày kết thúc"),
                targets=targets,
                findings=post.get("ket_qua", ""),
                conclusion=conclusion,
                actor=request.user,
            )
            messages.success(request, "Đã ghi đợt khảo sát.")
            return redirect("surveys:list")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request, "surveys/form.html", {"posted": request.POST if request.method == "POST" else None}
    )
