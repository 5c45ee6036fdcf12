"""A batch's progress on stderr: events done of the total, and the failures.

On a terminal one line is rewritten in place (``\\r``) and each failure gets a line of its
own above it, so the reason stays on screen; anywhere else (a log file, CI) every event
gets one line, since a rewritten line there is a run of ``\\r`` in one long line.
"""

from __future__ import annotations

import sys
from typing import TextIO


class BatchProgress:
    """Counts events as they finish and says so on ``stream`` (stderr by default)."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0
        self.failed = 0
        self._bar = False  # a rewritable line is on screen

    @property
    def _tty(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def start(self, total: int, *, resumed: int, where: str = "") -> None:
        """``total`` events in all, ``resumed`` of them kept from an earlier run, the
        others run on ``where`` (the cluster)."""
        self.total, self.done = total, resumed
        if resumed == total:
            self.note(f"{total} events, all kept from the last run (--resume): nothing to run")
            return
        kept = f", {resumed} kept from the last run (--resume)" if resumed else ""
        self.note(f"{total} events{kept}; running {total - resumed} on {where}")

    def note(self, message: str) -> None:
        """A line of its own (above the bar on a terminal)."""
        if self.quiet:
            return
        self._clear()
        print(f"[batch] {message}", file=self.stream, flush=True)
        self._draw()

    def event(self, name: str, *, error: str = "", seconds: float = 0.0, worker: str = "") -> None:
        """One event finished (``error`` when it failed)."""
        self.done += 1
        self.failed += bool(error)
        if self.quiet:
            return
        counts = f"{self.done}/{self.total}"
        if not self._tty:
            what = f"failed: {error}" if error else f"ok ({seconds:.1f} s, worker {worker})"
            print(f"[batch] {counts} {name}: {what}", file=self.stream, flush=True)
        elif error:
            self.note(f"{name} failed: {error}")
        else:
            self._draw()

    def finish(self) -> None:
        if self.quiet:
            return
        self._clear()
        failed = f", {self.failed} failed" if self.failed else ""
        print(f"[batch] {self.done}/{self.total} events done{failed}", file=self.stream, flush=True)

    def _draw(self) -> None:
        if self.quiet or not self._tty or not self.total:
            return
        width = 30
        filled = width * self.done // self.total
        failed = f", {self.failed} failed" if self.failed else ""
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[batch] [{bar}] {self.done}/{self.total} events{failed}")
        self.stream.flush()
        self._bar = True

    def _clear(self) -> None:
        if self._bar:
            self.stream.write("\r\033[K")
            self._bar = False


__all__ = ["BatchProgress"]
