"""Pages of models: the list in the user's reach, registering and updating one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.scope import scope_for, today
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, form_day_or_none, page_number
from dangvu.practices import selectors, services
from dangvu.practices.models import Field, Practice
from dangvu.practices.selectors import VIEW, WRITE
from dangvu.units.selectors import unit_picked


@require_GET
@requires(VIEW)
def practice_list(request: AuthedRequest) -> HttpResponse:
    field = request.GET.get("linh_vuc") or request.GET.get("linh-vuc", "")
    items = selectors.practices_visible(user=request.user, field=field)
    page = Paginator(items, 50).get_page(page_number(request))
    return render(
        request,
        "practices/list.html",
        {
            "page": page,
            "fields": Field.choices,
            "field": field,
            "can_write": scope_for(request.user).can(WRITE),
        },
    )


def _form(request: AuthedRequest, existing: Practice | None) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        try:
            # The unit picker sends a code; without its script, a code or a name as typed.
            picked = unit_picked(
                user=request.user, text=post.get("don_vi", ""), day=today(), cap=WRITE
            )
            unit = scope_for(request.user).writable_unit(WRITE, picked.code)
            started = form_day(post.get("ngay", ""), "Ngày xây dựng")
            saved = services.practice_save(
                spec=services.PracticeSpec(
                    unit=unit,
                    name=post.get("ten", ""),
                    field=post.get("linh_vuc", Field.HCM),
                    started_on=started,
                    description=post.get("noi_dung", ""),
                    evidence=post.get("minh_chung", ""),
                    recognition=post.get("khen_thuong", ""),
                    recognized_on=form_day_or_none(
                        post.get("ngay_cong_nhan", ""), "Ngày công nhận"
                    ),
                ),
                actor=request.user,
                existing=existing,
            )
            messages.success(request, f"Đã lưu mô hình “{saved.name}”.")
            return redirect("practices:list")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "practices/form.html",
        {
            "p": existing,
            "fields": Field.choices,
            "posted": request.POST if request.method == "POST" else None,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def practice_create(request: AuthedRequest) -> HttpResponse:
    return _form(request, None)


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def practice_edit(request: AuthedRequest, practice_id: int) -> HttpResponse:
    return _form(request, selectors.practice_to_edit(user=request.user, practice_id=practice_id))
