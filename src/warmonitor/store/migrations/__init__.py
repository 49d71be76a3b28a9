"""Alembic migrations of the store (run by `warmonitor.store.Store.open`, never by hand needed)."""
