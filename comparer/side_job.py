"""One job in a forked process while this process goes on with other work.

Why: the two costly stages of a cold comparison do not depend on each other. Encoding
(torch) and parsing (spaCy) each keep a core busy, and with two cores, running the parse
in a second process *while* the main process encodes gets more out of the machine than
running them one after the other (measured in ``bench/bench_compare.py``).

Why fork: the child inherits the loaded spaCy pipeline and the articles at no cost;
spawning would reload the model (a second or more). Fork is only safe from the main
thread of a process whose other threads hold no lock the child needs, so ``can_fork``
says no inside a server's worker thread (the dashboard) and on systems without fork;
callers then do the work in-process.

The child never touches torch, the store or any open connection: it runs one pure
function and sends back its pickled result. Any failure in the child (an exception,
a crash, running out of time) is reported as ``SideJobError`` so the caller can do the
work itself and lose nothing.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import traceback
from typing import Any, Callable

from comparer.errors import SideJobError


def can_fork() -> bool:
    return (sys.platform.startswith("linux")
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.current_thread() is threading.main_thread())


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    started = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
        conn.send(("ok", result, time.perf_counter() - started))
    except BaseException as exc:  # report everything: the parent decides what to do
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}",
                   time.perf_counter() - started))
    finally:
        conn.close()


class SideJob:
    """``fn(*args, **kwargs)`` running in a forked child; ``result()`` collects it.

    ``seconds`` is the time the child spent on the job (set by ``result()``).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        if not can_fork():
            raise SideJobError("cannot fork here (not Linux, or not the main thread)")
        ctx = multiprocessing.get_context("fork")
        self._conn, child_conn = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(child_conn, fn, args, kwargs),
                                 daemon=True)
        self._proc.start()
        child_conn.close()  # the child holds its own copy; ours must go so EOF is seen
        self.seconds: float | None = None
        self._finished = False

    def done(self) -> bool:
        """Has the child finished (its answer is waiting, or it died)?"""
        return self._finished or self._conn.poll() or not self._proc.is_alive()

    def result(self, timeout: float) -> Any:
        """The job's return value; ``SideJobError`` if it failed, died or ran out of time."""
        try:
            if not self._conn.poll(timeout):
                raise SideJobError(f"side process gave no answer within {timeout:.0f} s")
            status, payload, seconds = self._conn.recv()
        except (EOFError, OSError) as exc:
            code = self._proc.exitcode
            raise SideJobError(f"side process died (exit code {code}): {exc or 'no answer'}")
        finally:
            self.close()
        self.seconds = seconds
        if status != "ok":
            raise SideJobError(f"side process failed: {payload}")
        return payload

    def close(self) -> None:
        """Stop the child if it still runs and release the pipe."""
        self._finished = True
        if self._proc.is_alive():
            self._proc.join(timeout=0.5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
        self._conn.close()


__all__ = ["SideJob", "SideJobError", "can_fork"]
