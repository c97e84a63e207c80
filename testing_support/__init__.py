"""Loopback fakes of the chat platforms, shared by the tests and the benchmarks."""
