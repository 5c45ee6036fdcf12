"""The SQLite store: fetched snapshots, the embeddings cache and saved runs.

One file, ``<store.data_dir>/crosscheck.sqlite3``, three tables:

- ``snapshots``: one row per fetch (requested and final URL, HTTP status,
  fetched-at in UTC, content type, encoding, sha256 and the compressed body),
  later also its extracted text and metadata JSON. zlib, not lzma: on 200 HTML
  pages (7 MB) zlib-6 gave 3.8x at ~80 MB/s, lzma 4.1x at ~8 MB/s. The codec is
  kept per row, so another can be added without rewriting old rows.
- ``embeddings``: float32 vectors keyed by (model id, sha256 of the sentence);
  another model is another key, so a stale vector is never reused.
- ``runs``: whole JSON reports (compressed), a short random id, a title and the
  counts the list of recent runs shows, so listing never parses a report. A run
  saved with an ``owner`` (a browser session's token) gets a long unguessable id
  and is listed only for that owner; the others are shared.

Opening, and why:

1. An existing file is checked before anything may write to it: its 100-byte
   header is read as plain bytes (SQLite magic, fixed format bytes, then the
   ``application_id`` and ``user_version`` marks); only when that cannot
   decide is it opened *read-only* for its marks and tables. Not SQLite,
   someone else's database, or a newer store: ``StoreError`` naming the path
   and what to do, and the file is never modified.
2. WAL (readers never block the writer) and ``busy_timeout``: a second process
   writing at the same moment waits instead of failing "database is locked".
   Multi-statement writes use ``BEGIN IMMEDIATE``, taking the write lock up
   front, because SQLite cannot wait to upgrade a read lock mid-transaction.
3. ``MIGRATIONS`` is ordered; schema version N means the first N are applied.
   The missing ones run in one transaction that also sets both marks, so a
   failure leaves the file as it was (SQLite DDL is transactional); the marks
   are re-read inside it, so two processes creating a store migrate it once.

One connection per ``Store`` (``check_same_thread=False``, guarded by a lock):
the fetch thread pool and Streamlit's script threads may share a ``Store``.
Any SQLite failure while in use becomes a ``StoreError``.
"""

from __future__ import annotations

import heapq
import json
import math
import secrets
import sqlite3
import threading
import time
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

import numpy as np

from comparer.errors import StoreError
from comparer.records import Snapshot
from comparer.settings import Settings

FILENAME = "crosscheck.sqlite3"
# "CRCK" as a big-endian 32-bit integer: marks the file as a Crosscheck store.
APPLICATION_ID = 0x4352434B
SQLITE_MAGIC = b"SQLite format 3\x00"
# Milliseconds a writer waits for another connection's lock before giving up.
BUSY_TIMEOUT_MS = 30_000

# Each entry is one schema version: statements run in order inside one
# transaction. Append new versions; never edit an old one.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        "CREATE TABLE snapshots (id INTEGER PRIMARY KEY, requested_url TEXT NOT NULL,"
        " final_url TEXT NOT NULL, http_status INTEGER NOT NULL, fetched_at TEXT NOT NULL,"
        " content_type TEXT NOT NULL, encoding TEXT, sha256 TEXT NOT NULL,"
        " body_codec TEXT NOT NULL, body_size INTEGER NOT NULL, body BLOB NOT NULL,"
        " text TEXT, metadata TEXT)",
        "CREATE INDEX snapshots_by_url ON snapshots (requested_url, fetched_at, id)",
        "CREATE TABLE embeddings (model_id TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " dim INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model_id, sha256))"
        " WITHOUT ROWID",
        "CREATE TABLE runs (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, title TEXT NOT NULL,"
        " n_sources INTEGER NOT NULL, n_conflicts INTEGER NOT NULL,"
        " report_codec TEXT NOT NULL, report BLOB NOT NULL)",
        "CREATE INDEX runs_by_time ON runs (created_at)",
    ),
    (
        # When each vector was cached, so that pruning can drop the oldest first;
        # vectors cached before this version have none and count as the oldest.
        "ALTER TABLE embeddings ADD COLUMN stored_at TEXT",
        "CREATE INDEX embeddings_by_time ON embeddings (stored_at)",
        "CREATE INDEX snapshots_by_time ON snapshots (fetched_at)",
    ),
    (
        # Who may list a run: NULL for a shared run (the CLI, a newsroom dashboard), else
        # the random token of the browser session that saved it (dashboard.saved_runs =
        # "session"). Runs saved before this version are shared.
        "ALTER TABLE runs ADD COLUMN owner TEXT",
        "CREATE INDEX runs_by_owner ON runs (owner, created_at)",
    ),
]
# Random bytes in the id of a run saved with an owner: its permalink is the only way
# to it, so it must not be guessable (128 bits); shared runs keep short 6-byte ids.
PRIVATE_ID_BYTES = 16
SHARED_ID_BYTES = 6

_CODEC = "zlib"  # codec written now (level 6); _unpack reads every codec ever written
_ELSE = "or set store.data_dir to another folder."
_DAMAGED = "; the file is damaged: move it away (or restore it from a backup), " + _ELSE
_VECTOR = np.dtype("<f4")  # float32, little-endian on disk whatever the machine


def _utc_text(dt: datetime) -> str:
    """Fixed-width ISO UTC text, so that text order is time order in SQL."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _unpack(codec: str, blob: bytes, what: str, path: Path) -> bytes:
    try:
        return {"zlib": zlib.decompress}[codec](blob)
    except (KeyError, zlib.error) as exc:
        raise StoreError(
            f"store {path}: {what} cannot be decompressed ({codec}): {exc}{_DAMAGED}"
        ) from None


class Store:
    """Snapshots, embeddings and runs in one SQLite file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.applied_migrations: tuple[int, ...] = ()  # versions this open applied
        self._lock = threading.RLock()
        _inspect(self.path)
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        try:
            with self._sql("opening") as conn:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                _enable_wal(conn)
                self._migrate(conn)
                # In WAL, NORMAL loses at most the last commits on power loss, never
                # consistency; the store is a cache and a log, not a ledger.
                conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """The store in ``settings.store.data_dir``, creating the folder if needed."""
        folder = Path(settings.store.data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store folder {folder}: {exc}; "
                "set store.data_dir to a writable folder"
            ) from None
        return cls(folder / FILENAME)

    @contextmanager
    def _sql(self, what: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, with SQLite errors turned into StoreError."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the store {self.path} is closed")
            try:
                yield self._conn
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                # A bare DatabaseError is "malformed" or "not a database": damage.
                hint = _DAMAGED if type(exc) is sqlite3.DatabaseError else ""
                raise StoreError(f"store {self.path}: {what} failed: {exc}{hint}") from exc

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the write lock from its first statement."""
        with self._sql(what) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self, opened: sqlite3.Connection) -> None:
        """Bring the schema up to date (``opened``: the connection, under the lock)."""
        migrations, applied = MIGRATIONS, []
        if opened.execute("PRAGMA user_version").fetchone()[0] >= len(migrations):
            return
        with self._write("schema migration") as conn:
            # Re-read under the write lock: another process may have just done it.
            app_id, current = _marks(conn)
            _refuse_unless_ours(self.path, app_id, current, _tables(conn))
            for version in range(current + 1, len(migrations) + 1):
                for statement in migrations[version - 1]:
                    conn.execute(statement)
                applied.append(version)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {len(migrations)}")
        self.applied_migrations = tuple(applied)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def save_snapshot(self, snapshot: Snapshot) -> int:
        """Store one fetch; returns its row id. The body's sha256 must match."""
        digest = sha256(snapshot.body).hexdigest()
        if snapshot.sha256 != digest:
            raise ValueError(
                f"snapshot of {snapshot.requested_url}: sha256 {snapshot.sha256!r} "
                f"is not the body's ({digest})"
            )
        blob = zlib.compress(snapshot.body, 6)
        with self._sql("saving a snapshot") as conn:
            cursor = conn.execute(
                "INSERT INTO snapshots (requested_url, final_url, http_status, fetched_at,"
                " content_type, encoding, sha256, body_codec, body_size, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    snapshot.requested_url,
                    snapshot.final_url,
                    snapshot.http_status,
                    _utc_text(snapshot.fetched_at),
                    snapshot.content_type,
                    snapshot.encoding,
                    digest,
                    _CODEC,
                    len(snapshot.body),
                    blob,
                ),
            )
            row_id = cursor.lastrowid
            assert row_id is not None, "a successful INSERT sets lastrowid"
            return row_id

    def latest_snapshot(self, url: str) -> Snapshot | None:
        """The most recently fetched snapshot whose requested URL is ``url``."""
        with self._sql("reading a snapshot") as conn:
            row = conn.execute(
                "SELECT id, requested_url, final_url, http_status, fetched_at, content_type,"
                " encoding, sha256, body_codec, body FROM snapshots WHERE requested_url = ?"
                " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                (url,),
            ).fetchone()
        if row is None:
            return None
        row_id, requested, final, status, fetched, ctype, encoding, digest, codec, blob = row
        body = _unpack(codec, blob, f"snapshot {row_id}", self.path)
        if sha256(body).hexdigest() != digest:
            raise StoreError(
                f"store {self.path}: snapshot {row_id} body does not match its sha256{_DAMAGED}"
            )
        return Snapshot(
            requested_url=requested,
            final_url=final,
            http_status=status,
            fetched_at=datetime.fromisoformat(fetched),
            content_type=ctype,
            sha256=digest,
            body=body,
            encoding=encoding,
            id=row_id,
        )

    def save_extraction(self, snapshot_id: int, text: str, metadata: Mapping[str, Any]) -> None:
        """Attach extracted text and metadata (as JSON) to a stored snapshot."""
        meta = json.dumps(dict(metadata), ensure_ascii=False)  # a datetime is a TypeError
        with self._sql("saving an extraction") as conn:
            cursor = conn.execute(
                "UPDATE snapshots SET text = ?, metadata = ? WHERE id = ?",
                (text, meta, snapshot_id),
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no snapshot {snapshot_id} in {self.path}")

    def get_extraction(self, snapshot_id: int) -> tuple[str, dict] | None:
        """``(text, metadata)`` saved for a snapshot, or None if none was saved."""
        with self._sql("reading an extraction") as conn:
            row = conn.execute(
                "SELECT text, metadata FROM snapshots WHERE id = ?", (snapshot_id,)
            ).fetchone()
        return None if row is None or row[0] is None else (row[0], json.loads(row[1] or "{}"))

    def get_embeddings(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached float32 vectors for those sentence hashes; missing ones are absent."""
        found: dict[str, np.ndarray] = {}
        with self._sql("reading embeddings") as conn:
            # One JSON array parameter instead of one "?" per hash: no bound-parameter limit.
            rows = conn.execute(
                "SELECT sha256, dim, vector FROM embeddings WHERE model_id = ?"
                " AND sha256 IN (SELECT value FROM json_each(?))",
                (model_id, json.dumps(list(hashes))),
            )
            for key, dim, blob in rows:
                vector = np.frombuffer(blob, dtype=_VECTOR)
                if vector.shape != (dim,):
                    raise StoreError(
                        f"store {self.path}: embedding {key[:12]} of {model_id} "
                        f"has {vector.size} values, not {dim}"
                    )
                found[key] = vector.astype(np.float32)  # native order, writable copy
        return found

    def put_embeddings(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        """Cache vectors under (model_id, hash); a vector already there is replaced."""
        arrays = {key: np.asarray(vector, dtype=_VECTOR) for key, vector in items.items()}
        for key, array in arrays.items():
            if array.ndim != 1:
                raise ValueError(f"embedding {key} must be one vector, got shape {array.shape}")
        stored = _utc_text(datetime.now(UTC))
        rows = [(model_id, key, a.size, a.tobytes(), stored) for key, a in arrays.items()]
        if not rows:
            return
        with self._write("saving embeddings") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model_id, sha256, dim, vector,"
                " stored_at) VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def save_run(self, report: Mapping[str, Any], *, title: str, owner: str | None = None) -> str:
        """Store a whole JSON report; returns its run id: 12 hex characters for a shared
        run, 32 (unguessable) for one saved with an ``owner`` (listed only for it)."""
        if owner is not None and not (isinstance(owner, str) and owner.strip()):
            raise ValueError(f"a run's owner must be a non-empty string, got {owner!r}")
        id_bytes = SHARED_ID_BYTES if owner is None else PRIVATE_ID_BYTES
        blob = zlib.compress(json.dumps(dict(report), ensure_ascii=False).encode("utf-8"), 6)
        n_sources = len(report.get("sources") or ())
        n_conflicts = sum(
            1 for d in report.get("disagreements") or () if d.get("severity") == "conflict"
        )
        created = _utc_text(datetime.now(UTC))
        with self._sql("saving a run") as conn:
            # Ids clash rarely: a few draws settle it; other integrity failures are errors.
            for _ in range(5):
                run_id = secrets.token_hex(id_bytes)
                if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
                    continue
                try:
                    conn.execute(
                        "INSERT INTO runs (id, created_at, title, n_sources, n_conflicts,"
                        " report_codec, report, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (run_id, created, str(title), n_sources, n_conflicts, _CODEC, blob, owner),
                    )
                except sqlite3.IntegrityError as exc:
                    raise StoreError(f"{self.path}: could not save the run: {exc}") from exc
                return run_id
        raise StoreError(f"{self.path}: could not find a free run id")

    def load_run(self, run_id: str, *, private_only: bool = False) -> dict | None:
        """The report saved under ``run_id`` exactly as it was given, or None.

        ``private_only``: only a run saved with an owner (whose id is unguessable) is
        found; a shared run's short id answers None, as if it did not exist, so a public
        dashboard cannot be used to walk through them."""
        owned = " AND owner IS NOT NULL" if private_only else ""
        with self._sql("reading a run") as conn:
            row = conn.execute(
                "SELECT report_codec, report FROM runs WHERE id = ?" + owned, (run_id,)
            ).fetchone()
        if row is None:
            return None
        return json.loads(_unpack(row[0], row[1], f"run {run_id}", self.path))

    def recent_runs(self, limit: int = 20, *, owner: str | None = None) -> list[dict]:
        """Newest first: id, created_at (ISO UTC), title, n_sources, n_conflicts.

        Only the runs of ``owner``; by default the shared runs (saved with no owner)."""
        with self._sql("listing runs") as conn:
            rows = conn.execute(
                "SELECT id, created_at, title, n_sources, n_conflicts FROM runs"
                " WHERE owner IS ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (owner, limit),
            ).fetchall()
        return [
            {"id": r[0], "created_at": r[1], "title": r[2], "n_sources": r[3], "n_conflicts": r[4]}
            for r in rows
        ]

    # -- size: stats and pruning (``python -m comparer store``) ---------------

    def _used_bytes(self, conn: sqlite3.Connection) -> tuple[int, int, int]:
        """(bytes of pages in use, bytes of free pages, page size)."""
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return (pages - free) * size, free * size, size

    def file_bytes(self) -> int:
        """Bytes the store takes on disk: the file and its write-ahead log."""
        total = 0
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                pass
        return total

    def stats(self) -> dict[str, Any]:
        """What the store holds: ``file_bytes`` on disk, ``used_bytes`` in live pages
        (what ``store.max_megabytes`` limits), ``free_bytes`` that the file will reuse,
        and per table (snapshots, embeddings, runs) the rows, their payload bytes and
        the oldest and newest time (ISO UTC)."""
        out: dict[str, Any] = {"path": str(self.path)}
        with self._sql("measuring the store") as conn:
            out["used_bytes"], out["free_bytes"], _ = self._used_bytes(conn)
            for table, (size_sql, when) in _PAYLOAD.items():
                count, size, oldest, newest = conn.execute(
                    f"SELECT count(*), coalesce(sum({size_sql}), 0), min({when}), max({when})"
                    f" FROM {table}"
                ).fetchone()
                out[table] = {"count": count, "bytes": size, "oldest": oldest, "newest": newest}
        out["file_bytes"] = self.file_bytes()
        return out

    def _run_snapshots(self, conn: sqlite3.Connection) -> dict[str, set[int]]:
        """run id -> ids of the snapshots it was made from (its sources' requested URL and
        body hash, read from the saved report; a report that cannot be read owns none)."""
        owned: dict[str, set[int]] = {}
        for run_id, codec, blob in conn.execute(
            "SELECT id, report_codec, report FROM runs"
        ).fetchall():
            try:
                report = json.loads(_unpack(codec, blob, f"run {run_id}", self.path))
                sources = [s for s in report.get("sources") or () if isinstance(s, dict)]
            except (StoreError, ValueError, AttributeError):
                sources = []
            ids: set[int] = set()
            for s in sources:
                url, digest = s.get("location") or s.get("url"), s.get("sha256")
                if s.get("kind", "url") == "url" and isinstance(url, str) and digest:
                    ids.update(
                        r[0]
                        for r in conn.execute(
                            "SELECT id FROM snapshots WHERE requested_url = ? AND sha256 = ?",
                            (url, digest),
                        )
                    )
            owned[run_id] = ids
        return owned

    def _cutoff(self, conn: sqlite3.Connection, excess: int, keep: set[str]) -> str | None:
        """The time up to which deleting everything deletable frees ``excess`` bytes: the
        three tables are walked together, oldest first (a run counts with the snapshots
        only it uses; snapshots a run uses are not deletable on their own). None when
        nothing may be deleted."""
        owned = self._run_snapshots(conn)
        users: dict[int, int] = {}
        for ids in owned.values():
            for snap in ids:
                users[snap] = users.get(snap, 0) + 1
        sizes = dict(
            conn.execute(
                f"SELECT id, {_PAYLOAD['snapshots'][0]} FROM snapshots"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(users)),),
            ).fetchall()
        )

        def runs() -> Iterator[tuple[str, int]]:
            for run_id, when, size in conn.execute(
                f"SELECT id, created_at, {_PAYLOAD['runs'][0]} FROM runs ORDER BY created_at"
            ).fetchall():
                if run_id not in keep:
                    alone = sum(sizes.get(s, 0) for s in owned.get(run_id, ()) if users[s] == 1)
                    yield when, size + alone

        snapshots = (
            (when, size)
            for snap, when, size in conn.execute(
                f"SELECT id, fetched_at, {_PAYLOAD['snapshots'][0]} FROM snapshots"
                " ORDER BY fetched_at"
            ).fetchall()
            if snap not in users
        )
        embeddings = conn.execute(
            f"SELECT coalesce(stored_at, ''), {_PAYLOAD['embeddings'][0]}"
            " FROM embeddings ORDER BY stored_at"
        )
        freed, cutoff = 0, None
        for when, size in heapq.merge(runs(), snapshots, embeddings):
            freed += size
            cutoff = when
            if freed >= excess:
                break
        return cutoff

    def _delete_up_to(
        self, conn: sqlite3.Connection, cutoff: str, *, inclusive: bool, keep: set[str]
    ) -> dict[str, int]:
        """Delete the runs up to ``cutoff`` but those in ``keep``, then the snapshots and
        embeddings up to ``cutoff`` that no remaining run uses."""
        op = "<=" if inclusive else "<"
        run_ids = [
            r[0]
            for r in conn.execute(f"SELECT id FROM runs WHERE created_at {op} ?", (cutoff,))
            if r[0] not in keep
        ]
        gone = conn.execute(
            "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(run_ids)),),
        ).rowcount
        used = set().union(*self._run_snapshots(conn).values())
        doomed = [
            r[0]
            for r in conn.execute(f"SELECT id FROM snapshots WHERE fetched_at {op} ?", (cutoff,))
            if r[0] not in used
        ]
        snaps = conn.execute(
            "DELETE FROM snapshots WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(doomed),),
        ).rowcount
        vectors = conn.execute(
            f"DELETE FROM embeddings WHERE stored_at IS NULL OR stored_at {op} ?", (cutoff,)
        ).rowcount
        return {"runs": gone, "snapshots": snaps, "embeddings": vectors}

    def prune(
        self,
        *,
        older_than_days: float | None = None,
        keep_runs: int | None = None,
        max_bytes: int | None = None,
        keep: Collection[str] = (),
        vacuum: bool | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Delete the oldest data; returns what went (counts per table) and the sizes.

        - ``older_than_days``: runs, snapshots and embeddings stored before then;
        - ``keep_runs``: every run but the newest N, with the snapshots only they used;
        - ``max_bytes``: then, while the pages in use exceed it, the oldest of snapshots,
          embeddings and runs together, a run with the snapshots only it used.
        A snapshot that a remaining run was made from is never deleted, nor is a run named
        in ``keep`` (the one just saved). ``vacuum``: give the freed space back to the file
        system (VACUUM rewrites the file; by default only when half of it is free, since
        SQLite reuses free pages anyway). A VACUUM that fails (no room for the copy) is
        reported in ``warning``, the deletions stand.
        """
        if older_than_days is not None and not (
            math.isfinite(older_than_days) and older_than_days >= 0
        ):
            raise ValueError(f"older_than_days must be a number >= 0, got {older_than_days!r}")
        if keep_runs is not None and keep_runs < 0:
            raise ValueError(f"keep_runs must be >= 0, got {keep_runs!r}")
        keep = set(keep)
        now = now or datetime.now(UTC)
        deleted = {"runs": 0, "snapshots": 0, "embeddings": 0}

        def add(counts: Mapping[str, int]) -> None:
            for key, n in counts.items():
                deleted[key] += n

        before = self.file_bytes()
        with self._lock:
            if keep_runs is not None:
                with self._write("pruning runs") as conn:
                    extra = [
                        r[0]
                        for r in conn.execute(
                            "SELECT id FROM runs ORDER BY created_at DESC, rowid DESC"
                            " LIMIT -1 OFFSET ?",
                            (keep_runs,),
                        )
                        if r[0] not in keep
                    ]
                    if extra:
                        add(self._delete_owned(conn, extra))
            if older_than_days is not None:
                cutoff = _utc_text(now - timedelta(days=older_than_days))
                with self._write("pruning old data") as conn:
                    add(self._delete_up_to(conn, cutoff, inclusive=False, keep=keep))
            if max_bytes is not None and max_bytes > 0:
                for _ in range(4):  # payload sizes underestimate pages: a few rounds
                    with self._write("pruning to the size limit") as conn:
                        used, _, page = self._used_bytes(conn)
                        if used <= max_bytes:
                            break
                        up_to = self._cutoff(conn, used - max_bytes + 4 * page, keep)
                        if up_to is None:
                            break
                        counts = self._delete_up_to(conn, up_to, inclusive=True, keep=keep)
                        add(counts)
                        if not any(counts.values()):
                            break
            result: dict[str, Any] = {"deleted": deleted, "warning": None}
            with self._sql("measuring the store") as conn:
                used, free, _ = self._used_bytes(conn)
            explicit = older_than_days is not None or keep_runs is not None
            if any(deleted.values()) and (vacuum or (vacuum is None and (explicit or free > used))):
                try:
                    with self._sql("compacting (VACUUM)") as conn:
                        conn.execute("VACUUM")
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except StoreError as exc:
                    result["warning"] = (
                        f"{exc}; the freed space stays inside the file and is "
                        "reused by later writes"
                    )
            with self._sql("measuring the store") as conn:
                result["used_bytes"], result["free_bytes"], _ = self._used_bytes(conn)
        result["file_bytes_before"] = before
        result["file_bytes"] = self.file_bytes()
        return result

    def _delete_owned(self, conn: sqlite3.Connection, run_ids: Sequence[str]) -> dict[str, int]:
        """Delete those runs and the snapshots that only they used."""
        owned = self._run_snapshots(conn)
        theirs = set().union(*(owned.get(r, set()) for r in run_ids))
        gone = conn.execute(
            "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(run_ids)),),
        ).rowcount
        still = set().union(*(ids for r, ids in owned.items() if r not in set(run_ids)))
        snaps = conn.execute(
            "DELETE FROM snapshots WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(theirs - still)),),
        ).rowcount
        return {"runs": gone, "snapshots": snaps, "embeddings": 0}


def enforce_size_limit(
    store: Store, settings: Settings, *, keep: Collection[str] = ()
) -> dict[str, Any] | None:
    """``store.max_megabytes`` applied after a run (``keep``: its id); None when there is
    no limit. Cheap when under the limit (three PRAGMAs)."""
    limit = float(settings.store.max_megabytes)
    if limit <= 0:
        return None
    return store.prune(max_bytes=int(limit * 1_000_000), keep=keep)


# Payload bytes of one row of each table (SQL), and its time column.
_PAYLOAD = {
    "snapshots": (
        "length(body) + length(CAST(coalesce(text, '') AS BLOB))"
        " + length(CAST(coalesce(metadata, '') AS BLOB)) + length(requested_url)"
        " + length(final_url) + 100",
        "fetched_at",
    ),
    "embeddings": ("length(vector) + length(model_id) + length(sha256) + 40", "stored_at"),
    "runs": ("length(report) + length(title) + 60", "created_at"),
}


# -- opening -----------------------------------------------------------------


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL (kept in the file). SQLite answers "locked" at once here instead
    of calling the busy handler, so wait like a writer would when two processes
    create the store together."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _marks(conn: sqlite3.Connection) -> tuple[int, int]:
    return (
        conn.execute("PRAGMA application_id").fetchone()[0],
        conn.execute("PRAGMA user_version").fetchone()[0],
    )


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]


def _refuse_unless_ours(path: Path, app_id: int, version: int, tables: list[str] | None) -> bool:
    """StoreError for a foreign or newer file; True once it is known to be ours.
    ``tables`` is None when only the header was read: a zero id is then undecided."""
    if app_id == APPLICATION_ID:
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{path} was written by a newer Crosscheck (schema version "
                f"{version}; this version knows up to {len(MIGRATIONS)}); it was "
                f"left untouched. Upgrade Crosscheck, {_ELSE}"
            )
        return True
    if app_id == 0 and (tables is None or (version == 0 and not tables)):
        return tables is not None  # an empty SQLite file is ours to set up
    shown = "" if tables is None else ", tables: " + (", ".join(tables[:8]) or "none")
    raise StoreError(
        f"{path} is a SQLite database that is not a Crosscheck store "
        f"(application_id {app_id:#x}{shown}); it was left untouched. Move it "
        f"away, {_ELSE}"
    )


def _inspect(path: Path) -> None:
    """Check an existing file without writing to it (step 1 of the module docstring).

    The header's marks may lag behind commits still in the WAL, but only
    backwards (versions only grow; an application_id once set stays), so a
    foreign id or a too-new version there is final without opening the file.
    """
    untouched = "it was left untouched. Move it away (or restore it from a backup), " + _ELSE
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        return  # a new store
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc}") from None
    if not head:
        return  # an empty file: a new store
    if not head.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{path} is not a SQLite database (corrupt or some other file); " + untouched
        )
    page = int.from_bytes(head[16:18], "big")
    # Bytes 21-23 are fixed by the file format; with a sane page size they show
    # that the header is intact before its marks are trusted.
    if (
        len(head) < 100
        or head[21:24] != b"\x40\x20\x20"
        or not (page == 1 or (512 <= page <= 32768 and page & (page - 1) == 0))
    ):
        raise StoreError(f"{path} is a damaged SQLite database (bad header); " + untouched)
    if _refuse_unless_ours(
        path,
        int.from_bytes(head[68:72], "big", signed=True),
        int.from_bytes(head[60:64], "big", signed=True),
        None,
    ):
        return
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            (app_id, version), tables = _marks(conn), _tables(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path} is a damaged SQLite database ({exc}); " + untouched) from None
    _refuse_unless_ours(path, app_id, version, tables)
