"""The organisation tree: browse on any day, and reorganise. Thin: parse, call, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest, requested_day
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import UNIT_NOT_WRITABLE_ON, scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import MAX_PAGE, int_or_none, page_number
from dangvu.lib.dates import format_date
from dangvu.members.selectors import subtree_members
from dangvu.units import selectors, services
from dangvu.units.forms import (
    CreateForm,
    DissolveForm,
    MergeForm,
    MoveForm,
    RenameForm,
    SplitForm,
)
from dangvu.units.models import Unit

SPLIT_UNDECLARED = "Có đơn vị trực thuộc hoặc đảng viên được phân về đơn vị mới chưa khai báo."
NOT_IN_SCOPE_ON_DAY = UNIT_NOT_WRITABLE_ON
TITLE_CREATE = "Thành lập đơn vị trực thuộc"
TITLE_RENAME = "Đổi tên, đổi loại đơn vị"
TITLE_MOVE = "Chuyển sang cấp trên khác"
TITLE_MERGE = "Sáp nhập đơn vị khác vào đơn vị này"
TITLE_SPLIT = "Chia tách đơn vị"
TITLE_DISSOLVE = "Giải thể đơn vị"


@require_GET
@requires(Capability.VIEW_UNITS)
def tree(request: AuthedRequest) -> HttpResponse:
    day = requested_day(request)
    found = selectors.tree(user=request.user, day=day, page=page_number(request))
    return render(
        request,
        "units/tree.html",
        {"day": day, "branches": found.branches, "page": found.page},
    )


@require_GET
@requires(Capability.VIEW_UNITS)
def pick(request: AuthedRequest) -> HttpResponse:
    """The unit picker's search: the units in the user's reach whose name matches `q`, as
    a fragment of buttons (`ca_cu=0`: units standing on the day only; `quyen`: the reach
    of that capability, the units a form writes)."""
    day = requested_day(request)
    query = request.GET.get("q", "")[:100]
    try:
        cap = Capability(request.GET.get("quyen", Capability.VIEW_UNITS))
    except ValueError:
        cap = Capability.VIEW_UNITS
    picks = selectors.unit_picks(
        user=request.user,
        query=query,
        day=day,
        cap=cap,
        include_ended=request.GET.get("ca_cu") != "0",
    )
    return render(
        request, "units/_picks.html", {"q": query, "picks": picks.items, "more": picks.more}
    )


@require_GET
@requires(Capability.VIEW_UNITS)
def children(request: AuthedRequest, code: str) -> HttpResponse:
    day = requested_day(request)
    version = selectors.version_or_404(user=request.user, code=code, day=day)
    start = int_or_none(request.GET.get("tu"), low=0, high=MAX_PAGE * selectors.CHILDREN_PAGE) or 0
    found = selectors.children_page(user=request.user, version=version, day=day, start=start)
    return render(
        request,
        "units/_children.html",
        {
            "children": found.children,
            "next_start": found.next_start,
            "parent": version,
            "day": day,
            "more_only": start > 0,
        },
    )


@require_GET
@requires(Capability.VIEW_UNITS)
def detail(request: AuthedRequest, code: str) -> HttpResponse:
    day = requested_day(request)
    page = selectors.unit_page(user=request.user, code=code, day=day)
    scope = scope_for(request.user)
    members = None
    if page.version is not None and scope.can(Capability.VIEW_MEMBERS):
        members = subtree_members(
            user=request.user,
            version=page.version,
            day=day,
            page=page_number(request),
        )
    actions = selectors.unit_actions(user=request.user, page=page, day=day)
    return render(
        request,
        "units/detail.html",
        {
            "page": page,
            "day": day,
            "members": members,
            "can_reorganise": actions.can_reorganise,
            "can_add_member": actions.can_add_member,
            # The code is the staff's (they type and import it); others read the name.
            "show_code": scope.can(Capability.EXCHANGE),
        },
    )


def _target(request: AuthedRequest, code: str) -> Unit:
    return selectors.unit_to_reorganise(user=request.user, code=code)


def _require_on(request: AuthedRequest, unit: Unit, day: date) -> None:
    selectors.require_reorganises_on(user=request.user, unit=unit, day=day)


def _unit_in_scope(request: AuthedRequest, code: str, day: date) -> Unit:
    """A unit typed into the form, written by the user on the effective day."""
    return scope_for(request.user).unit_typed(code, cap=Capability.REORGANISE, day=day)


def _change_page(
    request: HttpRequest, unit: Unit, form: object, title: str, help_text: str
) -> HttpResponse:
    latest = unit.latest_version()
    return render(
        request,
        "units/change.html",
        {"unit": unit, "latest": latest, "form": form, "title": title, "help_text": help_text},
    )


def _ended(request: AuthedRequest, unit: Unit, title: str) -> HttpResponse | None:
    """The page of a reorganisation of a unit that has ended: no form, and why (a POST
    writes nothing)."""
    message = selectors.ended_message(unit)
    if message is None:
        return None
    return render(
        request,
        "units/change.html",
        {"unit": unit, "latest": unit.latest_version(), "title": title, "ended": message},
    )


def _done(request: AuthedRequest, unit: Unit, day: date, message: str) -> HttpResponse:
    messages.success(request, message)
    response = redirect("units:detail", code=unit.code)
    response["Location"] += f"?ngay={format_date(day)}"
    return response


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def create_child(request: AuthedRequest, code: str) -> HttpResponse:
    parent = _target(request, code)
    if (ended := _ended(request, parent, TITLE_CREATE)) is not None:
        return ended
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _require_on(request, parent, data["effective_on"])
            unit = services.unit_create(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                valid_from=data["effective_on"],
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, unit, data["effective_on"], "Đã thành lập đơn vị.")
    return _change_page(
        request,
        parent,
        form,
        TITLE_CREATE,
        "Đơn vị mới trực thuộc đơn vị này từ ngày hiệu lực.",
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def rename(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _target(request, code)
    if (ended := _ended(request, unit, TITLE_RENAME)) is not None:
        return ended
    latest = unit.latest_version()
    form = RenameForm(request.POST or None, initial={"name": latest.name, "kind": latest.kind})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _require_on(request, unit, data["effective_on"])
            services.unit_rename(
                unit=unit,
                name=data["name"],
                kind=data["kind"],
                effective_on=data["effective_on"],
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, unit, data["effective_on"], "Đã đổi tên đơn vị.")
    return _change_page(
        request,
        unit,
        form,
        TITLE_RENAME,
        "Tên cũ vẫn được giữ cho các ngày trước ngày hiệu lực.",
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def move(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _target(request, code)
    if (ended := _ended(request, unit, TITLE_MOVE)) is not None:
        return ended
    form = MoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["effective_on"]
        try:
            _require_on(request, unit, day)
            parent = _unit_in_scope(request, data["parent_code"], day)
            services.unit_move(
                unit=unit,
                new_parent=parent,
                effective_on=day,
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, unit, day, "Đã chuyển đơn vị sang cấp trên mới.")
    return _change_page(
        request,
        unit,
        form,
        TITLE_MOVE,
        "Toàn bộ đơn vị trực thuộc và đảng viên chuyển theo.",
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def merge(request: AuthedRequest, code: str) -> HttpResponse:
    target = _target(request, code)
    if (ended := _ended(request, target, TITLE_MERGE)) is not None:
        return ended
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["effective_on"]
        try:
            _require_on(request, target, day)
            codes = [c for c in (p.strip() for p in data["source_codes"].split(",")) if c]
            sources = [_unit_in_scope(request, c, day) for c in codes]
            services.unit_merge(
                sources=sources,
                target=target,
                effective_on=day,
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, target, day, f"Đã sáp nhập {len(sources)} đơn vị.")
    return _change_page(
        request,
        target,
        form,
        TITLE_MERGE,
        "Đơn vị trực thuộc và đảng viên của các đơn vị bị sáp nhập chuyển về "
        "đơn vị này; các đơn vị đó kết thúc từ ngày hiệu lực và ghi nhận đơn vị kế thừa.",
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def split(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _target(request, code)
    if (ended := _ended(request, unit, TITLE_SPLIT)) is not None:
        return ended
    day_hint = requested_day(request)
    kids, members = selectors.split_choices(user=request.user, unit=unit, day=day_hint)
    form = SplitForm(
        request.POST or None, children=kids, members=members, initial={"effective_on": day_hint}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["effective_on"]
        try:
            _require_on(request, unit, day)
            specs = [services.UnitSpec(code, name, kind) for _, code, name, kind in form.parts()]
            numbers = [number for number, _, _, _ in form.parts()]

            def index(number: int) -> int:
                if number not in numbers:
                    raise DomainError(SPLIT_UNDECLARED)
                return numbers.index(number)

            services.unit_split(
                unit=unit,
                parts=specs,
                children={k: index(v) for k, v in form.assignments("child_").items()},
                members={k: index(v) for k, v in form.assignments("member_").items()},
                effective_on=day,
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, unit, day, "Đã chia tách đơn vị.")
    return _change_page(
        request,
        unit,
        form,
        TITLE_SPLIT,
        f"Danh sách đơn vị trực thuộc và đảng viên theo ngày {format_date(day_hint)}; "
        "mỗi đơn vị, đảng viên được phân về một đơn vị mới.",
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.REORGANISE)
def dissolve(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _target(request, code)
    if (ended := _ended(request, unit, TITLE_DISSOLVE)) is not None:
        return ended
    form = DissolveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["effective_on"]
        try:
            _require_on(request, unit, day)
            successor = (
                _unit_in_scope(request, data["successor_code"], day)
                if data["successor_code"]
                else None
            )
            services.unit_dissolve(
                unit=unit,
                effective_on=day,
                successors=[successor] if successor else [],
                actor=request.user,
                decision=data["decision"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, unit, day, "Đã giải thể đơn vị.")
    return _change_page(
        request,
        unit,
        form,
        TITLE_DISSOLVE,
        "Chỉ giải thể được đơn vị không còn đơn vị trực thuộc và đảng viên. "
        "Lịch sử của đơn vị vẫn được giữ.",
    )
