"""Accounts, roles and the audit trail. Thin: parse, call, render. (Signing in, passwords
and two-factor sign-in: views_signin.)"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts import grants, selectors, services
from dangvu.accounts.decorators import admin_only, requires, requires_any
from dangvu.accounts.forms import AccountForm, GrantConfirmForm, RoleForm
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.models import Department
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import page_number
from dangvu.lib.dates import parse_date


@require_GET
def own_record(request: AuthedRequest) -> HttpResponse:
    member = request.user.member
    if member is None:
        raise Http404("Tài khoản chưa gắn với đảng viên.")
    return redirect("members:detail", card_number=member.card_number)


# -- accounts and roles: who may give whom which access is `accounts/grants.py`'s ---------
# Account managers (organisation) and holders of a guarded department (who grant it).
ACCOUNT_PAGES = (Capability.MANAGE_ACCOUNTS, Capability.DISCIPLINE)


@require_GET
@requires_any(*ACCOUNT_PAGES)
def account_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    accounts = selectors.accounts_visible(actor=request.user, query=query)
    page = Paginator(accounts, 50).get_page(page_number(request))
    context = {
        "page": page,
        "q": query,
        "may_create": scope_for(request.user).can(Capability.MANAGE_ACCOUNTS),
        "reviews_grants": selectors.may_review_grants(actor=request.user),
    }
    return render(request, "accounts/list.html", context)


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_ACCOUNTS)
def account_create_view(request: AuthedRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, departments=grants.grantable_departments(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = None
            if data["member_card"]:
                member = scope_for(request.user).get_member(
                    Capability.MANAGE_MEMBERS, data["member_card"].strip()
                )
            account, grant = services.account_create_with_role(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                member=member,
                unit=scope_for(request.user).unit_typed(data["unit_code"]),
                department=data["department"],
                title=data["title"],
                valid_from=data["valid_from"],
                actor=request.user,
            )
        except (DomainError, Http404) as error:
            form.add_error(None, getattr(error, "message", "Không tìm thấy đảng viên."))
        else:
            messages.success(request, f"Đã tạo tài khoản {account.username}.")
            if grant.message != services.GRANTED:
                messages.info(request, grant.message)
            return redirect("accounts:detail", user_id=account.pk)
    return render(request, "accounts/create.html", {"form": form})


@require_GET
@requires_any(*ACCOUNT_PAGES)
def account_detail(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = selectors.account_for(actor=request.user, user_id=user_id)
    handover = selectors.grant_hands_over(actor=request.user, account=account)
    context = {
        "account": account,
        "roles": selectors.role_summaries(user=account, actor=request.user),
        "requests": selectors.account_requests(account=account),
        "form": RoleForm(departments=grants.grantable_departments(request.user), handover=handover),
        "handover": handover,
        "self": account.pk == request.user.pk,
    }
    return render(request, "accounts/detail.html", context)


@require_POST
@requires_any(*ACCOUNT_PAGES)
def role_grant_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = selectors.account_for(actor=request.user, user_id=user_id)
    form = RoleForm(request.POST, handover=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.role_grant(
                user=account,
                unit=scope_for(request.user).unit_typed(data["unit_code"]),
                department=data["department"],
                title=data["title"],
                valid_from=data["valid_from"],
                actor=request.user,
                handover_password=data.get("handover_password") or "",
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, grant.message)
            if grant.handed_over:
                messages.warning(request, services.HANDED_OVER.format(username=account.username))
    else:
        messages.error(request, "Thông tin vai trò chưa hợp lệ.")
    return redirect("accounts:detail", user_id=account.pk)


@require_POST
@requires_any(*ACCOUNT_PAGES)
def role_revoke_view(request: AuthedRequest, user_id: int, role_id: int) -> HttpResponse:
    account = selectors.account_for(actor=request.user, user_id=user_id)
    role = selectors.role_for(actor=request.user, account=account, role_id=role_id)
    try:
        services.role_revoke(role=role, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã thu hồi vai trò.")
    return redirect("accounts:detail", user_id=account.pk)


@require_GET
def grant_review(request: AuthedRequest) -> HttpResponse:
    """Pending grants of inspection and leadership, and those made without confirmation."""
    review = selectors.grant_review(actor=request.user)
    return render(request, "accounts/grants.html", {"review": review})


@require_http_methods(["GET", "POST"])
def grant_confirm(request: AuthedRequest, request_id: int) -> HttpResponse:
    """What confirming will do (the account handed over, when due), then the confirmation."""
    pending = selectors.grant_request_for(actor=request.user, request_id=request_id)
    handover = grants.handover_due(pending.user)
    form = GrantConfirmForm(request.POST if request.method == "POST" else None, handover=handover)
    if request.method == "POST" and form.is_valid():
        was_granted = pending.role_id is not None
        try:
            result = services.grant_request_confirm(
                request=pending,
                actor=request.user,
                handover_password=form.cleaned_data.get("handover_password") or "",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, services.UNCONFIRMED_KEPT if was_granted else services.CONFIRMED
            )
            if result.handed_over:
                messages.warning(
                    request, services.HANDED_OVER.format(username=pending.user.username)
                )
            return redirect("accounts:grants")
    context = {
        "q": pending,
        "form": form,
        "handover": handover,
        "account": selectors.grant_account_facts(account=pending.user),
    }
    return render(request, "accounts/grant_confirm.html", context)


@require_POST
def grant_decline(request: AuthedRequest, request_id: int) -> HttpResponse:
    pending = selectors.grant_request_for(actor=request.user, request_id=request_id)
    was_granted = pending.role_id is not None
    try:
        services.grant_request_decline(request=pending, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, services.UNCONFIRMED_ENDED if was_granted else services.DECLINED)
    return redirect("accounts:grants")


@require_GET
@admin_only
def audit_log(request: AuthedRequest) -> HttpResponse:
    since = None
    if request.GET.get("tu"):
        try:
            since = parse_date(request.GET["tu"])
        except ValueError:
            messages.warning(request, "Ngày không hợp lệ.")
    entries = selectors.audit_entries(
        actor=request.user,
        model=request.GET.get("loai", ""),
        object_pk=request.GET.get("ma", ""),
        user_id=request.GET.get("nguoi", ""),
        since=since,
    )
    page = Paginator(entries, 50).get_page(page_number(request))
    models = [
        ("member", "Đảng viên"),
        ("membership", "Quá trình sinh hoạt"),
        ("unit", "Đơn vị"),
        ("unitversion", "Phiên bản đơn vị"),
        ("user", "Tài khoản"),
        ("role", "Vai trò"),
        ("grantrequest", "Đề nghị cấp quyền"),
        ("grantevent", "Nhật ký cấp quyền"),
    ]
    return render(
        request,
        "accounts/audit.html",
        {"page": page, "models": models, "departments": Department.choices},
    )
