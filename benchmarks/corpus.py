"""Deterministic generator of synthetic syndicated-news corpora with ground truth.

Real captures (see ``samples/``) cannot be shared at scale and carry no labels, so the
benchmarks need a generator whose copies behave like real republication: shared 5-gram
shingles where text was copied, few where it was merely on the same topic, and site
boilerplate that recurs across unrelated pages. Everything comes from one seeded
``random.Random`` so a seed always names the same corpus.

Written with ``write_corpus(..., fmt="mixed")`` the corpus is what a scanner meets on the
web: each document one file, an HTML page (Open Graph metadata, ``<article>``, nav and
footer) or a text capture (headline, a human date line, the page's text), carrying its date,
site and address only where a reader would see them, and the date the page shows (missing
or wrong on some pages), never the true one. File names carry no information.

    python -m benchmarks.corpus --articles 1000 --seed 0 --out DIR [--format mixed|txt|jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = [
    "Corpus",
    "CorpusConfig",
    "GeneratedDoc",
    "file_name",
    "generate",
    "html_page",
    "main",
    "text_capture",
    "write_corpus",
]

KINDS = (
    "origin",
    "verbatim",
    "light-edit",
    "excerpt",
    "reorder",
    "rewrite",
    "aggregate",
    "unrelated",
)


@dataclass(frozen=True)
class CorpusConfig:
    """Knobs that set how much of the corpus is hard for a deduplicator."""

    unrelated_fraction: float = 0.3
    max_copies: int = 8
    wrong_date_fraction: float = 0.1
    missing_date_fraction: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.unrelated_fraction <= 1 or self.max_copies < 0:
            raise ValueError("unrelated_fraction must be in [0, 1] and max_copies >= 0")
        if self.wrong_date_fraction < 0 or self.missing_date_fraction < 0:
            raise ValueError("date fractions must be >= 0")
        if self.wrong_date_fraction + self.missing_date_fraction > 1:
            raise ValueError("wrong_date_fraction + missing_date_fraction must be <= 1")


@dataclass(frozen=True)
class GeneratedDoc:
    """One captured page plus the ground truth a benchmark scores against."""

    id: str
    site: str
    url: str
    title: str
    published: str | None
    text: str
    kind: str
    stories: tuple[str, ...]
    parent: str | None
    agency: str | None
    edits: tuple[dict[str, str], ...]
    time: str
    """True publication time (ISO 8601, UTC); ``published`` is what the page shows."""
    fmt: str
    """How the page is captured in the "mixed" format: "html" or "txt"."""


@dataclass
class Corpus:
    """Documents plus side truth: article bodies without chrome, and which story each
    same-topic unrelated doc imitates (``hard_negatives``: doc id -> story id)."""

    documents: list[GeneratedDoc]
    bodies: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    hard_negatives: dict[str, str] = field(default_factory=dict, repr=False)
    seed: int = 0
    config: CorpusConfig = field(default_factory=CorpusConfig)
    _acceptable: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def stories(self) -> dict[str, list[str]]:
        """Story id -> doc ids, only for stories that have something to find (>= 2 docs)."""
        out: dict[str, list[str]] = {}
        for doc in self.documents:
            for sid in doc.stories:
                out.setdefault(sid, []).append(doc.id)
        return {sid: ids for sid, ids in out.items() if len(ids) >= 2}

    def true_pairs(self) -> set[frozenset[str]]:
        """Unordered doc pairs a perfect deduplicator links (they share a story)."""
        pairs: set[frozenset[str]] = set()
        for ids in self.stories().values():
            for i, a in enumerate(ids):
                pairs.update(frozenset((a, b)) for b in ids[i + 1 :])
        return pairs

    def body(self, doc_id: str) -> tuple[str, ...]:
        """Article paragraphs as the publisher wrote them, without site boilerplate."""
        return self.bodies[doc_id]

    def acceptable_parents(self, doc_id: str) -> tuple[str, ...]:
        """Documents a copy could have been taken from, given its text: true parent first.

        The rule (the one the shared outside corpus is scored by): a paragraph of the true
        parent's body is *kept* by the copy when some paragraph of the copy's body, whole
        or cut to some of its sentences, lies inside it: at least 90% of the copy
        paragraph's distinct words (lower-cased runs of letters and digits) are words of
        the parent paragraph. Besides the true parent, every other member of the copy's story
        published earlier (true time) whose body holds every kept paragraph, compared as
        normalised text (lower-cased words joined by single spaces), is acceptable: a copy
        taken from it would read the same. A copy that kept no paragraph (a rewrite of every
        one) has only its true parent. Documents that are no copies have none.
        """
        if not self._acceptable:
            self._acceptable.update(_acceptable_parents(self))
        return self._acceptable.get(doc_id, ())


def _tup(words: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(words.split(sep))


def _edit(kind: str, before: str = "", after: str = "", **extra: str) -> dict[str, str]:
    """One recorded change relative to the parent (extra keys: "field", "text")."""
    return {"kind": kind, "before": before, "after": after, **extra}


# ------------------------------------------------------------------------------ lexicon
# "/" separates synonyms and ";" groups. The generator picks any member and the rewriter
# swaps members, so copies drift in wording while staying grammatical. An indented line
# continues the previous one.
_DOMAIN_SPEC = """
@markets
metrics share prices/stock prices;bond yields/yields;trading volumes/volumes;
 the dollar/the greenback;margin debt
nouns stock/share;bond/note;yield/return;currency;benchmark index/stock index;dividend/payout;
 earnings report/profit report;valuation;rally/rebound;selloff/slump;hedge fund;portfolio;
 inflation reading/price gauge;rate cut;forecast/projection;credit spread;commodity;bond auction
adj volatile/choppy;bullish/upbeat/optimistic;bearish/gloomy/pessimistic;defensive;speculative;
 leveraged;quarterly;cautious/wary;robust/solid/strong;risk-averse
verbs buy:bought/acquire/purchase;sell:sold/offload/dump;raise/lift/boost;trim:trimmed/pare:pared/
 reduce;hedge;downgrade;upgrade;rebalance/reshuffle;value/appraise
suffix Capital/Securities/Asset Management/Bank/Partners/Investments/Holdings
inst the central bank/the Federal Reserve/the European Central Bank/the U.S. Treasury/
 the stock exchange/the securities regulator
titles chief economist/portfolio manager/head of rates strategy/chief investment officer/
 senior market analyst/chief executive
places Wall Street/the trading floor/Asian markets/the bond market/emerging markets
@tech
metrics chip sales/semiconductor sales;cloud revenue;smartphone shipments/handset shipments;
 subscriber numbers/user numbers;research spending/R&D spending
nouns chip/semiconductor/processor;smartphone/handset;data center/server farm;software update;
 AI model/language model;startup/upstart;cloud contract;export licence/export permit;
 chipmaking tool/lithography machine;supply chain;user/customer;app/application;patent;
 subscription;algorithm;cybersecurity breach/hack
adj cutting-edge/advanced/state-of-the-art;proprietary;open-source;generative;homegrown/domestic;
 scalable;encrypted;next-generation;experimental
verbs launch/unveil/roll out:rolled out;license;acquire/buy:bought;develop/build:built;
 delay/postpone;restrict/curb:curbed/limit;optimize/streamline;test/trial:trialled;patch/fix
suffix Labs/Systems/Semiconductor/Technologies/Robotics/Networks/AI
inst the commerce department/the antitrust regulator/the data protection authority/
 the U.S. Commerce Department/the European Commission
titles chief technology officer/chief AI scientist/founder/chief executive/head of research/
 senior engineer
places Silicon Valley/Shenzhen/Bangalore/Hsinchu/Tel Aviv
@politics
metrics approval ratings/approval numbers;voter turnout/turnout;support for the government;
 defence spending/military spending;public debt
nouns bill/legislation;coalition/alliance;election/vote;budget;sanction/penalty;referendum;
 cabinet/government;opposition party;campaign;treaty/accord;reform/overhaul;poll/survey;
 lawmaker/legislator;motion;summit/meeting;ceasefire/truce
adj bipartisan/cross-party;contentious/divisive/controversial;fragile;sweeping;provisional/interim;
 populist;landmark/historic;snap
verbs approve/pass/endorse;reject/veto:vetoed/block;propose/table:tabled;criticize/condemn/denounce;
 delay/postpone;negotiate/broker;authorize;amend/revise;scrap:scrapped/abandon
suffix Party/Alliance/Movement/Front/Union/Coalition
inst parliament/the senate/the interior ministry/the election commission/the foreign ministry/
 the U.S. State Department
titles spokesperson/minister/senator/party leader/chief whip/deputy prime minister
places the capital/the parliament building/the border region/the northern provinces
@sports
metrics ticket sales;attendance figures/crowd numbers;broadcast revenue/TV revenue;
 transfer spending;merchandise sales
nouns match/game/fixture;season/campaign;striker/forward;goalkeeper/keeper;coach/manager;
 title/championship;transfer/signing;injury;tournament/competition;squad/roster;fan/supporter;
 stadium/arena;penalty;contract/deal;knockout round
adj unbeaten/undefeated;dominant/commanding;injury-hit/depleted;dramatic/thrilling;late;
 decisive/crucial;record-breaking;home/domestic
verbs sign/recruit;sack:sacked/dismiss/fire;defeat/outplay;extend/renew;suspend/ban:banned;
 rest/bench;criticize/blast;appoint/name
suffix United/City/Rovers/Athletic/FC/Olympique
inst the league/the football association/the anti-doping agency/the players' union/
 the organising committee
titles head coach/captain/sporting director/club president/team doctor/chairman
places the home stadium/the training ground/the national arena/the semi-final venue
@health
metrics hospital admissions/admissions;infection rates/case numbers;
 vaccination rates/vaccine uptake;waiting times;drug prices/medicine prices
nouns vaccine/jab;hospital/clinic;patient;outbreak/epidemic;trial/study;drug/medicine;
 treatment/therapy;infection/case;nurse;waiting list/backlog;doctor/physician;
 screening programme;antibiotic;dose
adj experimental;chronic/long-term;infectious/contagious;preventive;underfunded;clinical;rare;
 overstretched/stretched
verbs approve/authorize/clear;recall/pull back;fund/finance;prioritize/fast-track:fast-tracked;
 administer/deliver;monitor/track;expand/scale up
suffix Pharma/Therapeutics/Biosciences/Health/Medical/Biotech
inst the health ministry/the World Health Organization/the medicines regulator/
 the U.S. Food and Drug Administration/the public health agency
titles chief medical officer/lead researcher/health minister/epidemiologist/chief executive/
 head of clinical trials
places the intensive care unit/rural clinics/the regional hospital/the capital region
@climate
metrics carbon emissions/emissions;average temperatures;insurance claims;
 green investment/renewable investment;water levels
nouns heatwave/heat wave;drought/dry spell;flood;wildfire/bushfire;carbon tax/carbon levy;
 pledge/commitment;glacier;sea wall;temperature record;forest/woodland;climate target/climate goal;
 storm;adaptation fund
adj extreme/severe;record/unprecedented;warming;net-zero;coastal;arid/parched;low-carbon/green;
 binding
verbs slash:slashed/reduce;monitor/track;pledge/promise;delay/postpone;measure/record;
 restore/replant;evacuate/relocate;finance/fund
suffix Institute/Foundation/Climate Trust/Observatory/Alliance/Network
inst the weather service/the environment ministry/the UN climate body/
 the U.S. Environmental Protection Agency/the meteorological office
titles climate scientist/environment minister/lead author/director/head of forecasting/
 policy adviser
places the river basin/the coastal towns/the northern forests/the delta region
@energy
metrics oil prices/crude prices;gas prices;power demand/electricity demand;oil output/production;
 refining margins
nouns pipeline;refinery/plant;wind farm;solar park;power grid/grid;tariff/price cap;reactor;
 battery/storage unit;offshore field/oilfield;export terminal;fuel subsidy;drilling licence;
 gas contract/supply deal;tanker
adj renewable/clean;offshore;strategic;upstream;downstream;volatile/unstable;
 state-owned/state-run;liquefied
verbs produce;halt/suspend;export/ship:shipped;subsidize/support;construct/build:built;
 ration/cap:capped;restart/resume;explore/prospect
suffix Energy/Petroleum/Power/Oil/Gas/Renewables
inst the energy ministry/OPEC/the grid operator/the International Energy Agency/
 the U.S. Energy Department
titles oil minister/chief executive/energy analyst/head of trading/grid director/
 chief operating officer
places the North Sea/the Gulf/the Permian Basin/the Caspian region
@courts
metrics legal costs/legal fees;case filings/filings;settlement payouts;the case backlog/the backlog;
 fines
nouns lawsuit/suit;judge;verdict/ruling;appeal;prosecutor;defendant;trial/hearing;settlement;
 injunction;jury;indictment/charge;witness statement/affidavit;sentence/jail term;class action;
 plea deal/plea agreement
adj federal;landmark/precedent-setting;unanimous;sealed/confidential;criminal;civil;high-profile;
 procedural
verbs dismiss/reject;uphold:upheld/affirm;overturn/reverse;file/lodge;settle/resolve;
 subpoena/summon;fine/penalize;jail:jailed
suffix Law/Legal/Chambers/& Partners/Advocates/LLP
inst the supreme court/the appeals court/the justice ministry/the attorney general/
 the U.S. Justice Department
titles lead counsel/prosecutor/defence lawyer/presiding judge/legal analyst/spokesperson
places the courthouse/the federal court/the high court/the district court
"""
_COMMON_SPEC = (
    "climbed/gained/advanced/increased/jumped;dropped/declined/slipped/slid/eased;"
    "said/stated/noted/remarked;told/informed;officials/authorities;analysts/experts/observers;"
    "company/firm/group;expected/anticipated/forecast;announced/unveiled;"
    "warned/cautioned;concerns/worries/fears;however/nevertheless;meanwhile/separately;"
    "boost/bolster/strengthen;sources/people;quickly/rapidly/swiftly;sharply/steeply;"
    "modest/slight;likely/probable;criticism/backlash;talks/negotiations;decision/move;"
    "response/reaction;pressure/strain;data/figures;report/statement;organized/organised;"
    "recognized/recognised;emphasized/emphasised;reporters/journalists;"
    "investors/shareholders;demand/appetite;risk/threat;plan/proposal;"
    "over the next/during the next;over the past/in the last;in the week to/through;"
    "by year-end/by the end of the year;in the coming weeks/soon;since/from;"
    "told reporters/said at a briefing"
)
_ADJ_SPEC = (
    "major/significant/key/important;new/fresh;recent/latest;large/big/sizeable;"
    "wide/broad/extensive;early/initial/preliminary;unexpected/surprise"
)
_CITIES = _tup(
    "London/Paris/Berlin/Frankfurt/Madrid/Rome/Brussels/Geneva/Stockholm/Oslo/Warsaw/Vienna/"
    "Zurich/Dublin/Lisbon/Athens/Istanbul/Cairo/Nairobi/Lagos/Johannesburg/Dubai/Riyadh/Doha/"
    "Mumbai/New Delhi/Singapore/Jakarta/Bangkok/Manila/Hong Kong/Shanghai/Beijing/Tokyo/Seoul/"
    "Taipei/Sydney/Melbourne/Toronto/Ottawa/Chicago/Houston/Washington/New York/San Francisco/"
    "Mexico City/Sao Paulo/Buenos Aires/Santiago/Lima/Bogota/Kyiv/Prague/Helsinki/Copenhagen",
    "/",
)
_ORG_PREFIX = _tup(
    "Northwind/Halvard/Corvane/Meridian/Ostrava/Belcrest/Tamsin/Kestrel/Varenne/Solmark/"
    "Brightwater/Adrienne/Caldera/Fenwick/Graystone/Harrow/Ironvale/Juniper/Kaskade/Lumen/"
    "Marlow/Nordhaven/Orison/Pellion/Quartz/Ravella/Sterling/Thorne/Umbra/Veridian/Westfall/"
    "Yarrow/Zenith/Aldmere/Bramble/Cinder/Dunmore/Everly/Foxglove/Galloway/Hollis/Ashgrove",
    "/",
)
# Person names are composed from syllables: 24*14 first x 20*16 last = 100k+ names.
_FIRST_A = _tup("An Be Car Da El Fe Gi Ha Il Jo Ka Le Ma Ni Ol Pe Ra Sa Ta Vi Yu Ze Mi Lu")
_FIRST_B = _tup("na ra lia ris mon tin nia vel dro sha ko mi rek lo")
_LAST_A = _tup("Var Hol Kes Mor Dan Bel Ost Rad Sul Tam Wen Zor Fal Gar Lind Brun Cor Esh Pal Trev")
_LAST_B = _tup("ga den sky ton ov ez berg ani ford ic lund ner ak ura well mann")
_WEEKDAYS = _tup("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_MONTHS = _tup(
    "January February March April May June July August September October November December"
)
_MON_ABBR = _tup("Jan Feb March April May June July Aug Sept Oct Nov Dec")
_QTRS = _tup(
    "first-quarter second-quarter third-quarter fourth-quarter half-year January-March April-June "
    "July-September October-December year-to-date monthly weekly"
)
_ORDINALS = _tup("second third fourth fifth sixth first largest latest")
_MOVE_BASE = _tup("rise fall climb drop grow shrink decline rebound")
_UNITS = ("million", "million", "billion")
_VAGUE_DAYS = ("last week", "earlier this month", "this week", "late last month", "overnight")
_READ_MORE = ("Read the full story", "Read more", "Continue reading")
_FRONTED = _tup("On In Under Through Last Asked Pressed")
_CONNECTIVES = (
    "However,",
    "Meanwhile,",
    "Separately,",
    "In addition,",
    "Still,",
    "Earlier,",
    "At the same time,",
    "Even so,",
)

# Templates, one per line ("{X}" slot, "{a|b}" synonym choice the rewriter may swap, "{a;b}"
# plain choice). Fixed runs stay short so independent sentences rarely share a 5-gram.
_SENTENCES = """
{O} {V} its {A} {N} {DAY}, {saying|arguing} {MET} in {C} had {MOVE} {PCT} since {MONTH}.
{WHO} told {reporters|journalists} in {C} that the {N} would {VB} {NS} by {YEAR}.
“{Q},” said {WHOE}.
“{Q},” {WHO} said {DAY}.
“{Q},” {PL} {added|said}. “{Q}.”
{PL} said {CL}, adding that {CL}.
The {A} {N} {could|may|would} cost {about|roughly|around} {MONEY}, {according to|based on} {O2}
 estimates.
{MET_CAP} in {C} {MOVE} {PCT} to {MONEY} in {QTR} {figures|results|data}, {the highest;the lowest;
 the biggest move} since {YEAR0}.
{DAY_CAP}, {O} {V} {NUM} {NS} after {CL}.
{CONN} {CL}, {O2} said in a {statement;filing;note}.
{O} {did not|declined to} comment {DAY} on {PL}'s {remarks;claims;account}.
The {N} {comes as|arrives as|follows news that} {CL}, {while|even as} {CL}.
{Analysts|Economists|Experts} at {O2} {expect|forecast} {MET} to {MOVEB} {PCT} {TIME}.
In {C}, {NUM} {NS} were {affected|hit|disrupted} {DAY}, {data from|figures from} {INST} showed.
{WHO} {said|warned|argued} the {A} {N} {risked|threatened} {VING} {NS} across {PLACE}.
{INST_CAP} {V} a {A} {N} {DAY} and {said|signalled} it {could|would} {VB} {NS} {TIME}.
{CONN} {O} {V} the {N} in {C}, {citing|pointing to} {A} {NS} and {A} {NS}.
The {N} {is;remains;was} {A}, {PL} {said|noted}, {but|though} {CL}.
{MET_CAP} {MOVE} {PCT} {DAY} after {O} {V} {its;the} {A} {N} in {PLACE}.
{O2}, which {V} {NUM} {NS} {TIME}, {is;was} {also|separately} {VING} a {A} {N} in {C}.
{Some|Several|Many} {analysts|observers|experts} {questioned|challenged|doubted} whether the {N}
 {could|would} {VB} {NS} before {MONTH}.
{CL}, {two;three;several} {people|sources} {briefed on;close to} the {N} {told|informed} {O2}.
{WHO} {has;had} {pushed|lobbied|campaigned} for the {N} since {YEAR0}, {when;after} {CL}.
{O} {shares;stock} {MOVE} {PCT} in {early;late;afternoon} trading in {C} {DAY}.
{INST_CAP} is {due|expected|scheduled} to {VB} the {A} {N} on {WEEKDAY},
 {a spokesperson;an official} said.
{It;This} {was;marked} the {ORD} {A} {N} {in;for} {C} {TIME}.
{PL}, who {joined;took over at;founded} {O} in {YEAR0}, {declined|refused} to {comment on|discuss}
 {O2}'s {A} {N}.
{CONN} {MET} {MOVE} {PCT} {TIME}, {while|as} {MET} at {O2} {MOVE} {PCT}.
{O} said {it;its board} had {V} {NUM} {NS} {worth|valued at} {MONEY} {TIME}.
{Critics;Opponents;Supporters} of the {N} {say|argue|contend} {CL}.
A {A} {N} {published|released|issued} by {O2} {DAY} {found|showed|suggested} that {CL}.
{MET_CAP} {near;around;outside} {PLACE} {MOVE} {PCT} {in the week to;through} {WEEKDAY},
 {the data showed;figures showed}.
The {N} {will;could} {VB} {NS} {for|across} {FEW} {regions;districts;markets} {including|such as}
 {C} and {C2}.
{WHO} {is;was} {expected|due|set} to {VB} the {N} with {O2} in {C} {TIME}.
{Asked|Pressed} about the {A} {N}, {PL} said {CL}.
{O} {V} the {A} {N} {TIME} {amid;despite;after} {A} {NS} in {C}.
{CONN} {NUM} {A} {NS} {were;had been} {reported|recorded|logged} {in;across} {PLACE} by {WEEKDAY}.
{The move|The decision|The announcement} {drew|prompted|sparked} {criticism;questions;praise} from
 {O2}, which {said|warned} {CL}.
{Under;Through} the {A} {N}, {O} {would|will} {VB} {NS} {worth|totalling} {MONEY} over {FEW} years.
{PL} {added|said} that {NUM} {NS} {had;have} {already|so far} been {V} in {C}.
The {N} {was;had been} {V} {DAY} {after;following} {A} {NS} from {O2} and {INST}.
{WHO} {described|called} the {N} “{A}” and {said|warned} {CL}.
{O2} {estimates|calculates|projects} the {A} {N} {at;will reach} {MONEY} by {YEAR}, {up;down} {PCT}
 from {YEAR0}.
"""
_QUOTES = """
We {think|believe} the {N} is {A} enough to {VB} {NS} in {C}
This is a {A} {N}, and we {will;intend to} {VB} it {TIME}
Nobody {expected|predicted} {MET} to {MOVEB} {this fast;so quickly}, but {CL}
Our {MET} {MOVE} {PCT} {TIME}, and that {changes|reshapes} the {N} for {everyone|all of us}
I {doubt|question whether} {O2} will {VB} {NS} before {MONTH}
We are {VING} every {N} we have to {VB} the {A} {NS}
There is {no;little} {doubt|question} that {CL}
If {O} {V} the {N}, {NS} in {C} will {feel|notice} it {first;immediately}
We {have;now have} {NUM} {NS} and a {A} {N}, which {beats|exceeds|tops}
 {our;every} {forecast;target}
The {A} {N} {is;remains} our {priority|focus}, {whatever|regardless of what} {O2} {says|decides}
{What;All} we {want|need} is a {A} {N} that {works|delivers} for {NS}
It {will;could} take {FEW} {weeks;months;years} to {VB} the {NS}, {maybe|perhaps} longer
"""
_CLAUSES = """
{MET} {MOVE} {PCT} {TIME}
{O} {would|could|might} {VB} its {NS} in {C}
{MET} at {O} had {MOVE} {PCT} {TIME}
{talks|discussions} with {O2} over the {N} were {stalled;ongoing;progressing}
{NUM} {NS} had been {V} since {MONTH}
{INST} {was;had been} {VING} the {A} {N}
the {N} in {C} {remained|stayed} {A} {despite;after} {A} {NS}
{O2} {had;has} {V} {NUM} {A} {NS} {TIME}
{MET} {across|throughout} {PLACE} {could|would} {MOVEB} {PCT} by {MONTH}
{PL} {had;has} {V} the {A} {N} {DAY}
"""
_HEADLINES = """
{O} {VS} {A} {N} as {MET} {MOVE}
{C} {N} {talks;plans} {stall|falter} as {O} {VS} {NS}
{MET_CAP} {MOVE} after {O} {V} {A} {N}
{PL} says {O} will {VB} {NS} in {C}
Exclusive: {O} {weighs|considers} {A} {N} worth {MONEY}
{O} to {VB} {NUM} {NS} amid {A} {N}
Analysis: Why {MET} in {C} {MOVE} {PCT} {TIME}
{INST_CAP} {VS} {A} {N}, {cites|flags} {NS}
{A_CAP} {N} in {C} {leaves;puts} {O} under pressure
{O} and {O2} {clash|spar} over {A} {N}
"""
_TIMES = _tup(
    "this year;next year;in the coming weeks;over the next quarter;by year-end;within {FEW} weeks;"
    "by {MONTH} {YEAR};over the past {FEW} months;later this month;since {MONTH};in {MONTH};"
    "before the summer;over the next {FEW} years",
    ";",
)

# ------------------------------------------------------------------------------ sites
_AGENCIES = ("Reuters", "AP", "AFP", "dpa", "PA", "Bloomberg")
_AGENCY_SITE = {
    "Reuters": ("reuters", "Reuters", "www.reuters.com", "agency"),
    "AP": ("apnews", "AP News", "apnews.com", "agency"),
    "AFP": ("afp", "AFP", "www.afp.com", "agency"),
    "dpa": ("dpa-international", "dpa International", "www.dpa-international.com", "agency"),
    "PA": ("pa-media", "PA Media", "pamedia.co.uk", "agency"),
    "Bloomberg": ("bloomberg", "Bloomberg", "www.bloomberg.com", "agency"),
}
# key|display name|domain|kind; kind picks the boilerplate family.
_SITE_SPEC = """
daily-ledger|The Daily Ledger|dailyledger.com|news
metro-tribune|Metro Tribune|metrotribune.net|news
channel-9-news|Channel 9 News|channel9news.tv|news
the-courier-post|The Courier-Post|courierpost.co.uk|news
evening-wire|Evening Wire|eveningwire.com|news
world-brief|World Brief|worldbrief.org|news
asia-business-times|Asia Business Times|asiabusinesstimes.com|news
economic-observer|The Economic Observer|economicobserver.in|news
capital-report|Capital Report|capitalreport.ca|news
northern-herald|Northern Herald|northernherald.com.au|news
globe-dispatch|Globe Dispatch|globedispatch.com|news
market-screener-daily|MarketScreener Daily|marketscreenerdaily.com|news
bitcoin-ethereum-news|BitcoinEthereumNews.com|bitcoinethereumnews.com|crypto
coin-pulse|CoinPulse|coinpulse.io|crypto
crypto-daily-wire|Crypto Daily Wire|cryptodailywire.com|crypto
blockchain-beat|Blockchain Beat|blockchainbeat.news|crypto
tron-weekly|Tronweekly|tronweekly.com|crypto
the-altcoin-post|The Altcoin Post|altcoinpost.net|crypto
tech-ai-digest|TechAI Digest|techaidigest.com|blog
insider-buzz|Insider Buzz|insiderbuzz.co|blog
news-hub-360|NewsHub360|newshub360.com|blog
trend-watchers|Trend Watchers|trendwatchers.blog|blog
the-quick-take|The Quick Take|thequicktake.net|blog
smart-money-notes|Smart Money Notes|smartmoneynotes.com|blog
pages-digest|Pages Digest|pagesdigest.ai|aggregator
newsnow-aggregator|NewsNow Aggregator|newsnowagg.com|aggregator
top-stories-feed|Top Stories Feed|topstoriesfeed.com|aggregator
briefly-ai|Briefly AI|briefly.ai|aggregator
portal-news|Portal News|portalnews.com|portal
startpage-news|StartPage News|startpagenews.com|portal
"""
_Site = tuple[str, str, str, str]
_SITES: tuple[_Site, ...] = tuple(
    (a, b, c, d) for a, b, c, d in (line.split("|") for line in _SITE_SPEC.strip().splitlines())
)
_SITE_INDEX = {s[0]: i for i, s in enumerate(_SITES)}
_AGG_SITES = tuple(s for s in _SITES if s[3] == "aggregator")
_COPY_SITES = tuple(s for s in _SITES if s[3] != "aggregator")
_MASTHEADS = {
    "news": (
        "{name} | Home | World | Business | Tech | Politics | Sport | Subscribe",
        "Skip to content\n{name}\nMenu Search Sign in",
    ),
    "crypto": (
        " date {date} 🔥 Trade with Pros on Discord → 21 Days Free (No Card)JOIN FREE",
        "{name}\nBitcoin Ethereum XRP Solana Markets Price Analysis",
    ),
    "blog": ("Home » {section} » {title}", "More\nHome{section}News{title}"),
    "aggregator": ("{n} Sources\n{n} Sources", "{n} Sources"),
    "portal": ("{name} · Home · News · Finance · Sports · Weather", "Advertisement"),
}
_DISCLAIMERS = (
    "Disclaimer: The information provided on {name} is for general informational purposes only "
    "and does not constitute financial, investment or legal advice. Readers should do their own "
    "research before making any decision based on this article.",
    "This article was syndicated from a wire service and has not been edited by {name} staff. "
    "The views expressed are those of the original author and do not necessarily reflect the "
    "views of {name} or its partners.",
    "{name} may receive compensation for links on this page. Our editorial content is "
    "independent, and prices and figures quoted are accurate at the time of publication.",
)
_NEWSLETTERS = (
    "Sign up for the {name} newsletter to get the day's top stories delivered to your inbox "
    "every morning.",
    "Get the latest {section} news from {name} straight to your inbox. Subscribe to our free "
    "newsletter.",
    "Never miss a story: join thousands of readers who get {name} alerts every day.",
)
_SECTIONS = {
    "markets": "Markets",
    "tech": "Technology",
    "politics": "Politics",
    "sports": "Sport",
    "health": "Health",
    "climate": "Climate",
    "energy": "Energy",
    "courts": "Legal",
}
_TAGS = (
    "Markets",
    "Artificial intelligence",
    "AI",
    "Business",
    "World",
    "Economy",
    "Crypto",
    "Politics",
    "Health",
    "Energy",
    "Climate",
    "Law",
    "OpenAI",
    "Europe",
    "Asia",
    "US",
)
# How each site's pages are captured in the "mixed" format: these as text (a headline, a date
# line in the site's style, the page's text), the others as HTML pages with their metadata.
# Chosen to mix every kind of site and both chrome variants of each.
_TEXT_SITES = frozenset(
    {
        "metro-tribune",
        "channel-9-news",
        "world-brief",
        "asia-business-times",
        "northern-herald",
        "globe-dispatch",
        "coin-pulse",
        "crypto-daily-wire",
        "the-altcoin-post",
        "tech-ai-digest",
        "trend-watchers",
        "smart-money-notes",
        "newsnow-aggregator",
        "top-stories-feed",
        "startpage-news",
    }
)
# Agency origins are a mix per document: real wire copy is often captured as text.
_ORIGIN_HTML, _ORIGIN_DATED_TEXT = 0.45, 0.9  # the rest: text captures showing no date
_MON3 = _tup("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
_DATE_STYLES = (
    "{mon3} {day}, {year} {hm} GMT",
    "Published {day} {mon3} {year}, {hm}",
    "Published: {iso}",
    "{month} {day}, {year}",
    "{day} {month} {year} {hm} UTC",
    "Posted on {weekday}, {month} {day}, {year}",
    "By {author} | {mon3} {day}, {year}",
)
# A text capture's date line has its site's style: styles rotate over agencies then text sites.
_DATE_STYLE = {
    key: i % len(_DATE_STYLES)
    for i, key in enumerate(
        [a[0] for a in _AGENCY_SITE.values()] + [s[0] for s in _SITES if s[0] in _TEXT_SITES]
    )
}
_COPY_KINDS = ("verbatim", "light-edit", "excerpt", "reorder", "rewrite", "aggregate")
_COPY_WEIGHTS = (0.2, 0.25, 0.15, 0.1, 0.2, 0.1)
_START = datetime(2026, 1, 1, tzinfo=timezone.utc)
_AGG_WINDOW = 60  # aggregates bundle a story with others from the last 60 stories
_YEAR_SECONDS = 350 * 86400  # leaves room for copies to land inside 2026

_SLOT_RE = re.compile(r"\{([^{}]*)\}")
_IZE_RE = re.compile(r"\b[A-Za-z]{3,}iz(?:e|ed|es|ing|ation)\b")
_NUM_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD_RE = re.compile(r"[^a-z0-9 ]+")
_ARTICLE_RE = re.compile(r"\b([Aa])n? (?=([a-zA-Z]))")


# ------------------------------------------------------------------------------ parsing
def _lines(block: str) -> tuple[str, ...]:
    """Template block -> templates; an indented line continues the one above."""
    out: list[str] = []
    for line in block.strip("\n").splitlines():
        if line.startswith(" ") and out:
            out[-1] += line
        elif line:
            out.append(line)
    return tuple(out)


def _groups(spec: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g.split("/")) for g in spec.split(";"))


def _plural(word: str) -> str:
    """Plural of a noun phrase's last word; the lexicon avoids irregular nouns."""
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _verb_form(base: str, past: str = "", suffix: str = "ed") -> str:
    """Regular inflection of a (possibly phrasal) verb's head: 'roll out' -> 'rolls out'."""
    head, _, tail = base.partition(" ")
    if suffix == "s":
        head = head + "es" if head.endswith("o") else _plural(head)
    elif past.startswith(head + head[-1]):  # trim/trimmed -> trimming
        head += head[-1] + "ing"
    elif suffix == "ing":
        head = head[:-1] + "ing" if head.endswith("e") and not head.endswith("ee") else head + "ing"
    else:
        head = head + "d" if head.endswith("e") else head + "ed"
    return f"{head} {tail}".rstrip()


@dataclass(frozen=True)
class _Domain:
    """Vocabulary of one topic; every story and its hard negatives draw from one domain."""

    name: str
    metrics: tuple[tuple[str, ...], ...]
    nouns: tuple[tuple[str, ...], ...]
    adjs: tuple[tuple[str, ...], ...]
    verbs: tuple[tuple[tuple[str, str], ...], ...]  # synonym groups of (base, past)
    suffixes: tuple[str, ...]
    inst: tuple[str, ...]
    titles: tuple[str, ...]
    places: tuple[str, ...]


def _parse_domains(spec: str) -> dict[str, _Domain]:
    raw: dict[str, dict[str, str]] = {}
    cur: dict[str, str] = {}
    key = ""
    for line in spec.strip().splitlines():
        if line.startswith("@"):
            cur = raw.setdefault(line[1:], {})
        elif line.startswith(" "):
            cur[key] += line[1:]
        else:
            key, _, val = line.partition(" ")
            cur[key] = val
    out = {}
    for name, d in raw.items():
        verbs = tuple(
            tuple((m.partition(":")[0], m.partition(":")[2] or _verb_form(m)) for m in g)
            for g in _groups(d["verbs"])
        )
        split = {k: tuple(d[k].split("/")) for k in ("suffix", "inst", "titles", "places")}
        out[name] = _Domain(
            name,
            _groups(d["metrics"]),
            _groups(d["nouns"]),
            _groups(d["adj"]),
            verbs,
            split["suffix"],
            split["inst"],
            split["titles"],
            split["places"],
        )
    return out


DOMAINS = _parse_domains(_DOMAIN_SPEC)
_DOMAIN_NAMES = tuple(DOMAINS)
_COMMON = _groups(_COMMON_SPEC)
_COMMON_ADJ = _groups(_ADJ_SPEC)
_RISE, _FALL = _COMMON[0], _COMMON[1]
_TEMPLATES = {
    "S": _lines(_SENTENCES),
    "Q": _lines(_QUOTES),
    "CL": _lines(_CLAUSES),
    "H": _lines(_HEADLINES),
    "T": _TIMES,
}
# Function words whose swap would break grammar or flip meaning ("a"/"an", "up"/"down").
_NO_SYN = frozenset(_tup("the its a an up down it this is was were had have has in for at first"))


def _build_synonyms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Word and phrase synonym maps for the rewriter.

    A word listed under two parts of speech (noun "patch", verb "patch") is left out so a
    swap never breaks agreement; other groups sharing a word are merged.
    """
    tagged: list[tuple[str, tuple[str, ...]]] = [("*", g) for g in _COMMON + _COMMON_ADJ]
    for d in DOMAINS.values():
        tagged += [("a", g) for g in d.adjs] + [("m", g) for g in d.metrics]
        tagged += [("n", g) for g in d.nouns] + [("ns", tuple(map(_plural, g))) for g in d.nouns]
        tagged += [("vb", tuple(b for b, _ in g)) for g in d.verbs]
        tagged += [("vp", tuple(p for _, p in g)) for g in d.verbs]
    for tpls in _TEMPLATES.values():
        for tpl in tpls:
            tagged += [("*", tuple(s.split("|"))) for s in _SLOT_RE.findall(tpl) if "|" in s]
    alts: dict[str, set[str]] = {}
    tags: dict[str, set[str]] = {}
    for tag, group in tagged:
        g = tuple(w if any(ch.isupper() for ch in w[1:]) else w.lower() for w in group)  # keep "AI"
        if _NO_SYN.intersection(g):
            continue
        for w in g:
            alts.setdefault(w.lower(), set()).update(x for x in g if x.lower() != w.lower())
            if tag != "*":
                tags.setdefault(w.lower(), set()).add(tag)
    words: dict[str, tuple[str, ...]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    for w, a in alts.items():
        if a and len(tags.get(w, ())) <= 1:
            (phrases if " " in w else words)[w] = tuple(sorted(a))
    return words, phrases


SYNONYMS, PHRASES = _build_synonyms()
_PHRASE_RE = re.compile(
    r"\b(" + "|".join(map(re.escape, sorted(PHRASES, key=len, reverse=True))) + r")\b", re.I
)
_MODIFIER_RE = re.compile(r" (?:in|by|since|before) [A-Z0-9][\w-]*(?: [A-Z0-9][\w-]*)?(?=\.$)")
_TIME_RE = re.compile(
    r" (?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last week|this week"
    r"|earlier this month|late last month|overnight|this year|in the coming weeks|later this month)"
    r"(?=[ ,.])"
)


# ------------------------------------------------------------------------------ model
@dataclass
class _Ents:
    """Who and what a story is about; hard negatives reuse the same object."""

    domain: _Domain
    people: list[tuple[str, str, str]]  # (full name, title, organisation)
    orgs: list[str]
    cities: list[str]
    key_nouns: list[tuple[str, ...]]


@dataclass
class _Article:
    """An article kept as paragraphs of sentences so copies can edit structure, not strings."""

    title: str
    paras: list[list[str]]
    dateline: str
    byline: str
    signoff: str
    time: datetime  # true publication time, even when the page shows a wrong or no date
    depth: int
    ents: _Ents
    agency: str | None

    def render(self) -> list[str]:
        out = [self.byline] if self.byline else []
        out += [" ".join(p) for p in self.paras]
        if self.dateline:
            out[1 if self.byline else 0] = self.dateline + out[1 if self.byline else 0]
        return [*out, self.signoff] if self.signoff else out

    def clone(self) -> _Article:
        return _Article(
            self.title,
            [list(p) for p in self.paras],
            self.dateline,
            self.byline,
            self.signoff,
            self.time,
            self.depth + 1,
            self.ents,
            self.agency,
        )


def _slug(title: str) -> str:
    return "-".join(_WORD_RE.sub("", title.lower()).split()[:6]) or "story"


def _articles(s: str) -> str:
    """Fix "a"/"an" after slots and synonym swaps changed the next word."""
    return _ARTICLE_RE.sub(lambda m: m.group(1) + ("n " if m.group(2) in "aeiou" else " "), s)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lcfirst(s: str) -> str:
    """Lower-case a sentence start unless it is a name (names are not in the lexicon)."""
    return s[:1].lower() + s[1:] if s.split(" ", 1)[0].lower() in _LOWERABLE else s


_LOWERABLE = set(SYNONYMS) | set(_tup("the a an its it this some several many"))
_NAME_WORDS = {w for name in _CITIES for w in name.split()}  # "New" of "New York" stays
_Part = str | Callable[[], str] | tuple[str, ...]
_Edits = list[dict[str, str]]


class _Generator:
    """Seeded RNG, the slot context of the article being written, and the growing corpus."""

    def __init__(self, rng: random.Random, cfg: CorpusConfig) -> None:
        self.rng, self.cfg = rng, cfg
        self.ents = self.new_entities(DOMAINS["markets"])  # replaced before each article
        self.mentioned: set[str] = set()
        self.recent: list[str] = []  # recent headlines, reused as "related" sidebar junk
        self.docs: list[GeneratedDoc] = []
        self.bodies: dict[str, tuple[str, ...]] = {}
        self.arts: dict[str, _Article] = {}
        self.site_name: dict[str, str] = {}
        self.story_of: dict[str, str] = {}
        self.stories: list[tuple[str, list[str], _Ents, datetime]] = []
        self.hard: dict[str, str] = {}
        r = rng

        def pick(seq: Sequence[str]) -> Callable[[], str]:
            return lambda: r.choice(seq)

        def tpl(name: str) -> Callable[[], str]:
            return lambda: self.fill(r.choice(self.tpl[name]))

        self.slots: dict[str, Callable[[], str]] = {
            "O": self.org,
            "O2": self.org,
            "C": self.city,
            "C2": self.city,
            "N": self.noun,
            "NS": lambda: _plural(self.noun()),
            "MET": self.metric,
            "MET_CAP": lambda: _cap(self.metric()),
            "A": self.adj,
            "A_CAP": lambda: _cap(self.adj()),
            "V": lambda: self.verb()[1],
            "VB": lambda: self.verb()[0],
            "VS": lambda: _verb_form(self.verb()[0], suffix="s"),
            "VING": lambda: _verb_form(*self.verb(), suffix="ing"),
            "MOVE": lambda: r.choice(r.choice((_RISE, _FALL))),
            "MOVEB": pick(_MOVE_BASE),
            "PCT": lambda: f"{r.randint(1, 399) / 10:.1f}%",
            "MONEY": self.money,
            "NUM": self.num,
            "FEW": lambda: str(r.randint(2, 12)),
            "DAY": self.day,
            "DAY_CAP": lambda: _cap(self.day()),
            "MONTH": pick(_MONTHS),
            "WEEKDAY": pick(_WEEKDAYS),
            "YEAR": lambda: str(r.randint(2026, 2031)),
            "YEAR0": lambda: str(r.randint(2008, 2025)),
            "QTR": pick(_QTRS),
            "ORD": pick(_ORDINALS),
            "CONN": pick(_CONNECTIVES),
            "INST": lambda: r.choice(self.ents.domain.inst),
            "INST_CAP": lambda: _cap(r.choice(self.ents.domain.inst)),
            "PLACE": self.place,
            "PL": self.person_ref,
            "WHO": self.who,
            "WHOE": lambda: self.who().rstrip(","),
            "Q": tpl("Q"),
            "CL": tpl("CL"),
            "TIME": tpl("T"),
        }
        self.tpl = {k: [self.compile(t) for t in v] for k, v in _TEMPLATES.items()}

    # ---- templates
    def compile(self, tpl: str) -> list[_Part]:
        """Pre-split a template so filling is a loop over literals, choices and slot calls."""
        parts: list[_Part] = []
        for i, piece in enumerate(_SLOT_RE.split(tpl)):
            if i % 2 == 0:
                if piece:
                    parts.append(piece)
            elif "|" in piece or ";" in piece:
                parts.append(tuple(re.split("[|;]", piece)))
            else:
                parts.append(self.slots[piece])
        return parts

    def fill(self, parts: list[_Part]) -> str:
        choice = self.rng.choice
        return "".join(
            p if isinstance(p, str) else choice(p) if isinstance(p, tuple) else p() for p in parts
        )

    # ---- entities and slot values
    def person_name(self) -> str:
        c = self.rng.choice
        return f"{c(_FIRST_A)}{c(_FIRST_B)} {c(_LAST_A)}{c(_LAST_B)}"

    def new_entities(self, dom: _Domain) -> _Ents:
        r = self.rng
        orgs = [f"{r.choice(_ORG_PREFIX)} {r.choice(dom.suffixes)}" for _ in range(r.randint(2, 4))]
        people = [
            (self.person_name(), r.choice(dom.titles), r.choice(orgs))
            for _ in range(r.randint(2, 5))
        ]
        return _Ents(dom, people, orgs, r.sample(_CITIES, 2), r.sample(dom.nouns, 2))

    def org(self) -> str:
        r = self.rng
        if r.random() < 0.75:
            return r.choice(self.ents.orgs)
        return f"{r.choice(_ORG_PREFIX)} {r.choice(self.ents.domain.suffixes)}"

    def city(self) -> str:
        return self.rng.choice(self.ents.cities if self.rng.random() < 0.6 else _CITIES)

    def place(self) -> str:
        return self.rng.choice(self.ents.domain.places) if self.rng.random() < 0.6 else self.city()

    def noun(self) -> str:
        r = self.rng
        key = r.random() < 0.3  # the story's own subject recurs, as it does in real copy
        return r.choice(r.choice(self.ents.key_nouns if key else self.ents.domain.nouns))

    def metric(self) -> str:
        return self.rng.choice(self.rng.choice(self.ents.domain.metrics))

    def adj(self) -> str:
        r = self.rng
        return r.choice(r.choice(self.ents.domain.adjs if r.random() < 0.7 else _COMMON_ADJ))

    def verb(self) -> tuple[str, str]:
        return self.rng.choice(self.rng.choice(self.ents.domain.verbs))

    def money(self) -> str:
        r = self.rng
        return f"{r.choice('$$$€£')}{r.randint(11, 990) / 10:g} {r.choice(_UNITS)}"

    def num(self) -> str:
        r = self.rng
        return str(r.randint(2, 95)) if r.random() < 0.5 else f"{r.randint(100, 98000):,}"

    def day(self) -> str:
        r, x = self.rng, self.rng.random()
        if x < 0.5:
            return "on " + r.choice(_WEEKDAYS)
        if x < 0.75:
            return f"on {r.choice(_MON_ABBR)} {r.randint(1, 28)}"
        return r.choice(_VAGUE_DAYS)

    def person(self) -> tuple[str, str, str]:
        r, people = self.rng, self.ents.people
        if r.random() < 0.85 or len(people) > 12:
            return r.choice(people)
        p = (self.person_name(), r.choice(self.ents.domain.titles), self.org())
        people.append(p)  # a new voice joins the story; hard negatives may quote them too
        return p

    def person_ref(self) -> str:
        """Full name on first mention, surname afterwards, as news style does."""
        name = self.person()[0]
        if name in self.mentioned:
            return name.rsplit(" ", 1)[-1]
        self.mentioned.add(name)
        return name

    def who(self) -> str:
        """Speaker with title and organisation on first mention (subject position)."""
        name, title, org = self.person()
        if name in self.mentioned:
            return name.rsplit(" ", 1)[-1]
        self.mentioned.add(name)
        return self.rng.choice(
            (
                f"{name}, the {title} of {org},",
                f"{org} {title} {name}",
                f"{name}, {title} at {org},",
                f"{name} of {org}",
            )
        )

    # ---- origin articles
    def sentence(self) -> str:
        s = _articles(_cap(self.fill(self.rng.choice(self.tpl["S"]))))
        return s.replace("s's ", "s' ") if "s's " in s else s

    def paragraph(self) -> list[str]:
        target, words = self.rng.randint(30, 110), 0
        sents: list[str] = []
        while words < target:
            s = self.sentence()
            n = s.count(" ") + 1
            if sents and words >= 30 and words + n > 120:
                break
            sents.append(s)
            words += n
        return sents

    def article(self, ents: _Ents, when: datetime, agency: str | None) -> _Article:
        """Headline, 5-15 paragraphs and the agency's dateline/credit conventions."""
        r = self.rng
        self.ents, self.mentioned = ents, set()
        title = _cap(self.fill(r.choice(self.tpl["H"])))
        paras = [self.paragraph() for _ in range(r.randint(5, 15))]
        dateline = byline = signoff = ""
        city = ents.cities[0].upper()
        if agency == "Reuters":
            dateline = f"{city}, {_MON_ABBR[when.month - 1]} {when.day} (Reuters) - "
            team = " and ".join(self.person_name() for _ in range(r.randint(1, 2)))
            signoff = f"(Reporting by {team}; Editing by {self.person_name()})"
        elif agency == "AP":
            dateline = f"{city} (AP) — "
        elif agency in ("AFP", "dpa"):
            dateline = f"{city} ({agency}) - "
        elif agency == "PA":
            byline = f"By {self.person_name()}, PA"
        elif agency == "Bloomberg":
            signoff = f"--With assistance from {self.person_name()}."
        return _Article(title, paras, dateline, byline, signoff, when, 0, ents, agency)

    # ---- copy transformations: each returns the copy and the edits relative to its parent
    def swap_word(self, tok: str, first: bool = False) -> str | None:
        """A synonym for one token, keeping its punctuation and capitalisation.

        Capitalised words inside a sentence belong to names ("New York", "May"): left alone.
        """
        core = tok.strip(",.;:”“")
        if core[:1].isupper() and (not first or core in _NAME_WORDS):
            return None
        alts = SYNONYMS.get(core.lower())
        if not alts:
            return None
        new = self.rng.choice(alts)
        return tok.replace(core, _cap(new) if core[:1].isupper() else new, 1)

    def strip_credit(self, c: _Article, edits: _Edits) -> None:
        if c.signoff or c.byline:
            edits.append(_edit("credit_removed", c.signoff or c.byline, ""))
            c.signoff = c.byline = ""
        elif "(" in c.dateline:
            new = c.dateline.split(" (")[0].split(",")[0] + " - "
            edits.append(_edit("credit_removed", c.dateline.strip(), new.strip()))
            c.dateline = new

    def strip_dateline(self, c: _Article, edits: _Edits) -> None:
        if c.dateline:
            edits.append(_edit("dateline_removed", c.dateline.strip(), ""))
            c.dateline = ""

    def light_edit(self, a: _Article) -> tuple[_Article, _Edits]:
        """A copy desk's touch: a few word swaps, house style, one figure, credit/dateline."""
        r, c, edits = self.rng, a.clone(), []
        want, tries = r.randint(2, 5), 0
        while want and tries < 60:
            tries += 1
            para = r.choice(c.paras)
            si = r.randrange(len(para))
            toks = para[si].split(" ")
            ti = r.randrange(len(toks))
            new = None if "“" in para[si] else self.swap_word(toks[ti], ti == 0)
            if new is not None:
                edits.append(_edit("substitution", toks[ti].strip(",.;:"), new.strip(",.;:")))
                toks[ti] = new
                para[si], want = " ".join(toks), want - 1
        if r.random() < 0.6:  # house style, applied throughout
            for p in c.paras:
                for i, s in enumerate(p):
                    if "U.S." in s:
                        p[i] = s = s.replace("U.S.", "US")
                        edits.append(_edit("substitution", "U.S.", "US"))
                    for m in _IZE_RE.finditer(s):
                        british = m.group().replace("iz", "is")
                        edits.append(_edit("substitution", m.group(), british))
                        p[i] = p[i].replace(m.group(), british, 1)
        numbered = [(p, i) for p in c.paras for i, s in enumerate(p) if _NUM_RE.search(s)]
        if numbered:
            p, i = r.choice(numbered)
            m = r.choice(list(_NUM_RE.finditer(p[i])))
            new = self.perturb(m.group())
            p[i] = p[i][: m.start()] + new + p[i][m.end() :]
            edits.append(_edit("number", m.group(), new))
        if r.random() < 0.35:
            self.strip_credit(c, edits)
        if r.random() < 0.35:
            self.strip_dateline(c, edits)
        return c, edits

    def perturb(self, num: str) -> str:
        """An updated or mistyped figure, formatted like the original."""
        r = self.rng
        if "." in num:
            frac = len(num.partition(".")[2])
            val = abs(float(num.replace(",", "")) + r.choice((-1, 1)) * r.randint(1, 9) / 10**frac)
            return f"{val:,.{frac}f}" if "," in num else f"{val:.{frac}f}"
        val = int(num.replace(",", ""))
        val = abs(val + r.choice((-1, 1)) * max(1, val // 20) * r.randint(1, 3)) or 1
        return f"{val:,}" if "," in num else str(val)

    def excerpt(self, a: _Article, source: str) -> tuple[_Article, _Edits]:
        """Keep the lead 30-70% of paragraphs, as excerpting sites do, maybe with a read-more."""
        r, c = self.rng, a.clone()
        keep = max(1, round(len(c.paras) * r.uniform(0.3, 0.7)))
        edits = [_edit("removed", " ".join(p), "") for p in c.paras[keep:]]
        c.paras = c.paras[:keep]
        if c.signoff:
            edits.append(_edit("credit_removed", c.signoff, ""))
            c.signoff = ""
        if r.random() < 0.5:
            more = f"{r.choice(_READ_MORE)} at {source}."
            c.paras.append([more])
            edits.append(_edit("added", "", more))
        return c, edits

    def reorder(self, a: _Article) -> tuple[_Article, _Edits]:
        """Swap one or two pairs of non-lead paragraphs and cut one or two."""
        r, c, edits = self.rng, a.clone(), []
        n = len(c.paras)
        for _ in range(r.randint(1, 2)):
            i, j = sorted(r.sample(range(1, n), 2))
            c.paras[i], c.paras[j] = c.paras[j], c.paras[i]
            edits.append(
                _edit(
                    "reorder", f"paragraph {i + 1}", f"paragraph {j + 1}", text=" ".join(c.paras[j])
                )
            )
        for _ in range(r.randint(1, 2) if n > 5 else 0):
            gone = c.paras.pop(r.randrange(1, len(c.paras)))
            edits.append(_edit("removed", " ".join(gone), ""))
        return c, edits

    def rewrite_sentence(self, s: str) -> str:
        """Move the attribution or a fronted phrase, drop a time phrase, swap synonyms.

        Quotations stay verbatim: outlets paraphrase a story but not what people said.
        """
        if "“" in s:
            return s
        r = self.rng
        if s.endswith(" said.") and (i := s.rfind(", ")) > 0 and s.count(" ", i + 2) <= 4:
            s = f"{_cap(s[i + 2 : -6])} {r.choice(('said', 'says', 'noted'))} {_lcfirst(s[:i])}."
        elif (k := s.find(", ", 0, 45)) > 0 and s.count(" ", 0, k) <= 4:
            head, rest = s[:k], s[k + 2 :]
            if head + "," in _CONNECTIVES:
                s = _cap(rest) if r.random() < 0.5 else f"{r.choice(_CONNECTIVES)} {rest}"
            elif head.split(" ", 1)[0] in _FRONTED:
                s = f"{_cap(rest[:-1])} {head[:1].lower()}{head[1:]}."
        if r.random() < 0.6:  # condense: drop a time phrase and a trailing place or date
            s = _TIME_RE.sub("", s, count=1)
        if r.random() < 0.6:
            s = _MODIFIER_RE.sub("", s, count=1)
        s = _PHRASE_RE.sub(lambda m: r.choice(PHRASES[m.group().lower()]), s)
        toks = s.split(" ")
        for i, t in enumerate(toks):
            if (new := self.swap_word(t, i == 0)) is not None:
                toks[i] = new
            elif i and t in ("that", "also", "its") and r.random() < 0.5:
                toks[i] = ""
        s = " ".join(t for t in toks if t)
        if "%" in s and r.random() < 0.5:
            s = s.replace("%", " percent")
        if " million" in s and r.random() < 0.5:  # "$75.1 million" -> "$75.1m"
            s = s.replace(" million", "m").replace(" billion", "bn")
        for name, _, _ in self.ents.people:
            if name in s and r.random() < 0.5:
                s = s.replace(name, name.rsplit(" ", 1)[-1])
        return _articles(_cap(s))

    def rewrite(self, a: _Article) -> tuple[_Article, _Edits]:
        """Rephrase every sentence, drop ~20%, lose the wire credit, maybe add context."""
        r, c, edits = self.rng, a.clone(), []
        self.ents = c.ents
        title = " ".join(self.swap_word(t, i == 0) or t for i, t in enumerate(c.title.split(" ")))
        if title != c.title:
            edits.append(_edit("substitution", c.title, title, field="title"))
            c.title = title
        for p in c.paras:
            for i, s in enumerate(p):
                if sum(map(bool, p)) > 1 and "“" not in s and r.random() < 0.25:
                    edits.append(_edit("removed", s, ""))
                    p[i] = ""
                elif (new := self.rewrite_sentence(s)) != s:
                    edits.append(_edit("substitution", s, new))
                    p[i] = new
        c.paras = [[s for s in p if s] for p in c.paras]
        self.strip_dateline(c, edits)
        self.strip_credit(c, edits)
        c.dateline = ""
        if r.random() < 0.4:
            self.mentioned = set()
            extra = self.paragraph()
            c.paras.insert(r.randint(1, len(c.paras)), extra)
            edits.append(_edit("added", "", " ".join(extra)))
        if c.agency and r.random() < 0.5:
            credit = f"{c.agency} contributed to this report."
            c.paras.append([credit])
            edits.append(_edit("added", "", credit))
        return c, edits

    # ---- site chrome
    def wrap(
        self,
        site: _Site,
        title: str,
        body: list[str],
        shown: datetime | None,
        source: str,
        section: str,
    ) -> str:
        """Surround an article with its site's boilerplate, templated so it recurs site-wide.

        Dates in the chrome are the date the page shows (`shown`, None: none shown).
        """
        key, name, _, kind = site
        idx, r = _SITE_INDEX[key], self.rng
        fmt = {
            "name": name,
            "title": title,
            "date": f"{shown:%Y-%m-%d}" if shown else "",
            "n": str(len(body)),
            "section": section,
        }
        top = [_MASTHEADS[kind][idx % 2].format(**fmt).replace(" date  ", " ", 1)]
        bottom: list[str] = []
        if kind == "crypto":
            lead = " ".join(body[0].split(" ")[:14])
            top.insert(0, f"The post {title} appeared on {name}. {lead}")
        top.append(title)
        if kind == "blog" and idx % 2:
            tags = "".join(r.sample(_TAGS, 3))
            top.append(f"{tags}{r.randint(1, 9)} weeks ago{r.randint(12, 9000)} Views")
        if kind in ("news", "portal") and idx % 3 and shown:
            top.append(f"{source} · {shown:%B %d, %Y %H:%M} UTC")
        top += ["Advertisement"] if kind == "portal" else ["Share", "Copy Link"][: 1 + idx % 2]
        if idx % 4 == 1:
            bottom.append("Share")
        if kind in ("crypto", "blog") or idx % 3 == 0:
            bottom.append(_DISCLAIMERS[idx % 3].format(**fmt))
        if idx % 2 == 0 or kind == "blog":
            bottom.append(_NEWSLETTERS[idx % 3].format(**fmt))
        if kind in ("crypto", "blog", "portal"):
            for t in r.sample(self.recent, min(3, len(self.recent))):
                crypto = [t, "Share", f"{name}{shown:%Y/%m/%d %H:%M}" if shown else name]
                bottom += crypto if kind == "crypto" else [f"Related: {t}"]
        if kind in ("crypto", "blog"):
            bottom.append(f"The post {title} appeared on {name}.")
        bottom.append(f"© 2026 {name}. All rights reserved.")
        return "\n\n".join(top + body + bottom)

    # ---- corpus assembly
    def add(
        self,
        site: _Site,
        art: _Article,
        kind: str,
        sids: tuple[str, ...],
        parent: str | None,
        edits: Sequence[dict[str, str]],
        published: datetime | None,
        body: list[str] | None = None,
        text: str | None = None,
    ) -> str:
        n, slug = len(self.docs), _slug(art.title)
        did = f"{site[0]}/{art.time:%Y-%m-%d}-{slug}-{n}"
        fmt = "txt" if site[0] in _TEXT_SITES else "html"
        if kind == "origin":  # a mix per document, from a hash: the RNG stream is untouched
            u = zlib.crc32(did.encode()) / 2**32
            fmt = "html" if u < _ORIGIN_HTML else "txt"
            published = published if u < _ORIGIN_DATED_TEXT else None
        # A URL shows the page's date, as its CMS set it: the shown one, else none.
        if _SITE_INDEX.get(site[0], 0) % 2:
            dated = f"{published:%Y/%m/%d}/" if published else ""
            url = f"https://{site[2]}/{art.ents.domain.name}/{dated}{slug}-{n}/"
        else:
            dated = f"-{published:%Y%m%d}" if published else ""
            url = f"https://{site[2]}/news/{slug}{dated}-{n}.html"
        body = art.render() if body is None else body
        if text is None and kind == "origin":
            text = "\n\n".join([art.title, *body])
        elif text is None:
            source = _AGENCY_SITE[art.agency][1] if art.agency else site[1]
            section = _SECTIONS[art.ents.domain.name]
            text = self.wrap(site, art.title, body, published, source, section)
        iso = published.isoformat(timespec="seconds") if published else None
        agency = art.agency if kind in ("origin", "unrelated") else None
        true = art.time.isoformat(timespec="seconds")
        self.docs.append(
            GeneratedDoc(
                did,
                site[0],
                url,
                art.title,
                iso,
                text,
                kind,
                sids,
                parent,
                agency,
                tuple(edits),
                true,
                fmt,
            )
        )
        self.bodies[did], self.site_name[did], self.story_of[did] = tuple(body), site[1], sids[0]
        if kind not in ("aggregate", "unrelated"):  # those two are never copied or embedded
            self.arts[did] = art
        self.recent.append(art.title)
        if len(self.recent) > 40:
            del self.recent[:20]
        return did

    def copy_time(self, after: datetime) -> tuple[datetime, datetime | None]:
        """True time (minutes to days after the parent) and the time the page shows."""
        r, cfg = self.rng, self.cfg
        true = after + timedelta(minutes=5 + min(r.expovariate(1 / 360), 10080))
        x = r.random()
        if x < cfg.missing_date_fraction:
            return true, None
        if x < cfg.missing_date_fraction + cfg.wrong_date_fraction:
            return true, after - timedelta(minutes=r.randint(30, 14400))
        return true, true

    def story(self, budget: int) -> int:
        """An agency origin plus 0..max_copies copies; returns how many docs it added."""
        r = self.rng
        sid = f"story-{len(self.stories):06d}"
        agency = r.choice(_AGENCIES)
        when = _START + timedelta(seconds=r.randrange(_YEAR_SECONDS))
        art = self.article(self.new_entities(DOMAINS[r.choice(_DOMAIN_NAMES)]), when, agency)
        ids = [self.add(_AGENCY_SITE[agency], art, "origin", (sid,), None, (), when)]
        self.stories.append((sid, ids, art.ents, when))
        k = min(r.randint(0, self.cfg.max_copies), budget - 1)
        sites = r.sample(_COPY_SITES, k) if k <= len(_COPY_SITES) else r.choices(_COPY_SITES, k=k)
        for site in sites:
            kind = r.choices(_COPY_KINDS, _COPY_WEIGHTS)[0]
            if kind == "aggregate" and len(self.stories) > 1:
                self.aggregate(ids)
            else:
                self.copy(kind, site, sid, ids)
        if len(self.stories) > _AGG_WINDOW:  # older stories are never copied again: free them
            for did in self.stories[-_AGG_WINDOW - 1][1]:
                self.arts.pop(did, None)
        return 1 + k

    def copy(self, kind: str, site: _Site, sid: str, ids: list[str]) -> None:
        r = self.rng
        cands = [i for i in ids if self.arts[i].depth < 3]
        pid = r.choices(cands, [3 if self.arts[i].depth == 0 else 1 for i in cands])[0]
        parent = self.arts[pid]
        if kind == "light-edit":
            c, edits = self.light_edit(parent)
        elif kind == "excerpt":
            c, edits = self.excerpt(parent, self.site_name[pid])
        elif kind == "reorder" and len(parent.paras) >= 3:
            c, edits = self.reorder(parent)
        elif kind == "rewrite":
            c, edits = self.rewrite(parent)
        else:
            kind, c, edits = "verbatim", parent.clone(), []
        c.time, published = self.copy_time(parent.time)
        ids.append(self.add(site, c, kind, (sid,), pid, edits, published))

    def aggregate(self, ids: list[str]) -> None:
        """An aggregator page: this story plus 1-3 recent ones, each flattened to one line."""
        r = self.rng
        recent = self.stories[-_AGG_WINDOW:-1]
        others = r.sample(recent, min(len(recent), r.randint(1, 3)))
        comp = [r.choice(ids)] + [r.choice(o[1]) for o in others]
        r.shuffle(comp)
        arts = [self.arts[i] for i in comp]
        lines = [f"[{n}]\n{a.title}\n{' '.join(a.render())}" for n, a in enumerate(arts, 1)]
        true, published = self.copy_time(max(a.time for a in arts))
        page = _Article(arts[0].title, [], "", "", "", true, 9, arts[0].ents, None)
        site = r.choice(_AGG_SITES)
        text = self.wrap(site, page.title, lines, published, site[1], "News")
        sids = tuple(dict.fromkeys(self.story_of[i] for i in comp))
        self.add(site, page, "aggregate", sids, None, (), published, lines, text)

    def unrelated(self) -> None:
        """A standalone article; half of them reuse a story's topic, people and organisations."""
        r = self.rng
        story = r.choice(self.stories) if self.stories and r.random() < 0.5 else None
        if story:
            ents, when = story[2], story[3] + timedelta(minutes=r.randint(-2880, 2880))
        else:
            ents = self.new_entities(DOMAINS[r.choice(_DOMAIN_NAMES)])
            when = _START + timedelta(seconds=r.randrange(_YEAR_SECONDS))
        art = self.article(ents, when, r.choice(_AGENCIES) if r.random() < 0.5 else None)
        uid = f"unrelated-{len(self.docs):07d}"
        shown = None if r.random() < self.cfg.missing_date_fraction else when
        did = self.add(r.choice(_COPY_SITES), art, "unrelated", (uid,), None, (), shown)
        if story:
            self.hard[did] = story[0]

    def build(self, n_articles: int) -> list[GeneratedDoc]:
        n_unrelated = min(n_articles, round(n_articles * self.cfg.unrelated_fraction))
        budget = n_articles - n_unrelated
        while budget > 0:
            budget -= self.story(budget)
        for _ in range(n_unrelated):
            self.unrelated()
        docs = list(self.docs)
        self.rng.shuffle(docs)  # no tool should rely on origins coming first
        return docs


def generate(n_articles: int, seed: int = 0, config: CorpusConfig | None = None) -> Corpus:
    """Build a corpus of exactly ``n_articles`` documents; the same seed gives the same corpus."""
    cfg = config or CorpusConfig()
    gen = _Generator(random.Random(seed), cfg)
    docs = gen.build(n_articles)
    return Corpus(docs, gen.bodies, gen.hard, seed, cfg)


# ------------------------------------------------------------------------------ truth
_KEPT = 0.9  # share of a copy paragraph's distinct words inside a parent paragraph: kept
_WORDS_RE = re.compile(r"\w+")


def _norm(paragraph: str) -> str:
    """Lower-cased words (runs of letters and digits) joined by single spaces."""
    return " ".join(_WORDS_RE.findall(paragraph.lower()))


def _kept(copy: set[str], parent: set[str]) -> set[str]:
    """Normalised paragraphs of `parent` that some paragraph of `copy` keeps, whole or cut."""
    kept = copy & parent
    loose = [w for q in copy - kept if (w := set(q.split()))]
    for n in parent - kept:
        words = set(n.split())
        if any(len(w & words) >= _KEPT * len(w) for w in loose):
            kept.add(n)
    return kept


def _acceptable_parents(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """`Corpus.acceptable_parents` of every copy (see there for the rule)."""
    members: dict[str, list[GeneratedDoc]] = {}
    for d in corpus.documents:
        members.setdefault(d.stories[0], []).append(d)
    out: dict[str, tuple[str, ...]] = {}
    for story in members.values():
        copies = [d for d in story if d.parent is not None]
        if not copies:
            continue
        norms: dict[str, str] = {}  # members share most paragraphs: normalise each once
        held = {
            m.id: {norms.get(p) or norms.setdefault(p, _norm(p)) for p in corpus.body(m.id)}
            for m in story
        }
        for d in copies:
            assert d.parent is not None
            kept = _kept(held[d.id], held[d.parent])
            also = [
                m
                for m in story
                if kept
                and m.id not in (d.id, d.parent)
                and m.time < d.time  # one time zone: ISO strings sort in time
                and kept <= held[m.id]
            ]
            also.sort(key=lambda m: (m.time, m.id))
            out[d.id] = (d.parent, *(m.id for m in also))
    return out


# ------------------------------------------------------------------------------ captures
def _date_line(doc: GeneratedDoc, when: datetime) -> str:
    """The date under the headline of a text capture, in the style of the page's site."""
    h = zlib.crc32(doc.id.encode())
    author = (
        f"{_FIRST_A[h % 24]}{_FIRST_B[h // 24 % 14]} "
        f"{_LAST_A[h // 336 % 20]}{_LAST_B[h // 6720 % 16]}"
    )
    return _DATE_STYLES[_DATE_STYLE[doc.site]].format(
        mon3=_MON3[when.month - 1],
        month=_MONTHS[when.month - 1],
        day=when.day,
        year=when.year,
        hm=f"{when:%H:%M}",
        iso=f"{when:%Y-%m-%dT%H:%M:%S}Z",
        weekday=_WEEKDAYS[when.weekday()],
        author=author,
    )


def _site_of(doc: GeneratedDoc) -> _Site:
    for site in (*_SITES, *_AGENCY_SITE.values()):
        if site[0] == doc.site:
            return site
    raise KeyError(doc.site)


def _chrome(doc: GeneratedDoc, body: Sequence[str]) -> tuple[str, list[str], list[str], str]:
    """(navigation, lines above the article, lines below it, footer) of a wrapped page's text.

    The text is `_Generator.wrap`'s: masthead (after "The post ... appeared on" on crypto
    sites), headline and page furniture, the body, then furniture and the copyright line.
    """
    parts = doc.text.split("\n\n")
    n = len(body)
    start = next(i for i in range(len(parts) - n + 1) if parts[i : i + n] == list(body))
    top, bottom = parts[:start], parts[start + n :]
    nav = 1 if _site_of(doc)[3] == "crypto" and top[0].startswith("The post ") else 0
    head = [t for i, t in enumerate(top) if i != nav]
    if doc.title in head:
        head.remove(doc.title)  # the headline is the page's <h1>
    return top[nav], head, bottom[:-1], bottom[-1]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def html_page(corpus: Corpus, doc: GeneratedDoc) -> str:
    """The document as a web page: Open Graph metadata, `<article>`, nav and footer."""
    site = _site_of(doc)
    body = corpus.body(doc.id)
    if doc.kind == "origin":
        nav = f"{site[1]} | World | Business | Markets | Technology"
        head: list[str] = []
        tail: list[str] = []
        footer = f"© 2026 {site[1]}. All rights reserved."
    else:
        nav, head, tail, footer = _chrome(doc, body)
    meta = [
        '<meta charset="utf-8">',
        f"<title>{_e(doc.title)} | {_e(site[1])}</title>",
        f'<meta property="og:title" content="{_e(doc.title)}">',
        f'<meta property="og:site_name" content="{_e(site[1])}">',
        f'<meta property="og:url" content="{_e(doc.url)}">',
        '<meta property="og:type" content="article">',
    ]
    if doc.published:
        meta.append(f'<meta property="article:published_time" content="{_e(doc.published)}">')
    meta.append(f'<link rel="canonical" href="{_e(doc.url)}">')
    links = "".join(f'<a href="/">{_e(line)}</a>' for line in nav.split("\n"))
    article = [f"<h1>{_e(doc.title)}</h1>", *(f"<p>{_e(t)}</p>" for t in head)]
    for para in body:
        if doc.kind == "aggregate":  # "[n]\ntitle\ntext": one item of the list
            num, title, text = para.split("\n", 2)
            article.append(
                f"<section><p>{_e(num)}</p><h2>{_e(title)}</h2><p>{_e(text)}</p></section>"
            )
        else:
            article.append(f"<p>{_e(para)}</p>")
    article += [f"<p>{_e(t)}</p>" for t in tail]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            *meta,
            "</head>",
            "<body>",
            f"<nav>{links}</nav>",
            "<article>",
            *article,
            "</article>",
            f"<footer><p>{_e(footer)}</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def text_capture(doc: GeneratedDoc) -> str:
    """The document as a saved text page: headline, the date line if the page shows a date,
    then the page's text (an origin's text already starts with its headline)."""
    lines = [doc.title]
    if doc.published:
        lines.append(_date_line(doc, datetime.fromisoformat(doc.published)))
    text = doc.text.split("\n\n", 1)[1] if doc.kind == "origin" else doc.text
    return "\n\n".join([*lines, text])


def file_name(doc: GeneratedDoc) -> str:
    """The document's file in the "mixed" format: a name that tells nothing of it."""
    return f"{hashlib.sha1(doc.id.encode()).hexdigest()[:16]}.{doc.fmt}"


def write_corpus(corpus: Corpus, directory: Path, fmt: str = "mixed") -> dict[str, str]:
    """Write the documents as a tool would ingest them, plus ``truth.json`` for scoring.

    Returns the id a scanner gives each document -> its generator id.

    * ``mixed``: each document one file under ``DIR/corpus/`` (`html_page` or `text_capture`,
      as ``GeneratedDoc.fmt`` says), named by `file_name`; scan ``DIR/corpus``: the
      scanner's id is the file name, recorded as ``"file"`` in ``truth.json``.
    * ``txt``: ``DIR/<id>.txt``, the bare text (no title, date or site).
    * ``jsonl``: ``DIR/corpus.jsonl``, one record a document with its page's metadata.

    ``truth.json`` (in ``DIR``) holds {"seed", "config", "documents": [GeneratedDoc minus
    text, plus "file" (mixed, txt) and "acceptable_parents"], "hard_negatives": {doc id:
    story id}}.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    if fmt == "mixed":
        root = directory / "corpus"
        root.mkdir(exist_ok=True)
        for d in corpus.documents:
            name = file_name(d)
            if name in files:
                raise ValueError(f"file name clash: {name}")
            files[name] = d.id
            page = html_page(corpus, d) if d.fmt == "html" else text_capture(d)
            (root / name).write_text(page, encoding="utf-8")
    elif fmt == "jsonl":
        with (directory / "corpus.jsonl").open("w", encoding="utf-8") as fh:
            for d in corpus.documents:
                rec = {
                    "id": d.id,
                    "text": d.text,
                    "url": d.url,
                    "title": d.title,
                    "published": d.published,
                    "site": d.site,
                }
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                files[d.id] = d.id
    elif fmt == "txt":
        for d in corpus.documents:
            path = directory / f"{d.id}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(d.text, encoding="utf-8")
            files[f"{d.id}.txt"] = d.id
    else:
        raise ValueError(f"unknown format {fmt!r}; expected 'mixed', 'jsonl' or 'txt'")
    file_of = {doc_id: name for name, doc_id in files.items()} if fmt != "jsonl" else {}
    docs = []
    for d in corpus.documents:
        known = asdict(d)
        del known["text"]
        if d.id in file_of:
            known["file"] = file_of[d.id]
        known["acceptable_parents"] = list(corpus.acceptable_parents(d.id))
        docs.append(known)
    truth = {
        "seed": corpus.seed,
        "config": asdict(corpus.config),
        "documents": docs,
        "hard_negatives": corpus.hard_negatives,
    }
    with (directory / "truth.json").open("w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: generate, write, and report the generation rate on stderr."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=_DESCRIPTION)
    ap.add_argument("--articles", type=int, default=1000, help="number of documents")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--format", choices=("jsonl", "mixed", "txt"), default="jsonl")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    corpus = generate(args.articles, args.seed)
    t1 = time.perf_counter()
    write_corpus(corpus, args.out, args.format)
    t2 = time.perf_counter()
    n = len(corpus.documents)
    rate = n / max(t1 - t0, 1e-9)
    print(
        f"generated {n} docs ({len(corpus.stories())} multi-doc stories, "
        f"{len(corpus.true_pairs())} true pairs) in {t1 - t0:.1f}s = {rate:,.0f} docs/s; "
        f"wrote {args.format} to {args.out} in {t2 - t1:.1f}s",
        file=sys.stderr,
    )
    return 0


_DESCRIPTION = "Generate a synthetic syndicated-news corpus with ground truth."

if __name__ == "__main__":
    raise SystemExit(main())
