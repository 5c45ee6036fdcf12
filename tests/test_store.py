"""The SQLite store: roundtrips, concurrency, and refusing files that are not ours."""
from __future__ import annotations

import dataclasses
import multiprocessing
import random
import sqlite3
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

import numpy as np
import pytest

import comparer.store as store_module
from comparer.errors import StoreError
from comparer.store import APPLICATION_ID, FILENAME, MIGRATIONS, Store
from tests.store_helpers import T0, make_snapshot, write_snapshots

URL = "https://www.hngn.com/articles/us-airstrike-syria"
PAGE = b"<p>The rockets were 107 mm, said John Kirby.</p>\n" * 400


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / FILENAME) as opened:
        yield opened


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- opening -----------------------------------------------------------------

def test_open_creates_the_file_in_data_dir_marked_as_ours(settings):
    with Store.open(settings) as store:
        assert store.path == Path(settings.store.data_dir) / "crosscheck.sqlite3"
        assert store.applied_migrations == (1,)
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    conn = raw(store.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")] == [
        "embeddings", "runs", "snapshots"]
    conn.close()


def test_reopening_keeps_data_and_runs_no_migration(tmp_path):
    path = tmp_path / FILENAME
    with Store(path) as first:
        row_id = first.save_snapshot(make_snapshot(URL, PAGE))
    with Store(path) as again:
        assert again.applied_migrations == ()
        assert again.latest_snapshot(URL).id == row_id
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_new_migration_is_applied_once_on_top_of_old_data(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    with Store(path) as first:
        first.save_snapshot(make_snapshot(URL, PAGE))
    monkeypatch.setattr(store_module, "MIGRATIONS",
                        [*MIGRATIONS, ("CREATE TABLE notes (x TEXT)",)])
    with Store(path) as upgraded:
        assert upgraded.applied_migrations == (2,)
        assert upgraded.latest_snapshot(URL).body == PAGE
    with Store(path) as again:
        assert again.applied_migrations == ()
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    Store(path).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [
        *MIGRATIONS, ("CREATE TABLE notes (x TEXT)", "CREATE TABLE snapshots (y TEXT)")])
    with pytest.raises(StoreError, match="schema migration failed: table snapshots already"):
        Store(path)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'"
                        ).fetchone()[0] == 0
    conn.close()


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / FILENAME
    path.write_bytes(b"")
    with Store(path) as store:
        assert store.applied_migrations == (1,)


def test_a_closed_store_refuses_work(tmp_path):
    store = Store(tmp_path / FILENAME)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.latest_snapshot(URL)


# -- files that are not ours are refused and left untouched ---------------------

def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / FILENAME
    path.write_bytes(random.Random(7).randbytes(8192))
    before = listing(tmp_path)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert "is not a SQLite database" in str(caught.value)
    assert "left untouched" in str(caught.value)
    assert listing(tmp_path) == before


def test_a_sqlite_header_over_garbage_is_refused_untouched(tmp_path):
    path = tmp_path / FILENAME
    path.write_bytes(b"SQLite format 3\x00" + random.Random(8).randbytes(8176))
    before = listing(tmp_path)
    with pytest.raises(StoreError, match="damaged SQLite database") as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert listing(tmp_path) == before


def test_damage_past_the_header_is_a_store_error_on_use(tmp_path):
    path = tmp_path / FILENAME
    with Store(path) as store:
        for i in range(40):
            store.save_snapshot(make_snapshot(f"{URL}/{i}", random.Random(i).randbytes(3000)))
    data = path.read_bytes()
    path.write_bytes(data[:4096] + random.Random(9).randbytes(len(data) - 4096))
    with Store(path) as damaged:
        with pytest.raises(StoreError, match="reading a snapshot failed: database disk image "
                           "is malformed; the file is damaged"):
            damaged.latest_snapshot(f"{URL}/3")


@pytest.mark.parametrize("statements, app_id, shown", [
    (["CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)",
      "INSERT INTO accounts (owner) VALUES ('someone else')"], 0, ", tables: accounts"),
    (["PRAGMA user_version = 3"], 0, ", tables: none"),
    (["PRAGMA application_id = 1179865154", "CREATE TABLE t (x)"], 1179865154, ""),
])
def test_a_foreign_database_is_refused_untouched(settings, statements, app_id, shown):
    folder = Path(settings.store.data_dir)
    folder.mkdir(parents=True)
    path = folder / FILENAME
    conn = raw(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    before = listing(folder)
    with pytest.raises(StoreError) as caught:
        Store.open(settings)
    message = str(caught.value)
    assert str(path) in message
    assert f"not a Crosscheck store (application_id {app_id:#x}{shown})" in message
    assert "store.data_dir" in message
    assert listing(folder) == before


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / FILENAME
    Store(path).close()
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value) == (
        f"{path} was written by a newer Crosscheck (schema version 2; this version knows "
        "up to 1); it was left untouched. Upgrade Crosscheck, or set store.data_dir to "
        "another folder.")
    assert path.read_bytes() == before


# -- snapshots -----------------------------------------------------------------

def test_snapshot_roundtrip_with_the_body_compressed_on_disk(store):
    snapshot = make_snapshot(URL, PAGE, final_url=URL + "?amp=0")
    row_id = store.save_snapshot(snapshot)
    assert store.latest_snapshot(URL) == dataclasses.replace(snapshot, id=row_id)
    blob, size, digest = raw(store.path).execute(
        "SELECT body, body_size, sha256 FROM snapshots WHERE id = ?", (row_id,)).fetchone()
    assert len(blob) < len(PAGE) // 20
    assert zlib.decompress(blob) == PAGE
    assert size == len(PAGE) == 19_600
    assert digest == sha256(PAGE).hexdigest()


def test_fetch_times_come_back_in_utc(store):
    local = datetime(2021, 2, 26, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2021, 2, 26, 9, 45)
    store.save_snapshot(dataclasses.replace(make_snapshot(URL, PAGE), fetched_at=local))
    assert store.latest_snapshot(URL).fetched_at == T0
    assert store.latest_snapshot(URL).fetched_at.tzinfo == timezone.utc
    store.save_snapshot(dataclasses.replace(make_snapshot(URL, PAGE), fetched_at=naive))
    assert store.latest_snapshot(URL).fetched_at == naive.replace(tzinfo=timezone.utc)


def test_latest_snapshot_is_the_newest_fetch_of_that_url(store):
    store.save_snapshot(make_snapshot(URL, b"first", minutes=0))
    store.save_snapshot(make_snapshot(URL, b"newest", minutes=30))
    store.save_snapshot(make_snapshot(URL, b"older, saved last", minutes=10))
    store.save_snapshot(make_snapshot(URL + "/other", b"another url", minutes=60))
    assert store.latest_snapshot(URL).body == b"newest"
    tie = store.save_snapshot(make_snapshot(URL, b"same time, saved later", minutes=30))
    assert store.latest_snapshot(URL).id == tie
    assert store.latest_snapshot("https://unknown.example/") is None


def test_a_snapshot_whose_sha256_is_not_its_body_is_refused(store):
    wrong = dataclasses.replace(make_snapshot(URL, PAGE), sha256="0" * 64)
    with pytest.raises(ValueError, match="is not the body's"):
        store.save_snapshot(wrong)


def test_extraction_roundtrip(store):
    row_id = store.save_snapshot(make_snapshot(URL, PAGE))
    assert store.get_extraction(row_id) is None
    text = "Three 107 mm rockets struck the base.\n\nOne contractor was killed."
    metadata = {"title": "US airstrike in Syria — Kataib Hezbollah", "author": None,
                "published": "2021-02-26T00:00:00+00:00", "warnings": ["short text"]}
    store.save_extraction(row_id, text, metadata)
    assert store.get_extraction(row_id) == (text, metadata)
    with pytest.raises(KeyError):
        store.save_extraction(row_id + 1, text, {})
    with pytest.raises(TypeError, match="datetime is not JSON serializable"):
        store.save_extraction(row_id, text, {"published": datetime(2021, 2, 26)})
    assert store.get_extraction(row_id) == (text, metadata)


# -- embeddings ----------------------------------------------------------------

def test_embeddings_roundtrip_exactly_and_per_model(store):
    rng = np.random.default_rng(0)
    a1, a2, b1 = (rng.standard_normal(384).astype(np.float32) for _ in range(3))
    store.put_embeddings("model-a", {"h1": a1, "h2": a2})
    store.put_embeddings("model-b", {"h1": b1})
    got = store.get_embeddings("model-a", ["h1", "h2", "missing"])
    assert sorted(got) == ["h1", "h2"]
    assert got["h1"].dtype == np.float32 and got["h1"].shape == (384,)
    assert np.array_equal(got["h1"], a1) and np.array_equal(got["h2"], a2)
    only_b = store.get_embeddings("model-b", ["h1", "h2"])
    assert list(only_b) == ["h1"] and np.array_equal(only_b["h1"], b1)
    assert store.get_embeddings("model-c", ["h1"]) == {}


def test_embeddings_are_stored_as_float32_and_replaced(store):
    store.put_embeddings("m", {"h": np.array([0.1, 0.2], dtype=np.float64)})
    assert np.array_equal(store.get_embeddings("m", ["h"])["h"],
                          np.array([0.1, 0.2], dtype=np.float32))
    store.put_embeddings("m", {"h": np.array([1.5, -2.0, 3.0], dtype=np.float32)})
    assert store.get_embeddings("m", ["h"])["h"].tolist() == [1.5, -2.0, 3.0]
    with pytest.raises(ValueError, match="must be one vector"):
        store.put_embeddings("m", {"h": np.zeros((2, 3), dtype=np.float32)})


def test_many_embeddings_are_read_in_chunks(store):
    items = {f"{i:064x}": np.full(4, i, dtype=np.float32) for i in range(1_200)}
    store.put_embeddings("m", items)
    got = store.get_embeddings("m", [*items, "absent"])
    assert len(got) == 1_200
    assert got[f"{1_199:064x}"].tolist() == [1_199.0] * 4


# -- runs ----------------------------------------------------------------------

def _report(n_sources: int, severities: list[str]) -> dict:
    return {"sources": [{"id": f"s{i}", "outlet": f"Outlet {i}"} for i in range(n_sources)],
            "disagreements": [{"id": f"d{i}", "severity": s} for i, s in enumerate(severities)],
            "event": "US airstrike in Syria — 25 February 2021"}


def test_runs_save_load_and_list_newest_first(store):
    first = _report(2, ["conflict", "compatible"])
    ids = [store.save_run(first, title="first"),
           store.save_run(_report(3, ["conflict", "unresolved", "conflict"]), title="second"),
           store.save_run(_report(0, []), title="third")]
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids) and len(set(ids)) == 3
    assert store.load_run(ids[0]) == first
    assert store.load_run("000000000000") is None
    recent = store.recent_runs()
    assert [(r["id"], r["title"], r["n_sources"], r["n_conflicts"]) for r in recent] == [
        (ids[2], "third", 0, 0), (ids[1], "second", 3, 2), (ids[0], "first", 2, 1)]
    created = [datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")) for r in recent]
    assert all(c.utcoffset() == timedelta(0) for c in created)
    assert created == sorted(created, reverse=True)
    assert [r["id"] for r in store.recent_runs(limit=2)] == [ids[2], ids[1]]


# -- concurrency ---------------------------------------------------------------

@pytest.mark.parametrize("created_first", [True, False])
def test_two_processes_writing_at_once_lose_nothing(tmp_path, created_first):
    path = tmp_path / FILENAME
    if created_first:
        Store(path).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=write_snapshots, args=(str(path), w, 200, barrier))
               for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0]
    conn = raw(path)
    urls = {r[0] for r in conn.execute("SELECT requested_url FROM snapshots")}
    assert urls == {f"https://w{w}.example/{i}" for w in (1, 2) for i in range(200)}
    assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 400
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_threads_can_share_one_store(store):
    def save(i: int) -> int:
        return store.save_snapshot(make_snapshot(f"{URL}/{i}", f"page {i}".encode()))

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(save, range(200)))
    assert len(set(ids)) == 200
    assert store.latest_snapshot(f"{URL}/199").body == b"page 199"
