"""The Content-Security-Policy: every page carries it, and no template needs what it forbids
(inline scripts, inline event handlers, inline styles, eval). Every browser test also fails
on any violation Chromium reports (`dangvu/conftest.py`, `browser`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

import dangvu
from dangvu.conftest import World
from dangvu.core.tests.test_authorization import RULES, app_urls, objects_for

TEMPLATES = sorted(Path(dangvu.__file__).parent.glob("**/templates/**/*.html"))
FORBIDDEN = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "an inline style element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "an htmx handler (eval)": re.compile(r"\shx-on", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_it_finds_the_templates() -> None:
    assert len(TEMPLATES) > 50


def test_it_keeps_scripts_and_styles_out_of_the_templates() -> None:
    found = [
        f"{path.relative_to(Path(dangvu.__file__).parent)}: {what}"
        for path in TEMPLATES
        for what, pattern in FORBIDDEN.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def policy(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def test_it_sends_a_strict_policy_with_the_login_page(client: object) -> None:
    response = client.get(reverse("accounts:login"))  # type: ignore[attr-defined]
    rules = policy(response)
    assert rules["script-src"] == "'self'"
    assert rules["style-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'"
    assert rules["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_it_sends_the_policy_with_every_page(world: World) -> None:
    client = world.client("quantri")
    missing: list[str] = []
    pages = 0
    for name, _ in app_urls():
        if name.startswith("api:"):
            continue  # JSON, not pages
        rule = RULES[name]
        if "GET" not in rule.methods:
            continue
        for _key, kwargs in objects_for(world, rule.objects)[:1]:
            response = client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200:
                continue
            pages += 1
            header = response.get("Content-Security-Policy", "")
            if "script-src 'self'" not in header or "unsafe" in header:
                missing.append(name)
    assert pages > 60
    assert missing == []


@pytest.mark.browser
def test_it_keeps_the_page_behaviours_without_inline_script(
    live_world: World, live_server: Any, browser: Any
) -> None:
    """What inline handlers used to do now comes from app.js: the tree's "+" turns into
    "−" once its children are loaded, and deleting a decision asks first."""
    from dangvu.awards.models import AwardDecision
    from dangvu.conftest import login_as as login
    from dangvu.core.tests.test_authorization import CUJUT_CELL, award_for

    decision = award_for(live_world, CUJUT_CELL)
    base = live_server.url
    page = browser.new_page()
    login(page, base, "tochuc")
    page.goto(f"{base}/to-chuc/DN.CUJUT/")
    toggle = page.get_by_role("button", name="Mở Đảng bộ thị trấn Ea T'Ling")
    toggle.click()
    page.wait_for_selector("text=Chi bộ Tổ dân phố 1")
    page.wait_for_selector("button[data-opens-once][aria-expanded=true]")
    assert toggle.inner_text() == "−"
    assert toggle.get_attribute("aria-expanded") == "true"

    page.goto(f"{base}/khen-thuong/{decision.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Xóa").click()
    page.wait_for_timeout(300)
    assert AwardDecision.objects.filter(pk=decision.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa").click()
    page.wait_for_selector("text=Đã xóa quyết định khen thưởng")
    assert not AwardDecision.objects.filter(pk=decision.pk).exists()
