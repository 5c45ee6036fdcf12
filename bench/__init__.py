"""Benchmark scripts, run as modules from the repository root: ``python -m bench.bench_align``.

A package so that the scripts import each other (``bench.bench_align``) and the tests'
helpers (``tests.localserver``) without editing ``sys.path``."""
