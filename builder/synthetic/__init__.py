"""Deterministic generators for the bundled synthetic survey sample."""
