"""A small newsroom site for the `newsdedup check` tests: two wire originals (invented, in the
forms wire copy takes), an article of the site's own, and copies of the wire stories as a
site would publish them (Markdown with YAML front matter)."""

from __future__ import annotations

from pathlib import Path

REUTERS_LITHIUM = """\
LONDON, March 3 (Reuters) - Lithium prices fell to their lowest level in four years on Tuesday as Chinese battery makers cut orders and a wave of new supply from Australian and African mines hit the market, traders and analysts said.

Spodumene concentrate, the raw material mined in Western Australia, traded at $720 a tonne, down 14% since the start of the year and less than a tenth of its peak in late 2022, according to price reporting agency Benchmark Mineral Intelligence.

"The market is drowning in material that was planned when prices were ten times higher," said Helen Marsh, head of battery metals research at consultancy Carrow Partners. "Nobody wants to be the first to shut a mine, so everyone keeps digging."

Electric vehicle sales in China, which buys roughly two thirds of the world's lithium chemicals, grew at their slowest pace in three years in January, and several cathode producers in Jiangxi province have idled lines for maintenance, according to local industry groups.

Pilbara Minerals and Liontown Resources have both delayed expansion projects this year, while Zimbabwe's government said last week it would review export permits for lithium concentrate to support domestic processing plants.

Analysts at Carrow Partners expect the surplus to narrow only in 2028, when demand from grid storage batteries is forecast to overtake the growth of new mine supply.

(Reporting by Tom Elden in London; additional reporting by Mei Zhang in Shanghai; Editing by Susan Fenton)
"""

AP_HARBOUR = """\
HALIFAX, Nova Scotia (AP) — Dock workers at the port of Halifax walked off the job early Monday after talks over automation and pensions broke down, stranding dozens of container ships in the Atlantic approaches and raising fears of shortages in the Maritime provinces.

The union representing about 900 longshore workers said the employers' association had refused to guarantee jobs once automated cranes arrive at the south end terminal in 2027. The employers said their final offer included a 14% raise over four years.

"We are not against new machines, we are against losing the people who run this port," union president Carla Boudreau told reporters outside the union hall on Barrington Street.

Federal Labour Minister Dan Okafor urged both sides to return to the table and said Ottawa was prepared to appoint a mediator within days. Shipping lines including Maersk and Hapag-Lloyd said they were diverting some vessels to Saint John, New Brunswick, and to ports on the U.S. East Coast.

Retailers in Nova Scotia and Prince Edward Island warned that fresh produce and medical supplies could run short within two weeks if the strike continues. The last major stoppage at the port, in 1999, lasted eleven days.
"""

OWN_BUDGET = """\
---
title: "Council approves leaner budget for 2026"
date: 2026-02-11
author: Site Staff
---

# Council approves leaner budget for 2026

The city council voted seven to four on Wednesday night to approve a budget that trims road resurfacing and delays the new central library by a year, after a debate that ran past midnight.

Councillor Ruth Adebayo, who chairs the finance committee, said the cuts were the price of keeping the property tax increase below three percent for a second year running.

Residents who spoke at the meeting mostly asked for the library to be saved. The branch on Elm Street will now close for repairs in the autumn instead of moving into the new building.

The budget also adds two night buses on the harbour route and funds a pilot of free swimming lessons for primary school children at the Northgate pool.
"""

# An uncredited near-copy of the Reuters story: dateline and sign-off dropped, a few words
# changed, no credit anywhere.
UNCREDITED_LITHIUM = """\
---
title: "Lithium slump deepens as Chinese demand cools"
date: 2026-03-04
author: Site Staff
tags: [markets, mining]
---

# Lithium slump deepens as Chinese demand cools

Lithium prices fell to their lowest level in four years on Tuesday as Chinese battery makers cut orders and a wave of new supply from Australian and African mines hit the market, traders and analysts said.

Spodumene concentrate, the raw material mined in Western Australia, traded at $720 a tonne, down 14% since the start of the year and less than a tenth of its peak in late 2022, according to price reporting agency Benchmark Mineral Intelligence.

"The market is drowning in material that was planned when prices were ten times higher," said Helen Marsh, head of battery metals research at consultancy Carrow Partners. "Nobody wants to be the first to shut a mine, so everyone keeps digging."

Electric vehicle sales in China, which buys roughly two thirds of the world's lithium chemicals, grew at their slowest pace in three years in January, and several cathode producers in Jiangxi province have idled their lines for maintenance, according to local industry groups.

Pilbara Minerals and Liontown Resources have both delayed expansion projects this year, while Zimbabwe's government said last week it would review export permits for lithium concentrate to support domestic processing plants.

Analysts expect the surplus to narrow only in 2028, when demand from grid storage batteries is forecast to overtake the growth of new mine supply.
"""
UNCREDITED_FIRST_COPIED = "Lithium prices fell to their lowest level"

# A properly credited copy of the AP story: it keeps the wire dateline.
CREDITED_HARBOUR = """\
---
title: "Halifax dock workers strike over automation"
date: 2026-03-02
author: Wire services
---

# Halifax dock workers strike over automation

HALIFAX, Nova Scotia (AP) — Dock workers at the port of Halifax walked off the job early Monday after talks over automation and pensions broke down, stranding dozens of container ships in the Atlantic approaches and raising fears of shortages in the Maritime provinces.

The union representing about 900 longshore workers said the employers' association had refused to guarantee jobs once automated cranes arrive at the south end terminal in 2027. The employers said their final offer included a 14% raise over four years.

"We are not against new machines, we are against losing the people who run this port," union president Carla Boudreau told reporters outside the union hall on Barrington Street.

Federal Labour Minister Dan Okafor urged both sides to return to the table and said Ottawa was prepared to appoint a mediator within days. Shipping lines including Maersk and Hapag-Lloyd said they were diverting some vessels to Saint John, New Brunswick, and to ports on the U.S. East Coast.

Retailers in Nova Scotia and Prince Edward Island warned that fresh produce and medical supplies could run short within two weeks if the strike continues.
"""

PYPROJECT = """\
[project]
name = "example-newsroom-site"
version = "1.0.0"

[tool.newsdedup]
paths = ["content"]
against = ["wire"]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of `text` on which `needle` starts."""
    return text[: text.index(needle)].count("\n") + 1
