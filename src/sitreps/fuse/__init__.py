"""sitreps.fuse room (see design.md)."""
