"""The trainer-qa HTTP service."""
