"""sitreps.web room (see design.md)."""
