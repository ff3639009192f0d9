"""Indicators of sections 1 and 2.1 from award decisions.

- `reward.collectives[level]`, `reward.individuals[level]`: recipients of the decisions that
  belong to the catalogue's programme, by the level of the issuing committee (the seed: the
  province's standing committee awarded 3 collectives and 5 individuals at the 3-year review;
  the 12 direct committees 27 and 45 at the 5-year review).
- `reward.hcm_*`: Bằng khen for learning from and following Hồ Chí Minh given by the
  province's standing committee and by the chairman of the province's people's committee
  (footnote 4). Recipients count where they stand on the day of the decision.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.awards.models import (
    COLLECTIVE_KINDS,
    INDIVIDUAL_KINDS,
    AwardForm,
    AwardRecipient,
    Issuer,
    Theme,
)
from dangvu.indicators.catalogue import raw
from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.members.models import ManagementLevel

DATE = "decision__issued_on"


def _programme() -> QuerySet[AwardRecipient]:
    return AwardRecipient.objects.filter(decision__programme__code=raw()["programme"]["code"])


@computes("reward.collectives")
def collectives(ctx: Ctx) -> Rows:
    return ctx.events(
        _programme().filter(kind__in=COLLECTIVE_KINDS), date=DATE, key="decision__level"
    )


@computes("reward.individuals")
def individuals(ctx: Ctx) -> Rows:
    return ctx.events(
        _programme().filter(kind__in=INDIVIDUAL_KINDS), date=DATE, key="decision__level"
    )


def _hcm(issuer: str, kinds: tuple[str, ...]) -> QuerySet[AwardRecipient]:
    return AwardRecipient.objects.filter(
        decision__theme=Theme.HCM,
        decision__form=AwardForm.CERTIFICATE,
        decision__level=ManagementLevel.PROVINCE,
        decision__issuer=issuer,
        kind__in=kinds,
    )


@computes("reward.hcm_party_orgs")
def hcm_party_orgs(ctx: Ctx) -> Rows:
    return ctx.events(_hcm(Issuer.STANDING_COMMITTEE, COLLECTIVE_KINDS), date=DATE)


@computes("reward.hcm_members")
def hcm_members(ctx: Ctx) -> Rows:
    return ctx.events(_hcm(Issuer.STANDING_COMMITTEE, INDIVIDUAL_KINDS), date=DATE)


@computes("reward.hcm_collectives_ubnd")
def hcm_collectives_ubnd(ctx: Ctx) -> Rows:
    return ctx.events(_hcm(Issuer.PEOPLES_COMMITTEE_CHAIR, COLLECTIVE_KINDS), date=DATE)


@computes("reward.hcm_individuals_ubnd")
def hcm_individuals_ubnd(ctx: Ctx) -> Rows:
    return ctx.events(_hcm(Issuer.PEOPLES_COMMITTEE_CHAIR, INDIVIDUAL_KINDS), date=DATE)
