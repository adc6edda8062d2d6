"""Restoring a backup archive (see ``backup``) into an empty, migrated database.

Invariants:
- Nothing is written until the whole archive has been checked: its format version; its schema
  equal to the code's migrations and to the target database's (which must be fully migrated); its
  tables and columns equal to the models'; every entry present with the size and SHA-256 the
  manifest gives, and no other entry; the target database empty; no stored file in the way with
  different bytes. Any failure is a ``RestoreError`` and leaves database and storage untouched.
- "Empty" allows only the rows ``migrate`` itself creates (content types, permissions, the seeded
  taxonomy); the archive's rows replace them, so every id the archive refers to stays valid.
  There is no option to restore over data.
- All rows load in one transaction with their original primary keys and column values (no
  ``save()``, no signals, no ``auto_now``); foreign keys are checked and row counts compared with
  the manifest before commit; PostgreSQL sequences are moved past the loaded ids; the "restore
  completed" audit event is appended in the same transaction, so the restored hash chain verifies.
- Every entry is hashed again as it is loaded, so an archive changed after the check is refused
  too. Files are written inside the transaction's span from that re-hashed copy; if anything
  fails, the files this restore wrote are deleted and the transaction rolls back. Files already
  in storage with exactly the archived bytes are left as they are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction

from redress.audit.services import audit_record

from .backup import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    backup_models,
    code_schema_state,
    columns,
    decoder_for,
    file_sha256,
    schema_state,
)

if TYPE_CHECKING:
    from redress.accounts.models import User

# Tables ``migrate`` fills by itself; an otherwise empty database has rows here.
CREATED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission", "complaints.taxonomyversion"})
SPOOL_BYTES = 8 * 1024 * 1024
INSERT_BATCH = 500


class RestoreError(BackupError):
    pass


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    entry: str
    rows: int
    size: int
    sha256: str


@dataclass(frozen=True)
class _File:
    entry: str
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class _Manifest:
    created_at: str
    schema: dict[str, list[str]]
    tables: list[_Table]
    files: list[_File]


def _invalid(detail: str) -> RestoreError:
    return RestoreError("restore_archive_invalid", f"This is not a usable backup archive: {detail}")


def _tampered(detail: str) -> RestoreError:
    return RestoreError("restore_archive_tampered", f"The archive does not match its manifest: {detail}")


def _safe_name(name: Any) -> str:
    path = PurePosixPath(name) if isinstance(name, str) else None
    if path is None or not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise _invalid(f"unsafe file name {name!r}")
    return str(name)


def _read_manifest(archive: zipfile.ZipFile) -> _Manifest:
    try:
        raw = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _invalid("it has no manifest.") from None
    except (ValueError, zipfile.BadZipFile) as exc:
        raise _invalid(f"the manifest cannot be read ({exc}).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _invalid("the manifest is not a Redress backup manifest.")
    if raw.get("format_version") != FORMAT_VERSION:
        raise _invalid(f"format version {raw.get('format_version')!r}; this version reads {FORMAT_VERSION}.")
    models_by_label = {model._meta.label_lower: model for model in backup_models()}
    try:
        tables = []
        for item in raw["tables"]:
            model = models_by_label.get(item["model"])
            if model is None:
                raise RestoreError(
                    "restore_schema_mismatch", f"The archive has table {item['model']}, which this version lacks."
                )
            if item["fields"] != [column.attname for column in columns(model)]:
                raise RestoreError(
                    "restore_schema_mismatch", f"The columns of {item['model']} differ from this version's."
                )
            tables.append(_Table(model, str(item["entry"]), int(item["rows"]), int(item["size"]), str(item["sha256"])))
        files = [
            _File(str(item["entry"]), _safe_name(item["name"]), int(item["size"]), str(item["sha256"]))
            for item in raw["files"]
        ]
        schema = {str(app): [str(name) for name in names] for app, names in raw["schema"].items()}
        created_at = str(raw["created_at"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _invalid(f"the manifest is incomplete ({exc!r}).") from None
    missing = set(models_by_label) - {table.model._meta.label_lower for table in tables}
    if missing:
        raise RestoreError("restore_schema_mismatch", f"The archive lacks tables {', '.join(sorted(missing))}.")
    return _Manifest(created_at=created_at, schema=schema, tables=tables, files=files)


def _check_schema(manifest: _Manifest, using: str) -> None:
    connection = connections[using]
    code = code_schema_state(connection)
    if manifest.schema != code:
        apps_differing = sorted(
            app for app in set(code) | set(manifest.schema) if code.get(app) != manifest.schema.get(app)
        )
        raise RestoreError(
            "restore_schema_mismatch",
            "The archive was taken at a different migration state than this version of Redress "
            f"({', '.join(apps_differing)}). Restore it with the version that took it.",
        )
    if schema_state(connection) != code:
        raise RestoreError(
            "restore_database_not_migrated",
            "The target database is not fully migrated; run `redress migrate` on it first.",
        )


def _hash_entry(archive: zipfile.ZipFile, entry: str, sink: Callable[[bytes], None] | None = None) -> tuple[int, str]:
    sha = hashlib.sha256()
    size = 0
    with archive.open(entry) as source:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink(chunk)
    return size, sha.hexdigest()


def _check_entries(archive: zipfile.ZipFile, manifest: _Manifest) -> None:
    listed = [table.entry for table in manifest.tables] + [item.entry for item in manifest.files]
    names = archive.namelist()
    if len(set(names)) != len(names) or len(set(listed)) != len(listed):
        raise _tampered("an entry appears twice.")
    extra = set(names) - set(listed) - {MANIFEST}
    absent = set(listed) - set(names)
    if extra or absent:
        raise _tampered(f"{len(absent)} listed entries missing, {len(extra)} unlisted entries present.")
    expected = [(t.entry, t.size, t.sha256) for t in manifest.tables] + [
        (f.entry, f.size, f.sha256) for f in manifest.files
    ]
    for entry, size, sha256 in expected:
        try:
            actual = _hash_entry(archive, entry)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _tampered(f"{entry} cannot be read ({exc}).") from None
        if actual != (size, sha256):
            raise _tampered(f"{entry} has a different SHA-256 or size.")


def _check_empty(using: str) -> None:
    holding = [
        model._meta.label_lower
        for model in backup_models()
        if model._meta.label_lower not in CREATED_BY_MIGRATE and model._base_manager.using(using).exists()
    ]
    if holding:
        raise RestoreError(
            "restore_database_not_empty",
            "The target database already holds data ("
            + ", ".join(holding[:5])
            + (", …" if len(holding) > 5 else "")
            + "). Restore only into an empty database prepared with `redress migrate`.",
        )


def _stored_sha256(name: str) -> str:
    sha = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _files_in_place(files: Iterable[_File]) -> set[str]:
    """Names already stored with the archived bytes; refuses when different bytes are in the way."""
    in_place: set[str] = set()
    for item in files:
        if not default_storage.exists(item.name):
            continue
        if _stored_sha256(item.name) != item.sha256:
            raise RestoreError(
                "restore_storage_conflict",
                f"Storage already holds a different file named {item.name}; restore into empty storage.",
            )
        in_place.add(item.name)
    return in_place


def _load_table(archive: zipfile.ZipFile, table: _Table, using: str) -> None:
    model = table.model
    fields = columns(model)
    names = [column.attname for column in fields]
    decoders = [decoder_for(column) for column in fields]
    connection = connections[using]
    batch_size = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, [None] * INSERT_BATCH)))
    manager = model._base_manager.using(using)

    def insert(objs: list[models.Model]) -> None:
        # raw=True stores each attribute exactly as given: no auto_now, no defaults, no signals.
        manager._insert(objs, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]

    sha = hashlib.sha256()
    size = rows = 0
    batch: list[models.Model] = []
    with archive.open(table.entry) as source:
        for line in source:
            sha.update(line)
            size += len(line)
            values = json.loads(line)
            row = {
                name: (value if decode is None or value is None else decode(value))
                for name, decode, value in zip(names, decoders, values, strict=True)
            }
            batch.append(model(**row))
            rows += 1
            if len(batch) >= batch_size:
                insert(batch)
                batch = []
    if batch:
        insert(batch)
    if (size, sha.hexdigest()) != (table.size, table.sha256) or rows != table.rows:
        raise _tampered(f"{table.entry} changed while it was being restored.")


def _restore_file(archive: zipfile.ZipFile, item: _File, written: list[str]) -> None:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:

        def keep(chunk: bytes) -> None:
            spool.write(chunk)

        actual = _hash_entry(archive, item.entry, keep)
        if actual != (item.size, item.sha256):
            raise _tampered(f"{item.entry} changed while it was being restored.")
        spool.seek(0)
        stored = default_storage.save(item.name, File(spool, name=item.name))
        written.append(stored)
        if stored != item.name:
            raise RestoreError("restore_storage_conflict", f"Storage would not keep the name {item.name}.")


@dataclass
class RestoreResult:
    taken_at: str
    tables: int
    rows: int
    files: int

    def summary(self) -> str:
        return (
            f"Restored {self.rows} rows in {self.tables} tables and {self.files} files "
            f"from the backup taken at {self.taken_at}."
        )


def backup_restore(*, path: Path, actor: User | None = None) -> RestoreResult:
    """Check the archive at ``path`` completely, then load it; the system itself is the actor
    unless a user is named."""
    using = DEFAULT_DB_ALIAS
    path = Path(path)
    if not path.is_file():
        raise RestoreError("restore_archive_missing", f"There is no file {path}.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _invalid(f"{exc}.") from None
    with archive:
        manifest = _read_manifest(archive)
        _check_schema(manifest, using)
        _check_entries(archive, manifest)
        _check_empty(using)
        in_place = _files_in_place(manifest.files)
        result = RestoreResult(
            taken_at=manifest.created_at,
            tables=len(manifest.tables),
            rows=sum(table.rows for table in manifest.tables),
            files=len(manifest.files),
        )
        archive_sha256 = file_sha256(path)
        written: list[str] = []
        try:
            with transaction.atomic(using=using):
                _load(archive, manifest, in_place, written, using)
                audit_record(
                    actor=actor,
                    action="system.restore_completed",
                    new={
                        "archive": path.name,
                        "sha256": archive_sha256,
                        "taken_at": manifest.created_at,
                        "rows": result.rows,
                        "files": result.files,
                    },
                )
        except BaseException:
            for name in written:
                with contextlib.suppress(OSError):
                    default_storage.delete(name)
            raise
        finally:
            # Content type ids now come from the archive; a cached id from before would be wrong.
            ContentType.objects.clear_cache()
    return result


def _load(archive: zipfile.ZipFile, manifest: _Manifest, in_place: set[str], written: list[str], using: str) -> None:
    connection = connections[using]
    for table in reversed(manifest.tables):
        if table.model._meta.label_lower in CREATED_BY_MIGRATE:
            table.model._base_manager.using(using).all()._raw_delete(using)
    try:
        for table in manifest.tables:
            _load_table(archive, table, using)
        connection.check_constraints(table_names=[table.model._meta.db_table for table in manifest.tables])
    except (DatabaseError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise RestoreError("restore_failed", f"The archive's rows could not be loaded ({exc}).") from None
    for table in manifest.tables:
        if table.model._base_manager.using(using).count() != table.rows:
            raise _tampered(f"{table.model._meta.label_lower} does not hold the row count the manifest gives.")
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [table.model for table in manifest.tables]):
            cursor.execute(statement)
    for item in manifest.files:
        if item.name not in in_place:
            _restore_file(archive, item, written)
