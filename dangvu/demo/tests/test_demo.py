"""The Đắk Nông demo data set reproduces the seed report's organisation figures."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from dangvu.demo import generator
from dangvu.demo.people import _People
from dangvu.demo.registry import DemoContext
from dangvu.demo.tree import _Plan
from dangvu.indicators.disclosure import Viewer
from dangvu.members.models import Member, Membership
from dangvu.units.models import Unit, UnitKind, UnitSuccession, UnitVersion

pytestmark = pytest.mark.slow
SEED_END = date(2023, 6, 30)
# Footnote 7 of the seed: members present at the annual reviews 2018–2022.
PRESENT = {2018: 25619, 2019: 26257, 2020: 26712, 2021: 27019, 2022: 27560}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    with django_db_blocker.unblock():
        state, built = generator.build_demo(seed=2018, fresh=True, today=date(2026, 11, 27))
        assert built
        yield state
        generator.wipe()


def kinds_on(day: date) -> Counter[str]:
    return Counter(UnitVersion.objects.as_of(day).values_list("kind", flat=True))


def test_it_reproduces_the_seed_organisation_on_30_june_2023(demo: Any, db: None) -> None:
    kinds = kinds_on(SEED_END)
    assert kinds[UnitKind.PROVINCE] == 1
    assert kinds[UnitKind.DIRECT] == 12
    assert kinds[UnitKind.GRASSROOTS_COMMITTEE] == 165
    assert kinds[UnitKind.GRASSROOTS_CELL] == 275
    assert 1650 <= kinds[UnitKind.CELL] <= 1800
    assert Membership.objects.as_of(SEED_END).count() == 27210
    assert Membership.objects.as_of(SEED_END).values("member").distinct().count() == 27210


def test_it_has_enough_members_each_year_for_the_reviews_of_footnote_7(demo: Any, db: None) -> None:
    for year, present in PRESENT.items():
        active = (
            Membership.objects.overlapping(date(year, 1, 1), date(year + 1, 1, 1))
            .values("member")
            .distinct()
            .count()
        )
        assert active >= present, year


def test_it_shows_changes_inside_the_seed_period(demo: Any, db: None) -> None:
    gia_nghia = Unit.objects.get(code="DN.GIANGHIA")
    assert gia_nghia.version_on(date(2019, 12, 31)).name == "Thị ủy Gia Nghĩa"
    assert gia_nghia.version_on(date(2020, 2, 1)).name == "Thành ủy Gia Nghĩa"
    assert kinds_on(date(2018, 7, 5))[UnitKind.GRASSROOTS_CELL] == 278
    assert kinds_on(date(2018, 7, 5))[UnitKind.CELL] > kinds_on(SEED_END)[UnitKind.CELL]


def test_it_continues_through_the_2025_reorganisation(demo: Any, db: None) -> None:
    day = date(2025, 7, 1)
    roots = UnitVersion.objects.as_of(day).roots()
    assert [r.name for r in roots] == ["Đảng bộ tỉnh Lâm Đồng"]
    dak_nong = Unit.objects.get(code="DN")
    assert dak_nong.dissolved_on == day
    assert UnitSuccession.objects.get(predecessor=dak_nong).successor.code == "LD"
    communes = UnitVersion.objects.as_of(day).filter(
        parent__code="LD", kind=UnitKind.GRASSROOTS_COMMITTEE
    )
    assert communes.count() == 28
    assert kinds_on(day)[UnitKind.DIRECT] == 4
    district_committees = Unit.objects.filter(code__in=["DN.CUJUT", "DN.TUYDUC", "DN.DAKMIL"])
    assert all(u.dissolved_on == day for u in district_committees)
    # Members stay where they were: the cells moved, nobody was transferred.
    assert (
        Membership.objects.as_of(date(2025, 6, 30)).count() == Membership.objects.as_of(day).count()
    )
    # ...and the seed's period reads exactly as before.
    test_it_reproduces_the_seed_organisation_on_30_june_2023(demo, db)


def test_it_gives_every_demo_account_a_working_login(demo: Any, db: None, settings: Any) -> None:
    from dangvu import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    for account in demo.summary["accounts"]:
        client = Client()
        response = client.post(
            "/dang-nhap/",
            {"username": account["username"], "password": "dangvu-demo"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 302, account
    assert Member.objects.filter(full_name="Nguyễn Thị Hoà").exists()


def test_it_is_idempotent(demo: Any, db: None) -> None:
    before = (Unit.objects.count(), Member.objects.count(), Membership.objects.count())
    state, built = generator.build_demo(seed=2018)
    assert not built and state.pk == demo.pk
    assert (Unit.objects.count(), Member.objects.count(), Membership.objects.count()) == before


def test_it_refuses_to_build_over_other_data(demo: Any, db: None) -> None:
    from dangvu.core.errors import DomainError

    with pytest.raises(DomainError):
        generator.build_demo(seed=7)


def _simulate(seed: int) -> list[tuple[str, str, str, date | None, int]]:
    ctx = DemoContext(seed=seed, rng=random.Random(seed), today=date(2026, 11, 27))
    plan = _Plan(ctx)
    plan.build()
    ctx.info = {p.code: vars(p) for p in plan.units}
    people = _People(ctx)
    people.run()
    return [(p.card, p.name, p.cell, p.left, len(p.moves)) for p in people.people]


def test_it_is_deterministic_for_a_seed() -> None:
    assert _simulate(5) == _simulate(5)


def test_it_differs_between_seeds() -> None:
    plans = []
    for seed in (5, 6):
        ctx = DemoContext(seed=seed, rng=random.Random(seed), today=date(2026, 11, 27))
        plan = _Plan(ctx)
        plan.build()
        plans.append([(p.code, p.name) for p in plan.units])
    assert plans[0] != plans[1]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}[{key}]"))
        return out
    return {prefix: value}


def test_it_reports_every_seed_figure(demo: Any, db: None) -> None:
    """The JSON report of the province over the seed's period against the seed's figures:
    every indicator the seed prints has a figure, and it equals the seed's."""
    from dangvu.indicators.models import Indicator, Programme
    from dangvu.indicators.selectors import default_period, report_for

    programme = Programme.objects.get(code="DA05")
    report = report_for(
        unit=Unit.objects.get(code="DN"),
        period=default_period(programme),
        prog=programme,
        viewer=Viewer.operator(),
    )
    figures = report.as_json()["indicators"]
    checked = 0
    for indicator in Indicator.objects.exclude(seed=None):
        value = figures[indicator.code]
        assert value is not None, indicator.code
        expected = _flatten(indicator.seed)
        actual = _flatten(value)
        for key, seed in expected.items():
            assert actual.get(key) == seed, (indicator.code, key, actual.get(key), seed)
            checked += 1
    # org.* (5), entered propaganda, media and online figures, Front supervision, study
    # (2.1), and the reviews and suggestions of footnotes 7 and 8 (year by year, level by level)
    assert checked >= 17 + 20 + 26
    assert figures["org.members"] == 27210
    # Section 1 and 2.1 from plans, survey rounds, awards, models and sociological surveys.
    assert figures["reward.collectives"] == {"province": 3, "district": 27, "grassroots": 0}
    assert figures["reward.individuals"] == {"province": 5, "district": 45, "grassroots": 0}
    assert (figures["reward.hcm_party_orgs"], figures["reward.hcm_members"]) == (24, 32)
    assert (figures["reward.hcm_collectives_ubnd"], figures["reward.hcm_individuals_ubnd"]) == (
        20,
        19,
    )
    assert figures["survey.sociological_province"] == 15
    assert figures["survey.sociological_district"] == 12
    assert figures["model.new_models"] == 333
    assert figures["supervision.front_by_level"] == {
        "province": 35,
        "district": 199,
        "commune": 745,
    }
    # Footnotes 7 and 8, counted from review and suggestion records.
    assert sum(figures["review.collectives_reviewed"].values()) == 5174
    assert sum(figures["review.members_reviewed"].values()) == 126292
    assert figures["review.members_present"]["2022"] == 27560
    assert figures["suggestion.collectives"]["2021"] == {
        "province": 7,
        "district": 101,
        "grassroots": 200,
    }
    assert sum(sum(v.values()) for v in figures["suggestion.collectives"].values()) == 449
    assert sum(sum(v.values()) for v in figures["suggestion.individuals"].values()) == 247
    rules = {(f["rule"], f["left_value"], f["right_value"]) for f in report.as_json()["findings"]}
    # The seed's own inconsistency is the only finding (the printed total against the levels,
    # and so against the supervisions recorded beneath it): the reviews keep every rule.
    assert rules == {
        ("supervision_total_levels", 899, 979),
        ("parent_entered_vs_children", 899, 979),
    }


def test_its_figures_are_the_same_from_the_tallies_and_from_the_records(
    demo: Any, db: None
) -> None:
    """The demo keeps tallies of its past months (built with it): every indicator of the
    province and its committees, over the seed's period whole and year by year and over the
    months of 2019, is the same read from them as read from the records alone."""
    from dangvu.indicators import services_tallies as tallies
    from dangvu.indicators.engine import evaluate
    from dangvu.indicators.models import Indicator, Programme, TallyState
    from dangvu.indicators.selectors import default_period
    from dangvu.lib.periods import parse_period

    assert TallyState.objects.count() == len(tallies.specs())
    assert tallies.differences() == []
    province = Unit.objects.get(code="DN")
    targets = [province, *Unit.objects.filter(code__in=["DN.CUJUT", "DN.TUYDUC", "DN.GIANGHIA"])]
    indicators = list(Indicator.objects.filter(code__in=tallies.TALLIED))
    seed = default_period(Programme.objects.get(code="DA05"))
    asked = [(seed, None), (seed, "year"), (parse_period("2019"), "month")]

    def read() -> list[Any]:
        return [
            evaluate(targets=targets, period=p, indicators=indicators, split=split).values
            for p, split in asked
        ]

    kept = read()
    TallyState.objects.all().delete()  # the engine reads the records alone
    assert read() == kept


def test_its_docx_report_reads_like_the_seed(demo: Any, db: None) -> None:
    """The saved five-year report, rendered: the seed's sentences of sections 1 and 2.1 with
    the figures from the records, and footnote 4 with the awards."""
    import io

    import docx

    from dangvu.lib.docx_footnotes import footnotes_of
    from dangvu.reports import generate
    from dangvu.reports.models import SummaryReport

    report = SummaryReport.objects.get(unit__code="DN", period="2018-07-05..2023-06-30")
    content = generate.render(report, "docx", viewer=Viewer.operator())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    for sentence in (
        "Đã có 22 đơn vị xây dựng kế hoạch triển khai thực hiện Đề án, trong đó 22 kế hoạch được "
        "phê duyệt. Tổ chức 02 cuộc khảo sát",
        "Cấp tỉnh biểu dương, khen thưởng 03 tập thể, 05 cá nhân; các huyện ủy, thành ủy, "
        "đảng ủy trực thuộc biểu dương, khen thưởng 27 tập thể, 45 cá nhân",
        "Xây dựng được 333 mô hình mới về học tập, làm theo Bác",
        "Ban Tuyên giáo Tỉnh ủy tiến hành 15 cuộc điều tra xã hội học",
        "tiến hành 12 cuộc điều tra xã hội học",
        "Duy trì 557 Tổ tuyên truyền",
        "50 trang, nhóm tuyên truyền",
        "40 vấn đề thu hút dư luận quan tâm",
    ):
        assert sentence in text, sentence
    notes = [" ".join(n) for n in footnotes_of(io.BytesIO(content))]
    assert any(
        "Bằng khen cho 24 tổ chức đảng và 32 đảng viên" in n
        and "Bằng khen cho 20 tập thể và 19 cá nhân" in n
        for n in notes
    )
    assert any("03 cơ quan báo chí của tỉnh" in n and "khoảng 200 trang" in n for n in notes)
