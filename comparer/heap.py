"""Keeping the loaded models out of the garbage collector's full passes.

Why: the embedding model and the spaCy pipeline are about half a million long-lived
Python objects. A full collection walks all of them (0.3 s measured in the middle of a
comparison), and in a forked child it also writes to each one, copying memory pages the
child would otherwise share with its parent. ``gc.freeze`` moves everything alive into a
generation the collector skips; ``gc.unfreeze`` hands it back.

Nested and concurrent users (a comparison that forks a side job; two dashboard sessions)
are counted here, so the heap is handed back by the last one out. The count is our own
because ``gc.get_freeze_count`` walks the frozen objects (50 ms per call).
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0


def freeze_heap() -> None:
    global _depth
    with _lock:
        _depth += 1
        gc.freeze()  # also takes what was made since an outer call: a cheap list splice


def thaw_heap() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()


@contextmanager
def heap_frozen() -> Iterator[None]:
    freeze_heap()
    try:
        yield
    finally:
        thaw_heap()


__all__ = ["freeze_heap", "heap_frozen", "thaw_heap"]
