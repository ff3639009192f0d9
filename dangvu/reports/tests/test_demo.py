"""The demo's five-year report: the seed report's heading, narrative and signature
(data/seed_report.json), saved for Đảng bộ tỉnh Đắk Nông."""

from __future__ import annotations

import io
import json
import random
import re
from datetime import date
from typing import Any

import docx
import pytest

from dangvu.conftest import World
from dangvu.demo.registry import STEPS, DemoContext
from dangvu.indicators.disclosure import Viewer
from dangvu.reports import generate
from dangvu.reports.demo import SEED_REPORT, seed_report
from dangvu.reports.models import SECTIONS, SummaryReport

OPERATOR = Viewer.operator()  # the figures as they are

SUPERSCRIPTS = re.compile("[¹²³⁴⁵⁶⁷⁸⁹⁰]")
KEYS = [key for key, _ in SECTIONS]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    return json.loads(SEED_REPORT.read_text(encoding="utf-8"))


def _paragraphs(seed: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (key, p.strip())
        for key, text in seed["narrative"].items()
        for p in text.split("\n\n")
        if p.strip()
    ]


def test_it_writes_the_narrative_under_known_sections(seed: dict[str, Any]) -> None:
    assert set(seed["narrative"]) <= set(KEYS)
    assert set(KEYS) - set(seed["narrative"]) <= {"intro"}


def test_it_fills_every_section_of_the_seed(seed: dict[str, Any]) -> None:
    assert sorted(seed["narrative"]) == sorted(KEYS)


def test_it_leaves_no_footnote_marks_in_the_texts(seed: dict[str, Any]) -> None:
    texts = [seed["title"], seed["recipients"], *seed["narrative"].values()]

    assert [t[:60] for t in texts if SUPERSCRIPTS.search(t)] == []


def test_it_keeps_each_sentence_in_one_paragraph(seed: dict[str, Any]) -> None:
    broken = [
        (key, p[:50]) for key, p in _paragraphs(seed) if p[0].islower() or p.endswith((",", ";"))
    ]
    assert broken == []


def test_it_is_a_demo_step() -> None:
    assert any(step.run is seed_report for step in STEPS)


def test_it_saves_the_seed_report_for_the_province(world: World, seed: dict[str, Any]) -> None:
    context = DemoContext(
        seed=1, rng=random.Random(1), today=date(2025, 1, 1), units={"DN": world.units["DN"]}
    )
    seed_report(context)

    report = SummaryReport.objects.get()
    assert (report.unit, report.period) == (world.units["DN"], "2018-07-05..2023-06-30")
    assert report.title == seed["title"]
    assert set(report.narrative) == set(seed["narrative"])
    document = docx.Document(io.BytesIO(generate.render(report, "docx", viewer=OPERATOR)))
    texts = [p.text for p in document.paragraphs]
    assert "III. BÀI HỌC KINH NGHIỆM" in texts
    assert "IV. NHIỆM VỤ, GIẢI PHÁP TỪ NAY ĐẾN NĂM 2025" in texts
    assert seed["narrative"]["III"].split("\n\n")[0] in texts
    signature = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lưu Văn Trung"]
