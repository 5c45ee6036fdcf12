"""The command line: sources / align / facts / compare on the seed and on local pages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, SEED
from tests.localserver import LocalServer

PAGE = """<html><head><title>Strike hits border post</title>
<meta property="og:site_name" content="Harbor Gazette"></head><body><article>
<h1>Strike hits border post</h1>
<p>United States aircraft struck a border post used by militias in eastern Syria on Thursday,
officials said. The strike was ordered by the president after rocket attacks on bases in Iraq.</p>
<p>A spokesman said the facilities were destroyed and that the operation was proportionate.
Officials said the strike was meant to deter further attacks on coalition troops in the region.</p>
<p>Local residents reported hearing several loud explosions late in the evening near the border,
according to accounts gathered by the newspaper on Friday morning.</p>
</article></body></html>"""


def run_cli(*args: str, tmp_path, config_text: str = "") -> subprocess.CompletedProcess:
    cfg = tmp_path / "cli.toml"
    cfg.write_text(f'[store]\ndata_dir = "{tmp_path / "data"}"\n' + config_text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "comparer", *args, "--config", str(cfg)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_sources_json_on_the_seed(tmp_path):
    out = run_cli("sources", "--json", str(SEED), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    (src,) = json.loads(out.stdout)["sources"]
    assert src["outlet"] == "HNGN" and src["status"] == "ok"
    assert src["published"] == "2021-02-26T00:00:00Z"
    texts = [s["text"] for s in src["sentences"]]
    assert not any("Read also" in t or "All rights reserved" in t for t in texts)
    assert {
        "id",
        "outlet",
        "url",
        "title",
        "published",
        "fetched_at",
        "sha256",
        "status",
        "error",
        "sentences",
    } <= set(src)


def test_sources_on_a_local_page_and_a_failure(tmp_path):
    with LocalServer() as srv:
        srv.route("/story", body=PAGE)
        out = run_cli(
            "sources",
            "--json",
            srv.url("/story"),
            srv.url("/missing"),
            tmp_path=tmp_path,
            config_text="[fetch]\nallow_private_hosts = true\n",
        )
    assert out.returncode == 0, out.stderr
    ok, failed = json.loads(out.stdout)["sources"]
    assert ok["status"] == "ok" and ok["outlet"] == "Harbor Gazette"
    assert ok["sentences"][0]["text"].startswith("United States aircraft struck")
    assert failed["status"] == "error" and "404" in failed["error"]


def test_exit_status_is_1_when_nothing_could_be_read(tmp_path):
    out = run_cli("sources", "--json", "http://127.0.0.1:9/", tmp_path=tmp_path)
    assert out.returncode == 1
    (src,) = json.loads(out.stdout)["sources"]
    assert src["status"] == "error" and src["error_type"] == "BlockedAddressError"


def test_bad_settings_file_exits_2_with_the_key_named(tmp_path):
    out = run_cli("sources", str(SEED), tmp_path=tmp_path, config_text="[fetch]\nretrys = 1\n")
    assert out.returncode == 2
    assert "unknown setting fetch.retrys" in out.stderr


@pytest.mark.slow
def test_compare_example_writes_memo_json_and_csv(tmp_path):
    out = run_cli(
        "compare",
        "--example",
        "--md",
        "-",
        "--json",
        str(tmp_path / "r.json"),
        "--csv",
        str(tmp_path / "r.csv"),
        tmp_path=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Crosscheck memo")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["run_id"] and len(data["sources"]) == 6
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("disagreement,kind")
    # the memo reads as question cards about the main event
    assert (
        "## Events" in out.stdout
        and "**Main event:** the 25 Feb 2021 airstrike in Al Bukamal" in out.stdout
    )
    assert (
        "· How many were killed in the 25 Feb 2021 airstrike in Al Bukamal? · conflict"
        in out.stdout
    )
    main = next(e for e in data["events"] if e["main"])
    assert {d["event"] for d in data["disagreements"] if d["slot"] == "killed"} == {main["id"]}


def test_compare_text_names_the_main_event_and_asks_the_questions(tmp_path):
    out = run_cli("compare", "--example", "--quiet", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "main event: the 25 Feb 2021 airstrike in Al Bukamal" in out.stdout
    assert "CONFLICT Where did the 25 Feb 2021 airstrike in Al Bukamal happen?" in out.stdout


@pytest.mark.slow
def test_align_and_facts_json_shapes(tmp_path):
    out = run_cli("align", "--json", "--example", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"sources", "claims", "omissions", "shared_text"}
    assert data["claims"][0]["members"][0].keys() >= {"source", "sentence"}
    out = run_cli("facts", "--json", str(SEED), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    facts = data["facts"]
    assert {f["kind"] for f in facts} >= {"figure", "time", "attribution", "place"}
    main = next(e for e in data["events"] if e["main"])
    assert main["type"] == "airstrike"
    assert any(f["event"] == main["id"] for f in facts if f["kind"] == "figure")
    assert all(
        f["time_role"] in ("event", "statement", "background") for f in facts if f["kind"] == "time"
    )


def test_too_many_sources_and_duplicates(tmp_path):
    out = run_cli("sources", "--json", str(SEED), str(SEED), tmp_path=tmp_path)
    assert out.returncode == 0
    assert "given twice" in out.stderr
    assert len(json.loads(out.stdout)["sources"]) == 1
    out = run_cli(
        "sources",
        str(SEED),
        "b.txt",
        "c.txt",
        tmp_path=tmp_path,
        config_text="[compare]\nmax_sources = 2\n",
    )
    assert out.returncode == 2 and "compare.max_sources" in out.stderr


# -- nothing finished is thrown away -----------------------------------------------------


@pytest.mark.parametrize(
    "flags, message",
    [
        (
            ["--json", "{tmp}/missing/r.json"],
            "--json {tmp}/missing/r.json: the folder {tmp}/missing does not exist",
        ),
        (["--md", "{tmp}"], "--md {tmp} is a folder"),
        (["--csv", "{tmp}/cli.toml/r.csv"], "the folder {tmp}/cli.toml is not a folder"),
        (["--json", "{tmp}/r.out", "--md", "{tmp}/./r.out"], "writes to the same file"),
    ],
)
def test_output_paths_are_checked_before_any_work(tmp_path, flags, message):
    args = [f.format(tmp=tmp_path) for f in flags]
    out = run_cli("compare", "--example", *args, tmp_path=tmp_path)
    assert out.returncode == 2
    assert message.format(tmp=tmp_path) in out.stderr
    assert "Traceback" not in out.stderr and "[read]" not in out.stderr
    assert not (tmp_path / "data").exists()  # not even the store was opened


@pytest.mark.slow
def test_a_full_store_costs_a_warning_not_the_report(tmp_path, monkeypatch, capsys):
    """The store fills up while caching embeddings and saving the run: the report is
    still written (SQLite's page limit gives the real "database or disk is full")."""
    from comparer import __main__ as cli
    from comparer.store import Store

    opened = Store.open

    def full_store(settings):
        store = opened(settings)
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "open", staticmethod(full_store))
    cfg = tmp_path / "cli.toml"
    cfg.write_text(f'[store]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    code = cli.main(
        ["compare", "--example", "--json", str(tmp_path / "r.json"), "--config", str(cfg)]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "could not cache embeddings" in err and "database or disk is full" in err
    assert "the run could not be saved in the store" in err
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(data["sources"]) == 6 and data["disagreements"] and data["run_id"] is None


def test_one_file_spelled_two_ways_is_compared_once(tmp_path):
    out = run_cli(
        "sources",
        "--json",
        str(SEED),
        str(SEED.relative_to(REPO)),
        f"./{SEED.relative_to(REPO)}",
        tmp_path=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["sources"]) == 1
    assert f"{SEED.relative_to(REPO)} is the same as {SEED}; it is compared once" in out.stderr


def test_store_stats_and_prune(tmp_path):
    out = run_cli("sources", str(SEED), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    out = run_cli("store", "stats", "--json", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["runs"]["count"] == 0 and info["max_bytes"] == 1_000_000_000
    out = run_cli("store", "prune", "--older-than", "0", "--keep-runs", "0", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("deleted 0 runs, 0 snapshots, 0 embeddings; the store is now")
    for bad in (["--keep-runs", "-1"], ["--older-than", "nan"], ["--older-than", "-2"]):
        out = run_cli("store", "prune", *bad, tmp_path=tmp_path)
        assert out.returncode == 2 and "must be" in out.stderr and "Traceback" not in out.stderr
    out = run_cli("store", "stats", "--keep-runs", "3", tmp_path=tmp_path)
    assert out.returncode == 2 and "go with store prune" in out.stderr
