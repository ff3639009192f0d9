"""Backups that restore, run as an operator would: `dangvu backup` and `dangvu restore` as
processes on throwaway installations of the suite's engine — with DANGVU_DATABASE_URL a
PostgreSQL database created for the test (and dropped after), else an SQLite file — each
with its own data directory."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
DANGVU = Path(sys.executable).with_name("dangvu")
SUITE_URL = os.environ.get("DANGVU_DATABASE_URL", "")
ENGINE = "postgresql" if SUITE_URL.startswith("postgres") else "sqlite"
OTHER_ENGINE = {"postgresql": "sqlite", "sqlite": "postgresql"}[ENGINE]
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
PASSWORD = "Mat-khau-quan-tri-2026!"
#: Uploaded files of every kind the app keeps, one with a Vietnamese name.
FILES = {
    "imports/2024/05/so-lieu-quy-2.xlsx": os.urandom(40_000),
    "bien-ban/2024/05/biên bản họp chi bộ tháng 5.pdf": os.urandom(120_000),
    "documents/2023/nghi-quyet-01.docx": os.urandom(25_000),
    "documents/2023/trống.txt": b"",
}
#: The app at work: it records rows, one transaction each, until told to stop.
WRITER = """
import os, sys, django
django.setup()
from dangvu.demo.models import DemoState
while not os.path.exists(sys.argv[1]):
    DemoState.objects.create(seed=0, version="ghi")
"""


def latest_migration(app: str) -> str:
    return sorted(p.stem for p in (ROOT / "dangvu" / app / "migrations").glob("0*.py"))[-1]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(SUITE_URL, "postgres"), autocommit=True) as admin:
        admin.execute(statement)  # type: ignore[arg-type]


@dataclass
class Site:
    """One installation: a data directory and a database of the suite's engine."""

    data_dir: Path
    url: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DANGVU), *args],
            env=self.env,
            cwd=self.data_dir.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        result = self.run(*args, timeout=timeout)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as db:
                return db.execute(query).fetchall()  # type: ignore[arg-type]
        import sqlite3

        db = sqlite3.connect(self.data_dir / "dangvu.sqlite3")
        try:
            return db.execute(query).fetchall()
        finally:
            db.close()

    def usernames(self) -> list[str]:
        return [row[0] for row in self.rows("SELECT username FROM accounts_user ORDER BY 1")]

    def put_files(self, files: dict[str, bytes]) -> None:
        for name, content in files.items():
            path = self.data_dir / "media" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)

    def files(self) -> dict[str, bytes]:
        media = self.data_dir / "media"
        return {
            p.relative_to(media).as_posix(): p.read_bytes()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        }

    def database_state(self) -> tuple[Any, ...]:
        """What a refused restore must leave as it was: accounts and applied migrations."""
        tables = (
            self.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            if self.url
            else self.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        )
        return (
            self.usernames(),
            self.rows("SELECT app, name FROM django_migrations ORDER BY 1, 2"),
            tables,
        )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A migrated installation, copied for each test (a migration takes seconds)."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    site = _site(data_dir, f"{_base()}_bk_tpl_{uuid.uuid4().hex[:8]}" if SUITE_URL else "")
    site.ok("migrate")
    yield site
    if site.url:
        _admin_sql(f'DROP DATABASE IF EXISTS "{urlsplit(site.url).path[1:]}" WITH (FORCE)')


@pytest.fixture
def make_site(tmp_path: Path, template: Site) -> Iterator[Callable[..., Site]]:
    made: list[Site] = []

    def make(*, migrated: bool = True) -> Site:
        data_dir = tmp_path / f"site{len(made)}" / "data"
        name = f"{_base()}_bk_{uuid.uuid4().hex[:8]}" if SUITE_URL else ""
        site = _site(data_dir, name, template=template if migrated else None)
        if migrated and not site.url:
            shutil.copy(template.data_dir / "dangvu.sqlite3", data_dir / "dangvu.sqlite3")
        made.append(site)
        return site

    yield make
    for site in made:
        if site.url:
            _admin_sql(f'DROP DATABASE IF EXISTS "{urlsplit(site.url).path[1:]}" WITH (FORCE)')


def _base() -> str:
    return urlsplit(SUITE_URL).path.lstrip("/") or "dangvu"


def _site(data_dir: Path, database: str, template: Site | None = None) -> Site:
    data_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.update(
        DANGVU_DATA_DIR=str(data_dir),
        DANGVU_INSECURE_DEMO="1",
        DANGVU_STATIC_FINDERS="1",
        DJANGO_SETTINGS_MODULE="dangvu.settings",
        PYTHONPATH=str(ROOT),
    )
    url = ""
    if database:
        url = _with_database(SUITE_URL, database)
        copy = f' TEMPLATE "{urlsplit(template.url).path[1:]}"' if template else ""
        _admin_sql(f'CREATE DATABASE "{database}"{copy}')
        env["DANGVU_DATABASE_URL"] = url
    return Site(data_dir=data_dir, url=url, env=env)


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return dict(json.loads(handle.read()))


def rewritten(archive: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A consistent copy of the archive (checksums right) whose manifest says otherwise."""
    with tarfile.open(archive) as tar:
        members = {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
        }
    manifest = json.loads(members.pop("manifest.json"))
    change(manifest)
    for old, new in DATABASE_MEMBER.items():
        if manifest["engine"] != old and new in members:  # the database under its new name
            members[DATABASE_MEMBER[manifest["engine"]]] = members.pop(new)
            manifest["files"][DATABASE_MEMBER[manifest["engine"]]] = manifest["files"].pop(new)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out


def backed_up(site: Site, archive: Path) -> Path:
    site.ok("backup", "--out", str(archive))
    return archive


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command prints (progress lines start with a bullet)."""
    assert result.returncode != 0, result.stdout + result.stderr
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith(("•", "  "))
    ]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("verb", ["backup", "restore"])
def test_it_explains_backup_and_restore(template: Site, verb: str) -> None:
    result = template.ok(verb, "--help")
    assert f"dangvu {verb}" in result.stdout
    assert "sao lưu" in result.stdout.lower()


def test_it_restores_the_database_and_the_data_files_byte_for_byte(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    source = make_site()
    source.ok(
        "createadmin", "--username", "quantri", "--full-name", "Quản trị", "--password", PASSWORD
    )
    source.put_files(FILES)
    archive = backed_up(source, tmp_path / "sao-luu.tar")

    assert archive.stat().st_mode & 0o777 == 0o600  # members' records: the owner's only
    manifest = manifest_of(archive)
    assert manifest["format"] == "dangvu-backup"
    assert manifest["engine"] == ENGINE
    assert manifest["dangvu_version"]
    assert manifest["created_at"].startswith("20")
    assert manifest["migrations"]["accounts"] == latest_migration("accounts")
    assert manifest["migrations"]["units"] == latest_migration("units")
    assert manifest["counts"]["accounts_user"] == 1
    assert manifest["counts"]["indicators_indicator"] > 0
    with tarfile.open(archive) as tar:
        names = [m.name for m in tar.getmembers()]
        for name in names[:-1]:
            content = tar.extractfile(name).read()  # type: ignore[union-attr]
            assert manifest["files"][name]["sha256"] == hashlib.sha256(content).hexdigest()
    assert names[-1] == "manifest.json"
    assert sorted(names[:-1]) == sorted(
        [DATABASE_MEMBER[ENGINE], *(f"media/{name}" for name in FILES)]
    )

    target = make_site(migrated=False)
    result = target.ok("restore", str(archive))
    assert "Đã khôi phục bản sao lưu" in result.stdout
    assert target.usernames() == ["quantri"]
    assert target.files() == FILES
    assert target.rows("SELECT COUNT(*) FROM indicators_indicator") == [
        (manifest["counts"]["indicators_indicator"],)
    ]


def test_it_backs_up_one_moment_while_the_app_writes(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    """The dump and the manifest's counts are of the same moment, taken while another
    process keeps writing (the restore checks every table's count against the manifest)."""
    source = make_site()
    stop = tmp_path / "dung"

    def written() -> int:
        return int(source.rows("SELECT COUNT(*) FROM demo_demostate")[0][0])

    def wait_for(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 120
        while not condition():
            assert time.monotonic() < deadline, "the writer stopped writing"
            time.sleep(0.1)

    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(stop)], env=source.env)
    try:
        wait_for(lambda: written() >= 20)
        archive = backed_up(source, tmp_path / "dang-ghi.tar")
        taken = manifest_of(archive)["counts"]["demo_demostate"]
        wait_for(lambda: written() > taken)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert taken >= 20

    target = make_site(migrated=False)
    target.ok("restore", str(archive))
    assert target.rows("SELECT COUNT(*) FROM demo_demostate") == [(taken,)]


def test_it_refuses_a_tampered_archive_and_changes_nothing(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    source = make_site()
    source.ok("createadmin", "--username", "quantri", "--password", PASSWORD)
    source.put_files(FILES)
    archive = backed_up(source, tmp_path / "sao-luu.tar")
    tampered = tmp_path / "bi-sua.tar"
    shutil.copy(archive, tampered)
    with tarfile.open(tampered) as tar:
        member = tar.getmember("media/bien-ban/2024/05/biên bản họp chi bộ tháng 5.pdf")
    with tampered.open("r+b") as raw:
        raw.seek(member.offset_data + 1000)
        byte = raw.read(1)
        raw.seek(member.offset_data + 1000)
        raw.write(bytes([byte[0] ^ 0xFF]))

    target = make_site()
    target.ok("createadmin", "--username", "bithu", "--password", PASSWORD)
    target.put_files({"giu-nguyen.txt": "tệp phải còn nguyên".encode()})
    before = (target.database_state(), target.files())

    line = refusal(target.run("restore", str(tampered), "--force"))
    assert "bị hỏng hoặc đã bị sửa" in line
    assert "biên bản họp chi bộ tháng 5.pdf" in line
    assert "Không thay đổi gì" in line
    assert (target.database_state(), target.files()) == before

    foreign = tmp_path / "khong-phai.tar"
    with tarfile.open(foreign, "w") as tar:
        info = tarfile.TarInfo("ghi-chu.txt")
        tar.addfile(info, io.BytesIO(b""))
    garbage = tmp_path / "rac.tar"
    garbage.write_bytes(os.urandom(5000))
    for path in (foreign, garbage):
        assert "không phải bản sao lưu của dangvu" in refusal(
            target.run("restore", str(path), "--force")
        )
    truncated = tmp_path / "thieu.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "Không thay đổi gì" in refusal(target.run("restore", str(truncated), "--force"))
    assert (target.database_state(), target.files()) == before
    assert source.usernames() == ["quantri"]


def test_it_refuses_a_database_with_data_unless_forced(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    source = make_site()
    source.ok("createadmin", "--username", "quantri", "--password", PASSWORD)
    source.put_files(FILES)
    archive = backed_up(source, tmp_path / "sao-luu.tar.gz")  # gzip, by its name
    target = make_site()
    target.ok("createadmin", "--username", "bithu", "--password", PASSWORD)
    target.put_files({"cu.txt": b"old"})
    before = (target.database_state(), target.files())

    line = refusal(target.run("restore", str(archive)))
    assert "đang có dữ liệu (1 tài khoản)" in line
    assert "--force" in line
    assert (target.database_state(), target.files()) == before

    with tarfile.open(archive, "r:gz") as tar:
        assert tar.getnames()[-1] == "manifest.json"
    result = target.ok("restore", str(archive), "--force")
    assert "Đã thay dữ liệu cũ: 1 tài khoản" in result.stdout
    assert target.usernames() == ["quantri"]
    assert target.files() == FILES


def test_it_refuses_a_backup_of_the_other_engine_or_of_a_newer_dangvu(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    source = make_site()
    source.ok("createadmin", "--username", "quantri", "--password", PASSWORD)
    archive = backed_up(source, tmp_path / "sao-luu.tar")
    target = make_site()
    before = target.database_state()

    def other_engine(manifest: dict[str, Any]) -> None:
        manifest["engine"] = OTHER_ENGINE

    line = refusal(target.run("restore", str(rewritten(archive, tmp_path / "a.tar", other_engine))))
    assert "không khôi phục chéo" in line

    def newer(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["units"] = "0099_from_a_newer_dangvu"

    line = refusal(target.run("restore", str(rewritten(archive, tmp_path / "b.tar", newer))))
    assert "phiên bản dangvu mới hơn" in line
    assert "units.0099_from_a_newer_dangvu" in line
    assert target.database_state() == before


def test_it_brings_an_older_backup_forward(make_site: Callable[..., Site], tmp_path: Path) -> None:
    """A backup made before the latest migration of meetings and before the awards app
    existed (its tables point at units and accounts): the restore applies both."""
    source = make_site()
    source.ok("manage", "migrate", "meetings", "0003_minutes_file")
    source.ok("manage", "migrate", "awards", "zero")
    source.ok("createadmin", "--username", "quantri", "--password", PASSWORD)
    archive = backed_up(source, tmp_path / "cu.tar")
    manifest = manifest_of(archive)
    assert manifest["migrations"]["meetings"] == "0003_minutes_file"
    assert "awards" not in manifest["migrations"]
    assert "awards_awarddecision" not in manifest["counts"]
    assert latest_migration("meetings") == "0004_meeting_indexes"

    target = make_site()  # an empty database of today's schema, awards tables included
    result = target.ok("restore", str(archive))
    assert "meetings.0004_meeting_indexes" in result.stdout
    assert "awards.0001_initial" in result.stdout
    assert target.rows(
        "SELECT app, name FROM django_migrations WHERE app IN ('meetings', 'awards') "
        "ORDER BY app, name DESC"
    )[:2] == [("awards", "0001_initial"), ("meetings", "0004_meeting_indexes")]
    assert target.rows("SELECT COUNT(*) FROM awards_awarddecision") == [(0,)]
    assert target.usernames() == ["quantri"]


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()


@pytest.mark.slow
def test_it_round_trips_the_demo(make_site: Callable[..., Site], tmp_path: Path) -> None:
    """The demo restored into an empty database reports and exports the same."""
    source = make_site(migrated=False)
    source.ok("demo", "--no-serve", timeout=1800)
    source.put_files(FILES)
    report = json.loads(source.ok("report", "--format", "json", timeout=600).stdout)
    source.ok("export", str(tmp_path / "truoc.xlsx"), timeout=600)
    archive = backed_up(source, tmp_path / "demo.tar")

    target = make_site(migrated=False)
    result = target.ok("restore", str(archive), timeout=1200)
    assert "đảng viên" in result.stdout
    assert json.loads(target.ok("report", "--format", "json", timeout=600).stdout) == report
    target.ok("export", str(tmp_path / "sau.xlsx"), timeout=600)
    before, after = sheets(tmp_path / "truoc.xlsx"), sheets(tmp_path / "sau.xlsx")
    assert list(after) == list(before)
    for title in before:
        assert after[title] == before[title], title
    assert target.files() == FILES
    counts = manifest_of(archive)["counts"]
    assert counts["members_member"] > 20_000
    assert target.rows("SELECT COUNT(*) FROM members_member") == [(counts["members_member"],)]


def test_it_leaves_the_sign_in_sessions_out_of_the_backup(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    """A session key in a backup would let whoever holds the file act as that user (second
    factor included); a restore must not bring back sessions ended since."""
    source = make_site()
    source.ok(
        "createadmin", "--username", "quantri", "--full-name", "Quản trị", "--password", PASSWORD
    )
    key = "khoa-phien-bi-mat-0123456789abcdef"
    insert = (
        "INSERT INTO accounts_usersession (session_key, session_data, expire_date, user_id, "
        "user_agent, created_at, last_seen) SELECT '"
        + key
        + "', 'du-lieu', '2099-01-01', id, 'Chromium', '2026-12-08', '2026-12-08' "
        "FROM accounts_user"
    )
    if source.url:
        import psycopg

        with psycopg.connect(source.url) as db:
            db.execute(insert)  # type: ignore[arg-type]
    else:
        import sqlite3

        db = sqlite3.connect(source.data_dir / "dangvu.sqlite3")
        db.execute(insert)
        db.commit()
        db.close()
    assert source.rows("SELECT COUNT(*) FROM accounts_usersession") == [(1,)]
    archive = backed_up(source, tmp_path / "sao-luu.tar")

    assert manifest_of(archive)["counts"]["accounts_usersession"] == 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            assert key.encode() not in tar.extractfile(member).read()  # type: ignore[union-attr]
    target = make_site(migrated=False)
    target.ok("restore", str(archive))
    assert target.usernames() == ["quantri"]
    assert target.rows("SELECT COUNT(*) FROM accounts_usersession") == [(0,)]
