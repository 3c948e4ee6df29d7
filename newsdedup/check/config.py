"""`newsdedup check` settings: `.newsdedup.toml`, or `[tool.newsdedup]` in `pyproject.toml`.

Validation is strict: a key this module does not know, or a value of the wrong
type or range, is a `ConfigError` whose message names the file and the key, so
a typo in CI fails loudly (exit 2) instead of silently checking with defaults.
Paths in the file are relative to the directory that holds it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

from .rules import RULES, Severity, Thresholds

CONFIG_FILE = ".newsdedup.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_BASELINE = ".newsdedup-baseline.json"
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.html", "*.htm", "*.txt")
DEFAULT_EXCLUDE = (
    "README*",
    "CHANGELOG*",
    "CHANGES*",
    "LICENSE*",
    "CONTRIBUTING*",
    "CODE_OF_CONDUCT*",
    "node_modules/",
)
FAIL_ON = ("error", "warning", "note", "never")
OFF = "off"


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class ReferenceSpec:
    """A reference directory (or index) and, optionally, the names its publisher goes by
    (for a feed whose files carry no site, URL or wire credit of their own)."""

    path: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """Everything `newsdedup check` reads from its configuration file, with the defaults."""

    root: Path = Path(".")
    source: str | None = None  # the file these settings came from, if any
    paths: tuple[str, ...] = (".",)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    against: tuple[ReferenceSpec, ...] = ()
    archive: tuple[str, ...] = ()
    baseline: str = DEFAULT_BASELINE
    fail_on: str = "error"
    thresholds: Thresholds = field(default_factory=Thresholds)
    severities: Mapping[str, str] = field(
        default_factory=lambda: {r.id: r.severity.value for r in RULES}
    )

    def severity(self, rule: str) -> Severity | None:
        """The rule's configured severity; None when it is turned off."""
        value = self.severities.get(rule, OFF)
        return None if value == OFF else Severity(value)


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> CheckConfig:
    """Settings from `explicit`, else `.newsdedup.toml`, else `pyproject.toml`'s
    `[tool.newsdedup]` table in `cwd`; the defaults when there is none."""
    cwd = cwd or Path.cwd()
    if explicit is not None:
        document = _read(explicit)
        if explicit.name != PYPROJECT:
            return parse_config(document, explicit.parent, str(explicit))
        table = _tool_table(document, explicit)
        if table is None:
            raise ConfigError(f"{explicit}: no [tool.newsdedup] table")
        return parse_config(table, explicit.parent, f"{explicit} [tool.newsdedup]")
    own = cwd / CONFIG_FILE
    if own.is_file():
        return parse_config(_read(own), cwd, CONFIG_FILE)
    pyproject = cwd / PYPROJECT
    if pyproject.is_file():
        found = _tool_table(_read(pyproject), pyproject)
        if found is not None:
            return parse_config(found, cwd, f"{PYPROJECT} [tool.newsdedup]")
    return CheckConfig(root=cwd)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            document: dict[str, Any] = tomllib.load(handle)
            return document
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _tool_table(document: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tool = document.get("tool", {})
    table = tool.get("newsdedup") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'tool.newsdedup' must be a table")
    found: dict[str, Any] = table
    return found


_KEYS = (
    "paths",
    "include",
    "exclude",
    "against",
    "archive",
    "baseline",
    "fail-on",
    "min-containment",
    "duplicate-containment",
    "rules",
)


def parse_config(table: Mapping[str, Any], root: Path, source: str) -> CheckConfig:
    """A `CheckConfig` from a parsed TOML table; `ConfigError` names the first bad key."""
    config = CheckConfig(root=root, source=source)
    for key in table:
        if key not in _KEYS:
            raise ConfigError(f"{source}: unknown key '{key}' (known: {', '.join(_KEYS)})")
    value = _Values(table, source)
    thresholds = Thresholds(
        min_containment=value.fraction("min-containment", config.thresholds.min_containment),
        duplicate_containment=value.fraction(
            "duplicate-containment", config.thresholds.duplicate_containment
        ),
    )
    return replace(
        config,
        paths=value.strings("paths", config.paths, nonempty=True),
        include=value.strings("include", config.include),
        exclude=value.strings("exclude", config.exclude),
        against=value.references("against"),
        archive=value.strings("archive", ()),
        baseline=value.string("baseline", config.baseline),
        fail_on=value.choice("fail-on", FAIL_ON, config.fail_on),
        thresholds=thresholds,
        severities=value.severities("rules", config.severities),
    )


@dataclass(frozen=True, slots=True)
class _Values:
    """Typed reads of a table's keys, each failing with one line that names the key."""

    table: Mapping[str, Any]
    source: str

    def _fail(self, key: str, wanted: str, value: object) -> ConfigError:
        return ConfigError(f"{self.source}: '{key}' must be {wanted}, got {value!r}")

    def string(self, key: str, default: str) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "a non-empty string", value)
        return value

    def strings(
        self, key: str, default: tuple[str, ...], nonempty: bool = False
    ) -> tuple[str, ...]:
        value = self.table.get(key, list(default))
        wanted = "a non-empty list of strings" if nonempty else "a list of strings"
        if not isinstance(value, list) or (nonempty and not value):
            raise self._fail(key, wanted, value)
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self._fail(key, wanted, value)
        return tuple(value)

    def fraction(self, key: str, default: float) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise self._fail(key, "a number above 0 and at most 1", value)
        return float(value)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.table.get(key, default)
        if value not in choices:
            raise self._fail(key, "one of " + ", ".join(choices), value)
        return str(value)

    def references(self, key: str) -> tuple[ReferenceSpec, ...]:
        value = self.table.get(key, [])
        wanted = "a list of paths or of tables {path = ..., names = [...]}"
        if not isinstance(value, list):
            raise self._fail(key, wanted, value)
        found = []
        for item in value:
            if isinstance(item, str) and item.strip():
                found.append(ReferenceSpec(item))
                continue
            if not isinstance(item, dict):
                raise self._fail(key, wanted, item)
            unknown = sorted(set(item) - {"path", "names"})
            if unknown:
                raise ConfigError(
                    f"{self.source}: unknown key '{unknown[0]}' in '{key}' (known: path, names)"
                )
            inner = _Values(item, self.source)
            path = inner.string("path", "")
            names = inner.strings("names", ())
            found.append(ReferenceSpec(path, names))
        return tuple(found)

    def severities(self, key: str, default: Mapping[str, str]) -> Mapping[str, str]:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "a table of rule = severity", value)
        known = {r.id for r in RULES}
        levels = (*(s.value for s in Severity), OFF)
        chosen = dict(default)
        for rule, level in value.items():
            if rule not in known:
                listed = ", ".join(sorted(known))
                raise ConfigError(f"{self.source}: unknown rule 'rules.{rule}' (known: {listed})")
            if level not in levels:
                raise self._fail(f"rules.{rule}", "one of " + ", ".join(levels), level)
            chosen[rule] = level
        return chosen
