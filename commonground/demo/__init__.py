"""Synthetic and demo data: `commonground seed` at any size, `commonground demo` for a first look."""
