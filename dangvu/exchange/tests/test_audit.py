"""The audit of an import: the records it creates are entered once per write, naming the
import (whose log keeps the workbook); a change to a record on file is entered with its
diff, one entry per record; a refused or trial import leaves no entry of records."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dangvu.conftest import World
from dangvu.core.audit import IMPORT_REPR
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.tests.helpers import DANG_VIEN, run_import
from dangvu.members.models import Member
from dangvu.reviews.models import MemberReview
from dangvu.reviews.tests.test_exchange import KIEM_DIEM

NEW = [
    ["67000101", "Nguyễn Văn An", "01/01/1990", "Nam", "01/01/2020", None, "DN.DAKMIL.UBKT"],
    ["67000102", "Trần Thị Bích", "02/02/1991", "Nữ", "02/02/2020", None, "DN.DAKMIL.UBKT"],
    ["67000103", "Lê Văn Cường", "03/03/1992", "Nam", "03/03/2020", None, "DN.DAKMIL.UBKT"],
]
REVIEWS = [
    [2022, "67000101", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],
    [2022, "67000102", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"],
    [2022, "67000001", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],
]


def _last() -> int:
    return LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def _entries(model: type, after: int) -> list[LogEntry]:
    kind = ContentType.objects.get_for_model(model)
    return list(LogEntry.objects.filter(content_type=kind, pk__gt=after).order_by("pk"))


def _ids(entry: LogEntry) -> set[int]:
    return {pk for first, last in entry.additional_data["ids"] for pk in range(first, last + 1)}


def test_it_enters_the_records_an_import_creates_once_naming_the_import(world: World) -> None:
    before, last = LogEntry.objects.count(), _last()

    report = run_import({"DangVien": [DANG_VIEN[:7], *NEW], "KiemDiem": [KIEM_DIEM, *REVIEWS]})

    assert report.ok, report.errors
    log = ExchangeLog.objects.get()
    assert (log.kind, log.succeeded, bool(log.stored_file)) == (ExchangeKind.IMPORT, True, True)
    (members,) = _entries(Member, last)
    created = set(Member.objects.filter(card_number__in=[r[0] for r in NEW]).values_list("pk"))
    assert {(pk,) for pk in _ids(members)} == created
    assert members.action == LogEntry.Action.CREATE
    assert members.additional_data | {"ids": None} == {
        "source": "import",
        "import": log.pk,
        "sheet": "DangVien",
        "created": 3,
        "ids": None,
    }
    assert members.object_repr == IMPORT_REPR.format(count=3, log=log.pk, file="du-lieu.xlsx")
    (reviews,) = _entries(MemberReview, last)
    assert _ids(reviews) == set(MemberReview.objects.values_list("pk", flat=True))
    assert (reviews.additional_data["sheet"], reviews.additional_data["created"]) == (
        "KiemDiem",
        3,
    )
    # Bounded: one entry per write, however many rows (not one per record).
    assert LogEntry.objects.count() - before == 2


def test_it_enters_each_change_to_a_record_on_file_with_its_diff(world: World) -> None:
    assert run_import({"KiemDiem": [KIEM_DIEM, REVIEWS[2]]}).ok
    review, last = MemberReview.objects.get(), _last()
    changed = [2022, "67000001", "Đã kiểm điểm", "Hoàn thành xuất sắc nhiệm vụ"]

    report = run_import({"KiemDiem": [KIEM_DIEM, changed]})

    assert report.ok, report.errors
    second = ExchangeLog.objects.latest("pk")
    (entry,) = _entries(MemberReview, last)
    assert (entry.action, entry.object_pk) == (LogEntry.Action.UPDATE, str(review.pk))
    assert (entry.additional_data["import"], entry.additional_data["sheet"]) == (
        second.pk,
        "KiemDiem",
    )
    assert "grade" in entry.changes


def test_a_refused_or_trial_import_enters_no_record(world: World) -> None:
    before = LogEntry.objects.count()
    bad = ["67000109", "Phạm Văn Sai", "01/01/2030", "Nam", "01/01/2020", None, "DN.DAKMIL.UBKT"]

    refused = run_import({"DangVien": [DANG_VIEN[:7], NEW[0], bad]})
    trial = run_import({"DangVien": [DANG_VIEN[:7], *NEW]}, dry_run=True)

    assert not refused.ok and trial.ok
    assert LogEntry.objects.count() == before
    assert sorted(
        (log.kind, log.succeeded, bool(log.stored_file)) for log in ExchangeLog.objects.all()
    ) == [(ExchangeKind.DRY_RUN, True, False), (ExchangeKind.IMPORT, False, False)]
