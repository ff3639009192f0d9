"""Passwords are hashed with Argon2 in production (the suite hashes fast otherwise)."""

from __future__ import annotations

import importlib

import pytest
from django.test import Client

from dangvu.accounts import services
from dangvu.accounts.models import User
from dangvu.core.errors import DomainError


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = importlib.import_module("dangvu.settings").PASSWORD_HASHERS


def test_it_hashes_a_new_password_with_argon2(world, production_hashers):
    user = services.account_create(
        username="bithu.tdp2", password="Chi-bo-To-dan-pho-2", full_name="Bí thư Tổ dân phố 2"
    )

    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2")
    assert "Chi-bo-To-dan-pho-2" not in stored
    assert User.objects.get(pk=user.pk).check_password("Chi-bo-To-dan-pho-2")


def test_it_logs_in_against_an_argon2_hash(world, production_hashers):
    services.account_create(username="bithu.tdp2", password="Chi-bo-To-dan-pho-2")

    response = Client().post(
        "/dang-nhap/",
        {"username": "bithu.tdp2", "password": "Chi-bo-To-dan-pho-2"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 302
    assert "_auth_user_id" in response.client.session


def test_it_refuses_a_weak_password_in_vietnamese_and_creates_nothing(world):
    with pytest.raises(DomainError) as error:
        services.account_create(username="bithu.tdp2", password="12345678")

    assert error.value.message == "Mật khẩu này quá phổ biến. Mật khẩu này hoàn toàn là số."
    assert not User.objects.filter(username="bithu.tdp2").exists()
