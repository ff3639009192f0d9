"""Member search, records and changes. Thin: parse, call, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest, requested_day
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.errors import DomainError
from dangvu.members import selectors, services
from dangvu.members.forms import LeaveForm, MemberForm, NewMemberForm, TransferForm
from dangvu.members.models import Member
from dangvu.members.sections import filled_sections

NOT_MANAGED_ON_START = "Bạn không quản lý chi bộ này vào ngày bắt đầu sinh hoạt."
NOT_MANAGED_ON_DAY = "Bạn không quản lý chi bộ của đảng viên vào ngày này."


@require_GET
@requires(Capability.VIEW_MEMBERS)
def search(request: AuthedRequest) -> HttpResponse:
    day = requested_day(request)
    query = request.GET.get("q", "")
    include_former = request.GET.get("ca_cu") == "1"
    results = list(
        selectors.member_search(
            user=request.user,
            query=query,
            day=day,
            include_former=include_former,
        )[: selectors.SEARCH_LIMIT + 1]
    )
    context = {
        "q": query,
        "day": day,
        "include_former": include_former,
        "results": results[: selectors.SEARCH_LIMIT],
        "truncated": len(results) > selectors.SEARCH_LIMIT,
    }
    template = "members/_results.html" if request.htmx else "members/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _member(request: AuthedRequest, card_number: str, cap: Capability) -> Member:
    return scope_for(request.user).get_member(cap, card_number)


@require_GET
def detail(request: AuthedRequest, card_number: str) -> HttpResponse:
    member, rows = selectors.member_record(user=request.user, card_number=card_number)
    day = today()
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "rows": rows,
            "current": selectors.visible_current_cell(
                user=request.user, member=member, rows=rows, day=day
            ),
            "can_manage": selectors.can_manage(user=request.user, member=member, day=day),
            "is_self": request.user.member_id == member.pk,
            "sections": filled_sections(user=request.user, member=member),
        },
    )


def _require_managed_on(request: AuthedRequest, member: Member, day: date) -> None:
    """A change dated `day` (a transfer, a leaving): the user manages, today, the cell the
    member stood in on that day, as it stood then."""
    found = selectors.current_cell(member, day)
    if found is not None and not selectors.manages_cell_on(
        user=request.user, cell=found[0].unit, day=day
    ):
        raise DomainError(NOT_MANAGED_ON_DAY)


def _managed(request: AuthedRequest, card_number: str) -> Member:
    member = _member(request, card_number, Capability.MANAGE_MEMBERS)
    if not selectors.can_manage(user=request.user, member=member, day=today()):
        raise Http404()
    return member


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def edit(request: AuthedRequest, card_number: str) -> HttpResponse:
    member = _managed(request, card_number)
    initial = {f: getattr(member, f) for f in MemberForm.base_fields}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã cập nhật thông tin đảng viên.")
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": "Sửa thông tin đảng viên"},
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def create(request: AuthedRequest, cell_code: str) -> HttpResponse:
    cell = selectors.managed_cell_or_404(user=request.user, code=cell_code)
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data.pop("active_from") or data["joined_on"]
        try:
            if not selectors.manages_cell_on(user=request.user, cell=cell, day=start):
                raise DomainError(NOT_MANAGED_ON_START)
            member = services.member_create(
                cell=cell, active_from=start, actor=request.user, **data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã thêm đảng viên.")
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request, "members/form.html", {"form": form, "cell": cell, "title": "Thêm đảng viên"}
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def transfer(request: AuthedRequest, card_number: str) -> HttpResponse:
    member = _managed(request, card_number)
    form = TransferForm(
        request.POST or None, initial={"effective_on": requested_day(request)}, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _require_managed_on(request, member, data["effective_on"])
            services.member_transfer(
                member=member,
                to_cell=scope_for(request.user).unit_typed(data["to_cell_code"]),
                effective_on=data["effective_on"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã chuyển sinh hoạt.")
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": "Chuyển sinh hoạt đảng"},
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def leave(request: AuthedRequest, card_number: str) -> HttpResponse:
    member = _managed(request, card_number)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _require_managed_on(request, member, form.cleaned_data["left_on"])
            services.member_leave(
                member=member, left_on=form.cleaned_data["left_on"], actor=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã ghi nhận ra khỏi Đảng.")
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": "Ghi nhận ra khỏi Đảng"},
    )
