"""`python -m sitreps` runs the CLI."""

from sitreps.cli import main

main()
