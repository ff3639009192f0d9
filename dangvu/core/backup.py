"""Backups that restore: one tar file with the database, the data directory's files and a
manifest (`dangvu backup`, `dangvu restore`; operators' guide: docs/operations.md, Backups).

The archive (plain tar: the dump and the uploaded files are compressed already; gzip when
its name ends in .tar.gz):

    database.pgdump | database.sqlite3   PostgreSQL: `pg_dump -Fc` in one snapshot;
                                         SQLite: the online backup API (consistent in WAL mode)
    media/<path>                         every file under MEDIA_ROOT (kept imports, minutes,
                                         documents); not the SQLite file, static files, caches
    manifest.json                        last: dangvu's version, the engine, the latest applied
                                         migration of each app, row counts, sha256 of each member

A restore checks the manifest and every checksum before it changes anything, refuses a
backup of the other engine, a backup of a newer dangvu and (unless forced) a database that
holds data; then it stages the files, restores the database, swaps the data files in and
runs `migrate`, so an older backup is brought forward.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any, TextIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from tqdm import tqdm

from dangvu.core.errors import DomainError

FORMAT = "dangvu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
ENGINE_NAME = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024
STAGING_PREFIX = ".restore-"
OLD_PREFIX = ".before-restore-"

NO_FILE = "Không có tệp {path}."
NOT_A_BACKUP = (
    "Tệp {path} không phải bản sao lưu của dangvu (không đọc được bảng kê manifest.json). "
    "Không thay đổi gì."
)
DAMAGED = (
    "Bản sao lưu {path} bị hỏng hoặc đã bị sửa: {what}. Không thay đổi gì; hãy dùng một bản "
    "sao lưu khác."
)
NEWER_FORMAT = (
    "Bản sao lưu {path} có định dạng mới hơn phiên bản dangvu này: hãy nâng cấp dangvu rồi "
    "khôi phục lại. Không thay đổi gì."
)
OTHER_ENGINE = (
    "Bản sao lưu này là của {backup}, còn dangvu đang dùng {current}: không khôi phục chéo "
    "giữa hai loại cơ sở dữ liệu (xem docs/operations.md, mục Backups). Không thay đổi gì."
)
NEWER_SCHEMA = (
    "Bản sao lưu do một phiên bản dangvu mới hơn tạo ra (có bản cập nhật cấu trúc "
    "{migration} mà phiên bản này chưa có): hãy nâng cấp dangvu rồi khôi phục lại. "
    "Không thay đổi gì."
)
NOT_EMPTY = (
    "Cơ sở dữ liệu đang có dữ liệu ({what}); khôi phục sẽ thay toàn bộ dữ liệu này bằng bản "
    "sao lưu. Thêm --force nếu chắc chắn. Không thay đổi gì."
)
SQLITE_BUSY = (
    "Tệp cơ sở dữ liệu SQLite {path} đang được dùng (dangvu serve, worker?): hãy dừng chúng "
    "rồi khôi phục lại. Không thay đổi gì."
)
NO_DATABASE = "Chưa có cơ sở dữ liệu để sao lưu ({path}): chạy `dangvu migrate` trước."
NO_TOOL = (
    "Không tìm thấy {tool}: cài gói postgresql-client (phiên bản {major} trở lên, cùng máy "
    "chủ PostgreSQL) hoặc thêm thư mục chứa {tool} vào PATH."
)
NO_CONNECTION = (
    "Không kết nối được cơ sở dữ liệu {name} (DANGVU_DATABASE_URL): {why}. Không thay đổi gì."
)
TOOL_FAILED = "{tool} báo lỗi (mã {code}): {detail}"
COUNTS_DIFFER = (
    "Đã khôi phục nhưng số dòng không khớp bảng kê của bản sao lưu ({what}): hãy kiểm tra "
    "lại bản sao lưu và khôi phục lại."
)

#: The tables whose rows make a database "not empty", and how the messages name them.
OCCUPYING = {
    "accounts.User": "tài khoản",
    "units.Unit": "đơn vị",
    "members.Member": "đảng viên",
}
#: The tables a backup's summary names (everything is counted in the manifest).
SUMMARY = {
    "units.Unit": "đơn vị",
    "members.Member": "đảng viên",
    "accounts.User": "tài khoản",
    "documents.Document": "văn bản",
    "meetings.Meeting": "cuộc họp",
    "reviews.MemberReview": "phiếu kiểm điểm",
}


@dataclass(frozen=True)
class Manifest:
    dangvu_version: str
    engine: str
    created_at: str
    migrations: dict[str, str]
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]  # member name -> {"sha256": hex, "size": bytes}

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBER[self.engine]

    @property
    def media_files(self) -> list[str]:
        return sorted(name for name in self.files if name.startswith(MEDIA + "/"))

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "dangvu_version": self.dangvu_version,
            "engine": self.engine,
            "created_at": self.created_at,
            "migrations": self.migrations,
            "counts": self.counts,
            "files": self.files,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    size: int
    seconds: float


@dataclass
class RestoreResult:
    manifest: Manifest
    applied: list[str] = field(default_factory=list)  # migrations run after the restore
    replaced: dict[str, int] = field(default_factory=dict)  # what the database held before
    seconds: float = 0.0


class Progress:
    """Progress of the long steps on a stream (stderr): a bar on a terminal, plain lines
    otherwise (a log, cron's mail)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.tty = bool(stream is not None and stream.isatty())
        self._started = time.perf_counter()

    def step(self, label: str) -> None:
        self._started = time.perf_counter()
        if self.stream is not None:
            self.stream.write(f"• {label}\n")
            self.stream.flush()

    def done(self, detail: str = "") -> None:
        if self.stream is not None and not self.tty:
            took = seconds(time.perf_counter() - self._started)
            self.stream.write(f"  xong{': ' + detail if detail else ''} ({took})\n")
            self.stream.flush()

    def tables(self, total: int) -> _TableCounter:
        """Counts tables as a PostgreSQL tool reports them (pg_dump, pg_restore)."""
        return _TableCounter(self, total)

    def bar(self, total: int, label: str) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=label,
            unit="B",
            unit_scale=True,
            file=self.stream,
            disable=not self.tty,
            leave=False,
        )


class _TableCounter:
    """On a terminal a bar; otherwise a plain line every ten seconds of a long step."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.told = time.perf_counter()
        self.bar = tqdm(
            total=self.total,
            unit=" bảng",
            file=progress.stream,
            disable=not progress.tty,
            leave=False,
        )

    def table(self, name: str) -> None:
        self.done += 1
        self.bar.set_postfix_str(name, refresh=False)
        self.bar.update(1)
        stream = self.progress.stream
        if stream is not None and not self.progress.tty and time.perf_counter() - self.told >= 10:
            self.told = time.perf_counter()
            stream.write(f"  {self.done}/{self.total} bảng ({name})\n")
            stream.flush()

    def close(self) -> None:
        self.bar.close()


def _connect() -> None:
    """Connect now, so that an unreachable database is one clear line."""
    try:
        connection.ensure_connection()
    except OperationalError as error:
        why = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DomainError(
            NO_CONNECTION.format(name=settings.DATABASES["default"]["NAME"], why=why)
        ) from error


def dangvu_version() -> str:
    try:
        return version("dangvu")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def default_name() -> str:
    return f"dangvu-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


def seconds(value: float) -> str:
    return f"{value:.1f} giây".replace(".", ",")


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}".replace(".", ",") if unit != "B" else f"{int(size)} B"
        size /= 1024
    return f"{size} B"  # pragma: no cover


# ---------------------------------------------------------------------------- the backup


def backup_create(*, out: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """Write one archive with the database, the data files and the manifest. The archive
    appears under its name only when complete (written beside it, then renamed), readable
    by its owner only."""
    progress = progress or Progress()
    if engine() == "postgresql":
        _connect()
    started = time.perf_counter()
    path = Path(out) if out else Path.cwd() / default_name()
    if path.is_dir():
        path = path / default_name()
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = engine()
    with tempfile.TemporaryDirectory(prefix=".dangvu-backup-", dir=path.parent) as work:
        dump = Path(work) / DATABASE_MEMBER[kind]
        progress.step(f"Sao lưu cơ sở dữ liệu {ENGINE_NAME[kind]}")
        taken = timezone.localtime()  # the moment the backup holds (its snapshot's start)
        if kind == "postgresql":
            migrations, counts = _pg_dump(dump, progress)
        else:
            migrations, counts = _sqlite_copy(dump)
        progress.done(human_size(dump.stat().st_size))
        media = _media_files()
        files: dict[str, dict[str, Any]] = {}
        part = Path(work) / "archive.tar"
        total = dump.stat().st_size + sum(p.stat().st_size for _, p in media)
        progress.step(f"Ghi tệp sao lưu ({len(media)} tệp dữ liệu)")
        with (
            _open_for_writing(part, compressed=path.name.endswith((".tar.gz", ".tgz"))) as tar,
            progress.bar(total, "Ghi tệp sao lưu") as bar,
        ):
            files[dump.name] = _add(tar, dump, dump.name, bar)
            for name, source in media:
                files[name] = _add(tar, source, name, bar)
            manifest = Manifest(
                dangvu_version=dangvu_version(),
                engine=kind,
                created_at=taken.isoformat(timespec="seconds"),
                migrations=migrations,
                counts=counts,
                files=files,
            )
            content = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(content)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
        os.chmod(part, 0o600)  # members' personal records: for the owner's eyes only
        _fsync(part)
        os.replace(part, path)
        progress.done(human_size(path.stat().st_size))
    return BackupResult(
        path=path,
        manifest=manifest,
        size=path.stat().st_size,
        seconds=time.perf_counter() - started,
    )


def _open_for_writing(part: Path, *, compressed: bool) -> tarfile.TarFile:
    """A plain tar (the dump of PostgreSQL is compressed already), or gzip for a name that
    ends in .tar.gz or .tgz (an SQLite file shrinks to about a fifth)."""
    if compressed:
        return tarfile.open(part, "w:gz", format=tarfile.PAX_FORMAT, compresslevel=6)
    return tarfile.open(part, "w", format=tarfile.PAX_FORMAT)


def _media_files() -> list[tuple[str, Path]]:
    """(member name, file) of every regular file under MEDIA_ROOT, symbolic links skipped."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for directory, dirs, names in os.walk(root):
        if Path(directory) == root:  # not what a restore left behind if it was cut short
            dirs[:] = [d for d in dirs if not d.startswith((STAGING_PREFIX, OLD_PREFIX))]
        dirs.sort()
        for name in sorted(names):
            source = Path(directory) / name
            if source.is_file() and not source.is_symlink():
                found.append((f"{MEDIA}/{source.relative_to(root).as_posix()}", source))
    return found


class _HashingReader:
    def __init__(self, raw: IO[bytes], bar: tqdm[Any] | None = None) -> None:
        self.raw = raw
        self.bar = bar
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        if self.bar is not None:
            self.bar.update(len(data))
        return data


def _add(tar: tarfile.TarFile, source: Path, name: str, bar: tqdm[Any]) -> dict[str, Any]:
    info = tar.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as raw:
        reader = _HashingReader(raw, bar)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _model_tables() -> dict[str, str]:
    """db_table -> model label of every concrete table of dangvu's own apps."""
    return {
        model._meta.db_table: model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("dangvu.")
        and model._meta.managed
        and not model._meta.proxy
    }


def _table_of(label: str) -> str | None:
    try:
        return str(apps.get_model(label)._meta.db_table)
    except LookupError:
        return None


def _read_state(
    cursor: Any, quote: Any, present: set[str]
) -> tuple[dict[str, str], dict[str, int]]:
    """The latest applied migration of each app and the row count of each table, read
    through a DB-API cursor (Django's or sqlite3's) in the snapshot being backed up."""
    migrations: dict[str, str] = {}
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    counts: dict[str, int] = {}
    for table in sorted(set(_model_tables()) & present):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return migrations, counts


#: Tables whose rows a backup leaves out: the sign-in sessions (a session key in a backup
#: would let whoever holds the file act as that user, second factor and all; a restore also
#: must not bring back sessions ended since) and the cache (rebuilt on demand).
NOT_BACKED_UP = ("accounts_usersession", "dangvu_cache")


def _pg_dump(dump: Path, progress: Progress) -> tuple[dict[str, str], dict[str, int]]:
    """pg_dump (custom format) in a snapshot exported by a transaction that reads the
    manifest's migrations and counts: the dump and the manifest describe the same moment."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        present = set(connection.introspection.table_names(cursor))
        migrations, counts = _read_state(cursor, connection.ops.quote_name, present)
        counts.update({table: 0 for table in NOT_BACKED_UP if table in counts})
        counter = progress.tables(len(present))
        excluded = [f"--exclude-table-data={table}" for table in NOT_BACKED_UP]
        try:
            _run_pg_tool(
                "pg_dump",
                [
                    "--format=custom",
                    "--verbose",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    *excluded,
                ],
                on_table=counter.table,
                marker="dumping contents of table ",
            )
        finally:
            counter.close()
    return migrations, counts


def _sqlite_copy(dump: Path) -> tuple[dict[str, str], dict[str, int]]:
    """SQLite's online backup API, in one step: it reads one consistent snapshot while the
    app keeps writing (WAL mode); the copy is left in rollback-journal mode, one file."""
    name = str(settings.DATABASES["default"]["NAME"])
    if not Path(name).is_file():
        raise DomainError(NO_DATABASE.format(path=name))
    source = sqlite3.connect(f"{Path(name).as_uri()}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        present = {
            row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in NOT_BACKED_UP:
            if table in present:
                copy.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        copy.commit()
        copy.execute("VACUUM")  # the deleted sessions' keys leave the file's free pages too
        return _read_state(copy.cursor(), connection.ops.quote_name, present)
    finally:
        copy.close()
        source.close()


def _pg_tool_path(tool: str) -> str:
    """The PostgreSQL client of the server's major version (Debian's layout), else PATH's."""
    major = connection.pg_version // 10000  # type: ignore[attr-defined]
    same = Path(f"/usr/lib/postgresql/{major}/bin/{tool}")
    if same.is_file():
        return str(same)
    found = shutil.which(tool)
    if found:
        return found
    raise DomainError(NO_TOOL.format(tool=tool, major=major or 15))


def _pg_tool_connection() -> tuple[list[str], dict[str, str]]:
    """The command-line options and environment that connect a PostgreSQL client tool to
    the configured database (the password in the environment, never on the command line)."""
    db = settings.DATABASES["default"]
    args = []
    env = dict(os.environ)
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    args.append(f"--dbname={db['NAME']}")
    return args, env


def _run_pg_tool(
    tool: str,
    args: list[str],
    *,
    on_table: Callable[[str], None] | None = None,
    marker: str = "",
) -> None:
    """Run pg_dump or pg_restore on the configured database (with --verbose: `marker`
    starts the line it writes for each table, which `on_table` is told of). Raises
    DomainError with the tool's last error lines when it fails."""
    command = [_pg_tool_path(tool), *_pg_tool_connection()[0], *args]
    tail: deque[str] = deque(maxlen=200)
    with subprocess.Popen(
        command,
        env=_pg_tool_connection()[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            line = line.rstrip()
            if marker and marker in line:
                if on_table is not None:
                    on_table(line.split(marker, 1)[1].strip('"'))
            elif line:
                tail.append(line)
        code = process.wait()
    if code != 0:
        errors = [line for line in tail if "error" in line.lower()] or list(tail)
        raise DomainError(TOOL_FAILED.format(tool=tool, code=code, detail=" / ".join(errors[-3:])))


# ---------------------------------------------------------------------------- the checks


def archive_verify(path: Path) -> Manifest:
    """The archive's manifest, after checking that the archive holds exactly the files it
    lists, each with its checksum. Raises DomainError (nothing is changed) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(NO_FILE.format(path=path))
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed below, errors told apart
    except (tarfile.TarError, EOFError, OSError) as error:
        raise DomainError(NOT_A_BACKUP.format(path=path)) from error
    try:
        with tar:
            manifest = _read_manifest(tar, path)
            members = [m for m in tar.getmembers() if m.name != MANIFEST]
            names = [m.name for m in members]
            for member in members:
                if not member.isfile() or not _safe(member.name):
                    raise DomainError(DAMAGED.format(path=path, what=f"có mục lạ {member.name}"))
            if len(set(names)) != len(names):
                raise DomainError(DAMAGED.format(path=path, what="có tệp trùng tên"))
            extra = sorted(set(names) - set(manifest.files))
            missing = sorted(set(manifest.files) - set(names))
            if extra:
                raise DomainError(DAMAGED.format(path=path, what=f"có tệp lạ {extra[0]}"))
            if missing:
                raise DomainError(DAMAGED.format(path=path, what=f"thiếu tệp {missing[0]}"))
            if manifest.database_member not in manifest.files:
                raise DomainError(
                    DAMAGED.format(path=path, what=f"thiếu tệp {manifest.database_member}")
                )
            for member in members:
                _check(tar, member, manifest.files[member.name], path)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise DomainError(
            DAMAGED.format(path=path, what=f"không đọc được tệp tar ({error})")
        ) from error
    return manifest


def _read_manifest(tar: tarfile.TarFile, path: Path) -> Manifest:
    try:
        handle = tar.extractfile(MANIFEST)
        document = json.loads(handle.read().decode()) if handle else None
    except (KeyError, ValueError, UnicodeDecodeError):
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DomainError(NOT_A_BACKUP.format(path=path))
    if not isinstance(document.get("format_version"), int):
        raise DomainError(NOT_A_BACKUP.format(path=path))
    if document["format_version"] > FORMAT_VERSION:
        raise DomainError(NEWER_FORMAT.format(path=path))
    try:
        manifest = Manifest(
            dangvu_version=str(document["dangvu_version"]),
            engine=str(document["engine"]),
            created_at=str(document["created_at"]),
            migrations={str(k): str(v) for k, v in document["migrations"].items()},
            counts={str(k): int(v) for k, v in document["counts"].items()},
            files={
                str(k): {"sha256": str(v["sha256"]), "size": int(v["size"])}
                for k, v in document["files"].items()
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DomainError(DAMAGED.format(path=path, what="bảng kê không đúng mẫu")) from error
    if manifest.engine not in DATABASE_MEMBER:
        raise DomainError(DAMAGED.format(path=path, what=f"loại cơ sở dữ liệu {manifest.engine}"))
    return manifest


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and not name.startswith("/")
        and ".." not in parts
        and (name in DATABASE_MEMBER.values() or (parts[0] == MEDIA and len(parts) > 1))
    )


def _check(
    tar: tarfile.TarFile, member: tarfile.TarInfo, expected: dict[str, Any], path: Path
) -> None:
    handle = tar.extractfile(member)
    digest = hashlib.sha256()
    size = 0
    if handle is not None:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise DomainError(
            DAMAGED.format(path=path, what=f"tệp {member.name} sai mã kiểm tra sha256")
        )


def newer_migration(manifest: Manifest) -> str | None:
    """A migration the backup had applied that this dangvu does not know, if any."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in sorted(manifest.migrations.items()):
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations:
            return f"{app}.{name}"
    return None


def database_contents() -> dict[str, int]:
    """What the configured database holds that a restore would replace: the rows of the
    accounts, units and members tables (raw SQL: the schema may be of any version)."""
    held: dict[str, int] = {}
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        for label, words in OCCUPYING.items():
            table = _table_of(label)
            if table and table in present:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                rows = int(cursor.fetchone()[0])
                if rows:
                    held[words] = rows
    return held


def describe(counts: dict[str, int]) -> str:
    """ "27.210 đảng viên, 1.830 đơn vị" (the rows that are there)."""
    return ", ".join(f"{n:,} {words}".replace(",", ".") for words, n in counts.items() if n)


def summary_counts(counts: dict[str, int]) -> dict[str, int]:
    """The manifest's counts of the tables people know, by their Vietnamese names."""
    shown = {}
    for label, words in SUMMARY.items():
        table = _table_of(label)
        if table and table in counts:
            shown[words] = counts[table]
    return shown


# ---------------------------------------------------------------------------- the restore


def backup_restore(
    *, path: Path, force: bool = False, progress: Progress | None = None
) -> RestoreResult:
    """Restore an archive made by `backup_create` into the configured database and data
    directory, then migrate forward. Every check runs before anything is changed."""
    progress = progress or Progress()
    started = time.perf_counter()
    path = Path(path)
    progress.step(f"Kiểm tra bản sao lưu {path.name}")
    manifest = archive_verify(path)
    progress.done(f"{len(manifest.files)} tệp, mã kiểm tra đúng")
    _connect()
    current = engine()
    if manifest.engine != current:
        raise DomainError(
            OTHER_ENGINE.format(backup=ENGINE_NAME[manifest.engine], current=ENGINE_NAME[current])
        )
    newer = newer_migration(manifest)
    if newer:
        raise DomainError(NEWER_SCHEMA.format(migration=newer))
    held = database_contents()
    if held and not force:
        raise DomainError(NOT_EMPTY.format(what=describe(held)))
    media_root = Path(settings.MEDIA_ROOT)
    staging_root = media_root.parent
    staging_root.mkdir(parents=True, exist_ok=True)
    if current == "sqlite":
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        staging_root = target.parent
    with tempfile.TemporaryDirectory(prefix=".dangvu-restore-", dir=staging_root) as work:
        progress.step("Giải nén bản sao lưu")
        dump = Path(work) / manifest.database_member
        # Staged inside MEDIA_ROOT, so that the swap is renames on one file system even
        # when MEDIA_ROOT is a mount (a data directory shared by several app servers).
        media_root.mkdir(parents=True, exist_ok=True)
        staged_media = media_root / f"{STAGING_PREFIX}{os.getpid()}"
        try:
            _extract(path, manifest, dump, staged_media)
            progress.done(f"{len(manifest.media_files)} tệp dữ liệu")
            progress.step(f"Khôi phục cơ sở dữ liệu {ENGINE_NAME[current]}")
            connections.close_all()
            if current == "postgresql":
                _pg_restore(dump, progress)
            else:
                _sqlite_replace(dump, target)
            connections.close_all()
            progress.done()
            progress.step("Khôi phục các tệp dữ liệu")
            _swap(staged_media, media_root)
            progress.done()
        finally:
            if staged_media.exists():
                shutil.rmtree(staged_media, ignore_errors=True)
    _compare_counts(manifest)
    progress.step("Cập nhật cấu trúc cơ sở dữ liệu (migrate)")
    before = _applied()
    call_command("migrate", interactive=False, verbosity=0)
    applied = [f"{app}.{name}" for app, name in sorted(_applied() - before)]
    progress.done(f"{len(applied)} bản cập nhật mới" if applied else "đã mới nhất")
    return RestoreResult(
        manifest=manifest,
        applied=applied,
        replaced=held,
        seconds=time.perf_counter() - started,
    )


def _extract(path: Path, manifest: Manifest, dump: Path, media: Path) -> None:
    """Copy the database member and the data files out of the archive, checking each
    checksum again as it is written (the archive may have changed since the check)."""
    media.mkdir(parents=True)
    with tarfile.open(path, "r:*") as tar:
        for member in tar.getmembers():
            if member.name == MANIFEST:
                continue
            # Checked again: the file may have been swapped since it was verified.
            if not (member.isfile() and _safe(member.name) and member.name in manifest.files):
                raise DomainError(DAMAGED.format(path=path, what=f"có mục lạ {member.name}"))
            if member.name == manifest.database_member:
                target = dump
            else:
                target = media / PurePosixPath(member.name).relative_to(MEDIA)
                target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:  # pragma: no cover - verified to be a regular file
                raise DomainError(DAMAGED.format(path=path, what=f"có mục lạ {member.name}"))
            with target.open("wb") as out:
                reader = _HashingReader(source)
                shutil.copyfileobj(reader, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            expected = manifest.files[member.name]
            if reader.sha256.hexdigest() != expected["sha256"] or reader.size != expected["size"]:
                raise DomainError(
                    DAMAGED.format(path=path, what=f"tệp {member.name} sai mã kiểm tra sha256")
                )
            os.utime(target, (member.mtime, member.mtime))


def _pg_restore(dump: Path, progress: Progress) -> None:
    """Drop dangvu's tables the dump does not have (a newer schema's: they may point at
    tables the restore drops), then pg_restore the dump in a single transaction."""
    listing, data = _pg_list(dump)
    with transaction.atomic(), connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        known = set(connection.introspection.django_table_names(include_views=False))
        known |= {"django_migrations"}
        for table in sorted((present & known) - listing):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connections.close_all()
    counter = progress.tables(data)
    try:
        _run_pg_tool(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--verbose",
                str(dump),
            ],
            on_table=counter.table,
            marker="processing data for table ",
        )
    finally:
        counter.close()


def _pg_list(dump: Path) -> tuple[set[str], int]:
    """The tables of a custom-format dump (its table of contents), and how many of them
    have data in it."""
    command = [_pg_tool_path("pg_restore"), "--list", str(dump)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DomainError(
            TOOL_FAILED.format(tool="pg_restore", code=result.returncode, detail=result.stderr)
        )
    tables = set()
    data = 0
    for line in result.stdout.splitlines():
        # "215; 1259 16390 TABLE public accounts_user postgres"
        # "3607; 0 16390 TABLE DATA public accounts_user postgres"
        words = line.split()
        if line.startswith(";") or len(words) < 6 or words[3] != "TABLE":
            continue
        if words[4] == "DATA":
            data += 1
        else:
            tables.add(words[5])
    return tables, data


def _sqlite_replace(copy: Path, target: Path) -> None:
    """Put the restored file in the place of the database: checkpoint the old file and
    leave WAL mode (refused while another process has it open), then rename over it."""
    check = sqlite3.connect(copy)
    try:
        verdict = check.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        raise DomainError(DAMAGED.format(path=copy.name, what=f"SQLite: {verdict}"))
    if target.exists():
        old = sqlite3.connect(target, timeout=2)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = old.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as error:
            raise DomainError(SQLITE_BUSY.format(path=target)) from error
        finally:
            old.close()
        if str(mode).lower() != "delete" or Path(f"{target}-wal").exists():
            raise DomainError(SQLITE_BUSY.format(path=target))
    os.replace(copy, target)
    Path(f"{target}-shm").unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _swap(staged: Path, media: Path) -> None:
    """Put the staged data files in the place of MEDIA_ROOT's; the old ones go away last."""
    old = media / f"{OLD_PREFIX}{os.getpid()}"
    old.mkdir()
    for entry in list(media.iterdir()):
        if entry not in (staged, old):
            os.replace(entry, old / entry.name)
    for entry in list(staged.iterdir()):
        os.replace(entry, media / entry.name)
    staged.rmdir()
    shutil.rmtree(old, ignore_errors=True)


def _applied() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return set()
        cursor.execute("SELECT app, name FROM django_migrations")
        return {(app, name) for app, name in cursor.fetchall()}


def _compare_counts(manifest: Manifest) -> None:
    """The restored tables hold the rows the manifest counted (before any migration)."""
    differ = []
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        for table, expected in sorted(manifest.counts.items()):
            if table not in present:
                differ.append(f"thiếu bảng {table}")
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            found = int(cursor.fetchone()[0])
            if found != expected:
                differ.append(f"{table}: {found} thay vì {expected}")
    if differ:
        raise DomainError(COUNTS_DIFFER.format(what="; ".join(differ[:3])))
