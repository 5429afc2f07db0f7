"""sitreps.when room (see design.md)."""
