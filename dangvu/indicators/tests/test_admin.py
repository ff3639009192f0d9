"""The Django admin is no way around the indicators' rules: the administrator defines
programmes and indicators there, but does not rewrite who answers for a figure or which
figures are about persons (items 2 and 5 of issue 13), and reads or types no entered value
the services would refuse them."""

from __future__ import annotations

import json

from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.tests.helpers import enter

VIOLATED = "inspection.member_violated"


def _change_form(indicator: Indicator, **changes: str) -> dict[str, str]:
    data = {
        "code": indicator.code,
        "label": indicator.label,
        "group": str(indicator.group_id),
        "source": indicator.source,
        "dims": json.dumps(indicator.dims or ["gender"]),  # the admin's form wants one
        "kind": indicator.kind,
        "unit_label": indicator.unit_label,
        "seed": json.dumps(indicator.seed),
        "note": indicator.note,
        "order": str(indicator.order),
        "owner": indicator.owner,
        "sensitive": indicator.sensitive,
        "grain": indicator.grain,
        "_save": "Lưu",
    }
    return {**data, **changes}


def test_it_keeps_who_answers_for_a_figure_and_its_disclosure_from_the_administrator(world):
    indicator = Indicator.objects.get(code=VIOLATED)
    url = f"/quan-tri/indicators/indicator/{indicator.pk}/change/"

    response = world.client("quantri").post(
        url, _change_form(indicator, owner="front", sensitive="", grain="")
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.owner, indicator.sensitive, indicator.grain) == (
        "inspection",
        "discipline",
        "year",
    )


def test_it_shows_the_administrator_no_entered_figure_about_cases_in_the_admin(world):
    enter(world, VIOLATED, "DN.CUJUT.EATLING.TDP1", "2019", 1)
    entry = EnteredValue.objects.get()
    client = world.client("quantri")

    listing = client.get("/quan-tri/indicators/enteredvalue/")
    detail = client.get(f"/quan-tri/indicators/enteredvalue/{entry.pk}/change/")

    assert listing.status_code == 200
    assert VIOLATED not in listing.content.decode()
    assert detail.status_code in (302, 404)


def test_it_lets_the_administrator_type_no_entered_value_in_the_admin(world):
    indicator = Indicator.objects.get(code="org.members")
    response = world.client("quantri").post(
        "/quan-tri/indicators/enteredvalue/add/",
        {
            "indicator": str(indicator.pk),
            "key": "",
            "unit": str(world.units["DN"].pk),
            "period": "2019",
            "period_start": "2019-01-01",
            "period_end": "2020-01-01",
            "value": "1",
            "note": "",
        },
    )

    assert response.status_code == 403
    assert not EnteredValue.objects.exists()
