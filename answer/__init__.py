"""Answering: from a question and an index to a cited answer or an honest abstention."""
