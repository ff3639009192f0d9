"""`dangvu bench national` at a tiny size on PostgreSQL: the generated country is what the
plan says, its figures come out of the generated records, the 2025 merger is recorded as
the reorganisation services record it, and the bench's last line carries every key."""

from __future__ import annotations

import io
import json
import runpy
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Q

from dangvu.core.effective import END_OF_TIME
from dangvu.indicators.catalogue import raw
from dangvu.members.models import Member, Membership
from dangvu.reviews.models import (
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)
from dangvu.study import demo as study_demo
from dangvu.study.models import Attendance, StudySession
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitSuccession, UnitVersion

BENCH = Path(__file__).resolve().parents[3] / "bench" / "national.py"
PROVINCES, MEMBERS = 2, 3000
ARGS = ["--provinces", str(PROVINCES), "--members", str(MEMBERS)]
KEYS = {
    "provinces",
    "members",
    "province_report_ms",
    "province_report_ms_alone",
    "national_report_ms",
    "indicator_page_p95_ms",
    "search_p95_ms",
    "unit_page_p95_ms",
    "tree_page_p95_ms",
    "import_s",
    "import_peak_mb",
    "generate_s",
}


@pytest.fixture(scope="module")
def run(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    if connection.vendor != "postgresql":
        pytest.skip("dangvu bench national runs on PostgreSQL only")
    from dangvu.demo.generator import wipe

    module = runpy.run_path(str(BENCH))
    out = io.StringIO()
    with django_db_blocker.unblock():
        wipe()
        indexes = index_definitions()
        module["main"]([*ARGS, "--skip-alone", "--skip-import", "--samples", "2"], out)
        yield {
            "module": module,
            "gen": sys.modules["_national_gen"],
            "out": out.getvalue(),
            "indexes_before": indexes,
        }
        wipe()


def index_definitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def under(code: str) -> Q:
    """Units of the root `code` and below (codes carry their root's code)."""
    return Q(code=code) | Q(code__startswith=code + ".")


def parts(gen: Any) -> list[tuple[str, int]]:
    """Every root generated (former provinces included) with its own members."""
    out = []
    for plan in gen.country(PROVINCES, MEMBERS, 2025):
        out.append((plan.code, plan.own_members))
        if plan.former_code:
            out.append((plan.former_code, plan.former_members))
    return out


def report_of(run: dict[str, Any], code: str) -> dict[str, Any]:
    _ms, report = run["module"]["report_ms"](code, repeats=1)
    return dict(report["indicators"])


def active_in(root_code: str, day: date) -> int:
    """Members active on `day` in the cells under the root as it stood that day, counted
    from the generated records (not by the indicator engine)."""
    root = UnitVersion.objects.as_of(day).get(unit__code=root_code)
    cells = UnitVersion.objects.as_of(day).filter(path__startswith=root.path, kind__in=CELL_KINDS)
    return (
        Membership.objects.as_of(day)
        .filter(unit_id__in=cells.values("unit_id"))
        .values("member_id")
        .distinct()
        .count()
    )


@pytest.mark.django_db
def test_the_country_is_the_plan(run: dict[str, Any]) -> None:
    gen = run["gen"]
    plans = gen.country(PROVINCES, MEMBERS, 2025)
    assert sum(p.members for p in plans) == MEMBERS == Member.objects.count()
    merged = [p for p in plans if p.former_code]
    assert len(merged) == 1  # the second province absorbed a former one in 2025
    for plan in plans:
        cards = Member.objects.filter(card_number__startswith=f"{10 + plan.index:02d}")
        assert cards.count() == plan.members
    roots_now = set(
        UnitVersion.objects.as_of(date(2026, 1, 1)).roots().values_list("unit__code", flat=True)
    )
    assert roots_now == {p.code for p in plans}
    roots_before = set(
        UnitVersion.objects.as_of(date(2025, 6, 30)).roots().values_list("unit__code", flat=True)
    )
    assert roots_before == {p.code for p in plans} | {merged[0].former_code}
    # About one grassroots organisation per 108 members.
    grassroots = UnitVersion.objects.as_of(date(2023, 6, 30)).filter(
        kind__in=[UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL]
    )
    assert abs(grassroots.count() - MEMBERS / 108) <= PROVINCES + 1
    # Every member sits in a cell, and has a review in each year they were there at its end.
    assert not Membership.objects.exclude(
        unit_id__in=UnitVersion.objects.filter(kind__in=CELL_KINDS).values("unit_id")
    ).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM members_membership m WHERE m.valid_from <= '2022-12-31' "
            "AND m.valid_to > '2022-12-31'"
        )
        at_end_2022 = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM reviews_memberreview WHERE year = 2022")
        assert cursor.fetchone()[0] == at_end_2022


@pytest.mark.django_db
def test_the_2025_merger_is_recorded_as_the_services_record_it(run: dict[str, Any]) -> None:
    plan = next(p for p in run["gen"].country(PROVINCES, MEMBERS, 2025) if p.former_code)
    former, target = Unit.objects.get(code=plan.former_code), Unit.objects.get(code=plan.code)
    assert former.dissolved_on == date(2025, 7, 1)
    assert UnitSuccession.objects.filter(
        predecessor=former, successor=target, effective_on=date(2025, 7, 1)
    ).exists()
    target_path = UnitVersion.objects.as_of(date(2025, 7, 1)).get(unit=target).path
    moved = UnitVersion.objects.as_of(date(2025, 7, 1)).filter(
        unit__code__startswith=plan.former_code + "."
    )
    assert moved.exists()
    assert all(v.path.startswith(target_path) for v in moved)
    before = UnitVersion.objects.filter(
        unit__code__startswith=plan.former_code + ".", valid_to=date(2025, 7, 1)
    )
    assert before.count() == moved.count()
    assert not moved.exclude(valid_to=END_OF_TIME).exists()
    # The members of the former province moved with their cells, not one membership cut.
    assert active_in(plan.code, date(2025, 7, 1)) == active_in(
        plan.code, date(2025, 6, 30)
    ) + active_in(plan.former_code, date(2025, 6, 30))


@pytest.mark.django_db
def test_every_province_report_counts_the_generated_members(run: dict[str, Any]) -> None:
    report_ms = run["module"]["report_ms"]
    for plan in run["gen"].country(PROVINCES, MEMBERS, 2025):
        roots = [plan.code] + ([plan.former_code] if plan.former_code else [])
        for code in roots:
            _ms, report = report_ms(code, repeats=1)
            members = active_in(code, date(2023, 6, 30))
            assert members > 0
            assert report["indicators"]["org.members"] == members, code


@pytest.mark.django_db
def test_the_last_line_is_the_json_of_the_issue(run: dict[str, Any]) -> None:
    result = json.loads(run["out"].strip().splitlines()[-1])
    assert set(result) >= KEYS
    assert (result["provinces"], result["members"]) == (PROVINCES, MEMBERS)
    largest = max(run["gen"].country(PROVINCES, MEMBERS, 2025), key=lambda p: p.own_members)
    assert result["largest_province"] == largest.code
    assert result["province_report_members"] == active_in(largest.code, date(2023, 6, 30))
    for key in KEYS - {"province_report_ms_alone", "import_s", "import_peak_mb"}:
        assert result[key] > 0, key


def seed(code: str) -> dict[str, dict[str, int]]:
    return dict(next(i["seed"] for i in raw()["indicators"] if i["code"] == code))


def near(value: float, expected: float, tolerance: float) -> bool:
    return abs(value - expected) <= tolerance * expected


@pytest.mark.django_db
def test_the_study_of_the_resolutions_follows_the_demos_rates(run: dict[str, Any]) -> None:
    gen = run["gen"]
    for code, members in parts(gen):
        figures = report_of(run, code)
        for campaign in study_demo.CAMPAIGNS:
            key = campaign.key
            sessions = StudySession.objects.filter(
                documents__key=key, unit__in=Unit.objects.filter(under(code))
            )
            present = Attendance.objects.filter(
                attended=True,
                session__documents__key=key,
                site__unit__in=Unit.objects.filter(under(code)),
            )
            # The report counts the records, and the records keep the demo's rates.
            assert figures["study.resolution_attendees"][key] == present.count() > 0, code
            assert figures["study.resolution_classes"][key] == sessions.count(), code
            rate = campaign.attended / gen.DEMO_MEMBERS
            assert near(present.count() / members, rate, 0.05), (code, key)
            assert near(sessions.count(), campaign.sessions * members / gen.DEMO_MEMBERS, 0.5)
            # Everyone expected stood in the session's organisation: a site of their cell.
            expected = Attendance.objects.filter(session__documents__key=key).filter(
                session__unit__in=Unit.objects.filter(under(code))
            )
            assert expected.count() >= present.count()
        trained = figures["study.theory_trained"]
        assert near(trained, study_demo.THEORY_TRAINED * members / gen.DEMO_MEMBERS, 0.1), code
        assert figures["study.training_classes"] > 0


@pytest.mark.django_db
def test_the_last_years_reviewed_members_signed_their_commitments(
    run: dict[str, Any],
) -> None:
    last = max(run["gen"].YEARS)
    for code, _members in parts(run["gen"]):
        cells = Unit.objects.filter(under(code))
        reviewed = MemberReview.objects.filter(year=last, unit__in=cells, grade__isnull=False)
        signed = Commitment.objects.filter(
            year=last, unit__in=cells, status=CommitmentStatus.APPROVED
        )
        assert signed.count() == reviewed.count() > 0, code
        assert not signed.exclude(member_id__in=reviewed.values("member_id")).exists()
        assert report_of(run, code)["commitment.members_signed"][str(last)] == signed.count()
    # As the demo: only the last year's.
    assert not Commitment.objects.exclude(year=last).exists()


@pytest.mark.django_db
def test_remediation_items_follow_the_weakest_reviews(run: dict[str, Any]) -> None:
    failed = MemberReview.objects.filter(year__gte=2020, grade__code="failed")
    weak = CollectiveReview.objects.filter(year__gte=2020, grade__code__in=["done", "failed"])
    items = RemediationItem.objects.all()
    assert set(items.exclude(member_review=None).values_list("member_review_id", flat=True)) == set(
        failed.values_list("pk", flat=True)
    )
    assert set(
        items.exclude(collective_review=None).values_list("collective_review_id", flat=True)
    ) == set(weak.values_list("pk", flat=True))
    assert failed.exists() and weak.exists()
    assert not items.filter(member_review__isnull=False, responsible=None).exists()
    for code, _members in parts(run["gen"]):
        figures = report_of(run, code)
        mine = items.filter(unit__in=Unit.objects.filter(under(code)))
        assert figures["remediation.plans_done"] + figures["remediation.plans_open"] <= mine.count()
        assert figures["remediation.plans_done"] > 0


@pytest.mark.django_db
def test_every_reference_written_without_its_check_holds(run: dict[str, Any]) -> None:
    """COPY skips the foreign-key triggers: every foreign key of every table is checked
    here, once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
            "af.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1 "
            "AND c.connamespace = current_schema()::regnamespace"
        )
        keys = cursor.fetchall()
        assert len(keys) > 20
        dangling = []
        for table, column, target, target_column in keys:
            cursor.execute(
                f'SELECT COUNT(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {target} r WHERE r."{target_column}" = t."{column}")'
            )
            if cursor.fetchone()[0]:
                dangling.append((table, column))
    assert dangling == []


@pytest.mark.django_db
def test_the_indexes_dropped_for_the_copy_are_made_again(run: dict[str, Any]) -> None:
    assert index_definitions() == run["indexes_before"]
    assert Attendance.objects.exists()


@pytest.mark.django_db
def test_review_suggestions_follow_the_demos_seed_per_member(run: dict[str, Any]) -> None:
    gen = run["gen"]
    drawn, wanted = 0, 0.0
    for code, members in parts(gen):
        figures = report_of(run, code)
        mine = ReviewSuggestion.objects.filter(issuer__in=Unit.objects.filter(under(code)))
        for figure, individual in (
            ("suggestion.collectives", False),
            ("suggestion.individuals", True),
        ):
            for year, levels in seed(figure).items():
                for level, count in levels.items():
                    recorded = mine.filter(
                        year=int(year), level=level, subject_member__isnull=not individual
                    ).count()
                    assert figures[figure][year][level] == recorded, (code, figure, year, level)
                    assert recorded <= max(1, round(count * members / gen.DEMO_MEMBERS))
                    drawn += recorded
                    wanted += count * members / gen.DEMO_MEMBERS
    assert drawn >= 0.5 * wanted
    # Each answered in the review it suggested, of its subject and year.
    answered = ReviewSuggestion.objects.exclude(member_review=None)
    assert answered.exists()
    assert not answered.exclude(member_review__member=F("subject_member")).exists()
    assert not answered.exclude(member_review__year=F("year")).exists()
    by_unit = ReviewSuggestion.objects.exclude(collective_review=None)
    assert not by_unit.exclude(collective_review__unit=F("subject_unit")).exists()
