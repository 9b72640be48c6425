"""Evaluation harness: gold questions, metrics, runner and report."""
