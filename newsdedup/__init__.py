"""newsdedup: find republished copies of news stories, trace where they came from, show what changed."""

__version__ = "0.1.0"
