"""The Django admin is no way around the indicators' rules: the administrator defines
programmes and indicators there, but does not rewrite who answers for a figure or which
figures are about persons (items 2 and 5 of issue 13), and reads or types no entered value
the services would refuse them."""

from __future__ import annotations

import json

from auditlog.models import LogEntry

from dangvu.indicators.disclosure import WITHHELD_TEXT
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.services import entered_value_clear
from dangvu.indicators.tests.helpers import enter, period_of

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


def test_it_writes_no_entered_figure_about_cases_into_the_audit_trail(world):
    enter(world, VIOLATED, "DN.CUJUT.EATLING.TDP1", "2019", 3)
    enter(world, VIOLATED, "DN.CUJUT.EATLING.TDP1", "2019", 2)
    entered_value_clear(
        indicator=Indicator.objects.get(code=VIOLATED),
        unit=world.units["DN.CUJUT.EATLING.TDP1"],
        period=period_of("2019"),
    )
    enter(world, "org.members", "DN.CUJUT", "2019", 41)

    page = world.client("quantri").get("/nhat-ky/?loai=enteredvalue").content.decode()

    entries = LogEntry.objects.get_for_model(EnteredValue)
    about_cases = [e for e in entries if VIOLATED in e.object_repr]
    assert len(about_cases) == 3
    for entry in about_cases:
        assert "= " not in entry.object_repr
        assert {v for v in entry.changes["value"] if v != "None"} == {WITHHELD_TEXT}
    assert "= 3" not in page and "= 2" not in page
    assert "value: None → 3" not in page and "value: 3.00 → 2" not in page
    assert f"value: None → {WITHHELD_TEXT}" in page
    # A figure about no one keeps its value in the trail (who overwrote the members' count).
    assert "org.members DN.CUJUT 2019 = 41" in page
