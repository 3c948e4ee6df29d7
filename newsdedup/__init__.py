"""newsdedup: find republished copies of news stories and trace where they came from."""

__version__ = "0.1.0"
