"""Pieces the server's faces share: the per-region callback configuration, the SQLite store lifetime, wake-ups."""
