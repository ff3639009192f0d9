"""Pages of awards: the decisions in reach, one decision with its recipients, recording,
correcting and deleting one."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.scope import scope_for, today
from dangvu.awards import selectors, services, xlsx
from dangvu.awards.models import AwardDecision, AwardForm, Issuer, RecipientKind, Theme
from dangvu.awards.selectors import VIEW, WRITE
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, page_number
from dangvu.indicators.selectors import programmes_latest_first
from dangvu.units.selectors import unit_picked

#: The recipient boxes of the form: field name, kind, help.
BOXES = [
    ("to_chuc", RecipientKind.PARTY_ORG, "mỗi dòng một mã đơn vị"),
    ("dang_vien", RecipientKind.MEMBER, "mỗi dòng một số thẻ đảng viên"),
    ("tap_the", RecipientKind.COLLECTIVE, "mỗi dòng: tên tập thể; mã tổ chức đảng"),
    ("ca_nhan", RecipientKind.PERSON, "mỗi dòng: họ và tên; mã tổ chức đảng"),
]


def _filtered(request: AuthedRequest) -> tuple[QuerySet[AwardDecision], str, str]:
    items = selectors.decisions_visible(request.user)
    theme = request.GET.get("noi_dung") or request.GET.get("noi-dung", "")
    if theme in Theme.values:
        items = items.filter(theme=theme)
    year = request.GET.get("nam", "").strip()
    if re.fullmatch(r"[0-9]{4}", year) and int(year) >= 1930:
        items = items.filter(issued_on__year=int(year))
    else:
        year = ""
    return items, theme, year


@require_GET
@requires(VIEW)
def decision_list(request: AuthedRequest) -> HttpResponse:
    items, theme, year = _filtered(request)
    page = Paginator(items.order_by("-issued_on", "-pk"), 50).get_page(page_number(request))
    return render(
        request,
        "awards/list.html",
        {
            "page": page,
            "themes": Theme.choices,
            "theme": theme,
            "year": year,
            "can_write": scope_for(request.user).can(WRITE),
        },
    )


@require_GET
@requires(VIEW)
def decision_xlsx(request: AuthedRequest) -> HttpResponse:
    """The decisions of the list (with its filters), one row per recipient."""
    items, _, _ = _filtered(request)
    response = HttpResponse(
        xlsx.workbook(selectors.recipient_lines(request.user, items)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="khen-thuong.xlsx"'
    return response


def _visible(request: AuthedRequest, decision_id: int) -> AwardDecision:
    found = selectors.decisions_visible(request.user).filter(pk=decision_id).first()
    if found is None:
        raise Http404("Không tìm thấy quyết định khen thưởng.")
    return found


@require_GET
@requires(VIEW)
def decision_detail(request: AuthedRequest, decision_id: int) -> HttpResponse:
    decision = _visible(request, decision_id)
    lines = selectors.recipient_lines(
        request.user, selectors.decisions_visible(request.user).filter(pk=decision.pk)
    )
    writable = selectors.decisions_writable(request.user).filter(pk=decision.pk).exists()
    return render(
        request,
        "awards/detail.html",
        {
            "d": decision,
            "unit_name": getattr(decision.unit.version_on(decision.issued_on), "name", ""),
            "lines": lines,
            "recipients": sum(line.count for line in lines),
            "can_write": writable,
        },
    )


def _form(request: AuthedRequest, existing: AwardDecision | None) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        try:
            # The unit picker sends a code; without its script, a code or a name as typed.
            picked = unit_picked(
                user=request.user, text=post.get("don_vi", ""), day=today(), cap=WRITE
            )
            unit = scope_for(request.user).writable_unit(WRITE, picked.code, "Cấp ủy")
            issued = form_day(post.get("ngay", ""), "Ngày quyết định")
            issuer_version = unit.version_on(issued)
            if issuer_version is None:
                raise DomainError(services.UNIT_NOT_STANDING.format(unit=unit.code, day=issued))
            recipients, errors = [], []
            for name, kind, _ in BOXES:
                found, bad = services.recipients_from_lines(
                    kind=kind,
                    text=post.get(name, ""),
                    issued_on=issued,
                    issuer_path=issuer_version.path,
                )
                recipients += found
                errors += bad
            if errors:
                raise DomainError(
                    "Chưa lưu quyết định; sửa các dòng sau rồi gửi lại: " + " ".join(errors)
                )
            programme = None
            if post.get("de_an"):
                programme = programmes_latest_first().filter(code=post.get("de_an", "")).first()
                if programme is None:
                    raise DomainError("Không có đề án đã chọn.")
            saved = services.decision_save(
                spec=services.DecisionSpec(
                    unit=unit,
                    issuer=post.get("cap_khen", ""),
                    number=post.get("so", ""),
                    issued_on=issued,
                    form=post.get("hinh_thuc", ""),
                    theme=post.get("noi_dung", ""),
                    programme=programme,
                    reason=post.get("ly_do", ""),
                    recipients=recipients,
                ),
                actor=request.user,
                existing=existing,
            )
            messages.success(request, f"Đã lưu quyết định khen thưởng số {saved.number}.")
            return redirect("awards:detail", saved.pk)
        except DomainError as error:
            messages.error(request, error.message)
    initial = {}
    if existing is not None and request.method != "POST":
        rows = list(existing.recipients.select_related("unit", "member"))
        for name, kind, _ in BOXES:
            initial[name] = "\n".join(r.line for r in rows if r.kind == kind)
    return render(
        request,
        "awards/form.html",
        {
            "d": existing,
            "issuers": Issuer.choices,
            "forms": AwardForm.choices,
            "themes": Theme.choices,
            "programmes": programmes_latest_first(),
            "boxes": [
                (
                    name,
                    label,
                    help,
                    (request.POST if request.method == "POST" else initial).get(name, ""),
                )
                for name, label, help in _box_labels()
            ],
            "posted": request.POST if request.method == "POST" else None,
        },
    )


def _box_labels() -> list[tuple[str, str, str]]:
    labels = dict(RecipientKind.choices)
    return [(name, labels[kind], help) for name, kind, help in BOXES]


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def decision_create(request: AuthedRequest) -> HttpResponse:
    return _form(request, None)


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def decision_edit(request: AuthedRequest, decision_id: int) -> HttpResponse:
    found = selectors.decisions_writable(request.user).filter(pk=decision_id).first()
    if found is None:
        raise Http404("Không tìm thấy quyết định khen thưởng.")
    return _form(request, found)


@require_POST
@requires(WRITE)
def decision_delete(request: AuthedRequest, decision_id: int) -> HttpResponse:
    found = selectors.decisions_writable(request.user).filter(pk=decision_id).first()
    if found is None:
        raise Http404("Không tìm thấy quyết định khen thưởng.")
    number = found.number
    services.decision_delete(decision=found)
    messages.success(request, f"Đã xóa quyết định khen thưởng số {number}.")
    return redirect("awards:list")
