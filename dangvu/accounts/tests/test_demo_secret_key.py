"""Outside the demo, neither `dangvu.wsgi` nor `dangvu serve` starts with the demo's secret
key: it is in the source, and whoever holds it forges sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.core.secret_key import DEMO_KEY_REFUSED

ROOT = Path(__file__).resolve().parents[3]
LOAD = "import dangvu.wsgi; print('loaded')"


def _load_wsgi(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    clean.update(DANGVU_DATA_DIR=str(tmp_path), DANGVU_ALLOWED_HOSTS="dangvu.example.vn", **env)
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", LOAD], env=clean, cwd=ROOT, capture_output=True, text=True
    )


def test_it_refuses_to_load_the_wsgi_application_with_the_demo_key(tmp_path: Path) -> None:
    result = _load_wsgi(tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert DEMO_KEY_REFUSED in result.stderr
    assert "loaded" not in result.stdout


def test_it_loads_with_a_key_of_its_own_or_in_the_demo(tmp_path: Path) -> None:
    own = _load_wsgi(tmp_path, DANGVU_SECRET_KEY="k" * 50)
    demo = _load_wsgi(tmp_path, DANGVU_INSECURE_DEMO="1")

    assert own.stdout.strip() == "loaded", own.stderr
    assert demo.stdout.strip() == "loaded", demo.stderr


def test_it_refuses_to_serve_with_the_demo_key_outside_the_demo(settings, monkeypatch) -> None:
    from dangvu.core.management.commands import serve

    started: list[dict[str, object]] = []
    monkeypatch.setattr(serve, "run_server", lambda **options: started.append(options))
    settings.INSECURE_DEMO = False

    # --insecure-demo reaches Django as DANGVU_INSECURE_DEMO (dangvu.cli); the flag alone,
    # as `manage.py serve --insecure-demo` would pass it, does not make a demo.
    for args in ([], ["--insecure-demo"]):
        with pytest.raises(CommandError) as error:
            call_command("serve", *args)
        assert str(error.value) == DEMO_KEY_REFUSED
    assert started == []

    settings.INSECURE_DEMO = True
    call_command("serve", "--port", "8999")
    assert started and started[0]["port"] == 8999
