"""sitreps.scale room (see design.md)."""
