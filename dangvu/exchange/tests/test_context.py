"""The import context: typed lookups, one state per app per run, sheets in declared order."""

from __future__ import annotations

import pytest

from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ImportContext
from dangvu.units.models import Unit


class _Counter:
    made = 0

    def __init__(self, ctx: ImportContext) -> None:
        type(self).made += 1
        self.ctx = ctx


def test_a_state_is_made_once_per_run() -> None:
    first, second = ImportContext(actor=None, scope=None), ImportContext(actor=None, scope=None)
    _Counter.made = 0
    assert first.state(_Counter) is first.state(_Counter)
    assert first.state(_Counter).ctx is first
    assert second.state(_Counter) is not first.state(_Counter)
    assert _Counter.made == 2


@pytest.mark.django_db
def test_the_tree_lookups_follow_the_units_written() -> None:
    ctx = ImportContext(actor=None, scope=None)
    assert ctx.units_by_code == {} and ctx.writes(123)
    unit = Unit.objects.create(code="X.NEW", founded_on="2020-01-01")
    assert ctx.unit_ids_by_code == {}  # cached for the run
    ctx.units_written({"X.NEW": unit})
    assert ctx.unit_ids_by_code == {"X.NEW": unit.pk}
    assert ctx.unit_codes_by_id == {unit.pk: "X.NEW"}


def test_the_registry_refuses_a_sheet_ordered_before_what_it_needs() -> None:
    def spec(name: str, order: int, after: tuple[str, ...] = ()) -> wb.SheetSpec:
        return wb.SheetSpec(
            name=name,
            title=name,
            columns=(),
            load=lambda c, r: wb.SheetResult(),
            dump=lambda c: [],
            order=order,
            after=after,
        )

    registry = wb.Registry()
    registry.register(spec("A", 10))
    registry.register(spec("B", 20, after=("A",)))
    assert [s.name for s in registry.ordered()] == ["A", "B"]
    registry.register(spec("C", 5, after=("B",)))
    with pytest.raises(ValueError, match="C must come after B"):
        registry.ordered()


def test_every_registered_sheet_comes_after_what_it_needs() -> None:
    names = [s.name for s in wb.registry.ordered()]
    assert names.index("DonVi") < names.index("DangVien") < names.index("KiemDiem")
