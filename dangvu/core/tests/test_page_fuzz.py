"""Every page of the app, fuzzed: random query strings and form bodies — superscript
digits, numbers of thousands of digits, NaN, the period 0001-01-01..9999-12-31, NUL
characters, formulas, long text — thrown at each URL as a persona who may use it. Whatever
comes, the answer is never a server error.

The fields sent are the ones the code reads (`request.GET/POST` and the forms' fields,
found in the source), so each value reaches a parser. Bounded in time: it runs in every
`make test`, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangvu
import dangvu.core.tests.test_authorization as authz
from dangvu.conftest import World
from dangvu.core.handlers import API_PREFIX

#: Who tries each page first: the widest reach, then the narrower ones.
PERSONAS = ["tochuc", "quantri", "huong", "mattran", "tuyengiao", "hoa", "kbinh", "ybhiong"]
#: What would end the persona's session or is not a page at all.
SKIPPED = {"accounts:logout", "core:healthz"}
READ = re.compile(
    r"""(?:GET|POST|post|params|query)(?:\.get|\.getlist|)[\[(]\s*f?["']([a-z_0-9]+)"""
)
FORM_FIELD = re.compile(r"^\s+([a-z_0-9]+) = forms\.", re.M)


def field_names() -> list[str]:
    """Every query or form field the code reads, found in its source."""
    root = Path(dangvu.__file__).parent
    names: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        names |= set(READ.findall(text)) | set(FORM_FIELD.findall(text))
    # Fields named after a record (co_mat_<member>, diem_<key>, q<question>): some ids.
    names |= {f"{prefix}{n}" for prefix in ("co_mat_", "diem_", "ly_do_", "q") for n in (1, 2)}
    return sorted(names)


NAMES = field_names()
HOSTILE = [
    "",
    " ",
    "²",
    "¹²³",
    "١٢",  # Arabic-Indic digits: int() reads them
    "9" * 30,
    "9" * 5000,
    "-1",
    "0",
    "99999999999999999999",
    "NaN",
    "Infinity",
    "-inf",
    "1e999",
    "1,5",
    "1.000.000,5",
    "0001-01-01..9999-12-31",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "00/00/0000",
    "2019Q9",
    "2019-13",
    "9999",
    "\x00",
    "a\x00b",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "../../etc/passwd",
    "%",
    "\u202e",
    "a" * 3000,
]
VALUE = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.integers().map(str))


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    persona: str | None
    methods: tuple[str, ...]


def targets(world: World) -> list[Target]:
    """Each page once, with an object and a persona its rule lets in (the public pages
    as nobody)."""
    found = []
    for name, _ in authz.app_urls():
        rule = authz.RULES[name]
        if name in SKIPPED:
            continue
        for key, kwargs in authz.objects_for(world, rule.objects):
            url = reverse(name, kwargs=kwargs)
            if url.startswith(API_PREFIX):
                break  # the JSON API: fuzzed from its own document (test_api_fuzz.py)
            persona = next((p for p in PERSONAS if rule.allowed(world, p, key)), None)
            if persona is None and not rule.allowed(world, None, key):
                continue
            methods = tuple(dict.fromkeys(("GET", *rule.methods)))
            found.append(Target(name, url, persona, methods))
            break
    return found


def fields_read(world: World, pages: list[Target]) -> dict[tuple[str, str], list[str]]:
    """Which fields each page reads, by method: one plain request each, with the request's
    QueryDicts noting every key asked for (the view's own reads and its forms')."""
    asked: list[str] = []
    get_item, get_list = MultiValueDict.__getitem__, MultiValueDict._getlist
    contains = MultiValueDict.__contains__

    def noting_item(self: QueryDict, key: str) -> object:
        asked.append(key)
        return get_item(self, key)

    def noting_list(self: QueryDict, key: str, *args: object, **kwargs: object) -> object:
        asked.append(key)
        return get_list(self, key, *args, **kwargs)

    def noting_contains(self: QueryDict, key: object) -> bool:
        asked.append(str(key))
        return contains(self, key)

    read: dict[tuple[str, str], list[str]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QueryDict, "__getitem__", noting_item)
        patch.setattr(QueryDict, "_getlist", noting_list)
        patch.setattr(QueryDict, "__contains__", noting_contains)
        for page in pages:
            for method in page.methods:
                asked.clear()
                client = world.client(page.persona)
                # Something to send: `Form(request.POST or None)` reads nothing of an empty body.
                client.get(page.url) if method == "GET" else client.post(page.url, {"_": "1"})
                read[(page.url, method)] = sorted(set(asked) - {"_"})
    return read


#: Tried on a page that reads no field of its own.
COMMON = ["ngay", "trang", "nam", "ky", "q", "ma", "loai", "don_vi"]
#: What broke a parser before (int() of "²", Decimal's NaN, PostgreSQL's refusal of NUL,
#: ids beyond the key, the period of ten thousand years, int()'s digit limit). A field
#: takes every other one in the sweep, alternately: each half breaks numbers, text, dates.
SWEEP = ["²", "NaN", "a\x00b", "99999999999999999999", "0001-01-01..9999-12-31", "9" * 5000]
HALF = len(SWEEP) // 2


FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _send(client: Client, method: str, url: str, params: dict[str, object]) -> str | None:
    """What went wrong with the request, or None."""
    try:
        response = client.get(url, params) if method == "GET" else client.post(url, params)
    except Exception as error:  # the test client re-raises the view's exception
        return f"{method} {url} {_short(params)}: {error!r}"[:300]
    if response.status_code >= 500:
        return f"{method} {url} {_short(params)}: {response.status_code}"
    return None


def _short(params: dict[str, object]) -> dict[str, str]:
    return {k: repr(v)[:24] for k, v in params.items()}


@pytest.mark.django_db
def test_it_never_answers_a_server_error_whatever_a_page_is_sent(world: World) -> None:
    pages = targets(world)
    assert len(pages) > 100  # every page of the app, not a handful
    read = fields_read(world, pages)
    clients = {p: world.client(p) for p in {t.persona for t in pages}}

    # The sweep: each page by each of its methods, each field it reads alone (another
    # field's refusal cannot hide it) with half of the values, then all of them at once;
    # a page that reads no field gets the common ones at once.
    failures = []
    field = 0
    for page in pages:
        client = clients[page.persona]
        for method in page.methods:
            names = read[(page.url, method)]
            requests = [dict.fromkeys(names or COMMON, SWEEP[field % len(SWEEP)])]
            for name in names:
                half = SWEEP[HALF:] if field % 2 else SWEEP[:HALF]
                requests += [{name: value} for value in half]
                field += 1
            for params in requests:
                if failure := _send(client, method, page.url, params):
                    failures.append(failure)
    assert failures == [], "\n".join(failures)

    # Then at random: a page, a method, some of its fields (or others) and any values —
    # hostile ones, random text or numbers, one value or several.
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        page = data.draw(st.sampled_from(pages), label="page")
        method = data.draw(st.sampled_from(page.methods), label="method")
        names = st.one_of(
            st.sampled_from(read[(page.url, method)] or COMMON), st.sampled_from(NAMES)
        )
        params = data.draw(
            st.dictionaries(
                names, st.one_of(VALUE, st.lists(VALUE, min_size=1, max_size=3)), max_size=4
            ),
            label="params",
        )
        assert _send(clients[page.persona], method, page.url, params) is None

    run()
