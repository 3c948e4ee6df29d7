"""The `--columns` option of the commands that read inputs (`scan`, `index add`)."""

from __future__ import annotations

import typer

from .csvfile import FIELDS, parse_columns


def _checked(spec: str | None) -> str | None:
    """A usage error (exit 2) for a mapping that cannot be read, before anything is read."""
    if spec is not None:
        try:
            parse_columns(spec)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    return spec


COLUMNS_OPTION = typer.Option(
    "--columns",
    metavar="FIELD=COLUMN,...",
    callback=_checked,
    help="CSV/TSV: the column of each record field, e.g. 'id=story_id,text=body,url=link' "
    f"(default: columns named as the fields: {', '.join(FIELDS)}).",
)


def read_columns(spec: str | None) -> dict[str, str]:
    """The checked `--columns` value as a mapping (empty: the default)."""
    return parse_columns(spec) if spec else {}
