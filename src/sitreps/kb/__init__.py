"""sitreps.kb room (see design.md)."""
