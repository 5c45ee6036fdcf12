"""The SQLite store: roundtrips, concurrency, and refusing files that are not ours."""

from __future__ import annotations

import dataclasses
import multiprocessing
import random
import sqlite3
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

import numpy as np
import pytest

import comparer.store as store_module
from comparer.errors import StoreError
from comparer.store import APPLICATION_ID, FILENAME, MIGRATIONS, Store
from tests.store_helpers import T0, make_snapshot, write_snapshots

URL = "https://www.hngn.com/articles/us-airstrike-syria"
ALL_VERSIONS = tuple(range(1, len(MIGRATIONS) + 1))
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
        assert store.applied_migrations == ALL_VERSIONS
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    conn = raw(store.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ] == ["embeddings", "runs", "snapshots"]
    conn.close()


def test_reopening_keeps_data_and_runs_no_migration(tmp_path):
    path = tmp_path / FILENAME
    with Store(path) as first:
        row_id = first.save_snapshot(make_snapshot(URL, PAGE))
    with Store(path) as again:
        assert again.applied_migrations == ()
        assert again.latest_snapshot(URL).id == row_id
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_new_migration_is_applied_once_on_top_of_old_data(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    with Store(path) as first:
        first.save_snapshot(make_snapshot(URL, PAGE))
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, ("CREATE TABLE notes (x TEXT)",)])
    with Store(path) as upgraded:
        assert upgraded.applied_migrations == (len(MIGRATIONS) + 1,)
        assert upgraded.latest_snapshot(URL).body == PAGE
    with Store(path) as again:
        assert again.applied_migrations == ()
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    Store(path).close()
    monkeypatch.setattr(
        store_module,
        "MIGRATIONS",
        [*MIGRATIONS, ("CREATE TABLE notes (x TEXT)", "CREATE TABLE snapshots (y TEXT)")],
    )
    with pytest.raises(StoreError, match="schema migration failed: table snapshots already"):
        Store(path)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").fetchone()[0] == 0
    )
    conn.close()


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / FILENAME
    path.write_bytes(b"")
    with Store(path) as store:
        assert store.applied_migrations == ALL_VERSIONS


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
        with pytest.raises(
            StoreError,
            match="reading a snapshot failed: database disk image "
            "is malformed; the file is damaged",
        ):
            damaged.latest_snapshot(f"{URL}/3")


@pytest.mark.parametrize(
    "statements, app_id, shown",
    [
        (
            [
                "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)",
                "INSERT INTO accounts (owner) VALUES ('someone else')",
            ],
            0,
            ", tables: accounts",
        ),
        (["PRAGMA user_version = 3"], 0, ", tables: none"),
        (["PRAGMA application_id = 1179865154", "CREATE TABLE t (x)"], 1179865154, ""),
    ],
)
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
        f"{path} was written by a newer Crosscheck (schema version {len(MIGRATIONS) + 1}; "
        f"this version knows up to {len(MIGRATIONS)}); it was left untouched. Upgrade Crosscheck, or set store.data_dir to "
        "another folder."
    )
    assert path.read_bytes() == before


# -- snapshots -----------------------------------------------------------------


def test_snapshot_roundtrip_with_the_body_compressed_on_disk(store):
    snapshot = make_snapshot(URL, PAGE, final_url=URL + "?amp=0")
    row_id = store.save_snapshot(snapshot)
    assert store.latest_snapshot(URL) == dataclasses.replace(snapshot, id=row_id)
    blob, size, digest = (
        raw(store.path)
        .execute("SELECT body, body_size, sha256 FROM snapshots WHERE id = ?", (row_id,))
        .fetchone()
    )
    assert len(blob) < len(PAGE) // 20
    assert zlib.decompress(blob) == PAGE
    assert size == len(PAGE) == 19_600
    assert digest == sha256(PAGE).hexdigest()


def test_fetch_times_come_back_in_utc(store):
    local = datetime(2021, 2, 26, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2021, 2, 26, 9, 45)
    store.save_snapshot(dataclasses.replace(make_snapshot(URL, PAGE), fetched_at=local))
    assert store.latest_snapshot(URL).fetched_at == T0
    assert store.latest_snapshot(URL).fetched_at.tzinfo == UTC
    store.save_snapshot(dataclasses.replace(make_snapshot(URL, PAGE), fetched_at=naive))
    assert store.latest_snapshot(URL).fetched_at == naive.replace(tzinfo=UTC)


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
    metadata = {
        "title": "US airstrike in Syria — Kataib Hezbollah",
        "author": None,
        "published": "2021-02-26T00:00:00+00:00",
        "warnings": ["short text"],
    }
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
    assert np.array_equal(
        store.get_embeddings("m", ["h"])["h"], np.array([0.1, 0.2], dtype=np.float32)
    )
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
    return {
        "sources": [{"id": f"s{i}", "outlet": f"Outlet {i}"} for i in range(n_sources)],
        "disagreements": [{"id": f"d{i}", "severity": s} for i, s in enumerate(severities)],
        "event": "US airstrike in Syria — 25 February 2021",
    }


def test_runs_save_load_and_list_newest_first(store):
    first = _report(2, ["conflict", "compatible"])
    ids = [
        store.save_run(first, title="first"),
        store.save_run(_report(3, ["conflict", "unresolved", "conflict"]), title="second"),
        store.save_run(_report(0, []), title="third"),
    ]
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids) and len(set(ids)) == 3
    assert store.load_run(ids[0]) == first
    assert store.load_run("000000000000") is None
    recent = store.recent_runs()
    assert [(r["id"], r["title"], r["n_sources"], r["n_conflicts"]) for r in recent] == [
        (ids[2], "third", 0, 0),
        (ids[1], "second", 3, 2),
        (ids[0], "first", 2, 1),
    ]
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
    workers = [
        ctx.Process(target=write_snapshots, args=(str(path), w, 200, barrier)) for w in (1, 2)
    ]
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
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


def test_threads_can_share_one_store(store):
    def save(i: int) -> int:
        return store.save_snapshot(make_snapshot(f"{URL}/{i}", f"page {i}".encode()))

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(save, range(200)))
    assert len(set(ids)) == 200
    assert store.latest_snapshot(f"{URL}/199").body == b"page 199"


# -- size: stats, prune and the size limit ----------------------------------------------


def _run_from(*snapshots) -> dict:
    """A saved report whose sources were read from these snapshots."""
    return {
        "sources": [
            {"kind": "url", "location": s.requested_url, "sha256": s.sha256} for s in snapshots
        ],
        "disagreements": [],
    }


def _set_time(store: Store, table: str, column: str, when: str, where: str = "1") -> None:
    with store._write("test: backdating") as conn:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (when,))


def _snapshot_urls(store: Store) -> list[str]:
    with store._sql("test") as conn:
        return [r[0] for r in conn.execute("SELECT requested_url FROM snapshots ORDER BY id")]


def test_stats_count_rows_bytes_and_dates(store):
    store.save_snapshot(make_snapshot(URL, PAGE))
    store.put_embeddings("m", {"a": np.ones(384), "b": np.zeros(384)})
    store.save_run(_report(1, ["conflict"]), title="t")
    info = store.stats()
    assert info["snapshots"]["count"] == 1 and info["embeddings"]["count"] == 2
    assert info["runs"]["count"] == 1
    assert info["snapshots"]["oldest"] == "2021-02-26T09:30:00.000000Z"
    assert info["embeddings"]["bytes"] >= 2 * 384 * 4
    assert info["file_bytes"] >= info["used_bytes"] > 0


def test_prune_to_a_size_deletes_the_oldest_first_and_keeps_a_runs_snapshots(store):
    rng = random.Random(3)
    snaps = [
        make_snapshot(f"https://n.example/{i}", rng.randbytes(60_000), minutes=i) for i in range(10)
    ]
    for s in snaps:
        store.save_snapshot(s)
    # a run made at minute 5 from the oldest snapshot
    run_id = store.save_run(_run_from(snaps[0]), title="old run")
    _set_time(store, "runs", "created_at", "2021-02-26T09:35:30.000000Z")
    used = store.stats()["used_bytes"]
    result = store.prune(max_bytes=used - 250_000)
    assert result["used_bytes"] <= used - 250_000
    left = _snapshot_urls(store)
    # the run's snapshot stays with it; the others go oldest first
    assert left[0] == snaps[0].requested_url and store.load_run(run_id) is not None
    assert left[1:] == [s.requested_url for s in snaps[len(snaps) - len(left) + 1 :]]
    assert result["deleted"]["snapshots"] == 10 - len(left) >= 4
    # past the run's time, the run goes, and its snapshot with it
    result = store.prune(max_bytes=store.stats()["used_bytes"] - 300_000)
    assert store.load_run(run_id) is None and snaps[0].requested_url not in _snapshot_urls(store)
    assert result["deleted"]["runs"] == 1


def test_prune_never_deletes_the_run_it_is_told_to_keep(store):
    snap = make_snapshot(URL, random.Random(4).randbytes(100_000))
    store.save_snapshot(snap)
    run_id = store.save_run(_run_from(snap), title="just made")
    result = store.prune(max_bytes=10_000, keep=[run_id])
    assert store.load_run(run_id) is not None and _snapshot_urls(store) == [URL]
    assert result["deleted"] == {"runs": 0, "snapshots": 0, "embeddings": 0}


def test_prune_by_age_and_by_number_of_runs(store):
    old, new = make_snapshot(URL, b"<p>old</p>"), make_snapshot(URL + "/2", b"<p>new</p>")
    store.save_snapshot(old)
    store.save_snapshot(new)
    _set_time(store, "snapshots", "fetched_at", _now_minus(days=1), f"sha256 = '{new.sha256}'")
    store.put_embeddings("m", {"old": np.ones(384)})
    _set_time(store, "embeddings", "stored_at", _now_minus(days=40))
    store.put_embeddings("m", {"new": np.ones(384)})
    runs = [store.save_run(_run_from(old), title=f"run {i}") for i in range(3)]
    _set_time(store, "runs", "created_at", _now_minus(days=50), f"id = '{runs[0]}'")
    result = store.prune(older_than_days=30)
    assert result["deleted"] == {"runs": 1, "snapshots": 0, "embeddings": 1}
    assert set(store.get_embeddings("m", ["old", "new"])) == {"new"}
    # 2021's snapshot stays: the remaining runs were made from it
    assert _snapshot_urls(store) == [URL, URL + "/2"]
    result = store.prune(keep_runs=0)
    assert result["deleted"] == {"runs": 2, "snapshots": 1, "embeddings": 0}
    assert _snapshot_urls(store) == [URL + "/2"] and store.recent_runs() == []
    with pytest.raises(ValueError):
        store.prune(older_than_days=float("nan"))


def _now_minus(*, days: float) -> str:
    return store_module._utc_text(datetime.now(UTC) - timedelta(days=days))


def test_embeddings_cached_before_the_time_column_count_as_the_oldest(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    with Store(path) as v1:
        with v1._write("test") as conn:
            conn.execute(
                "INSERT INTO embeddings VALUES ('m', 'legacy', 1, ?)",
                (np.ones(1, dtype="<f4").tobytes(),),
            )
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as upgraded:
        assert upgraded.applied_migrations == ALL_VERSIONS[1:]
        upgraded.put_embeddings("m", {"fresh": np.ones(1)})
        assert upgraded.stats()["embeddings"]["count"] == 2
        upgraded.prune(older_than_days=1)
        assert set(upgraded.get_embeddings("m", ["legacy", "fresh"])) == {"fresh"}


def test_a_full_disk_is_a_store_error_naming_it(store):
    # SQLite's own page limit gives the real "database or disk is full" (SQLITE_FULL)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="saving embeddings failed: database or disk is full"):
        store.put_embeddings("m", {f"k{i}": np.ones(384) for i in range(100)})
    assert store.get_embeddings("m", ["k1"]) == {}  # rolled back, still readable


# -- issue 16, item 10: runs owned by one browser session ----------------------------------


def test_an_owned_run_is_listed_only_for_its_owner_under_an_unguessable_id(store):
    shared = store.save_run(_report(2, []), title="newsroom")
    mine = store.save_run(_report(2, ["conflict"]), title="mine", owner="session-a")
    theirs = store.save_run(_report(3, []), title="theirs", owner="session-b")
    assert len(shared) == 12
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in (mine, theirs))
    assert [r["id"] for r in store.recent_runs()] == [shared]
    assert [
        (r["id"], r["title"], r["n_conflicts"]) for r in store.recent_runs(owner="session-a")
    ] == [(mine, "mine", 1)]
    assert [r["id"] for r in store.recent_runs(owner="session-b")] == [theirs]
    assert store.recent_runs(owner="session-c") == []
    # the permalink is the key: anyone holding it opens the run
    assert store.load_run(mine)["disagreements"][0]["severity"] == "conflict"
    assert store.load_run(theirs, private_only=True)["sources"][2]["id"] == "s2"
    # a public dashboard opens no shared run: their short ids could be walked through
    assert store.load_run(shared) is not None
    assert store.load_run(shared, private_only=True) is None


def test_owned_run_ids_do_not_repeat(store):
    ids = {store.save_run(_report(1, []), title=str(i), owner="s") for i in range(200)}
    assert len(ids) == 200 and len({i[:12] for i in ids}) == 200


@pytest.mark.parametrize("owner", ["", "   ", 7])
def test_an_empty_owner_is_refused(store, owner):
    with pytest.raises(ValueError, match="owner must be a non-empty string"):
        store.save_run(_report(1, []), title="x", owner=owner)


def test_runs_saved_before_owners_existed_stay_shared(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    version = next(n for n, m in enumerate(MIGRATIONS) if any("owner" in s for s in m))
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:version])
    with Store(path) as old:
        with old._write("test") as conn:
            conn.execute(
                "INSERT INTO runs (id, created_at, title, n_sources, n_conflicts,"
                " report_codec, report) VALUES ('0123456789ab', '2021-02-26T00:00:00Z',"
                " 'old run', 2, 0, 'zlib', ?)",
                (zlib.compress(b'{"sources": []}'),),
            )
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as upgraded:
        assert upgraded.applied_migrations == ALL_VERSIONS[version:]
        assert [r["title"] for r in upgraded.recent_runs()] == ["old run"]
        assert upgraded.recent_runs(owner="session-a") == []
        assert upgraded.load_run("0123456789ab") == {"sources": []}
        assert upgraded.load_run("0123456789ab", private_only=True) is None
