"""The audit trail: who changed what, before and after; shown to the administrator only."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dangvu.accounts.models import Role
from dangvu.members.models import Member


def _edit_ybhiong(world):
    return world.client("hoa").post(
        "/dang-vien/67000002/sua/",
        {
            "full_name": "Y Bhiông Êban",
            "birth_date": "02/04/1988",
            "gender": "M",
            "joined_on": "03/03/2005",
            "full_member_on": "03/03/2006",
            "management_level": "",
            "is_committee_member": "on",
        },
        REMOTE_ADDR="10.0.0.7",
    )


def _updates_of(member: Member):
    return LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE)


def test_it_records_who_changed_a_member_and_what_changed(world):
    response = _edit_ybhiong(world)

    assert response.status_code == 302
    entry = _updates_of(world.members["ybhiong"]).get()
    assert entry.actor == world.users["hoa"]
    assert entry.remote_addr == "10.0.0.7"
    assert entry.content_type == ContentType.objects.get_for_model(Member)
    assert entry.object_pk == str(world.members["ybhiong"].pk)
    assert entry.changes_dict == {
        "full_name": ["Y Bhiông Niê", "Y Bhiông Êban"],
        "is_committee_member": ["False", "True"],
    }


def test_it_records_nothing_when_nothing_changed(world):
    member = world.members["ybhiong"]

    world.client("hoa").post(
        "/dang-vien/67000002/sua/",
        {
            "full_name": member.full_name,
            "birth_date": "02/04/1988",
            "gender": "M",
            "joined_on": "03/03/2005",
            "full_member_on": "03/03/2006",
            "management_level": "",
        },
    )

    assert not _updates_of(member).exists()


def test_it_records_a_transfer_against_the_memberships(world):
    world.client("hoa").post(
        "/dang-vien/67000002/chuyen-sinh-hoat/",
        {"to_cell_code": "DN.CUJUT.EATLING.TDP2", "effective_on": "01/03/2024"},
    )

    entries = LogEntry.objects.filter(
        content_type__model="membership", actor=world.users["hoa"]
    ).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.UPDATE, LogEntry.Action.CREATE]
    assert entries[0].changes_dict["valid_to"] == ["9999-12-31", "2024-03-01"]


def test_it_records_a_granted_role(world):
    hoa = world.users["hoa"]

    world.client("tochuc").post(
        f"/tai-khoan/{hoa.pk}/vai-tro/",
        {"unit_code": "DN.CUJUT.EATLING", "department": "secretary", "valid_from": "01/01/2025"},
    )

    role = Role.objects.get(user=hoa, unit=world.units["DN.CUJUT.EATLING"])
    entry = LogEntry.objects.get_for_object(role).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == world.users["tochuc"]


def test_it_never_records_the_password(world):
    hoa = world.users["hoa"]
    hoa.set_password("mat-khau-moi-cua-hoa")
    hoa.full_name = "Nguyễn Thị Hoà"
    hoa.save()

    entry = LogEntry.objects.get_for_object(hoa).filter(action=LogEntry.Action.UPDATE).get()
    assert set(entry.changes_dict) == {"full_name"}


def test_it_shows_the_audit_trail_to_the_administrator(world):
    _edit_ybhiong(world)

    response = world.client("quantri").get("/nhat-ky/", {"loai": "member"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nhật ký thay đổi" in body
    assert "full_name: Y Bhiông Niê → Y Bhiông Êban" in body
    assert "is_committee_member: False → True" in body
    entry = response.context["page"][0]
    assert entry.actor == world.users["hoa"]
    assert entry.object_pk == str(world.members["ybhiong"].pk)


def test_it_filters_the_audit_trail_by_record(world):
    _edit_ybhiong(world)
    member = world.members["ybhiong"]

    response = world.client("quantri").get("/nhat-ky/", {"loai": "member", "ma": str(member.pk)})

    entries = list(response.context["page"])
    assert {e.object_pk for e in entries} == {str(member.pk)}
    assert [e.action for e in entries] == [LogEntry.Action.UPDATE, LogEntry.Action.CREATE]


@pytest.mark.parametrize(
    "username", ["hoa", "ybhiong", "huong", "kbinh", "tochuc", "tuyengiao", "mattran"]
)
def test_it_hides_the_audit_trail_from_everyone_else(world, username):
    _edit_ybhiong(world)

    assert world.client(username).get("/nhat-ky/").status_code == 404
