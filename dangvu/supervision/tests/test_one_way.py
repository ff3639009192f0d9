"""One way in for supervisions (issue 14): the GiamSat sheet and the demo write through
`supervisions_import`, which refuses with the page's own messages and leaves an audit
entry for each record it writes."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry

from dangvu.conftest import World
from dangvu.exchange.tests.helpers import run_import
from dangvu.supervision import services
from dangvu.supervision.models import Supervision
from dangvu.supervision.tests.test_supervision import HEADERS


def _row(code: str, unit: str, level: str = "Huyện", day: str = "01/06/2022") -> list[str]:
    return [code, day, level, "Mặt trận Tổ quốc", unit, "Dân chủ cơ sở"]


def test_it_refuses_a_row_with_the_services_message(world: World) -> None:
    report = run_import({"GiamSat": [HEADERS, _row("GS-1", "DN.CUJUT", day="01/06/1990")]})

    assert [(e.column, e.reason) for e in report.errors] == [
        ("Mã đơn vị", services.UNIT_NOT_STANDING.format(unit="DN.CUJUT", day=date(1990, 6, 1)))
    ]
    assert not Supervision.objects.exists()


def test_it_imports_through_the_bulk_service_with_an_audit_entry(world: World) -> None:
    report = run_import(
        {"GiamSat": [HEADERS, _row("GS-1", "DN.CUJUT")]}, user=world.users["mattran"]
    )

    assert report.ok, report.errors
    supervision = Supervision.objects.get()
    assert (supervision.code, supervision.created_by) == ("GS-1", world.users["mattran"])
    # Created by an import: one entry for the write, naming the import and the ids.
    entry = LogEntry.objects.get(additional_data__sheet="GiamSat")
    assert (entry.actor, entry.additional_data["ids"]) == (
        world.users["mattran"],
        [[supervision.pk, supervision.pk]],
    )


def test_it_corrects_a_known_code_and_says_what_changed(world: World) -> None:
    run_import({"GiamSat": [HEADERS, _row("GS-1", "DN.CUJUT")]})

    again = run_import({"GiamSat": [HEADERS, _row("GS-1", "DN.DAKMIL")]})

    assert again.ok and again.counts["GiamSat"].updated == 1
    supervision = Supervision.objects.get()
    assert supervision.unit == world.units["DN.DAKMIL"]
    update = LogEntry.objects.get_for_object(supervision).get(action=LogEntry.Action.UPDATE)
    assert update.changes == {"unit_id": [world.units["DN.CUJUT"].pk, world.units["DN.DAKMIL"].pk]}
