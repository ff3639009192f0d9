"""The authorization matrix: every URL of the app, as every persona, for every object of
the world, inside and outside the persona's subtree. A leak is a 200 (or a processed
POST) where the rules below say the persona must get 404.

The rules are written out per persona, independently of the scope code they check. A URL
without a rule fails the suite: a new page cannot ship unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangvu.accounts.models import GrantRequest, Role
from dangvu.assessments.models import Answer, Assessment, Attempt, Option, Question
from dangvu.awards.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Issuer,
    RecipientKind,
    Theme,
)
from dangvu.conftest import World
from dangvu.core.handlers import API_PREFIX
from dangvu.documents.models import Document
from dangvu.indicators.models import EnteredValue
from dangvu.inspection.models import CaseRead, InspectionCase
from dangvu.jobs import services as jobs
from dangvu.jobs.models import Job
from dangvu.jobs.testing import run_queued
from dangvu.meetings.models import Meeting, MeetingAttendance
from dangvu.members.models import Member, Membership
from dangvu.plans.models import UnitPlan
from dangvu.practices.models import Practice
from dangvu.reports.models import SummaryReport
from dangvu.reviews.models import (
    CollectiveReview,
    Commitment,
    CommitmentComment,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)
from dangvu.rounds.models import ReportingRound, RoundEvent, RoundReport
from dangvu.sociology.models import Invitation, Questionnaire
from dangvu.sociology.models import Question as SocioQuestion
from dangvu.sociology.models import Response as SocioResponse
from dangvu.study.models import Attendance, StudySession
from dangvu.supervision.models import Supervision
from dangvu.units.models import Unit, UnitVersion

#: `tuyduc.cu` held the organisation role of Huyện ủy Tuy Đức until 01/07/2025: a role that
#: has ended reads nothing and writes nothing (it is in none of the tables below), not even
#: the records of the years it was in force.
ENDED = "tuyduc.cu"
PERSONAS = [
    "hoa",
    "ybhiong",
    "huong",
    "kbinh",
    "tochuc",
    "tuyengiao",
    "mattran",
    "quantri",
    ENDED,
    None,
]
ALL = "all"

CUJUT_CELL = "DN.CUJUT.EATLING.TDP1"
TUYDUC_CELL = "DN.TUYDUC.QUANGTRUC.BP"

# Units each persona reaches for viewing (prefixes of unit codes), and for members.
VIEW_UNITS = {
    "hoa": [CUJUT_CELL],
    "ybhiong": [],
    "huong": ["DN.DAKMIL"],
    "kbinh": [TUYDUC_CELL],
    "tochuc": [ALL],
    "tuyengiao": [ALL],
    "mattran": [ALL],
    "quantri": [ALL],
}
VIEW_MEMBERS = {**VIEW_UNITS, "mattran": []}
MANAGE_MEMBERS = {"hoa": [CUJUT_CELL], "kbinh": [TUYDUC_CELL], "tochuc": [ALL], "quantri": [ALL]}
REORGANISE = {"tochuc": [ALL], "quantri": [ALL]}
MANAGE_ACCOUNTS = {"tochuc": [ALL], "quantri": [ALL]}
#: Account pages: the account managers, and holders of inspection or leadership (who grant
#: their own department inside their reach, accounts/grants.py).
ACCOUNT_PAGES = {**MANAGE_ACCOUNTS, "huong": ["DN.DAKMIL"]}
# huong opens the exchange for KiemTra only, mattran for GiamSat only.
EXCHANGE = {"tochuc": [ALL], "quantri": [ALL], "huong": ["DN.DAKMIL"], "mattran": [ALL]}
VIEW_REPORTS = {**VIEW_UNITS}
ENTER_VALUES = {
    "huong": ["DN.DAKMIL"],
    "tochuc": [ALL],
    "tuyengiao": [ALL],
    "mattran": [ALL],
    "quantri": [ALL],
}
WRITE_REPORTS = {"tochuc": [ALL], "tuyengiao": [ALL], "quantri": [ALL]}
RUN_STUDY = {
    "hoa": [CUJUT_CELL],
    "kbinh": [TUYDUC_CELL],
    "tochuc": [ALL],
    "tuyengiao": [ALL],
    "quantri": [ALL],
}
SUPERVISION = {"mattran": [ALL], "quantri": [ALL]}
#: Inspection and discipline: the inspection role only (never the administrator).
DISCIPLINE = {"huong": ["DN.DAKMIL"]}
RUN_REVIEWS = {"hoa": [CUJUT_CELL], "kbinh": [TUYDUC_CELL], "tochuc": [ALL], "quantri": [ALL]}
SELF = {"hoa": "hoa", "ybhiong": "ybhiong", "huong": "huong", "kbinh": "kbinh"}


def within(prefixes: list[str], code: str) -> bool:
    return any(p == ALL or code == p or code.startswith(p + ".") for p in prefixes)


def member_cell(world: World, key: str) -> str:
    membership = Membership.objects.filter(member=world.members[key]).select_related("unit").get()
    return membership.unit.code


@dataclass(frozen=True)
class Rule:
    """Which objects a URL takes and who may open it for which object."""

    objects: str  # none, unit, cell, member, account, account_role
    allowed: Callable[[World, str | None, str], bool]
    methods: tuple[str, ...] = ("GET",)
    #: Who may POST, when fewer may write than read (None: as `allowed`).
    writes: Callable[[World, str | None, str], bool] | None = None


def anyone(world: World, persona: str | None, key: str) -> bool:
    return True


def logged_in(world: World, persona: str | None, key: str) -> bool:
    return persona is not None


def by_table(
    table: dict[str, list[str]], kind: str = "unit"
) -> Callable[[World, str | None, str], bool]:
    def allowed(world: World, persona: str | None, key: str) -> bool:
        if persona is None:
            return False
        prefixes = table.get(persona, [])
        if kind == "none":
            return bool(prefixes)
        if kind == "member":
            if table is VIEW_MEMBERS and SELF.get(persona) == key:
                return True
            return within(prefixes, member_cell(world, key))
        return within(prefixes, key)

    return allowed


def reaches_cell_of(
    table: dict[str, list[str]], world: World, persona: str | None, key: str
) -> bool:
    """The persona's role reaches the cell of member `key` (not their own record)."""
    return persona is not None and within(table.get(persona, []), member_cell(world, key))


def reads_commitment(world: World, persona: str | None, key: str) -> bool:
    """Own; any in the reach of VIEW_MEMBERS; a cell-mate's once sent to the cell."""
    if persona is None:
        return False
    if SELF.get(persona) == key or reaches_cell_of(VIEW_MEMBERS, world, persona, key):
        return True
    shared = Commitment.objects.get(member=world.members[key]).status in ("submitted", "approved")
    return shared and cellmate(world, persona, key)


def cellmate(world: World, persona: str | None, key: str) -> bool:
    own = SELF.get(persona or "")
    return own is not None and own != key and member_cell(world, own) == member_cell(world, key)


def own_record(world: World, persona: str | None, key: str) -> bool:
    return persona in SELF


def admin_only(world: World, persona: str | None, key: str) -> bool:
    return persona == "quantri"


def account_rule(world: World, persona: str | None, key: str) -> bool:
    if persona == "quantri":
        return True
    if persona not in ACCOUNT_PAGES or world.users[key].is_superuser:
        return False
    # The provincial organisation officer reaches accounts with a role in the province, the
    # inspector of Đắk Mil those with a role in her district.
    codes = Role.objects.filter(user=world.users[key]).values_list("unit__code", flat=True)
    return any(within(ACCOUNT_PAGES[persona], code) for code in codes)


#: Pending grants of inspection: one huong confirms (asked for hoa at Đức Minh by the
#: organisation officer), one for huong herself (granted without confirmation, as nobody
#: else holds inspection), which nobody in the world may decide.
GRANT_REQUESTS = ("DN.DAKMIL.DUCMINH", "DN.DAKMIL.UBKT")


def grant_request_at(world: World, code: str) -> GrantRequest:
    from dangvu.accounts.services import role_grant

    found = GrantRequest.objects.filter(unit__code=code).first()
    if found is not None:
        return found
    role_grant(
        user=world.users["hoa" if code.endswith("DUCMINH") else "huong"],
        unit=world.units[code],
        department="inspection",
        actor=world.users["tochuc"],
    )
    return GrantRequest.objects.get(unit__code=code)


#: Hold WRITE_REPORTS at the province itself: launch its rounds and review their reports.
PROVINCE_REVIEWERS = ("tochuc", "tuyengiao")
#: The round's reports by the state they are left in (`round_of`).
ROUND_STATES = {"DN.CUJUT": "submitted", "DN.DAKMIL": "not_started", "DN.TUYDUC": "accepted"}


def reads_round(world: World, persona: str | None, key: str) -> bool:
    return persona is not None and within(VIEW_REPORTS.get(persona, []), "DN")


def reads_round_report(world: World, persona: str | None, key: str) -> bool:
    return ROUND_STATES[key] != "not_started" and reads_round(world, persona, key)


def reviews_round_report(world: World, persona: str | None, key: str) -> bool:
    return persona in PROVINCE_REVIEWERS and reads_round_report(world, persona, key)


RULES: dict[str, Rule] = {
    "home:home": Rule("none", logged_in),
    "core:healthz": Rule("none", anyone),
    "accounts:login": Rule("none", anyone),
    "accounts:logout": Rule("none", anyone, methods=("POST",)),
    "accounts:own_record": Rule("none", own_record),
    "accounts:list": Rule("none", by_table(ACCOUNT_PAGES, "none")),
    "accounts:create": Rule("none", by_table(MANAGE_ACCOUNTS, "none")),
    "accounts:detail": Rule("account", account_rule),
    "accounts:role_grant": Rule("account", account_rule, methods=("POST",)),
    "accounts:role_revoke": Rule("account_role", account_rule, methods=("POST",)),
    "accounts:audit": Rule("none", admin_only),
    # Signing in: the steps of a pending sign-in, and one's own password, app and sessions.
    "accounts:signin_code": Rule("none", anyone, methods=("GET", "POST")),
    "accounts:signin_password": Rule("none", anyone, methods=("GET", "POST")),
    "accounts:signin_enrol": Rule("none", anyone, methods=("GET", "POST")),
    "accounts:me": Rule("none", logged_in),
    "accounts:password_change": Rule("none", logged_in, methods=("GET", "POST")),
    "accounts:two_factor": Rule("none", logged_in, methods=("GET", "POST")),
    "accounts:two_factor_disable": Rule("none", logged_in, methods=("POST",)),
    "accounts:recovery_codes": Rule("none", logged_in, methods=("POST",)),
    "accounts:sessions": Rule("none", logged_in),
    "accounts:sessions_end_others": Rule("none", logged_in, methods=("POST",)),
    # Resetting a password: the account managers, and the holders of inspection or
    # leadership (an account with such a role is reset only by a holder, who reaches it).
    "accounts:password_reset": Rule("account", account_rule, methods=("GET", "POST")),
    # Holders of inspection or leadership in force today review the grants of those.
    "accounts:grants": Rule("none", by_table(DISCIPLINE, "none")),
    # The confirmation page shows what confirming does (the account handed over) first.
    "accounts:grant_confirm": Rule(
        "grant_request",
        lambda w, p, k: p == "huong" and k == "DN.DAKMIL.DUCMINH",
        methods=("GET", "POST"),
    ),
    "accounts:grant_decline": Rule(
        "grant_request",
        lambda w, p, k: p == "huong" and k == "DN.DAKMIL.DUCMINH",
        methods=("POST",),
    ),
    "units:tree": Rule("none", by_table(VIEW_UNITS, "none")),
    "units:pick": Rule("none", by_table(VIEW_UNITS, "none")),
    "units:detail": Rule("unit", by_table(VIEW_UNITS)),
    "units:children": Rule("unit", by_table(VIEW_UNITS)),
    "units:create": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "units:rename": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "units:move": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "units:merge": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "units:split": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "units:dissolve": Rule("unit", by_table(REORGANISE), methods=("GET", "POST")),
    "members:search": Rule("none", by_table(VIEW_MEMBERS, "none")),
    "members:create": Rule("cell", by_table(MANAGE_MEMBERS), methods=("GET", "POST")),
    "members:detail": Rule("member", by_table(VIEW_MEMBERS, "member")),
    "members:edit": Rule("member", by_table(MANAGE_MEMBERS, "member"), methods=("GET", "POST")),
    "members:transfer": Rule("member", by_table(MANAGE_MEMBERS, "member"), methods=("GET", "POST")),
    "members:leave": Rule("member", by_table(MANAGE_MEMBERS, "member"), methods=("GET", "POST")),
    "exchange:home": Rule("none", by_table(EXCHANGE, "none"), methods=("GET", "POST")),
    "exchange:template": Rule("none", by_table(EXCHANGE, "none")),
    "exchange:export": Rule("none", by_table(EXCHANGE, "none")),
    "indicators:overview": Rule("none", by_table(VIEW_REPORTS, "none")),
    "indicators:dashboard": Rule("group", lambda w, p, k: by_table(VIEW_REPORTS, "none")(w, p, "")),
    "indicators:drill": Rule("indicator", lambda w, p, k: by_table(VIEW_REPORTS, "none")(w, p, "")),
    "indicators:entry": Rule("none", by_table(ENTER_VALUES, "none"), methods=("GET", "POST")),
    "reports:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "reports:create": Rule("none", by_table(WRITE_REPORTS, "none"), methods=("GET", "POST")),
    "reports:edit": Rule("summary", by_table(VIEW_REPORTS)),
    "reports:docx": Rule("summary", by_table(VIEW_REPORTS)),
    "reports:xlsx": Rule("summary", by_table(VIEW_REPORTS)),
    "reports:json": Rule("summary", by_table(VIEW_REPORTS)),
    "reports:make": Rule("summary_file", by_table(VIEW_REPORTS), methods=("POST",)),
    "exchange:export_job": Rule("none", by_table(EXCHANGE, "none"), methods=("POST",)),
    # A background job is its asker's alone (its result is what she read when it ran).
    "jobs:list": Rule("none", logged_in),
    "jobs:detail": Rule("job", lambda w, p, k: p == k),
    "jobs:progress": Rule("job", lambda w, p, k: p == k),
    "jobs:file": Rule("job", lambda w, p, k: p == k),
    "assessments:join": Rule("none", logged_in, methods=("GET", "POST")),
    "assessments:join_code": Rule(
        "code",
        lambda w, p, k: p in SELF and within([k], member_cell(w, SELF[p])),
        methods=("GET", "POST"),
    ),
    "assessments:take": Rule("token", anyone),
    "assessments:take_start": Rule("token", anyone, methods=("POST",)),
    "assessments:take_submit": Rule("token", anyone, methods=("POST",)),
    "assessments:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "assessments:create": Rule("none", by_table(RUN_STUDY, "none"), methods=("GET", "POST")),
    "assessments:detail": Rule(
        "assessment", by_table(VIEW_REPORTS), methods=("GET", "POST"), writes=by_table(RUN_STUDY)
    ),
    "assessments:presenter": Rule("assessment", by_table(RUN_STUDY)),
    "assessments:live": Rule("assessment", by_table(VIEW_REPORTS)),
    "assessments:results": Rule("assessment", by_table(VIEW_REPORTS)),
    "assessments:results_xlsx": Rule("assessment", by_table(VIEW_REPORTS)),
    "assessments:paper_print": Rule("assessment", by_table(RUN_STUDY)),
    "assessments:paper_entry": Rule("assessment", by_table(RUN_STUDY), methods=("GET", "POST")),
    "assessments:links": Rule("assessment", by_table(RUN_STUDY)),
    # A bank is read by whoever runs study (a cell prepares from the province's bank) and
    # written only at or above the committee answering for the document (the key).
    "assessments:bank": Rule(
        "document",
        lambda w, p, k: by_table(RUN_STUDY, "none")(w, p, ""),
        methods=("GET", "POST"),
        writes=by_table(RUN_STUDY),
    ),
    "assessments:bank_template": Rule(
        "document", lambda w, p, k: by_table(RUN_STUDY, "none")(w, p, "")
    ),
    "assessments:question_edit": Rule("question", by_table(RUN_STUDY), methods=("GET", "POST")),
    "study:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "study:create": Rule("none", by_table(RUN_STUDY, "none"), methods=("GET", "POST")),
    "study:detail": Rule(
        "session", by_table(VIEW_REPORTS), methods=("GET", "POST"), writes=by_table(RUN_STUDY)
    ),
    "study:training": Rule(
        "none",
        by_table(VIEW_REPORTS, "none"),
        methods=("GET", "POST"),
        writes=by_table(RUN_STUDY, "none"),
    ),
    "documents:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "documents:create": Rule("none", by_table(RUN_STUDY, "none"), methods=("GET", "POST")),
    "documents:detail": Rule("document", lambda w, p, k: by_table(VIEW_REPORTS, "none")(w, p, "")),
    "reviews:home": Rule("none", by_table(VIEW_MEMBERS, "none")),
    "reviews:suggestions": Rule("none", by_table(VIEW_MEMBERS, "none")),
    "reviews:suggestion_issue": Rule("none", by_table(RUN_REVIEWS, "none"), methods=("POST",)),
    "reviews:suggestion_answer": Rule("suggestion", by_table(RUN_REVIEWS), methods=("POST",)),
    "reviews:remediation": Rule("none", by_table(VIEW_MEMBERS, "none")),
    "reviews:remediation_done": Rule("remediation", by_table(RUN_REVIEWS), methods=("POST",)),
    "reviews:cell": Rule("unit_year", by_table(VIEW_MEMBERS)),
    "reviews:cell_save": Rule("unit_year", by_table(RUN_REVIEWS), methods=("POST",)),
    "reviews:collective": Rule("unit_year", by_table(RUN_REVIEWS), methods=("POST",)),
    "reviews:remediation_add": Rule("unit_year", by_table(RUN_REVIEWS), methods=("POST",)),
    "reviews:commitment_paper": Rule("unit_year", by_table(RUN_REVIEWS), methods=("GET", "POST")),
    "reviews:member": Rule("member_year", lambda w, p, k: reaches_cell_of(VIEW_MEMBERS, w, p, k)),
    "reviews:member_save": Rule(
        "member_year", lambda w, p, k: reaches_cell_of(RUN_REVIEWS, w, p, k), methods=("POST",)
    ),
    "reviews:my_commitment": Rule("none", own_record, methods=("GET", "POST")),
    "reviews:commitment": Rule("commitment", lambda w, p, k: reads_commitment(w, p, k)),
    "reviews:commitment_comment": Rule(
        "commitment",
        lambda w, p, k: cellmate(w, p, k) and reads_commitment(w, p, k),
        methods=("POST",),
    ),
    "reviews:commitment_decide": Rule(
        "commitment",
        lambda w, p, k: reaches_cell_of(RUN_REVIEWS, w, p, k),
        methods=("POST",),
    ),
    "supervision:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "supervision:create": Rule("none", by_table(SUPERVISION, "none"), methods=("GET", "POST")),
    "supervision:edit": Rule("supervision_record", by_table(SUPERVISION), methods=("GET", "POST")),
    "inspection:list": Rule("none", by_table(DISCIPLINE, "none")),
    "inspection:create": Rule("none", by_table(DISCIPLINE, "none"), methods=("GET", "POST")),
    "inspection:detail": Rule("case", by_table(DISCIPLINE)),
    "inspection:conclude": Rule("case", by_table(DISCIPLINE), methods=("POST",)),
    "inspection:discipline": Rule("case", by_table(DISCIPLINE), methods=("POST",)),
    "meetings:grid": Rule("none", by_table(VIEW_MEMBERS, "none")),
    "meetings:cell": Rule("unit_year", by_table(VIEW_MEMBERS)),
    "meetings:record": Rule("unit", by_table(RUN_REVIEWS), methods=("GET", "POST")),
    "meetings:edit": Rule("meeting", by_table(RUN_REVIEWS), methods=("GET", "POST")),
    # The meetings of the matrix have no file: a 404 either way, and the reach is the
    # same selector's as the cell's page (tested with a file in meetings' own tests).
    "meetings:minutes": Rule("meeting", lambda w, p, k: False),
    "practices:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "practices:create": Rule("none", by_table(RUN_STUDY, "none"), methods=("GET", "POST")),
    "practices:edit": Rule("practice", by_table(RUN_STUDY), methods=("GET", "POST")),
    "surveys:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "surveys:create": Rule("none", by_table(WRITE_REPORTS, "none"), methods=("GET", "POST")),
    "awards:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "awards:create": Rule("none", by_table(WRITE_REPORTS, "none"), methods=("GET", "POST")),
    "awards:xlsx": Rule("none", by_table(VIEW_REPORTS, "none")),
    # A decision of the province for a recipient in the unit: seen by whoever reaches the
    # recipient, written by the province's officers only.
    "awards:detail": Rule("award", by_table(VIEW_REPORTS)),
    "awards:edit": Rule("award", by_table(WRITE_REPORTS), methods=("GET", "POST")),
    "awards:delete": Rule("award", by_table(WRITE_REPORTS), methods=("POST",)),
    "sociology:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "sociology:create": Rule("none", by_table(WRITE_REPORTS, "none"), methods=("GET", "POST")),
    # A survey of the province sampling the unit: seen by whoever reaches the sampled unit,
    # designed and run by the province's officers only.
    "sociology:detail": Rule("socio", by_table(VIEW_REPORTS)),
    # Results belong to the conducting committee (the province): those who reach it.
    "sociology:results": Rule("socio", lambda w, p, k: within(VIEW_REPORTS.get(p or "", []), "DN")),
    "sociology:results_xlsx": Rule(
        "socio", lambda w, p, k: within(VIEW_REPORTS.get(p or "", []), "DN")
    ),
    "sociology:edit": Rule("socio", by_table(WRITE_REPORTS), methods=("GET", "POST")),
    "sociology:question_add": Rule("socio", by_table(WRITE_REPORTS), methods=("POST",)),
    "sociology:question_delete": Rule("socio_question", by_table(WRITE_REPORTS), methods=("POST",)),
    "sociology:open": Rule("socio", by_table(WRITE_REPORTS), methods=("POST",)),
    "sociology:close": Rule("socio", by_table(WRITE_REPORTS), methods=("POST",)),
    "sociology:invitations": Rule("socio", by_table(WRITE_REPORTS)),
    "sociology:paper": Rule("socio", by_table(WRITE_REPORTS), methods=("GET", "POST")),
    "sociology:paper_template": Rule("socio", by_table(WRITE_REPORTS)),
    "sociology:paper_import": Rule("socio", by_table(WRITE_REPORTS), methods=("POST",)),
    # The respondent's pages: the personal code is the credential, no account is needed.
    "sociology:answer_start": Rule("none", anyone, methods=("GET", "POST")),
    "plans:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "plans:submit": Rule("none", by_table(WRITE_REPORTS, "none"), methods=("GET", "POST")),
    # The level above decides: the province's officers, for a district's plan.
    "plans:decide": Rule("plan", by_table(WRITE_REPORTS), methods=("POST",)),
    # Reporting rounds: the province's round over its three districts (rounds/access.py).
    # Its board is read by whoever reaches the province with VIEW_REPORTS; a report once
    # sent too, a draft by its own office alone (no persona here); the province's holders
    # of WRITE_REPORTS review (return, accept, reopen, extend); a round is launched where
    # one holds WRITE_REPORTS (the administrator holds no role anywhere).
    "rounds:list": Rule("none", by_table(VIEW_REPORTS, "none")),
    "rounds:create": Rule("none", lambda w, p, k: p in PROVINCE_REVIEWERS, methods=("GET", "POST")),
    "rounds:board": Rule("round", reads_round),
    "rounds:figures": Rule("round", reads_round),
    "rounds:report": Rule("round_report", reads_round_report),
    "rounds:report_figures": Rule("round_report", reads_round_report),
    # The DOCX: read by whoever reads the report (a submitted one here).
    "rounds:report_docx": Rule("round_report", reads_round_report),
    "rounds:save": Rule("round_report", lambda w, p, k: False, methods=("POST",)),
    "rounds:submit": Rule("round_report", lambda w, p, k: False, methods=("POST",)),
    "rounds:return": Rule("round_report", reviews_round_report, methods=("POST",)),
    "rounds:accept": Rule("round_report", reviews_round_report, methods=("POST",)),
    "rounds:reopen": Rule("round_report", reviews_round_report, methods=("POST",)),
    "rounds:extend": Rule(
        "round_report", lambda w, p, k: p in PROVINCE_REVIEWERS, methods=("POST",)
    ),
    "api:join": Rule("none", logged_in, methods=("POST",)),
    "api:attempt": Rule("token", anyone),
    "api:start": Rule("token", anyone, methods=("POST",)),
    "api:answer": Rule("token_question", anyone, methods=("POST",)),
    "api:submit": Rule("token", anyone, methods=("POST",)),
    "api:results": Rule("assessment", by_table(VIEW_REPORTS)),
    "api:noop": Rule("none", anyone),
    "api:openapi": Rule("none", anyone),
}


def app_urls() -> Iterator[tuple[str, list[str]]]:
    def walk(patterns: list, ns: str | None) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's admin: checked in test_it_keeps_the_django_admin_to_admins
                yield from walk(pattern.url_patterns, pattern.namespace or ns)
            elif isinstance(pattern, URLPattern):
                yield (
                    f"{ns}:{pattern.name}" if ns else str(pattern.name),
                    list(pattern.pattern.converters),
                )

    yield from walk(get_resolver().url_patterns, None)


def test_it_has_a_rule_for_every_url() -> None:
    missing = [name for name, _ in app_urls() if name not in RULES]
    assert missing == [], f"URLs without an authorization rule: {missing}"


def objects_for(world: World, kind: str) -> list[tuple[str, dict[str, object]]]:
    if kind == "none":
        return [("", {})]
    if kind == "unit":
        return [(code, {"code": code}) for code in world.units]
    if kind == "cell":
        cells = UnitVersion.objects.cells().values_list("unit__code", flat=True)
        return [(code, {"cell_code": code}) for code in cells]
    if kind == "member":
        return [(key, {"card_number": m.card_number}) for key, m in world.members.items()]
    if kind == "account":
        return [(key, {"user_id": u.pk}) for key, u in world.users.items()]
    if kind == "group":
        return [(code, {"group": code}) for code in ("org", "2.1", "2.5")]
    if kind == "indicator":
        return [(code, {"code": code}) for code in ("org.members", "supervision.front_by_level")]
    if kind == "summary":
        return [
            (code, {"report_id": summary_report(code).pk})
            for code in ("DN", CUJUT_CELL, TUYDUC_CELL)
        ]
    if kind == "summary_file":
        return [
            (code, {"report_id": summary_report(code).pk, "fmt": fmt})
            for code in ("DN", CUJUT_CELL, TUYDUC_CELL)
            for fmt in ("docx", "xlsx")
        ]
    if kind == "job":
        return [(persona, {"job_id": export_job(world, persona).pk}) for persona in JOB_OWNERS]
    if kind == "session":
        return [
            (code, {"session_id": session_at(code).pk}) for code in ("DN", CUJUT_CELL, TUYDUC_CELL)
        ]
    if kind in {"assessment", "code", "token", "token_question", "document", "question"}:
        assessments = {code: assessment_at(code) for code in ("DN", CUJUT_CELL, TUYDUC_CELL)}
        if kind == "assessment":
            return [(code, {"assessment_id": a.pk}) for code, a in assessments.items()]
        if kind == "code":
            return [(code, {"code": a.code}) for code, a in assessments.items()]
        # The test document is the province's (the key: the unit answering for it).
        if kind == "document":
            return [("DN", {"document_id": assessments["DN"].document_id})]
        if kind == "question":
            first = Question.objects.filter(document_id=assessments["DN"].document_id).first()
            return [("DN", {"question_id": first.pk})]
        attempts = Attempt.objects.filter(assessment=assessments[CUJUT_CELL])
        if kind == "token":
            return [(str(a.member_id), {"token": a.token}) for a in attempts[:2]]
        return [
            (str(a.member_id), {"token": a.token, "question_id": a.questions[0][0]})
            for a in attempts[:2]
        ]
    if kind == "practice":
        return [
            (code, {"practice_id": practice_at(world, code).pk})
            for code in (CUJUT_CELL, TUYDUC_CELL)
        ]
    if kind == "socio":
        return [(code, {"survey_id": survey_for(world, code).pk}) for code in SOCIO_UNITS]
    if kind == "socio_question":
        return [
            (
                code,
                {
                    "survey_id": (q := survey_for(world, code)).pk,
                    "question_id": q.questions.get().pk,
                },
            )
            for code in SOCIO_UNITS
        ]
    if kind == "award":
        return [
            (code, {"decision_id": award_for(world, code).pk})
            for code in (CUJUT_CELL, TUYDUC_CELL, "DN.DAKMIL")
        ]
    if kind == "plan":
        return [(code, {"plan_id": plan_of(world, code).pk}) for code in ("DN.CUJUT", "DN.TUYDUC")]
    if kind == "meeting":
        return [(code, {"meeting_id": meeting_at(world, code).pk}) for code in MEETING_CELLS]
    if kind == "case":
        return [(unit, {"case_id": case_at(world, unit).pk}) for unit in CASE_UNITS]
    if kind == "supervision_record":
        return [
            (code, {"supervision_id": supervision_at(world, code).pk})
            for code in ("DN.CUJUT", "DN.TUYDUC")
        ]
    if kind == "unit_year":
        return [(code, {"code": code, "year": 2022}) for code in world.units]
    if kind == "member_year":
        return [
            (key, {"code": member_cell(world, key), "year": 2022, "card": m.card_number})
            for key, m in world.members.items()
        ]
    if kind in {"suggestion", "remediation", "commitment"}:
        made = cycle_of(world)
        return [
            (key, {f"{kind}_id" if kind != "remediation" else "item_id": pk})
            for key, pk in made[kind]
        ]
    if kind in {"round", "round_report", "round_draft"}:
        rnd = round_of(world)
        if kind == "round":
            return [("DN", {"round_id": rnd.pk})]
        reports = rnd.reports.select_related("unit").order_by("unit__code")
        return [
            (r.unit.code, {"round_id": rnd.pk, "report_id": r.pk})
            for r in reports
            if kind == "round_report" or r.state == "not_started"
        ]
    if kind == "grant_request":
        return [(code, {"request_id": grant_request_at(world, code).pk}) for code in GRANT_REQUESTS]
    if kind == "account_role":
        return [
            (key, {"user_id": u.pk, "role_id": role.pk})
            for key, u in world.users.items()
            for role in Role.objects.filter(user=u)[:1]
        ]
    raise AssertionError(kind)


def assessment_at(code: str) -> Assessment:
    """One open assessment per unit code (created once per test world), with a bank of
    three questions on a document, and attempts for the unit's members."""
    from datetime import timedelta

    from django.utils import timezone

    from dangvu.assessments import services
    from dangvu.documents.services import document_register

    found = Assessment.objects.filter(unit__code=code).first()
    if found:
        return found
    document = Document.objects.filter(key="test-doc").first() or document_register(
        symbol="05-ĐA/TU",
        issued_on=timezone.localdate(),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Đề án thử",
        key="test-doc",
    )
    if not document.questions.exists():
        for i in range(3):
            services.question_save(
                document=document,
                section=None,
                kind="single",
                text=f"Câu hỏi {i}",
                options=[("Đúng", True), ("Sai", False)],
            )
    now = timezone.now()
    assessment = services.assessment_save(
        spec=services.AssessmentSpec(
            title=f"Kiểm tra {code}",
            document=document,
            unit=Unit.objects.get(code=code),
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=1),
            question_count=2,
        )
    )
    services.assessment_open(assessment=assessment)
    return assessment


def session_at(code: str) -> StudySession:
    """One study session per unit code (created once per test world)."""
    from django.utils import timezone

    from dangvu.study.services import session_create

    found = StudySession.objects.filter(unit__code=code).first()
    if found:
        return found
    assessment_at(code)  # registers the test document
    return session_create(
        title=f"Hội nghị {code}",
        unit=Unit.objects.get(code=code),
        held_on=timezone.localdate(),
        form="in_person",
        documents=[Document.objects.get(key="test-doc")],
    )


def cycle_of(world: World) -> dict[str, list[tuple[str, int]]]:
    """Suggestions, remediation items and commitments in two districts (made once)."""
    from dangvu.members.models import ManagementLevel
    from dangvu.reviews import services as reviews

    if not Commitment.objects.exists():
        for key, status in (
            ("ybhiong", "draft"),
            ("binh", "approved"),
            ("anh", "submitted"),
            ("hbia", "approved"),
        ):
            c = reviews.commitment_start(member=world.members[key], year=2022)
            sections = {
                k: "Nội dung."
                for k in ("ideology", "ethics", "duties", "discipline", "degradation")
            }
            if status == "draft":
                reviews.commitment_save(commitment=c, sections=sections)
                continue
            c = reviews.commitment_save(commitment=c, sections=sections, submit=True)
            if status == "approved":
                reviews.commitment_approve(commitment=c, actor=None)
        for key in ("cuong", "binh", "hbia"):
            m = world.members[key]
            m.management_level = ManagementLevel.DISTRICT
            m.save()
        for district, subject in (("DN.CUJUT", "binh"), ("DN.TUYDUC", "hbia")):
            reviews.suggestion_issue(
                spec=reviews.SuggestionSpec(
                    year=2022,
                    issuer=world.units[district],
                    issued_on=timezone_day(),
                    subject_member=world.members[subject],
                )
            )
            review = reviews.member_review_save(
                spec=reviews.MemberReviewSpec(
                    member=world.members[subject], year=2022, outcome="reviewed"
                )
            )
            reviews.remediation_add(
                shortcoming="Chưa dự đủ sinh hoạt.",
                plan="Dự đủ.",
                deadline=date(2099, 1, 1),
                member_review=review,
            )
    keyed = {m.pk: k for k, m in world.members.items()}
    return {
        "suggestion": [
            (member_cell(world, keyed[s.subject_member_id]), s.pk)
            for s in ReviewSuggestion.objects.all()
        ],
        "remediation": [
            (i.unit.code, i.pk) for i in RemediationItem.objects.select_related("unit")
        ],
        "commitment": [(keyed[c.member_id], c.pk) for c in Commitment.objects.all()],
    }


MEETING_CELLS = (CUJUT_CELL, TUYDUC_CELL)


def practice_at(world: World, code: str) -> Practice:
    """A model registered in a cell (made once)."""
    from dangvu.practices.services import PracticeSpec, practice_save

    found = Practice.objects.filter(unit__code=code).first()
    return found or practice_save(
        spec=PracticeSpec(
            unit=world.units[code], name=f"Mô hình {code}", started_on=date(2021, 5, 19)
        )
    )


SOCIO_UNITS = (CUJUT_CELL, TUYDUC_CELL, "DN.DAKMIL")


def survey_for(world: World, code: str) -> Questionnaire:
    """A draft survey of the province sampling the unit, with one question (made once)."""
    from dangvu.sociology.services import QuestionnaireSpec, question_add, questionnaire_save

    found = Questionnaire.objects.filter(title=f"Điều tra {code}").first()
    if found is not None:
        return found
    survey = questionnaire_save(
        spec=QuestionnaireSpec(
            unit=world.units["DN"],
            title=f"Điều tra {code}",
            started_on=date(2022, 3, 1),
            ended_on=date(2022, 3, 31),
            sample_units=[world.units[code]],
        )
    )
    question_add(questionnaire=survey, kind="text", text="Ý kiến")
    return survey


def round_of(world: World) -> ReportingRound:
    """The province's round over its districts (made once): Cư Jút's report submitted,
    Đắk Mil's not started, Tuy Đức's accepted."""
    from dangvu.indicators.models import Programme
    from dangvu.lib.periods import between
    from dangvu.reports.models import SECTIONS
    from dangvu.rounds import services

    found = ReportingRound.objects.first()
    if found is not None:
        return found
    rnd = services.round_launch(
        unit=world.units["DN"],
        programme=Programme.objects.get(code="DA05"),
        title="Sơ kết 5 năm",
        period=between(date(2018, 7, 5), date(2023, 6, 30)),
        deadline=date(2023, 6, 15),
        outline=SECTIONS[:2],
        actor=None,
        on=date(2023, 5, 1),
    )
    texts = {key: "Nội dung." for key, _ in SECTIONS[:2]}
    for code in ("DN.CUJUT", "DN.TUYDUC"):
        report = rnd.reports.get(unit=world.units[code])
        report = services.report_submit(report=report, texts=texts, actor=None)
        if code == "DN.TUYDUC":
            services.report_accept(report=report, actor=None)
    return rnd


def award_for(world: World, code: str) -> AwardDecision:
    """A decision of the province's standing committee for the unit (made once)."""
    from dangvu.awards.services import DecisionSpec, RecipientSpec, decision_save

    found = AwardDecision.objects.filter(recipients__unit__code=code).first()
    return found or decision_save(
        spec=DecisionSpec(
            unit=world.units["DN"],
            issuer=Issuer.STANDING_COMMITTEE,
            number=f"QĐ {code}",
            issued_on=date(2021, 5, 19),
            form=AwardForm.CERTIFICATE,
            theme=Theme.HCM,
            recipients=[RecipientSpec(RecipientKind.PARTY_ORG, code, world.units[code])],
        )
    )


def plan_of(world: World, code: str) -> UnitPlan:
    """A district's plan awaiting the province's decision (made once)."""
    from dangvu.indicators.catalogue import catalogue_sync
    from dangvu.plans.services import plan_submit

    found = UnitPlan.objects.filter(unit__code=code).first()
    return found or plan_submit(
        programme=catalogue_sync(),
        unit=world.units[code],
        title=f"Kế hoạch {code}",
        submitted_on=date(2018, 9, 1),
    )


def meeting_at(world: World, code: str) -> Meeting:
    """One regular meeting planned in a cell (made once per world)."""
    from dangvu.meetings.services import MeetingSpec, meeting_save

    found = Meeting.objects.filter(unit__code=code).first()
    return found or meeting_save(
        spec=MeetingSpec(
            unit=world.units[code], kind="regular", month=date(2022, 3, 1), topics="Kế hoạch"
        )
    )


CASE_UNITS = ("DN.DAKMIL.DUCMINH.T1", "DN.TUYDUC.QUANGTRUC")


def case_at(world: World, code: str) -> InspectionCase:
    """One case per unit (made once): Cường (Đắk Mil) as a member, Quảng Trực as an org."""
    from dangvu.inspection.services import CaseSpec, case_open

    found = InspectionCase.objects.filter(unit__code=code).first()
    if found:
        return found
    member = world.members["cuong"] if code.endswith(".T1") else None
    return case_open(
        spec=CaseSpec(
            code=f"KT-{code}",
            kind="signs",
            body=world.units[code.rsplit(".", 1)[0] if member else "DN.TUYDUC"],
            opened_on=date(2022, 3, 1),
            subject_member=member,
            subject_unit=None if member else world.units[code],
        )
    )


def supervision_at(world: World, code: str) -> Supervision:
    """One supervision recorded at a district (made once per world)."""
    from dangvu.supervision.services import SupervisionSpec, supervision_save

    found = Supervision.objects.filter(unit__code=code).first()
    return found or supervision_save(
        spec=SupervisionSpec(
            code=f"GS-{code}",
            held_on=date(2022, 6, 1),
            level="district",
            organisation="front",
            unit=world.units[code],
            subject="Việc giải quyết kiến nghị của Nhân dân",
        )
    )


def timezone_day() -> date:
    from django.utils import timezone

    return timezone.localdate()


#: Personas with a finished export job in the world: all the province's data, and the
#: Front's (its supervision sheet alone).
JOB_OWNERS = ("tochuc", "mattran")


def export_job(world: World, persona: str) -> Job:
    """The persona's export, run by a worker (made once per test world)."""
    user = world.users[persona]
    job = Job.objects.filter(actor=user, kind="exchange_export").first()
    if job is None:
        job = jobs.submit("exchange_export", actor=user, title="Xuất dữ liệu")
        run_queued()
        job.refresh_from_db()
    return job


def summary_report(code: str) -> object:
    """One summary report per unit code (created once per test world)."""
    from dangvu.indicators.models import Programme

    unit = Unit.objects.get(code=code)
    report, _ = SummaryReport.objects.get_or_create(
        unit=unit,
        period="2018-07-05..2023-06-30",
        defaults={
            "programme": Programme.objects.get(code="DA05"),
            "title": f"Báo cáo {code}",
            "issuer": "Tỉnh ủy",
        },
    )
    return report


def snapshot() -> tuple[object, ...]:
    return (
        Unit.objects.count(),
        UnitVersion.objects.count(),
        Member.objects.count(),
        Membership.objects.count(),
        Role.objects.count(),
        sorted(GrantRequest.objects.values_list("pk", "status")),
        EnteredValue.objects.count(),
        Answer.objects.count(),
        Question.objects.count(),
        sorted(Option.objects.values_list("text", "correct")),
        Attendance.objects.filter(attended=True).count(),
        StudySession.objects.count(),
        Attempt.objects.exclude(submitted_at=None).count(),
        SummaryReport.objects.count(),
        MemberReview.objects.count(),
        CollectiveReview.objects.count(),
        sorted(Commitment.objects.values_list("status", flat=True)),
        CommitmentComment.objects.count(),
        ReviewSuggestion.objects.exclude(answered_on=None).count(),
        ReviewSuggestion.objects.count(),
        RemediationItem.objects.exclude(done_on=None).count(),
        RemediationItem.objects.count(),
        sorted(Supervision.objects.values_list("code", "subject")),
        sorted(
            InspectionCase.objects.values_list(
                "code", "concluded_on", "violation", "discipline_id", "complex"
            )
        ),
        CaseRead.objects.count(),
        sorted(Meeting.objects.values_list("unit_id", "month", "held_on", "topics")),
        MeetingAttendance.objects.count(),
        sorted(UnitPlan.objects.values_list("unit_id", "status", "title")),
        sorted(Practice.objects.values_list("unit_id", "name", "recognition")),
        sorted(AwardDecision.objects.values_list("number", "issued_on", "theme")),
        sorted(Questionnaire.objects.values_list("title", "status", "started_on")),
        SocioQuestion.objects.count(),
        SocioResponse.objects.count(),
        sorted(Invitation.objects.values_list("code", "used")),
        sorted(AwardRecipient.objects.values_list("decision_id", "unit_id", "name")),
        sum(1 for v in UnitVersion.objects.values_list("valid_to", flat=True) if v.year < 9999),
        ReportingRound.objects.count(),
        sorted(
            (r[0], r[1], r[2], str(r[3]), str(r[4]), str(r[5]))
            for r in RoundReport.objects.values_list(
                "pk", "state", "extended_to", "texts", "comments", "snapshot"
            )
        ),
        RoundEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_each_persona_reach_its_subtree_only(world: World, persona: str | None) -> None:
    client = world.client(persona)
    leaks: list[str] = []
    for name, _ in app_urls():
        rule = RULES[name]
        for key, kwargs in objects_for(world, rule.objects):
            url = reverse(name, kwargs=kwargs)
            for method in rule.methods:
                who = rule.writes if method == "POST" and rule.writes else rule.allowed
                allowed = who(world, persona, key)
                if method == "POST" and allowed:
                    continue  # what an allowed POST does is each app's own test
                before = snapshot()
                response = client.get(url) if method == "GET" else client.post(url, {})
                status = response.status_code
                if persona is None and not allowed and url.startswith(API_PREFIX):
                    ok = status == 401 and snapshot() == before  # the API answers in JSON
                elif persona is None and not allowed:
                    ok = status == 302 and "/dang-nhap/" in response["Location"]
                elif allowed:
                    ok = status in (200, 302)
                else:
                    ok = status == 404 and snapshot() == before
                if not ok:
                    leaks.append(f"{method} {url} as {persona}: {status} (allowed={allowed})")
    assert leaks == []


@pytest.mark.parametrize("persona", ["hoa", "tochuc", "mattran"])
def test_it_keeps_the_django_admin_to_admins(world: World, persona: str) -> None:
    response = world.client(persona).get("/quan-tri/members/member/")
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_it_opens_the_django_admin_to_the_administrator(world: World) -> None:
    assert world.client("quantri").get("/quan-tri/").status_code == 200


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p is not None])
def test_it_lets_no_persona_grant_itself_a_role(world: World, persona: str) -> None:
    """Nobody grants, widens or extends their own roles (accounts/grants.py): every
    department, at the province and at their own units, back-dated or not."""
    from dangvu.accounts.models import Department

    user = world.users[persona]
    client = world.client(persona)
    own = set(Role.objects.filter(user=user).values_list("unit__code", flat=True))

    def held() -> tuple[object, ...]:
        roles = Role.objects.filter(user=user)
        return (
            sorted(roles.values_list("pk", "unit_id", "department", "valid_from", "valid_to")),
            GrantRequest.objects.count(),
        )

    before = held()
    url = reverse("accounts:role_grant", kwargs={"user_id": user.pk})
    for department in Department.values:
        for code in {"DN", *own}:
            for start in ("", "01/01/2010"):
                data = {"unit_code": code, "department": department, "valid_from": start}
                assert client.post(url, data).status_code in (302, 404)
    assert held() == before
