"""Benchmarks of trainer-qa; `python -m bench` regenerates docs/benchmarks/."""
