"""Benchmarks run on demand (make bench); their figures go into the README, never into test assertions."""
