"""sitreps.nlp room (see design.md)."""
