"""Hand-written SQL on the hot paths reads the same Python values as the ORM would."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from dangvu.accounts.backends import ModelBackend
from dangvu.accounts.models import User
from dangvu.accounts.models import UserSession as Session
from dangvu.accounts.sessions import SessionStore
from dangvu.conftest import World
from dangvu.core import rawsql


def test_it_reads_a_row_as_the_orm_does(world: World) -> None:
    user = world.users["hoa"]
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    fields = [f.attname for f in User._meta.concrete_fields]
    columns = rawsql.Columns((User, "u", fields))
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql()} FROM {rawsql.table(User)} u WHERE u.id = %s", [user.pk]
        )
        (read,) = columns.instances(cursor.fetchone())

    expected = User.objects.get(pk=user.pk)
    assert [getattr(read, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert read._state.adding is False and read._state.db == "default"


def test_it_defers_the_fields_not_read(world: World) -> None:
    columns = rawsql.Columns((User, "u", ["id", "username"]))
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql()} FROM {rawsql.table(User)} u WHERE u.id = %s",
            [world.users["hoa"].pk],
        )
        (read,) = columns.instances(cursor.fetchone())

    assert read.get_deferred_fields() >= {"password", "last_login"}
    assert read.username == "hoa"


def test_it_loads_the_signed_in_user_and_refuses_an_inactive_one(world: World) -> None:
    backend = ModelBackend()
    assert backend.get_user(world.users["hoa"].pk) == world.users["hoa"]
    assert backend.get_user("not a number") is None
    assert backend.get_user(10**9) is None
    User.objects.filter(pk=world.users["hoa"].pk).update(is_active=False)
    assert backend.get_user(world.users["hoa"].pk) is None


def test_it_loads_a_session_and_forgets_an_expired_or_unknown_one(world: World) -> None:
    store = SessionStore()
    store["color"] = "đỏ"
    store.save()
    assert SessionStore(store.session_key).load() == {"color": "đỏ"}

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("khongcophien0000000000000000000x").load() == {}


def test_it_keeps_a_member_signed_in_across_requests(world: World) -> None:
    client = Client()
    assert (
        client.post(
            "/dang-nhap/", {"username": "hoa", "password": "mat-khau-thu-nghiem"}
        ).status_code
        == 302
    )
    assert client.get("/").status_code == 200
    client.logout()
    assert client.get("/").status_code == 302
