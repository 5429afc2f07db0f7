"""sitreps.report room (see design.md)."""
