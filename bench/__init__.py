"""Benchmarks: Cruxbot against the floor set by its own dependencies.

Run with `make bench` (or `python -m bench --help`). Every figure is measured
next to its baseline in the same run, so the ratios hold on a noisy machine.
Not part of the test suite.
"""
