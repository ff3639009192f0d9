"""Production settings and the command line, run as an operator would (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DANGVU = Path(sys.executable).with_name("dangvu")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.update(
        DANGVU_SECRET_KEY="k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
        DANGVU_ALLOWED_HOSTS="dangvu.tinhuy.example.vn",
        DANGVU_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="dangvu.settings",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_it_passes_the_deploy_check_with_production_settings(tmp_path: Path) -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_uses_argon2_and_secure_cookies_in_production(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = run([sys.executable, "-c", code], production_env(tmp_path))
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
        "True",
        "True",
        "False",
    ]


def test_it_refuses_to_serve_with_the_demo_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["DANGVU_SECRET_KEY"]
    result = run([str(DANGVU), "serve", "--port", "8999"], env)
    assert result.returncode == 1
    assert "DANGVU_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("verb", ["demo", "serve", "import", "export", "createadmin", "bench"])
def test_it_explains_every_verb(tmp_path: Path, verb: str) -> None:
    result = run([str(DANGVU), verb, "--help"], production_env(tmp_path))
    assert result.returncode == 0
    assert f"dangvu {verb}" in result.stdout


def test_it_answers_an_unknown_verb_with_one_clear_line(tmp_path: Path) -> None:
    result = run([str(DANGVU), "frobnicate"], production_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Lệnh không hợp lệ")
