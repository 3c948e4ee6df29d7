"""Other languages: wire copy in French, German and Chinese found with its origin, each
document's language in the JSON, Unicode words and character shingles, and no story joined
across two languages by the names and numbers they share."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from newsdedup.fingerprint import tokens
from newsdedup.ingest import iter_documents
from newsdedup.language import detect_language
from newsdedup.pipeline import ScanOptions, ScanResult, scan, scan_documents
from newsdedup.provenance import attribution_matches, credit_agency
from newsdedup.records import Document
from newsdedup.report import result_json

DATA = Path(__file__).resolve().parent / "data" / "languages"
PAIRS = {  # the agency's version, the copy a site made of it, the language
    "fr": ("fr_afp.txt", "fr_copie.txt"),
    "de": ("de_dpa.txt", "de_kopie.txt"),
    "zh": ("zh_xinhua.txt", "zh_zhuanzai.txt"),
}


@pytest.fixture(scope="module")
def wire() -> ScanResult:
    return scan([str(DATA)], ScanOptions())


@pytest.mark.parametrize("language", sorted(PAIRS))
def test_a_wire_copy_pair_is_one_story_with_the_agency_as_origin(
    wire: ScanResult, language: str
) -> None:
    original, copy = PAIRS[language]
    [story] = [s for s in wire.stories if {v.version.doc_id for v in s.versions} & {copy}]
    assert {v.version.doc_id for v in story.versions} == {original, copy}
    assert story.origin is not None and story.origin.doc_id == original
    [copied] = [v for v in story.versions if v.version.doc_id == copy]
    assert copied.parent is not None and copied.parent.doc_id == original


def test_each_document_carries_its_language_in_the_json(wire: ScanResult) -> None:
    documents = {d["id"]: d["language"] for d in result_json(wire)["documents"]}
    assert documents == {name: lang for lang, pair in PAIRS.items() for name in pair}
    assert detect_language("Stocks.") is None  # too little text to tell: no language


def test_credits_datelines_attributions_and_dates_of_other_languages() -> None:
    assert credit_agency("PARIS (AFP) - Le président a déclaré") == "AFP"
    assert credit_agency("Berlin (dpa/lnw) - Die Landesregierung") == "dpa"
    assert credit_agency("MADRID, 10 ene (EFE).- El Gobierno aprobó") == "EFE"
    assert credit_agency("BEIJING, Jan. 10 (Xinhua) -- China") == "Xinhua"
    assert credit_agency("新华社北京1月10日电（记者王明）国务院") == "Xinhua"
    named = {
        text: [m.group("outlet") for m in attribution_matches(text)]
        for text in (
            "selon l'AFP, le",
            "laut dpa ein Sprecher",
            "según EFE, el",
            "según la agencia EFE",
        )
    }
    assert named == {
        "selon l'AFP, le": ["AFP"],
        "laut dpa ein Sprecher": ["dpa"],
        "según EFE, el": ["EFE"],
        "según la agencia EFE": ["EFE"],
    }
    published = {d.id: d.published for d in iter_documents([str(DATA)]) if isinstance(d, Document)}
    assert published["zh_xinhua.txt"] == "2026-01-10T14:48:00+00:00"  # 2026年01月10日 14:48
    assert published["fr_afp.txt"] == "2026-01-10T14:48:00+00:00"  # 10 janvier 2026 à 14h48
    assert published["de_dpa.txt"] == "2026-03-12T10:15:00+00:00"  # 12. März 2026, 10:15 Uhr


def test_words_keep_their_combining_marks_and_unspaced_scripts_are_characters() -> None:
    assert tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]  # `[^\W_]` once cut at each vowel sign
    assert tokens("新华社北京") == ["新", "华", "社", "北", "京"]
    assert tokens("ภาษาไทย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]
    assert tokens("한국어 텍스트") == ["한국어", "텍스트"]  # Hangul is written with spaces
    assert tokens("L'économie, selon l'AFP, 2,5 %") == ["l'économie", "selon", "l'afp", "2,5"]


# One match day told in English and in French, each copied by a site. The results line is
# the same in both languages (names and numbers only), so it matches across them.
_RESULTS = (
    "Lyon 3 Monaco 0; Paris Saint-Germain 2 Marseille 1; Lille 1 Nantes 1; Rennes 4 Nice 2; "
    "Lens 0 Brest 0; Toulouse 2 Reims 2; Strasbourg 1 Montpellier 3; Auxerre 2 Angers 0."
)
_ENGLISH = [
    "Lyon climbed to second place in Ligue 1 on Sunday after a comfortable home win over "
    "Monaco, while Paris Saint-Germain needed a late goal to beat Marseille in a tense derby.",
    "Alexandre Lacazette scored twice for Lyon, who have now won six league games in a row and "
    "sit four points behind the leaders with fourteen matches left to play this season.",
    "Rennes were the other big winners of the weekend, scoring four times against Nice in a "
    "match that had to be stopped for ten minutes because of fireworks thrown onto the pitch.",
    _RESULTS,
]
_FRENCH = [
    "L'Olympique lyonnais est remonté dimanche à la deuxième place de Ligue 1 grâce à une "
    "victoire nette face à Monaco, tandis que le Paris Saint-Germain a souffert face à Marseille.",
    "Auteur d'un doublé, Alexandre Lacazette a offert aux Lyonnais leur sixième succès de rang "
    "en championnat, ce qui les place à quatre points du leader à quatorze journées de la fin.",
    "Rennes a également signé une large victoire contre Nice, lors d'une rencontre interrompue "
    "pendant dix minutes en raison de fumigènes lancés sur la pelouse par des supporters.",
    _RESULTS,
]


def _write(folder: Path, name: str, paragraphs: list[str], extra: str = "") -> None:
    body = "\n\n".join([*paragraphs[:-1], *([extra] if extra else []), paragraphs[-1]])
    (folder / name).write_text(body + "\n", encoding="utf-8")


def _mixed(folder: Path) -> None:
    """Three pages carry the results line (on four it would be boilerplate, and link
    nothing in any language); a German story stands beside them."""
    _write(folder, "en_wire.txt", _ENGLISH)
    _write(folder, "en_copy.txt", _ENGLISH, "Our football newsletter arrives every Monday.")
    _write(folder, "fr_depeche.txt", _FRENCH)
    _write(folder, "fr_reprise.txt", _FRENCH[:-1], "Retrouvez tous les résumés sur notre site.")
    shutil.copy(DATA / "de_dpa.txt", folder)


def test_a_mixed_language_folder_bridges_nothing(tmp_path: Path) -> None:
    _mixed(tmp_path)
    found = scan([str(tmp_path)], ScanOptions())
    assert {d.id: d.language for d in found.documents}["fr_depeche.txt"] == "fr"
    stories = sorted(sorted({v.version.doc_id for v in s.versions}) for s in found.stories)
    assert stories == [["en_copy.txt", "en_wire.txt"], ["fr_depeche.txt", "fr_reprise.txt"]]
    # The results line does link the two languages when they are not told apart: the rule,
    # not the texts, keeps the stories apart.
    blind = [replace(d, language=None) for d in _read(tmp_path)]
    joined = scan_documents(blind, ScanOptions())
    assert any(
        {"en_wire.txt", "fr_depeche.txt"} <= {v.version.doc_id for v in s.versions}
        for s in joined.stories
    )


def _read(folder: Path) -> list[Document]:
    return [d for d in iter_documents([str(folder)]) if isinstance(d, Document)]


def test_the_language_field_is_in_every_jsonl_story_document(tmp_path: Path) -> None:
    """The JSON contract: `language` is null when the text is too short to tell."""
    (tmp_path / "short.txt").write_text("Shares rose.\n", encoding="utf-8")
    data = result_json(scan([str(tmp_path)], ScanOptions()))
    assert [d["language"] for d in data["documents"]] == [None]
    json.dumps(data)
