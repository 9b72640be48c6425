"""Corpus ingestion, chunking, embedding and hybrid retrieval for trainer-qa."""
