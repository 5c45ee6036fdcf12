"""One job in a forked process while this process goes on with other work.

Why: the two costly stages of a cold comparison do not depend on each other. Encoding
(torch) and parsing (spaCy) each keep a core busy, and with two cores, running the parse
in a second process *while* the main process encodes gets more out of the machine than
running them one after the other (measured in ``bench/bench_compare.py``).

Why a bare ``os.fork``: the child inherits the loaded spaCy pipeline and the articles at
no cost (spawning would reload the model, a second or more), and ``multiprocessing``
added about 50 ms per job on top of the 15 ms fork. Fork is only safe from the main
thread of a process whose other threads hold no lock the child needs, so ``can_fork``
says no inside a server's worker thread (the dashboard) and on systems without fork;
callers then do the work in-process.

The child never touches torch, the store or any open connection: it runs one pure
function, writes its pickled result to a pipe and leaves with ``os._exit`` (no atexit
handlers, no flushing of buffers it shares with the parent). Any failure in the child
(an exception, a crash, running out of time) is raised as ``SideJobError`` so that the
caller can do the work itself and lose nothing.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from typing import Any, Callable

from comparer.errors import SideJobError
from comparer.heap import freeze_heap, thaw_heap


def can_fork() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.current_thread() is threading.main_thread())


def _run_child(write_fd: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    started = time.perf_counter()
    try:
        try:
            message = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # report everything: the parent decides what to do
            message = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        seconds = time.perf_counter() - started
        try:
            payload = pickle.dumps((*message, seconds), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a result that cannot travel is a failure, said as such
            payload = pickle.dumps(("error", f"result cannot be pickled: {exc}", seconds))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


class SideJob:
    """``fn(*args, **kwargs)`` running in a forked child; ``result()`` collects it.

    ``seconds`` is the time the child spent on the job (set by ``result()``).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        if not can_fork():
            raise SideJobError("cannot fork here (not Linux, or not the main thread)")
        read_fd, write_fd = os.pipe()
        # Out of the collector's view until the job is collected (see ``heap.py``).
        freeze_heap()
        self._frozen = True
        try:
            pid = os.fork()
        except BaseException:
            os.close(read_fd)
            os.close(write_fd)
            self._thaw()
            raise
        if pid == 0:  # the child
            os.close(read_fd)
            _run_child(write_fd, fn, args, kwargs)
        os.close(write_fd)  # the child holds its own copy; ours must go so EOF is seen
        self._pid: int | None = pid
        self._fd: int | None = read_fd
        self.seconds: float | None = None

    def done(self) -> bool:
        """Has the child started answering (or died)? Never blocks."""
        if self._fd is None:
            return True
        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)

    def result(self, timeout: float) -> Any:
        """The job's return value; ``SideJobError`` if it failed, died or ran out of time."""
        if self._fd is None:
            raise SideJobError("side job already collected")
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SideJobError(f"side process gave no answer within {timeout:.0f} s")
                readable, _, _ = select.select([self._fd], [], [], left)
                if not readable:
                    continue
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except BaseException:
            self.close()
            raise
        status = self.close(wait=True)  # the answer is complete: the child is leaving
        if not chunks:
            raise SideJobError(f"side process died without an answer ({status})")
        try:
            kind, payload, seconds = pickle.loads(b"".join(chunks))
        except Exception as exc:
            raise SideJobError(f"side process sent an unreadable answer ({exc})") from exc
        self.seconds = seconds
        if kind != "ok":
            raise SideJobError(f"side process failed: {payload}")
        return payload

    def _thaw(self) -> None:
        if self._frozen:
            self._frozen = False
            thaw_heap()

    def close(self, *, wait: bool = False) -> str:
        """Reap the child (``wait``: let it finish; else stop it if it still runs), release
        the pipe and let the garbage collector see everything again. Returns how the child
        ended."""
        status = "already closed"
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            done, code = os.waitpid(pid, 0 if wait else os.WNOHANG)
            if done == 0:  # still running, and nobody waits for its answer any more
                os.kill(pid, signal.SIGKILL)
                _, code = os.waitpid(pid, 0)
            status = (f"exit code {os.waitstatus_to_exitcode(code)}")
        self._thaw()
        return status


__all__ = ["SideJob", "SideJobError", "can_fork"]
