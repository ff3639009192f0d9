"""Test personas and a small world of Đắk Nông units, shared by the whole suite.

The world (built through the services, as users would) on 01/01/2020:

    DN  Đảng bộ tỉnh Đắk Nông
    ├── DN.CUJUT  Huyện ủy Cư Jút
    │   └── DN.CUJUT.EATLING  Đảng bộ thị trấn Ea T'Ling
    │       ├── DN.CUJUT.EATLING.TDP1  Chi bộ Tổ dân phố 1   Hoà (secretary), Y Bhiông (member),
    │       │                                                   Đặng Văn Bình, Trần Văn An
    │       └── DN.CUJUT.EATLING.TDP2  Chi bộ Tổ dân phố 2   Lê Thị Ánh
    ├── DN.DAKMIL  Huyện ủy Đắk Mil
    │   ├── DN.DAKMIL.UBKT  Chi bộ Cơ quan Ủy ban Kiểm tra   Đặng Thị Thu Hương (inspector)
    │   └── DN.DAKMIL.DUCMINH  Đảng bộ xã Đức Minh
    │       └── DN.DAKMIL.DUCMINH.T1  Chi bộ Thôn 1          Phạm Văn Cường
    └── DN.TUYDUC  Huyện ủy Tuy Đức
        └── DN.TUYDUC.QUANGTRUC  Đảng bộ xã Quảng Trực
            └── DN.TUYDUC.QUANGTRUC.BP  Chi bộ Bon Bu Prăng  Điểu K'Bình (stranger), H'Bia Niê

Accounts (password "mat-khau-thu-nghiem"): hoa (secretary of TDP1), ybhiong (member of TDP1),
huong (inspection, Huyện ủy Đắk Mil), kbinh (secretary in Tuy Đức: the stranger),
tochuc (organisation, province), tuyengiao (propaganda, province), mattran (Front,
province), quantri (administrator), and tuyduc.cu: the organisation officer of Huyện ủy Tuy
Đức until the 2025 reorganisation, whose role ended on 01/07/2025 (a role that has ended
reads and writes nothing).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import django.test.client
import django.test.testcases
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.core.handlers import (
    TOKEN_MIDDLEWARE,
    ApiHandler,
    ApiMiddlewareMixin,
    TokenHandler,
    stack_of,
)
from dangvu.members.models import Gender, Member
from dangvu.members.services import member_create
from dangvu.units.models import Unit, UnitKind
from dangvu.units.services import unit_create

PASSWORD = "mat-khau-thu-nghiem"
FOUNDED = date(2004, 1, 1)
ROLES_FROM = date(2018, 1, 1)
#: The day the ended persona's role ended (the 2025 reorganisation of districts).
ROLES_ENDED = date(2025, 7, 1)


class _ApiClientHandler(ApiMiddlewareMixin, django.test.client.ClientHandler):
    pass


class _TokenClientHandler(ApiMiddlewareMixin, django.test.client.ClientHandler):
    stack = TOKEN_MIDDLEWARE


class _DispatchingClientHandler(django.test.client.ClientHandler):
    """The test client's handler, dispatching like `dangvu.wsgi.application`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stacks: dict[str, django.test.client.ClientHandler] = {
            "api": _ApiClientHandler(*args, **kwargs),
            "token": _TokenClientHandler(*args, **kwargs),
        }

    def __call__(self, environ: dict[str, Any]) -> Any:
        stack = self.stacks.get(stack_of(environ))
        return stack(environ) if stack else super().__call__(environ)


class _DispatchingHandler(WSGIHandler):
    """The live test server's handler (browser tests), dispatching the same way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stacks: dict[str, WSGIHandler] = {"api": ApiHandler(), "token": TokenHandler()}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        stack = self.stacks.get(stack_of(environ))
        return (
            stack(environ, start_response) if stack else super().__call__(environ, start_response)
        )


# Every Client() and live_server of the suite serves the API through its own middleware
# stack, as production does (dangvu.core.handlers).
django.test.client.ClientHandler = _DispatchingClientHandler  # type: ignore[misc]
django.test.testcases.WSGIHandler = _DispatchingHandler  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    """Argon2 is the production hasher (tested on its own); tests hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with an empty cache (figures kept by one test's rows, whose keys
    a rolled-back database may give again, are not another's). The cache is the database's
    (settings.CACHES): what a test keeps goes with its rolled-back transaction, so only the
    tests that commit (transactional_db, the live server) empty it, before and after."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" not in request.fixturenames and not (
        marker is not None and marker.kwargs.get("transaction")
    ):
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("transactional_db")
    cache.clear()
    yield
    cache.clear()


#: The apps whose services write the records the tallies count (or the paths they are
#: placed by): their tests keep tallies from the start and check them at the end.
TALLY_WRITERS = (
    "meetings",
    "reviews",
    "units",
    "exchange",
    "members",
    "indicators",
    "study",
    "inspection",
    "supervision",
)


@pytest.fixture(autouse=True)
def _tallies_in_step(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the tests of the apps that write tallied records, the tallies are built before
    the test's records are written (so every service call of the test must keep them) and
    compared with the records afterwards: whatever a test does through the services,
    imports and reorganisations included, leaves them equal to a rebuild."""
    path = str(request.node.path)
    if (
        "db" not in request.fixturenames
        or "transactional_db" in request.fixturenames
        or not any(f"/dangvu/{app}/tests/" in path for app in TALLY_WRITERS)
        or request.node.get_closest_marker("no_tallies")
    ):
        yield
        return
    from dangvu.indicators import services_tallies as tallies

    request.getfixturevalue("db")
    tallies.rebuild()
    yield
    assert tallies.differences() == [], "the tallies are not in step with the records"


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def client(self, username: str | None) -> Client:
        client = Client()
        if username is not None:
            client.force_login(self.users[username])
        return client


def _unit(world: World, code: str, name: str, kind: str, parent: str | None) -> Unit:
    unit = unit_create(
        code=code,
        name=name,
        kind=kind,
        parent=world.units[parent] if parent else None,
        valid_from=FOUNDED,
    )
    world.units[code] = unit
    return unit


def _member(
    world: World,
    key: str,
    card: str,
    name: str,
    cell: str,
    *,
    female: bool,
    born: date = date(1980, 5, 17),
    joined: date = date(2005, 3, 3),
) -> Member:
    member = member_create(
        card_number=card,
        full_name=name,
        birth_date=born,
        gender=Gender.FEMALE if female else Gender.MALE,
        joined_on=joined,
        full_member_on=date(joined.year + 1, joined.month, joined.day),
        cell=world.units[cell],
        active_from=max(joined, FOUNDED),
    )
    world.members[key] = member
    return member


def _user(
    world: World,
    username: str,
    *,
    member: str | None = None,
    admin: bool = False,
    roles: tuple[tuple[str, str], ...] = (),
    until: date | None = None,
) -> User:
    user = account_create(
        username=username,
        password=PASSWORD,
        full_name=username.title(),
        member=world.members[member] if member else None,
        is_admin=admin,
        check_password=False,
    )
    for unit, department in roles:
        role_grant(
            user=user,
            unit=world.units[unit],
            department=department,
            valid_from=ROLES_FROM,
            valid_to=until,
        )
    world.users[username] = user
    return user


def build_world() -> World:
    w = World()
    _unit(w, "DN", "Đảng bộ tỉnh Đắk Nông", UnitKind.PROVINCE, None)
    _unit(w, "DN.CUJUT", "Huyện ủy Cư Jút", UnitKind.DIRECT, "DN")
    _unit(
        w,
        "DN.CUJUT.EATLING",
        "Đảng bộ thị trấn Ea T'Ling",
        UnitKind.GRASSROOTS_COMMITTEE,
        "DN.CUJUT",
    )
    _unit(w, "DN.CUJUT.EATLING.TDP1", "Chi bộ Tổ dân phố 1", UnitKind.CELL, "DN.CUJUT.EATLING")
    _unit(w, "DN.CUJUT.EATLING.TDP2", "Chi bộ Tổ dân phố 2", UnitKind.CELL, "DN.CUJUT.EATLING")
    _unit(w, "DN.DAKMIL", "Huyện ủy Đắk Mil", UnitKind.DIRECT, "DN")
    _unit(
        w, "DN.DAKMIL.UBKT", "Chi bộ Cơ quan Ủy ban Kiểm tra", UnitKind.GRASSROOTS_CELL, "DN.DAKMIL"
    )
    _unit(w, "DN.DAKMIL.DUCMINH", "Đảng bộ xã Đức Minh", UnitKind.GRASSROOTS_COMMITTEE, "DN.DAKMIL")
    _unit(w, "DN.DAKMIL.DUCMINH.T1", "Chi bộ Thôn 1", UnitKind.CELL, "DN.DAKMIL.DUCMINH")
    _unit(w, "DN.TUYDUC", "Huyện ủy Tuy Đức", UnitKind.DIRECT, "DN")
    _unit(
        w,
        "DN.TUYDUC.QUANGTRUC",
        "Đảng bộ xã Quảng Trực",
        UnitKind.GRASSROOTS_COMMITTEE,
        "DN.TUYDUC",
    )
    _unit(w, "DN.TUYDUC.QUANGTRUC.BP", "Chi bộ Bon Bu Prăng", UnitKind.CELL, "DN.TUYDUC.QUANGTRUC")
    tdp1 = "DN.CUJUT.EATLING.TDP1"
    _member(w, "hoa", "67000001", "Nguyễn Thị Hoà", tdp1, female=True)
    _member(w, "ybhiong", "67000002", "Y Bhiông Niê", tdp1, female=False, born=date(1988, 4, 2))
    _member(w, "binh", "67000003", "Đặng Văn Bình", tdp1, female=False)
    _member(w, "an", "67000004", "Trần Văn An", tdp1, female=False, joined=date(2019, 6, 1))
    _member(w, "anh", "67000005", "Lê Thị Ánh", "DN.CUJUT.EATLING.TDP2", female=True)
    _member(w, "huong", "67000006", "Đặng Thị Thu Hương", "DN.DAKMIL.UBKT", female=True)
    _member(w, "cuong", "67000007", "Phạm Văn Cường", "DN.DAKMIL.DUCMINH.T1", female=False)
    _member(w, "kbinh", "67000008", "Điểu K'Bình", "DN.TUYDUC.QUANGTRUC.BP", female=False)
    _member(w, "hbia", "67000009", "H'Bia Niê", "DN.TUYDUC.QUANGTRUC.BP", female=True)
    _user(w, "hoa", member="hoa", roles=((tdp1, Department.SECRETARY),))
    _user(w, "ybhiong", member="ybhiong", roles=((tdp1, Department.MEMBER),))
    _user(w, "huong", member="huong", roles=(("DN.DAKMIL", Department.INSPECTION),))
    _user(w, "kbinh", member="kbinh", roles=(("DN.TUYDUC.QUANGTRUC.BP", Department.SECRETARY),))
    _user(w, "tochuc", roles=(("DN", Department.ORGANISATION),))
    _user(w, "tuyengiao", roles=(("DN", Department.PROPAGANDA),))
    _user(w, "mattran", roles=(("DN", Department.FRONT),))
    _user(w, "quantri", admin=True)
    _user(w, "tuyduc.cu", roles=(("DN.TUYDUC", Department.ORGANISATION),), until=ROLES_ENDED)
    return w


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# -- browser tests: Debian's Chromium, driven by Playwright ------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The world, committed, for tests whose browser talks to the live server."""
    return build_world()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by
    # the test itself are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        violations = _watch_csp(chromium)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert violations == [], f"the pages broke their Content-Security-Policy: {violations}"


def _watch_csp(chromium: Any) -> list[str]:
    """Collect every Content-Security-Policy violation Chromium reports on any page the
    test opens: each browser test is also a test that its pages need nothing inline."""
    violations: list[str] = []

    def watch(page: Any) -> Any:
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    new_page, new_context = chromium.new_page, chromium.new_context

    def context_with_watch(*args: Any, **kwargs: Any) -> Any:
        context = new_context(*args, **kwargs)
        context.on("page", watch)
        return context

    chromium.new_page = lambda *args, **kwargs: watch(new_page(*args, **kwargs))
    chromium.new_context = context_with_watch
    return violations


# -- phones: the cell secretary's 360 × 740 Android, axe-core, a weak signal ------------------
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
AXE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "node_modules/axe-core/axe.min.js")
TOUCH_TARGET = 44  # px, the smallest thing a finger should have to hit


def login_as(page: Any, base: str, username: str) -> None:
    """Sign in through the sign-in page and land on home."""
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page in a 360 × 740 touch-screen browser context, as on a cheap Android phone."""
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def phone_problems(page: Any, min_field_width: int = 120) -> list[str]:
    """What makes the page on screen hard to use on a phone: sideways scrolling, a visible
    text field or drop-down narrower than ``min_field_width`` px, and buttons, fields and
    check boxes (with their label) a finger cannot hit (< 44 px high). Empty when it fits."""
    return page.evaluate(
        """([minWidth, target]) => {
          const problems = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > window.innerWidth + 1)
            problems.push(`page scrolls sideways: ${doc.scrollWidth}px wide in ${window.innerWidth}px`);
          const visible = (el) => {
            const r = el.getBoundingClientRect(), s = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
          };
          const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''} «${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}»`;
          for (const el of document.querySelectorAll('input, select, textarea, button, a.button, summary')) {
            if (!visible(el) || el.type === 'hidden' || el.closest('[data-phone-exempt]')) continue;
            let box = el.getBoundingClientRect();
            if (el.type === 'checkbox' || el.type === 'radio') {
              const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
              if (label) box = label.getBoundingClientRect();
            } else if (['text', 'search', 'email', 'number', 'password', 'tel', 'date', 'month', 'url', 'select-one', 'select-multiple', 'textarea'].includes(el.type) && box.width < minWidth) {
              problems.push(`${name(el)} is ${Math.round(box.width)}px wide`);
            }
            if (box.height < target - 0.5) problems.push(`${name(el)} is ${Math.round(box.height)}px high`);
            if (box.right > window.innerWidth + 1) problems.push(`${name(el)} ends off screen at ${Math.round(box.right)}px`);
          }
          return problems;
        }""",
        [min_field_width, TOUCH_TARGET],
    )


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (test-only, from node_modules) on the page on screen; the violations of
    the given impacts, one line each. Evaluated through the DevTools protocol, so the page's
    Content-Security-Policy stays in force."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        with open(AXE, encoding="utf-8") as source:
            page.evaluate(source.read())
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']}: {v['id']} — {v['help']} at {v['nodes']}"
        for v in results
        if v["impact"] in impacts
    ]


def slow_down(page: Any, kbps: int = 400, latency_ms: int = 400, cpu: int = 4) -> None:
    """A weak signal and a slow phone: Chromium's own network throttling (``kbps`` each way,
    ``latency_ms`` round trip) and CPU slowdown, through the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": kbps * 1000 / 8,
            "uploadThroughput": kbps * 1000 / 8,
        },
    )
    session.send("Emulation.setCPUThrottlingRate", {"rate": cpu})


def compressed_weight(page: Any, url: str) -> int:
    """Bytes of the page's HTML, CSS and script, gzip-compressed (as a production server
    sends them), when ``url`` is opened in ``page``."""
    import gzip

    responses: list[Any] = []

    def keep(response: Any) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("response", keep)
    bodies = [
        r.body()
        for r in responses
        if r.request.resource_type in ("document", "stylesheet", "script") and r.status == 200
    ]
    return sum(len(gzip.compress(body)) for body in bodies)


def shot(page: Any, name: str, full_page: bool = True) -> None:
    """A screenshot of the page for a person to look at, when DANGVU_SHOTS names a folder."""
    folder = os.environ.get("DANGVU_SHOTS", "")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, name), full_page=full_page)
