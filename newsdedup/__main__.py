"""`python -m newsdedup ...` runs the command line, as the `newsdedup` script does."""

from newsdedup.cli import app

app(prog_name="newsdedup")
