"""The batch command: many events on Dask distributed, each report as ``compare --json``
writes it, failures kept to their event, ``--resume``, manifests and a killed worker.

Starting a cluster costs seconds and every worker loads the models, so the tests share
runs: one ``python -m comparer batch`` over a folder (module fixture ``folder_batch``,
its own local cluster), one standing cluster for the resume and manifest tests
(``TestOnAStandingCluster``, reached by address as ``--scheduler`` would), and one
cluster of its own for the killed-worker test. The events are constructed for these
tests (fictional outlets, our own sentences); nothing touches the network.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from comparer.__main__ import main as cli_main
from comparer.batch import BatchInputError, read_events, run_batch
from comparer.batch.inputs import EventJob, name_problem
from comparer.batch.outputs import SUMMARY_COLUMNS
from comparer.batch.worker import EventOutcome, compare_event
from comparer.settings import Settings, load_settings
from tests.conftest import REPO

pytestmark = pytest.mark.slow

VOLATILE = ("generated_at", "run_id", "timings")  # differ between any two runs


def _article(outlet: str, published: str, *paragraphs: str) -> str:
    body = "\n\n".join(paragraphs)
    return f"Outlet: {outlet}\nPublished: {published}\nConstructed: yes\n\n{body}\n"


EVENTS: dict[str, dict[str, str]] = {
    "bridge-collapse": {
        "01-harbour-herald.txt": _article(
            "Harbour Herald",
            "2024-03-12",
            "A road bridge over the Selva river collapsed near Dorren on Tuesday morning, "
            "killing at least 9 people, regional officials said.",
            "The span gave way at about 7:40 a.m. local time as commuters were crossing it. "
            "Rescue teams pulled 14 people from the water and took them to the hospital in "
            "Dorren.",
            "The transport ministry said the bridge had been inspected last year and ordered "
            "an inquiry into the collapse. Engineers will examine the remaining pillars before "
            "boats are allowed back on the river.",
        ),
        "02-midland-courier.txt": _article(
            "Midland Courier",
            "2024-03-12",
            "Six people were killed when a bridge over the Selva river collapsed near Dorren "
            "on Tuesday, the regional governor said.",
            "Rescue teams pulled 14 people from the water, and divers were searching the river "
            "for others who may be missing.",
            "The transport ministry has ordered an inquiry and said the bridge passed an "
            "inspection last year. Boats have been kept off the river while engineers check the "
            "remaining pillars.",
        ),
        "03-plains-observer.txt": _article(
            "Plains Observer",
            "2024-03-12",
            "At least 9 people died after a road bridge collapsed near Dorren on Tuesday, "
            "according to the regional health office.",
            "Rescue teams pulled 14 people from the water, the health office said. The "
            "transport ministry has ordered an inquiry into the collapse of the bridge.",
        ),
    },
    "factory-fire": {
        "01-keshet-daily.txt": _article(
            "Keshet Daily",
            "2024-05-06",
            "A fire at a textile factory in Keshet killed 4 workers on Sunday night, the fire "
            "service said.",
            "The blaze started in a storage room and spread through the building within an "
            "hour, according to the fire service. Twenty firefighters fought the flames until "
            "the early morning.",
            "The owner of the factory said the building met every safety rule and that the "
            "cause of the fire was not yet known.",
        ),
        "02-eastern-tribune.txt": _article(
            "Eastern Tribune",
            "2024-05-06",
            "Seven workers were killed in a fire at a textile factory in Keshet on Sunday "
            "night, the fire service said.",
            "The fire spread through the building within an hour after it started in a storage "
            "room. Twenty firefighters fought the flames until the early morning.",
            "The owner of the factory said the cause of the fire was not yet known.",
        ),
    },
    "port-storm": {
        "01-coast-gazette.txt": _article(
            "Coast Gazette",
            "2024-09-21",
            "A storm damaged 30 fishing boats in the port of Lamira on Friday, the harbour "
            "master said.",
            "Winds of more than 100 kilometres an hour tore boats from their moorings and "
            "threw several of them onto the quay. No one was hurt, the harbour master said.",
        ),
        "02-lamira-news.txt": _article(
            "Lamira News",
            "2024-09-21",
            "About 30 fishing boats were damaged when a storm hit the port of Lamira on "
            "Friday, the harbour master said.",
            "Strong winds tore boats from their moorings and threw some of them onto the quay. "
            "Nobody was injured in the storm, according to the harbour master.",
        ),
    },
}
# A PDF renamed .txt: not text, so the source cannot be read (charsets.py says why).
NOT_TEXT = b"%PDF-1.4\n" + bytes(range(256)) * 8


def _write_events(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / name).mkdir(parents=True)
        for file, text in EVENTS[name].items():
            (folder / name / file).write_text(text, encoding="utf-8")


def _config(folder: Path) -> Path:
    path = folder / "settings.toml"
    path.write_text(f'[store]\ndata_dir = "{folder / "data"}"\n', encoding="utf-8")
    return path


def _stable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in VOLATILE}


def _report(out: Path, event: str) -> dict[str, Any]:
    return json.loads((out / f"{event}.json").read_text(encoding="utf-8"))


def _summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _value_count(report: dict[str, Any]) -> int:
    return sum(len(d["values"]) for d in report["disagreements"])


# ---------------------------------------------------------------- one folder, by the CLI


@pytest.fixture(scope="module")
def folder_batch(tmp_path_factory) -> dict[str, Any]:
    """``python -m comparer batch`` over three good events and a broken one (its two
    files are not text), on its own local cluster of two workers; and, for comparison,
    ``compare --json`` run on each good event's files with the same settings."""
    root = tmp_path_factory.mktemp("folder_batch")
    inputs, out = root / "in", root / "out"
    _write_events(inputs, list(EVENTS))
    (inputs / "broken").mkdir()
    (inputs / "broken" / "01-scan.txt").write_bytes(NOT_TEXT)
    (inputs / "broken" / "02-scan.txt").write_bytes(NOT_TEXT[::-1])
    (inputs / "labels.json").write_text("{}", encoding="utf-8")  # top-level files: no event
    config = _config(root)
    run = subprocess.run(
        [sys.executable, "-m", "comparer", "batch", str(inputs), "--out", str(out)]
        + ["--workers", "2", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    compared = {}
    for event in EVENTS:
        dest = root / f"compare-{event}.json"
        files = sorted(str(p) for p in (inputs / event).iterdir())
        code = cli_main(
            ["compare", "--quiet", "--json", str(dest), "--config", str(config), *files]
        )
        assert code == 0
        compared[event] = json.loads(dest.read_text(encoding="utf-8"))
    return {"run": run, "inputs": inputs, "out": out, "compared": compared, "config": config}


def test_each_report_is_the_one_compare_json_writes(folder_batch):
    run, out = folder_batch["run"], folder_batch["out"]
    assert run.returncode == 1, run.stderr  # the broken event failed, the others did not
    for event, expected in folder_batch["compared"].items():
        text = (out / f"{event}.json").read_text(encoding="utf-8")
        got = json.loads(text)
        assert _stable(got) == _stable(expected), event
        assert text == json.dumps(got, indent=2, ensure_ascii=False) + "\n"  # written alike
        assert got["run_id"]  # saved in its worker's store, as compare saves in its own
    assert "[batch] 4/4 events done, 1 failed" in run.stderr
    # each worker kept its own store, under <out>/stores/<worker name>/
    stores = sorted(p.parent.name for p in (out / "stores").glob("*/crosscheck.sqlite3"))
    assert stores and set(stores) <= {"0", "1"}


def test_a_broken_event_is_a_row_with_its_error_and_the_others_finish(folder_batch):
    rows = {row["event"]: row for row in _summary(folder_batch["out"])}
    assert list(rows) == ["bridge-collapse", "broken", "factory-fire", "port-storm"]
    broken = rows.pop("broken")
    assert broken["status"] == "failed" and broken["sources_given"] == "2"
    assert broken["sources_read"] == "0"
    assert broken["error"].startswith("none of the 2 sources could be read")
    assert all(row["status"] == "ok" and not row["error"] for row in rows.values())


def test_summary_columns_and_counts(folder_batch):
    out = folder_batch["out"]
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == SUMMARY_COLUMNS
    assert {"conflicts_figure", "conflicts_time", "conflicts_attribution"} <= set(SUMMARY_COLUMNS)
    for row in _summary(out):
        if row["status"] != "ok":
            continue
        report = _report(out, row["event"])
        cards = report["disagreements"]
        assert int(row["sources_given"]) == len(EVENTS[row["event"]])
        assert int(row["sources_read"]) == len(report["sources"])
        assert int(row["claim_groups"]) == len(report["claims"])
        assert int(row["disagreements"]) == len(cards)
        assert int(row["conflicts_figure"]) == sum(
            d["kind"] == "figure" and d["severity"] == "conflict" for d in cards
        )
        assert row["worker"] in ("0", "1") and float(row["seconds"]) > 0
        assert float(row["peak_rss_mb"]) > 100  # a worker holding the models


def test_values_parquet_has_every_disagreement_value(folder_batch):
    out = folder_batch["out"]
    values = pd.read_parquet(out / "values.parquet")
    expected = {
        "event",
        "disagreement",
        "kind",
        "slot",
        "severity",
        "source",
        "outlet",
        "value",
        "evidence",
        "card_event",
    }
    assert expected <= set(values.columns) and list(values.columns)[0] == "event"
    counts = values.groupby("event").size().to_dict()
    for event in EVENTS:
        assert counts.get(event, 0) == _value_count(_report(out, event)), event
    assert "broken" not in counts
    # the bridge: 9 killed against 6 killed is a figure conflict between outlets
    bridge = values[(values.event == "bridge-collapse") & (values.kind == "figure")]
    assert "conflict" in set(bridge.severity)
    assert values["start"].dtype == "int64"
    assert json.loads(values["value"].iloc[0])  # the value as its JSON object
    # each field of a value has its own column: the bridge's tolls as numbers
    killed = bridge[bridge.slot == "killed"]
    assert values["value_low"].dtype == "float64"
    assert {9.0, 6.0} <= set(killed["value_low"].dropna())
    for text, low in zip(killed.value, killed.value_low, strict=True):
        assert json.loads(text)["low"] == (None if pd.isna(low) else low)


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    "name, problem",
    [
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("..", "starts with a dot"),
        (".hidden", "starts with a dot"),
        ("", "is empty"),
        ("line\nbreak", "control character"),
        ("batch-state", "the batch's own file"),
        ("x" * 201, "longer than"),
    ],
)
def test_names_that_are_no_plain_file_names_are_refused(name, problem):
    assert problem in (name_problem(name) or "")


def test_a_bad_manifest_is_refused_before_any_work(tmp_path, capsys):
    manifest = tmp_path / "events.csv"
    manifest.write_text("event,source\nStorm,a.txt\nstorm,b.txt\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="differ only by case"):
        read_events(manifest)
    manifest.write_text("name,source\nstorm,a.txt\n", encoding="utf-8")
    assert cli_main(["batch", str(manifest), "--out", str(tmp_path / "out")]) == 2
    assert "must name the columns event and source" in capsys.readouterr().err
    traversal = tmp_path / "events.jsonl"
    traversal.write_text('{"event": "../up", "source": "a.txt"}\n', encoding="utf-8")
    assert cli_main(["batch", str(traversal), "--out", str(tmp_path / "out")]) == 2
    assert "contains a path separator" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- a standing cluster


@pytest.fixture(scope="class")
def scheduler() -> Iterator[str]:
    """A running local cluster, reached by its address like any standing cluster."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def _mtimes(out: Path, events: list[str]) -> dict[str, int]:
    return {e: (out / f"{e}.json").stat().st_mtime_ns for e in events}


class TestOnAStandingCluster:
    def test_resume_runs_only_what_changed(self, scheduler, tmp_path):
        inputs, out = tmp_path / "in", tmp_path / "out"
        names = ["factory-fire", "port-storm"]
        _write_events(inputs, names)
        settings = load_settings(_config(tmp_path))

        def batch(settings: Settings = settings, *, resume: bool = True) -> Any:
            return run_batch(read_events(inputs), settings, out, scheduler=scheduler, resume=resume)

        first = batch()
        assert (first.submitted, first.resumed, first.failed) == (2, 0, 0)
        before = _mtimes(out, names)

        again = batch()  # nothing changed: nothing is submitted, no report rewritten
        assert (again.submitted, again.resumed) == (0, 2)
        assert _mtimes(out, names) == before
        assert [row["status"] for row in _summary(out)] == ["resumed", "resumed"]
        values = pd.read_parquet(out / "values.parquet")  # read back from the reports
        for event in names:
            assert (values.event == event).sum() == _value_count(_report(out, event))

        edited = inputs / "port-storm" / "02-lamira-news.txt"
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\nThe port reopened on Sunday.\n",
            encoding="utf-8",
        )
        one = batch()  # one event's input changed: that event alone runs again
        assert (one.submitted, one.resumed) == (1, 1)
        after = _mtimes(out, names)
        assert after["factory-fire"] == before["factory-fire"]
        assert after["port-storm"] != before["port-storm"]
        assert {r["event"]: r["status"] for r in _summary(out)} == {
            "factory-fire": "resumed",
            "port-storm": "ok",
        }
        assert "The port reopened on Sunday." in json.dumps(_report(out, "port-storm"))

        changed = settings.with_overrides({"align.min_words": 5})
        rerun = batch(changed)  # other settings: every event runs again
        assert (rerun.submitted, rerun.resumed) == (2, 0)
        assert _report(out, "factory-fire")["settings"]["align"]["min_words"] == 5
        assert batch(changed).submitted == 0
        assert batch(changed, resume=False).submitted == 2  # without --resume: all again

    def test_csv_manifest_with_a_missing_file(self, scheduler, tmp_path):
        inputs, out = tmp_path / "files", tmp_path / "out"
        _write_events(inputs, ["factory-fire", "bridge-collapse"])
        manifest = tmp_path / "events.csv"
        with manifest.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["event", "source", "note"])
            for event in ("factory-fire", "bridge-collapse"):
                for file in EVENTS[event]:
                    writer.writerow([event, f"files/{event}/{file}", "relative to the manifest"])
            writer.writerow(["gone", "files/nowhere/01.txt", ""])
            writer.writerow(["gone", str(tmp_path / "nowhere" / "02.txt"), "absolute"])
        settings = load_settings(_config(tmp_path))
        result = run_batch(read_events(manifest), settings, out, scheduler=scheduler)
        rows = {row["event"]: row for row in result.rows}
        assert list(rows) == ["factory-fire", "bridge-collapse", "gone"]
        assert rows["gone"]["status"] == "failed" and "file not found" in rows["gone"]["error"]
        assert rows["factory-fire"]["status"] == rows["bridge-collapse"]["status"] == "ok"
        # the sources are the files the manifest names, read from its folder
        sources = _report(out, "factory-fire")["sources"]
        assert [s["location"] for s in sources] == [
            str(inputs / "factory-fire" / f) for f in EVENTS["factory-fire"]
        ]
        assert _summary(out) == [{k: str(v) for k, v in row.items()} for row in result.rows]

    def test_an_exception_in_an_event_is_its_row_and_the_others_finish(self, scheduler, tmp_path):
        inputs, out = tmp_path / "in", tmp_path / "out"
        _write_events(inputs, ["factory-fire", "port-storm"])
        settings = load_settings(_config(tmp_path))
        task = partial(raise_in, event="port-storm")
        result = run_batch(read_events(inputs), settings, out, scheduler=scheduler, task=task)
        rows = {row["event"]: row for row in result.rows}
        assert rows["factory-fire"]["status"] == "ok"
        assert rows["port-storm"]["status"] == "failed"
        assert rows["port-storm"]["error"] == "RuntimeError: a bug inside port-storm"
        assert result.failed == 1 and not (out / "port-storm.json").exists()

    def test_jsonl_manifest_through_the_command_line(self, scheduler, tmp_path, folder_batch):
        # the same files as the folder batch, so the report must be the same one
        folder = folder_batch["inputs"] / "factory-fire"
        manifest = tmp_path / "events.jsonl"
        lines = [
            json.dumps({"event": "fire", "source": os.path.relpath(folder / f, tmp_path)})
            for f in EVENTS["factory-fire"]
        ]
        manifest.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
        out = tmp_path / "out"
        run = subprocess.run(
            [sys.executable, "-m", "comparer", "batch", str(manifest), "--out", str(out)]
            + ["--scheduler", scheduler, "--config", str(folder_batch["config"]), "--quiet"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""  # --quiet
        assert _stable(_report(out, "fire")) == _stable(folder_batch["compared"]["factory-fire"])


def raise_in(job: EventJob, settings: Settings, plugin: str, *, event: str) -> EventOutcome:
    """The batch task, except that ``event`` raises as a bug in the pipeline would."""
    if job.name == event:
        raise RuntimeError(f"a bug inside {event}")
    return compare_event(job, settings, plugin)


# ---------------------------------------------------------------- a worker killed


def kill_worker_running(
    job: EventJob, settings: Settings, plugin: str, *, markers: str, once: str, always: str
) -> EventOutcome:
    """The batch task, except that the event ``once`` kills its worker process on its
    first attempt (a marker file says it was made) and ``always`` on every attempt."""
    if job.name == always:
        os.kill(os.getpid(), signal.SIGKILL)
    if job.name == once:
        try:
            os.close(os.open(Path(markers) / job.name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            pass  # the retry: compare as usual
        else:
            os.kill(os.getpid(), signal.SIGKILL)
    return compare_event(job, settings, plugin)


def test_a_killed_worker_loses_no_event(tmp_path):
    import dask

    inputs, out, markers = tmp_path / "in", tmp_path / "out", tmp_path / "markers"
    _write_events(inputs, ["factory-fire", "port-storm"])
    (inputs / "doomed").mkdir()
    for file, text in EVENTS["port-storm"].items():
        (inputs / "doomed" / file).write_text(text, encoding="utf-8")
    markers.mkdir()
    task = partial(kill_worker_running, markers=str(markers), once="factory-fire", always="doomed")
    settings = load_settings(_config(tmp_path))
    # One failure allowed, and one task at a time per worker: only the task that kills
    # its worker is ever counted against (Dask counts every task a dead worker held).
    with dask.config.set(
        {
            "distributed.scheduler.allowed-failures": 1,
            "distributed.scheduler.worker-saturation": 1.0,
        }
    ):
        result = run_batch(read_events(inputs), settings, out, workers=2, task=task)
    assert (markers / "factory-fire").exists()  # its first attempt did kill a worker
    rows = {row["event"]: row for row in result.rows}
    assert rows["factory-fire"]["status"] == rows["port-storm"]["status"] == "ok"
    assert (out / "factory-fire.json").exists() and (out / "port-storm.json").exists()
    assert rows["doomed"]["status"] == "failed"
    assert rows["doomed"]["error"].startswith("KilledWorker")
    assert result.failed == 1
