"""Reads of award decisions within the user's reach.

A decision is read through the reports' reach (VIEW_REPORTS over the issuing committee or
over a recipient). Who was honoured is read as the decision publishes it, with one
exception: a party member is named (full name, party card number) only to readers of
member records over the unit the member stood in on the day of the decision
(VIEW_MEMBERS); the others — the Fatherland Front, which reads reports of the whole tree
and never member records — read the members of a decision counted by unit ("02 đảng
viên", the unit's code). Party organisations, collectives and persons outside the Party
are named to every reader: a published award decision is public, and a person outside the
Party is named there by name and the unit they belong to, nothing from a member record
(docs/decisions.md, "Trust (issue 13)").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.awards.models import (
    COLLECTIVE_KINDS,
    INDIVIDUAL_KINDS,
    AwardDecision,
    AwardRecipient,
    RecipientKind,
)
from dangvu.units.models import Unit

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS
KIND_LABEL = dict(RecipientKind.choices)


def decisions_visible(user: User) -> QuerySet[AwardDecision]:
    """Decisions issued inside the user's reach or giving an award to someone inside it."""
    units = scope_for(user).units(VIEW)
    inside = AwardDecision.objects.filter(Q(unit__in=units) | Q(recipients__unit__in=units)).values(
        "pk"
    )
    return (
        AwardDecision.objects.filter(pk__in=inside)
        .select_related("unit", "programme")
        .prefetch_related("unit__versions")
        .annotate(
            collectives=Count("recipients", filter=Q(recipients__kind__in=COLLECTIVE_KINDS)),
            individuals=Count("recipients", filter=Q(recipients__kind__in=INDIVIDUAL_KINDS)),
        )
    )


@dataclass(frozen=True)
class RecipientLine:
    """A recipient as the reader may read it: `name` and `card` as recorded, or, for the
    members the reader may not name, `count` of them in `unit`, with the name "02 đảng
    viên" and no card."""

    decision: AwardDecision
    kind: str
    name: str
    card: str
    unit: Unit
    count: int = 1


def recipient_lines(user: User, decisions: QuerySet[AwardDecision]) -> list[RecipientLine]:
    """The recipients of `decisions` the user reads, in the decisions' order and then as
    recorded: all of a decision's recipients for those who reach the issuing committee; to
    the others, those inside their reach (a cell sees its own honours, not another
    district's members named on the same decision). Members are named only under the
    reader's VIEW_MEMBERS, counted by unit elsewhere (the module's docstring)."""
    scope = scope_for(user)
    units = scope.units(VIEW)
    named_units = scope.units(Capability.VIEW_MEMBERS)
    recipients = (
        AwardRecipient.objects.filter(decision__in=decisions.values("pk"))
        .filter(Q(decision__unit__in=units) | Q(unit__in=units))
        .annotate(named=Exists(named_units.filter(pk=OuterRef("unit"))))
        .select_related("decision", "decision__unit", "decision__programme", "unit", "member")
        .order_by("-decision__issued_on", "-decision_id", "pk")
    )
    lines: list[RecipientLine] = []
    counted: dict[tuple[int, int], int] = {}  # (decision, unit): index of its counted line
    for r in recipients:
        kind = KIND_LABEL.get(r.kind, r.kind)
        if r.kind != RecipientKind.MEMBER or r.named:
            card = r.member.card_number if r.member else ""
            lines.append(RecipientLine(r.decision, kind, r.name, card, r.unit))
            continue
        key = (r.decision_id, r.unit_id)
        if key not in counted:
            counted[key] = len(lines)
            lines.append(RecipientLine(r.decision, kind, "", "", r.unit, 0))
        at = counted[key]
        n = lines[at].count + 1
        lines[at] = RecipientLine(r.decision, kind, f"{n:02d} đảng viên", "", r.unit, n)
    return lines


def decisions_writable(user: User) -> QuerySet[AwardDecision]:
    return AwardDecision.objects.filter(unit__in=scope_for(user).writable_units(WRITE))
