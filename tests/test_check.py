"""`newsdedup check`: rules on the samples and on a small site, credits, configuration,
opt-outs, line numbers, baseline, output formats (SARIF against the official schema) and
the reference prefilter."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from check_articles import (
    AP_HARBOUR,
    CREDITED_HARBOUR,
    OWN_BUDGET,
    REUTERS_LITHIUM,
    UNCREDITED_FIRST_COPIED,
    UNCREDITED_LITHIUM,
    line_of,
    write,
)
from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

from newsdedup.check.baseline import load_baseline, write_baseline
from newsdedup.check.config import ConfigError, ReferenceSpec, load_config
from newsdedup.check.credits import credits_source, identity, read_credits
from newsdedup.check.engine import CheckOutcome, CheckPlan, run_check
from newsdedup.check.formats import (
    CheckReport,
    github_command,
    report_json,
    sarif_log,
    write_github,
    write_text,
)
from newsdedup.check.inputs import InputError, locate, matches, read_opt_out, select
from newsdedup.check.references import (
    COMMON,
    WITNESSES,
    FileReferences,
    Probe,
    open_references,
)
from newsdedup.check.rules import RULES, Finding, Severity
from newsdedup.cli import app
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import ScanOptions
from newsdedup.records import Document

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ALL_ON = {r.id: r.severity for r in RULES}
S000, S001, S003, S004 = (
    next(SAMPLES.glob(f"{n}_*.txt")).name for n in ("000", "001", "003", "004")
)


def _copy_samples(root: Path, names: dict[str, str]) -> None:
    for target, name in names.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / name, root / target)


def _check(checked: list[str], sources: list[str], **extra: object) -> CheckOutcome:
    plan = CheckPlan(
        checked=tuple(checked),
        sources=tuple(ReferenceSpec(s) for s in sources),
        severities=ALL_ON,
        **extra,  # type: ignore[arg-type]
    )
    return run_check(plan, jobs=1)


def _rules(outcome: CheckOutcome, path: str) -> set[str]:
    return {f.rule for f in outcome.findings if f.path == path}


# -- the samples -------------------------------------------------------------------


def test_samples_001_against_003_is_an_uncredited_copy_with_its_credit_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy_samples(tmp_path, {"site/001.txt": S001, "site/004.txt": S004, "wire/003.txt": S003})
    monkeypatch.chdir(tmp_path)
    outcome = _check(["site/001.txt", "site/004.txt"], ["wire"])
    assert _rules(outcome, "site/001.txt") == {"uncredited-copy", "credit-removed"}
    removed = next(f for f in outcome.findings if f.rule == "credit-removed")
    assert "BEIJING, Jan 10 (Reuters) -" in removed.message
    # 004 against 003: a paraphrase of the Bloomberg story (shared rare fragments only, no
    # copied passage) that keeps no quotation of 003's: nothing to report.
    assert _rules(outcome, "site/004.txt") == set()
    # the finding sits on 001's first copied paragraph, line 8 of the file
    assert (removed.line, removed.column) == (8, 1)


def test_reuters_reported_in_001_is_reuters_own_sentence_not_a_credit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc001 = _document(SAMPLES / S001)
    doc003 = _document(SAMPLES / S003)
    mentions = [c for c in read_credits(doc001) if c.kind == "mention"]
    assert [c.value for c in mentions] == ["Reuters"]  # "..., Reuters reported."
    assert credits_source(mentions, identity(doc003)) is None
    # Where the source says no such thing, the same words are the copy's own credit.
    own_words = doc003.text.replace("Reuters reported", "it was reported")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"wire/003.txt": own_words})
    _copy_samples(tmp_path, {"site/001.txt": S001})
    assert credits_source(mentions, identity(_document(tmp_path / "wire/003.txt"))) is not None
    assert _rules(_check(["site/001.txt"], ["wire"]), "site/001.txt") == set()


def test_samples_000_against_001_names_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy_samples(tmp_path, {"site/000.txt": S000, "wire/001.txt": S001})
    text = (SAMPLES / S000).read_text(encoding="utf-8")
    assert "Source: https://www.cryptopolitan.com/" in text
    write(tmp_path, {"site/unsourced.txt": text.replace("Source: https://www.cryptopolitan", "")})
    monkeypatch.chdir(tmp_path)
    outcome = _check(["site/000.txt", "site/unsourced.txt"], ["wire"])
    assert "uncredited-copy" not in _rules(outcome, "site/000.txt")
    # the same copy without its Source: line is flagged: the credit is what clears 000
    assert "uncredited-copy" in _rules(outcome, "site/unsourced.txt")


def _document(path: Path) -> Document:
    found = [d for d in iter_documents([str(path)]) if isinstance(d, Document)]
    return found[0]


# -- rules on a small site ---------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "wire/reuters-lithium.txt": REUTERS_LITHIUM,
            "wire/ap-harbour.txt": AP_HARBOUR,
            "content/budget.md": OWN_BUDGET,
            "content/lithium.md": UNCREDITED_LITHIUM,
            "content/harbour.md": CREDITED_HARBOUR,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_credit_line_or_dateline_clears_a_copy_and_a_wrong_one_does_not(site: Path) -> None:
    credited = UNCREDITED_LITHIUM + "\nSource: Reuters\n"
    wrong = UNCREDITED_LITHIUM + "\nSource: Bloomberg\n"
    write(site, {"content/credited.md": credited, "content/wrong.md": wrong})
    outcome = _check(
        ["content/lithium.md", "content/credited.md", "content/wrong.md", "content/harbour.md"],
        ["wire"],
    )
    copied = {"uncredited-copy", "credit-removed"}
    assert _rules(outcome, "content/lithium.md") & copied == copied
    assert _rules(outcome, "content/credited.md") & copied == set()
    assert "uncredited-copy" in _rules(outcome, "content/wrong.md")
    assert _rules(outcome, "content/harbour.md") == set()  # kept the "(AP) —" dateline
    # three checked copies of one story: the two that came later are duplicates
    dupes = {f.path for f in outcome.findings if f.rule == "duplicate-article"}
    assert dupes == {"content/lithium.md", "content/wrong.md"}


def test_altered_quote_is_flagged_on_its_line_but_house_style_is_not(site: Path) -> None:
    altered = CREDITED_HARBOUR.replace(
        "we are against losing the people who run this port",
        "we are against losing the workers who built this port",
    )
    restyled = CREDITED_HARBOUR.replace('"We are not', "“We are not").replace(
        'this port,"', "this port,”"
    )
    write(site, {"content/altered.md": altered, "content/restyled.md": restyled})
    outcome = _check(["content/altered.md", "content/restyled.md"], ["wire"])
    quotes = [f for f in outcome.findings if f.rule == "altered-quote"]
    assert [f.path for f in quotes] == ["content/altered.md"]
    assert quotes[0].line == line_of(altered, '"We are not')
    assert (
        "the people who run" in quotes[0].message and "the workers who built" in quotes[0].message
    )
    assert quotes[0].severity is Severity.warning


def test_duplicate_article_against_the_repository_and_between_checked_articles(
    site: Path,
) -> None:
    again = OWN_BUDGET.replace("Wednesday night", "Wednesday evening")
    write(site, {"content/budget-again.md": again, "content/budget-third.md": again})
    outcome = run_check(
        CheckPlan(
            checked=("content/budget-again.md", "content/budget-third.md"),
            own=("content/budget.md",),
            severities=ALL_ON,
        ),
        jobs=1,
    )
    dupes = {(f.path, f.reference) for f in outcome.findings if f.rule == "duplicate-article"}
    assert ("content/budget-again.md", "content/budget.md") in dupes
    assert ("content/budget-third.md", "content/budget.md") in dupes
    # of two checked versions, only the later one is called a duplicate of the other
    assert ("content/budget-again.md", "content/budget-third.md") not in dupes
    assert ("content/budget-third.md", "content/budget-again.md") in dupes


def test_configured_publisher_names_decide_whom_a_credit_line_names(site: Path) -> None:
    bare = REUTERS_LITHIUM.split(" - ", 1)[1].rsplit("(Reporting", 1)[0]  # no credit at all
    copy = UNCREDITED_LITHIUM + "\nSource: Other Wire\n"
    write(site, {"feed/lithium.txt": bare, "content/other.md": copy})
    # a feed whose publisher cannot be told: any credit line is taken as its credit
    unknown = _check(["content/other.md"], ["feed"])
    assert "uncredited-copy" not in _rules(unknown, "content/other.md")
    named = run_check(
        CheckPlan(
            checked=("content/other.md",),
            sources=(ReferenceSpec("feed", ("Acme Wire",)),),
            severities=ALL_ON,
        )
    )
    assert "uncredited-copy" in _rules(named, "content/other.md")
    write(site, {"content/other.md": UNCREDITED_LITHIUM + "\nSource: Acme Wire\n"})
    credited = run_check(
        CheckPlan(
            checked=("content/other.md",),
            sources=(ReferenceSpec("feed", ("Acme Wire",)),),
            severities=ALL_ON,
        )
    )
    assert "uncredited-copy" not in _rules(credited, "content/other.md")


def test_pre_commit_hook_runs_the_check_command(site: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "newsdedup-check")
    program, *args = hook["entry"].split()
    assert program == "newsdedup" and hook["language"] == "python"
    staged = ["content/lithium.md", "content/harbour.md", "README.md"]
    assert all(re.search(hook["files"], f) for f in staged)
    result = CliRunner().invoke(app, [*args, "--against", "wire", "-j", "1", *staged[:2]])
    assert result.exit_code == 1 and "content/lithium.md" in result.output


def test_a_rule_turned_off_reports_nothing(site: Path) -> None:
    severities = dict(ALL_ON, **{"credit-removed": None})
    plan = CheckPlan(
        checked=("content/lithium.md",),
        sources=(ReferenceSpec("wire"),),
        severities=severities,
    )
    assert {f.rule for f in run_check(plan).findings} == {"uncredited-copy"}


# -- opt-outs ------------------------------------------------------------------------


def test_front_matter_opt_out_suppresses_and_is_listed(site: Path) -> None:
    reprint = UNCREDITED_LITHIUM.replace(
        "tags: [markets, mining]",
        'tags: [markets, mining]\nnewsdedup: ignore\nnewsdedup-reason: "licensed reprint, contract 2026-04"',
    )
    write(site, {"content/reprint.md": reprint})
    outcome = _check(["content/reprint.md", "content/lithium.md"], ["wire"])
    assert [(o.path, o.reason) for o in outcome.opt_outs] == [
        ("content/reprint.md", "licensed reprint, contract 2026-04")
    ]
    assert outcome.opt_outs[0].line == line_of(reprint, "newsdedup: ignore")
    assert _rules(outcome, "content/reprint.md") == set()
    copied = {"uncredited-copy", "credit-removed"}
    assert {f.rule for f, _ in outcome.suppressed} >= copied  # and a duplicate of lithium.md
    assert _rules(outcome, "content/lithium.md") == {"uncredited-copy", "credit-removed"}
    report = CheckReport(outcome, outcome.findings, (), "error")
    listed = report_json(report)["opt_outs"]
    assert listed[0]["reason"] == "licensed reprint, contract 2026-04"
    assert {f["rule"] for f in listed[0]["suppressed"]} >= copied


def test_opt_out_needs_a_reason_and_html_meta_tags_work() -> None:
    with pytest.raises(InputError, match="needs a reason in 'newsdedup-reason'"):
        read_opt_out("a.md", "---\ntitle: x\nnewsdedup: ignore\n---\nbody\n")
    with pytest.raises(InputError, match="must be 'ignore'"):
        read_opt_out("a.md", "---\nnewsdedup: skip\nnewsdedup-reason: x\n---\nbody\n")
    page = (
        '<html><head>\n<meta name="newsdedup" content="ignore">\n'
        '<meta name="newsdedup-reason" content="syndication partner">\n</head></html>'
    )
    found = read_opt_out("a.html", page)
    assert found is not None and (found.line, found.reason) == (2, "syndication partner")
    assert read_opt_out("a.txt", "newsdedup: ignore\n") is None


# -- lines ---------------------------------------------------------------------------


def test_locate_maps_markdown_and_html_offsets_to_file_lines() -> None:
    raw = "---\ntitle: x\n---\n\n# Head\n\nFirst para.\n\nSecond para here.\n"
    body = raw.split("---\n", 2)[2]
    assert locate(raw, body, body.index("Second")) == (9, 1)
    html_raw = (
        "<html>\n<body>\n<article>\n<p>Intro words here.</p>\n"
        "<p>The minister&#8217;s <b>plan</b>\n  was approved today by parliament.</p>\n"
    )
    text = "Intro words here.\n\nThe minister’s plan was approved today by parliament."
    assert locate(html_raw, text, text.index("The minister")) == (5, 4)
    assert locate(html_raw, text, text.index("Intro")) == (4, 4)


# -- configuration -------------------------------------------------------------------


def test_config_is_read_strictly_from_pyproject_or_own_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsdedup]\npaths = ["content"]\nagainst = ["wire", {path = "feeds/ap", '
        'names = ["AP"]}]\nmin-containment = 0.4\nfail-on = "warning"\n'
        '[tool.newsdedup.rules]\naltered-quote = "error"\nduplicate-article = "off"\n',
        encoding="utf-8",
    )
    config = load_config(cwd=tmp_path)
    assert config.paths == ("content",)
    assert config.against == (ReferenceSpec("wire"), ReferenceSpec("feeds/ap", ("AP",)))
    assert config.thresholds.min_containment == 0.4
    assert config.fail_on == "warning"
    assert config.severity("altered-quote") is Severity.error
    assert config.severity("duplicate-article") is None
    (tmp_path / ".newsdedup.toml").write_text('paths = ["articles"]\n', encoding="utf-8")
    assert load_config(cwd=tmp_path).paths == ("articles",)  # the own file wins


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('pathz = ["content"]\n', "unknown key 'pathz'"),
        ("min-containment = 1.5\n", "'min-containment' must be a number above 0 and at most 1"),
        ('fail-on = "fatal"\n', "'fail-on' must be one of error, warning, note, never"),
        ('[rules]\nuncredited = "error"\n', "unknown rule 'rules.uncredited'"),
        ('[rules]\naltered-quote = "loud"\n', "'rules.altered-quote' must be one of"),
        ("against = [{path = 'wire', name = 'AP'}]\n", "unknown key 'name' in 'against'"),
        ("paths = [\n", "invalid TOML"),
    ],
)
def test_a_bad_key_or_value_is_one_error_line_naming_it_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, named: str
) -> None:
    (tmp_path / ".newsdedup.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace("(", r"\(").replace("[", r"\[")):
        load_config(cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "-f", "json"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and named in lines[0] and ".newsdedup.toml" in lines[0], lines


def test_missing_reference_or_path_is_exit_2(site: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["check", "content", "--against", "no-such-feed"])
    assert missing.exit_code == 2 and "no-such-feed" in missing.output
    nothing = runner.invoke(app, ["check", "nowhere", "--against", "wire"])
    assert nothing.exit_code == 2 and "nowhere: no such file or directory" in nothing.output


def test_globs_select_articles_like_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert matches("content/2026/a.md", ["*.md"])
    assert matches("content/drafts/x.md", ["content/drafts/"])
    assert not matches("other/content/drafts/x.md", ["content/drafts/"])
    assert matches("docs/README.md", ["README*"])
    assert matches("a/b/c.html", ["a/**/*.html"]) and matches("a/c.html", ["a/**/*.html"])
    write(
        tmp_path,
        {"content/a.md": "x", "content/README.md": "x", "content/b.pdf": "x", "wire/w.md": "x"},
    )
    monkeypatch.chdir(tmp_path)
    chosen = select(["."], ["*.md"], ["README*"], ["wire"])
    assert chosen == ["content/a.md"]


# -- baseline and formats --------------------------------------------------------------


def _finding(rule: str = "uncredited-copy", path: str = "content/a.md") -> Finding:
    return Finding(rule, Severity.error, path, 3, 1, "copied, 50% of it", "wire/b.txt", rule + path)


def test_baseline_merges_by_checked_file(tmp_path: Path) -> None:
    path = tmp_path / ".newsdedup-baseline.json"
    write_baseline(
        path, [_finding(path="a.md"), _finding(path="b.md")], load_baseline(path), ["a.md", "b.md"]
    )
    # a partial run over a.md replaces a.md's entries only
    write_baseline(path, [_finding("altered-quote", "a.md")], load_baseline(path), ["a.md"])
    kept = load_baseline(path)
    assert sorted((e["path"], e["rule"]) for e in kept.entries) == [
        ("a.md", "altered-quote"),
        ("b.md", "uncredited-copy"),
    ]
    new, old = kept.split([_finding(path="b.md"), _finding(path="c.md")])
    assert [f.path for f in new] == ["c.md"] and [f.path for f in old] == ["b.md"]
    path.write_text('{"schema_version": "9"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a newsdedup baseline"):
        load_baseline(path)


def _report(findings: tuple[Finding, ...]) -> CheckReport:
    outcome = CheckOutcome(findings, (), (), ("content/a.md",), 1, ())
    return CheckReport(outcome, findings, (), "error")


def test_github_commands_are_escaped() -> None:
    command = github_command("error", "a,b:c.md", 3, 1, "t", "50% done\nnext")
    assert command == "::error file=a%2Cb%3Ac.md,line=3,col=1,title=t::50%25 done%0Anext"


def test_fail_on_chooses_what_fails() -> None:
    warning = Finding("altered-quote", Severity.warning, "a.md", 1, 1, "m", None, "f")
    outcome = CheckOutcome((warning,), (), (), ("a.md",), 0, ())
    assert not CheckReport(outcome, (warning,), (), "error").failing
    assert CheckReport(outcome, (warning,), (), "warning").failing
    assert not CheckReport(outcome, (warning,), (), "never").failing


def test_formats_write_every_finding(site: Path) -> None:
    outcome = _check(["content/lithium.md", "content/harbour.md"], ["wire"])
    report = CheckReport(outcome, outcome.findings, (), "error")
    text, github = StringIO(), StringIO()
    write_text(report, text)
    write_github(report, github)
    line = line_of(UNCREDITED_LITHIUM, UNCREDITED_FIRST_COPIED)
    assert f"{line}:1  error  uncredited-copy" in text.getvalue()
    assert "failed" in text.getvalue().splitlines()[-1]
    assert github.getvalue().count("::error file=content/lithium.md,") == 2
    data = report_json(report)
    assert data["summary"]["errors"] == 2 and data["summary"]["failed"] is True
    assert {f["line"] for f in data["findings"]} == {line}


def test_sarif_validates_against_the_official_schema(site: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    reprint = CREDITED_HARBOUR.replace(
        "author: Wire services", "newsdedup: ignore\nnewsdedup-reason: reprint"
    )
    reprint = reprint.replace("HALIFAX, Nova Scotia (AP) — ", "")
    write(site, {"content/reprint.md": reprint, "content/empty.md": "   \n"})
    outcome = _check(["content/lithium.md", "content/reprint.md", "content/empty.md"], ["wire"])
    assert outcome.suppressed and outcome.skipped
    log = sarif_log(CheckReport(outcome, outcome.findings, (), "error"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.id for r in RULES]
    levels = {r["ruleId"]: r["level"] for r in run["results"] if "suppressions" not in r}
    assert levels == {"uncredited-copy": "error", "credit-removed": "error"}
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert suppressed and all(
        r["suppressions"] == [{"kind": "inSource", "justification": "reprint"}] for r in suppressed
    )
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


# -- references --------------------------------------------------------------------------


def test_prefilter_scans_only_related_references_and_a_few_footer_witnesses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    footer = (
        "Follow the Daily Harbour on social media for more local news and weather updates. "
        "Our newsroom welcomes tips from readers at any hour of the day or night."
    )
    files = {
        f"wire/other-{k:03}.txt": f"Unrelated story number {k} about gardens.\n\n{footer}\n"
        for k in range(COMMON + 10)
    }
    files["wire/reuters.txt"] = REUTERS_LITHIUM
    files["wire/page.html"] = (
        "<html><body><p>" + REUTERS_LITHIUM.replace("\n\n", "</p><p>") + "</p></body></html>"
    )
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    refs = open_references("wire")
    assert isinstance(refs, FileReferences)  # a directory, not an index
    checked = [Document("site/copy.txt", UNCREDITED_LITHIUM + "\n" + footer)]
    probe = Probe.of(d.text for d in checked)
    found = [
        d.id
        for d in refs.candidates(checked, probe, ScanOptions(), jobs=1)
        if isinstance(d, Document)
    ]
    assert "wire/reuters.txt" in found and "wire/page.html" in found
    others = [d for d in found if d.startswith("wire/other-")]
    assert len(others) == WITNESSES  # the footer's carriers: enough to call it boilerplate
