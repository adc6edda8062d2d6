"""Whole-system backup: one ZIP archive with every table, every stored file and a manifest.

Invariants:
- Consistent: every table is read inside one transaction. On PostgreSQL that transaction is
  REPEATABLE READ, READ ONLY (the snapshot pg_dump takes), so a write committed while the backup
  runs is either wholly in the archive or wholly absent; on SQLite one transaction is a snapshot.
  The files copied are exactly those the snapshot's rows name.
- Exact and engine-neutral: each table is a JSON-lines entry, one row per line, column values in
  the model's column order with primary keys, timestamps to the microsecond and JSON as stored,
  so the archive loads into SQLite or PostgreSQL whichever engine it came from, and the audit
  hash chain still verifies after a restore.
- Streamed: rows are fetched in chunks and files copied in chunks straight into the archive;
  nothing is held whole in memory. The archive is written under a temporary name, flushed to disk
  and renamed only when complete, so a failed backup never leaves something that looks like one.
- The manifest (``manifest.json``) gives the format version, the schema (latest applied migration
  per app), the creation time, and for every table its columns and row count, and for every entry
  its size and SHA-256; ``restore`` checks all of it before writing anything.
- Files: the bytes of every document not yet disposed of, and of any other ``FileField``. A file the
  rows name but storage no longer has is listed under ``missing_files`` and reported, rather than
  failing the backup of everything else.
- The "backup taken" audit event is written after the snapshot, so it is not in the archive.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError
from redress.documents.models import Document

if TYPE_CHECKING:
    from redress.accounts.models import User

FORMAT = "redress-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
ROWS_PER_FETCH = 2000
WRITE_BUFFER = 256 * 1024


class BackupError(ApplicationError):
    pass


# --- what is in a backup -----------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every table the ORM manages (many-to-many tables included), referenced tables first.

    The order only makes the archive easier to read: foreign keys are deferred while loading."""
    candidates = {
        model._meta.label_lower: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    ordered: list[type[models.Model]] = []
    done: set[str] = set()

    def visit(model: type[models.Model], path: set[str]) -> None:
        label = model._meta.label_lower
        if label in done or label in path:
            return  # already placed, or a cycle: deferred constraints take care of it
        path.add(label)
        for column in model._meta.local_concrete_fields:
            target: Any = column.related_model if column.is_relation else None
            if isinstance(target, type) and issubclass(target, models.Model):
                target_label = target._meta.label_lower
                if target_label in candidates:
                    visit(candidates[target_label], path)
        path.discard(label)
        done.add(label)
        ordered.append(model)

    for label in sorted(candidates):
        visit(candidates[label], set())
    return ordered


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def schema_state(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The latest applied migration(s) of each app in this database."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = {key for key in loader.applied_migrations if key in loader.graph.nodes}
    state: dict[str, list[str]] = {}
    for app_label, name in applied:
        children = loader.graph.node_map[(app_label, name)].children
        if not any(child.key[0] == app_label and child.key in applied for child in children):
            state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def code_schema_state(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The latest migration(s) of each app in the code."""
    loader = MigrationLoader(connection, ignore_no_migrations=True, load=True)
    state: dict[str, list[str]] = {}
    for app_label, name in loader.graph.leaf_nodes():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


# --- values ------------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """JSON for the column types JSON has no literal for; ``decoder_for`` reverses it per column."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full microseconds, unlike DjangoJSONEncoder's milliseconds
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _kind(column: models.Field[Any, Any]) -> str:
    target: Any = column
    while target.is_relation:
        target = target.target_field
    return str(target.get_internal_type())


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": dt.datetime.fromisoformat,
    "DateField": dt.date.fromisoformat,
    "TimeField": dt.time.fromisoformat,
    "DecimalField": Decimal,
    "UUIDField": uuid.UUID,
    "DurationField": lambda micros: dt.timedelta(microseconds=micros),
    "BinaryField": base64.b64decode,
}


def decoder_for(column: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a JSON value of this column back into the value it was; ``None``: as it is."""
    return _DECODERS.get(_kind(column))


# --- writing -----------------------------------------------------------------------------------


class _Sink:
    """Buffers, hashes and counts what goes into one archive entry."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0
        self.pending: list[bytes] = []
        self.pending_size = 0

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= WRITE_BUFFER:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            block = b"".join(self.pending)
            self.raw.write(block)
            self.sha.update(block)
            self.size += len(block)
            self.pending, self.pending_size = [], 0


def _entry(name: str, when: dt.datetime, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.astimezone(dt.UTC).timetuple()[:6])
    info.compress_type = compress
    info.external_attr = 0o600 << 16  # personal data: owner read/write only once extracted
    return info


def _file_names(model: type[models.Model], names: list[str]) -> Callable[[tuple[Any, ...]], list[str]] | None:
    """Which stored files a row of this model names, or ``None`` when it names none."""
    if model is Document:
        name_at, disposed_at = names.index("storage_name"), names.index("disposed_at")
        return lambda row: [row[name_at]] if row[disposed_at] is None and row[name_at] else []
    positions: list[int] = []
    for index, column in enumerate(columns(model)):
        if isinstance(column, models.FileField):
            if column.storage is not default_storage:
                raise BackupError(
                    "backup_storage_unsupported",
                    f"{model._meta.label}.{column.name} keeps its files outside the default storage.",
                )
            positions.append(index)
    if not positions:
        return None
    return lambda row: [row[i] for i in positions if row[i]]


@dataclass
class _Table:
    model: str
    entry: str
    fields: list[str]
    rows: int
    size: int
    sha256: str


def _write_table(
    archive: zipfile.ZipFile, model: type[models.Model], using: str, when: dt.datetime, wanted: set[str]
) -> _Table:
    names = [column.attname for column in columns(model)]
    files_of = _file_names(model, names)
    label = model._meta.label_lower
    entry = f"data/{label}.jsonl"
    rows = 0
    query = model._base_manager.using(using).order_by("pk").values_list(*names)
    with archive.open(_entry(entry, when, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as raw:
        sink = _Sink(raw)
        for row in query.iterator(chunk_size=ROWS_PER_FETCH):
            sink.write(json.dumps(row, default=encode_value, ensure_ascii=False, separators=(",", ":")).encode())
            sink.write(b"\n")
            rows += 1
            if files_of is not None:
                wanted.update(files_of(row))
        sink.flush()
    return _Table(model=label, entry=entry, fields=names, rows=rows, size=sink.size, sha256=sink.sha.hexdigest())


def _write_files(
    archive: zipfile.ZipFile, wanted: set[str], when: dt.datetime
) -> tuple[list[dict[str, Any]], list[str]]:
    written: list[dict[str, Any]] = []
    missing: list[str] = []
    for name in sorted(wanted):
        try:
            source = default_storage.open(name, "rb")
        except OSError:
            missing.append(name)
            continue
        entry = f"files/{name}"
        with source, archive.open(_entry(entry, when, zipfile.ZIP_STORED), "w", force_zip64=True) as raw:
            sink = _Sink(raw)
            while chunk := source.read(CHUNK):
                sink.write(chunk)
            sink.flush()
        written.append({"entry": entry, "name": name, "size": sink.size, "sha256": sink.sha.hexdigest()})
    return written, missing


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    connection = connections[using]
    # Called inside a caller's transaction (tests), the snapshot is that transaction's.
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


@dataclass
class BackupResult:
    path: Path
    sha256: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    missing_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Backup written to {self.path}: {self.rows} rows in {self.tables} tables, "
            f"{self.files} files ({self.file_bytes} bytes). SHA-256 {self.sha256}"
        )


def default_backup_name(now: dt.datetime) -> str:
    return f"redress-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.zip"


def backup_create(*, output: Path, actor: User | None = None) -> BackupResult:
    """Write the archive to ``output`` (which must not exist yet); the system itself is the actor
    unless a user is named."""
    using = DEFAULT_DB_ALIAS
    output = Path(output)
    if output.exists():
        raise BackupError("backup_exists", f"{output} already exists; a backup never overwrites a file.")
    if not output.parent.is_dir():
        raise BackupError("backup_folder_missing", f"The folder {output.parent} does not exist.")
    created_at = clock.now()
    partial = output.with_name(output.name + ".partial")
    partial.touch(mode=0o600)
    wanted: set[str] = set()
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            with _snapshot(using):
                schema = schema_state(connections[using])
                if schema != code_schema_state(connections[using]):
                    raise BackupError(
                        "backup_database_not_migrated",
                        "The database's migrations differ from this version's; run `redress migrate`, "
                        "or back up with the version of Redress the database belongs to.",
                    )
                tables = [_write_table(archive, model, using, created_at, wanted) for model in backup_models()]
            files, missing = _write_files(archive, wanted, created_at)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at.isoformat(),
                "database_vendor": connections[using].vendor,
                "schema": schema,
                "tables": [vars(table) for table in tables],
                "files": files,
                "missing_files": missing,
            }
            archive.writestr(
                _entry(MANIFEST, created_at, zipfile.ZIP_DEFLATED), json.dumps(manifest, indent=1).encode()
            )
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result = BackupResult(
        path=output,
        sha256=file_sha256(output),
        tables=len(tables),
        rows=sum(table.rows for table in tables),
        files=len(files),
        file_bytes=sum(item["size"] for item in files),
        missing_files=missing,
    )
    with transaction.atomic(using=using):
        audit_record(
            actor=actor,
            action="system.backup_taken",
            new={
                "archive": output.name,
                "sha256": result.sha256,
                "rows": result.rows,
                "files": result.files,
                "missing_files": len(missing),
            },
        )
    return result
