"""Benchmarks: how fast each stage is, how it scales and where the time goes (`python -m bench`)."""
