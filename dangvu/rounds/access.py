"""Who does what in a reporting round — the one place the rules live; services refuse, and
selectors and views hide (404), by these answers.

- **Launch** a round at a unit, **review** its reports (return, accept, reopen): a role in
  force today *held at that unit* with WRITE_REPORTS (its office or leadership). A role
  higher up reaches the unit too, but a province does not review a district's round.
- **Write** a unit's report (save, submit): a role in force held at the reporting unit
  itself with WRITE_REPORTS — its own office; not the level above, whose reach covers it.
- **Read** a report: its writers always; once sent (submitted, returned, accepted), the
  reviewers and whoever reads reports (VIEW_REPORTS) over the round's unit as it stood when
  the round was launched — so a round of a province merged since (Đắk Nông's of 2023) is
  read by the staff of the province it merged into, and reviewed by nobody any more; and
  whoever reaches the reporting unit as it stood then (its own staff, its successor's after
  a merger) reads what it sent. A draft is read
  by its writers alone: not the reviewers, not the administrator.
- **The board** (states, deadlines, accepted figures): whoever reaches the round's unit
  with VIEW_REPORTS. Not the reporting units' offices: a district does not reach its
  sibling districts, so their states and figures are not its to read (its own report's
  page tells it its state and deadline).
- Figures about persons (an indicator's `sensitive` capability) on the board and in the
  annex: only to a reader holding that capability over the round's unit.
The operator (actor None: the command line, the demo) is trusted, as for every import.
"""

from __future__ import annotations

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, scope_for
from dangvu.rounds.models import ReportingRound, ReportState, RoundReport


def _scope(user: User | Scope | None) -> Scope | None:
    if user is None or isinstance(user, Scope):
        return user
    return scope_for(user)


def may_launch(user: User | Scope | None, unit_id: int) -> bool:
    scope = _scope(user)
    return scope is None or scope.holds_at(Capability.WRITE_REPORTS, unit_id)


def may_review(user: User | Scope | None, rnd: ReportingRound) -> bool:
    scope = _scope(user)
    return scope is None or scope.holds_at(Capability.WRITE_REPORTS, rnd.unit_id)


def may_write(user: User | Scope | None, report: RoundReport) -> bool:
    scope = _scope(user)
    return scope is None or scope.holds_at(Capability.WRITE_REPORTS, report.unit_id)


def may_read_sent(user: User | Scope | None, rnd: ReportingRound) -> bool:
    """May read what units sent in the round (not their drafts)."""
    scope = _scope(user)
    if scope is None or may_review(scope, rnd):
        return True
    return scope.reaches_unit_on(Capability.VIEW_REPORTS, rnd.unit, rnd.launched_on)


def may_read(user: User | Scope | None, report: RoundReport) -> bool:
    """May open the report's page: its writers; once sent, the round's readers."""
    scope = _scope(user)
    if may_write(scope, report):
        return True
    sent = report.state != ReportState.NOT_STARTED and report.submitted_at is not None
    if not sent:
        return False
    if may_read_sent(scope, report.round):
        return True
    # The unit's own staff — and, once it merged away, its successor's — read what it sent.
    assert scope is not None
    return scope.reaches_unit_on(Capability.VIEW_REPORTS, report.unit, report.round.launched_on)


def may_see_board(user: User | Scope | None, rnd: ReportingRound) -> bool:
    return may_read_sent(user, rnd)


def sees_sensitive(user: User | Scope | None, rnd: ReportingRound, capability: str) -> bool:
    """May read a figure about persons guarded by `capability` for the round's units."""
    if not capability:
        return True
    scope = _scope(user)
    return scope is None or scope.reaches_unit_on(Capability(capability), rnd.unit, rnd.launched_on)
