"""Deterministic generator of synthetic syndicated-news corpora with ground truth.

Real captures (see ``samples/``) cannot be shared at scale and carry no labels, so the
benchmarks need a generator whose copies behave like real republication: shared 5-gram
shingles where text was copied, few shingles where it was merely on the same topic, and
site boilerplate that recurs across unrelated pages. Everything comes from one seeded
``random.Random`` so a seed always names the same corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["Corpus", "CorpusConfig", "GeneratedDoc", "generate", "write_corpus"]

KINDS = ("origin", "verbatim", "light-edit", "excerpt", "reorder", "rewrite", "aggregate", "unrelated")


@dataclass(frozen=True)
class CorpusConfig:
    """Knobs that change what fraction of the corpus is hard for a deduplicator."""

    unrelated_fraction: float = 0.3
    max_copies: int = 8
    wrong_date_fraction: float = 0.1
    missing_date_fraction: float = 0.1


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


@dataclass
class Corpus:
    """Documents plus the article bodies (without boilerplate) tests need to check copies."""

    documents: list[GeneratedDoc]
    bodies: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    hard_negatives: dict[str, str] = field(default_factory=dict, repr=False)
    seed: int = 0
    config: CorpusConfig = field(default_factory=CorpusConfig)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> doc ids, only for stories that actually have copies to find."""
        out: dict[str, list[str]] = {}
        for doc in self.documents:
            for sid in doc.stories:
                out.setdefault(sid, []).append(doc.id)
        return {sid: ids for sid, ids in out.items() if len(ids) >= 2}

    def true_pairs(self) -> set[frozenset[str]]:
        """Unordered doc pairs a perfect deduplicator should link."""
        pairs: set[frozenset[str]] = set()
        for ids in self.stories().values():
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    pairs.add(frozenset((a, b)))
        return pairs

    def body(self, doc_id: str) -> tuple[str, ...]:
        """Article paragraphs of a doc as its publisher wrote them, without site chrome."""
        return self.bodies[doc_id]


# --------------------------------------------------------------------------- lexicon
# Groups are "/"-separated synonyms; the generator picks any member and the rewriter
# swaps members, so copies can drift in wording while staying grammatical.

_DOMAINS: dict[str, dict[str, str]] = {
    "markets": {
        "nouns": "stock/share;bond/note;yield/return;currency;benchmark index/stock index;"
        "dividend/payout;earnings report/profit report;valuation;rally/rebound;selloff/slump;"
        "hedge fund;portfolio;inflation reading/price gauge;rate cut;forecast/projection;"
        "trading volume;credit spread;commodity;futures contract;bond auction",
        "adj": "volatile/choppy;bullish/upbeat/optimistic;bearish/gloomy/pessimistic;defensive;"
        "speculative;leveraged;quarterly;cautious/wary;robust/solid/strong;risk-averse",
        "verbs": "buy:bought/acquire/purchase;sell:sold/offload/dump;raise/lift/boost;"
        "trim:trimmed/pare:pared/reduce;hedge;downgrade/cut:cut;upgrade;rebalance/reshuffle;"
        "price/value",
        "suffix": "Capital/Securities/Asset Management/Bank/Partners/Investments/Holdings",
        "inst": "the central bank/the Federal Reserve/the European Central Bank/"
        "the U.S. Treasury/the stock exchange/the securities regulator",
        "titles": "chief economist/portfolio manager/head of rates strategy/"
        "chief investment officer/senior market analyst/chief executive",
        "places": "Wall Street/the trading floor/Asian markets/the bond market/emerging markets",
    },
    "tech": {
        "nouns": "chip/semiconductor/processor;smartphone/handset;data center/server farm;"
        "software update/patch;AI model/language model;startup/upstart;cloud contract;"
        "export licence/export permit;chipmaking tool/lithography machine;supply chain;"
        "user/customer;app/application;patent;subscription;algorithm;cybersecurity breach/hack",
        "adj": "cutting-edge/advanced/state-of-the-art;proprietary;open-source;generative;"
        "homegrown/domestic;scalable;encrypted;next-generation;experimental",
        "verbs": "launch/unveil/roll out:rolled out;license/licence:licenced;acquire/buy:bought;"
        "develop/build:built;delay/postpone;restrict/curb:curbed/limit;optimize/streamline;"
        "test/trial:trialled;patch/fix",
        "suffix": "Labs/Systems/Semiconductor/Technologies/Robotics/Networks/AI",
        "inst": "the commerce department/the antitrust regulator/the data protection authority/"
        "the U.S. Commerce Department/the European Commission",
        "titles": "chief technology officer/chief AI scientist/founder/chief executive/"
        "head of research/senior engineer",
        "places": "Silicon Valley/Shenzhen/Bangalore/Hsinchu/Tel Aviv",
    },
    "politics": {
        "nouns": "bill/legislation;coalition/alliance;election/vote;budget;sanction/penalty;"
        "referendum;cabinet/government;opposition party/opposition;campaign;treaty/accord;"
        "reform/overhaul;poll/survey;lawmaker/legislator;motion;summit/meeting;ceasefire/truce",
        "adj": "bipartisan/cross-party;contentious/divisive/controversial;fragile;sweeping;"
        "provisional/interim;populist;landmark/historic;snap",
        "verbs": "approve/pass/endorse;reject/veto:vetoed/block;propose/table:tabled;"
        "criticize/condemn/denounce;delay/postpone;negotiate/broker;authorize/sanction;"
        "amend/revise;scrap:scrapped/abandon",
        "suffix": "Party/Alliance/Movement/Front/Union/Coalition",
        "inst": "parliament/the senate/the interior ministry/the election commission/"
        "the foreign ministry/the U.S. State Department",
        "titles": "spokesperson/minister/senator/party leader/chief whip/deputy prime minister",
        "places": "the capital/the parliament building/the border region/the northern provinces",
    },
    "sports": {
        "nouns": "match/game/fixture;season/campaign;striker/forward;goalkeeper/keeper;"
        "coach/manager;title/championship;transfer/signing;injury;tournament/competition;"
        "squad/roster;fan/supporter;stadium/arena;penalty;contract/deal;playoff/knockout round",
        "adj": "unbeaten/undefeated;dominant/commanding;injury-hit/depleted;dramatic/thrilling;"
        "late;decisive/crucial;record-breaking;home/domestic",
        "verbs": "sign/recruit;sack:sacked/dismiss/fire;beat:beat/defeat/overcome:overcame;"
        "extend/renew;suspend/ban:banned;rest/bench;criticize/blast;appoint/name",
        "suffix": "United/City/Rovers/Athletic/FC/Olympique",
        "inst": "the league/the football association/the anti-doping agency/the players' union/"
        "the organising committee",
        "titles": "head coach/captain/sporting director/club president/team doctor/chairman",
        "places": "the home stadium/the training ground/the national arena/the semi-final venue",
    },
    "health": {
        "nouns": "vaccine/jab;hospital/clinic;patient;outbreak/epidemic;trial/study;drug/medicine;"
        "treatment/therapy;infection/case;nurse;waiting list/backlog;doctor/physician;"
        "regulator approval/licence;screening programme;antibiotic;dose",
        "adj": "experimental;chronic/long-term;infectious/contagious;preventive;"
        "under-funded/underfunded;clinical;rare;overstretched/stretched",
        "verbs": "approve/authorize/clear;recall/withdraw;test/trial:trialled;fund/finance;"
        "prioritize/fast-track:fast-tracked;administer/deliver;monitor/track;expand/scale up",
        "suffix": "Pharma/Therapeutics/Biosciences/Health/Medical/Biotech",
        "inst": "the health ministry/the World Health Organization/the medicines regulator/"
        "the U.S. Food and Drug Administration/the public health agency",
        "titles": "chief medical officer/lead researcher/health minister/epidemiologist/"
        "chief executive/head of clinical trials",
        "places": "the intensive care unit/rural clinics/the regional hospital/the capital region",
    },
    "climate": {
        "nouns": "emission/pollutant;heatwave/heat wave;drought/dry spell;flood/flooding;"
        "wildfire/bushfire;carbon tax/carbon levy;pledge/commitment;glacier;sea level;"
        "rainfall;temperature record;forest/woodland;climate target/climate goal;storm",
        "adj": "extreme/severe;record/unprecedented;warming;net-zero;coastal;arid/parched;"
        "low-carbon/green;binding",
        "verbs": "cut:cut/slash:slashed/reduce;monitor/track;pledge/promise;delay/postpone;"
        "measure/record;restore/replant;evacuate/relocate;finance/fund",
        "suffix": "Institute/Foundation/Climate Trust/Observatory/Alliance/Network",
        "inst": "the weather service/the environment ministry/the UN climate body/"
        "the U.S. Environmental Protection Agency/the meteorological office",
        "titles": "climate scientist/environment minister/lead author/director/"
        "head of forecasting/policy adviser",
        "places": "the river basin/the coastal towns/the northern forests/the delta region",
    },
    "energy": {
        "nouns": "oil/crude;gas/natural gas;pipeline;refinery/plant;wind farm;solar park;"
        "power grid/grid;output/production;tariff/price cap;reactor;barrel;battery/storage unit;"
        "offshore field/oilfield;export terminal;fuel subsidy",
        "adj": "renewable/clean;offshore;strategic;upstream;downstream;volatile/unstable;"
        "state-owned/state-run;liquefied",
        "verbs": "pump:pumped/produce;halt/suspend/shut:shut;export/ship:shipped;"
        "subsidize/support;build:built/construct;ration/cap:capped;restart/resume;"
        "explore/prospect",
        "suffix": "Energy/Petroleum/Power/Oil/Gas/Renewables",
        "inst": "the energy ministry/OPEC/the grid operator/the International Energy Agency/"
        "the U.S. Energy Department",
        "titles": "oil minister/chief executive/energy analyst/head of trading/"
        "grid director/chief operating officer",
        "places": "the North Sea/the Gulf/the Permian Basin/the Caspian region",
    },
    "courts": {
        "nouns": "lawsuit/suit;judge;verdict/ruling;appeal;prosecutor;defendant;trial/hearing;"
        "settlement;injunction;jury;indictment/charge;testimony/evidence;sentence/jail term;"
        "class action;plea deal/plea agreement",
        "adj": "federal;landmark/precedent-setting;unanimous;sealed/confidential;criminal;"
        "civil;high-profile;procedural",
        "verbs": "dismiss/throw out:threw out;uphold:upheld/affirm;overturn/reverse;"
        "file/lodge;settle/resolve;subpoena/summon;fine/penalize;sentence/jail:jailed",
        "suffix": "Law/Legal/Chambers/& Partners/Advocates/LLP",
        "inst": "the supreme court/the appeals court/the justice ministry/the attorney general/"
        "the U.S. Justice Department",
        "titles": "lead counsel/prosecutor/defence lawyer/presiding judge/"
        "legal analyst/spokesperson",
        "places": "the courthouse/the federal court/the high court/the district court",
    },
}

_COMMON_GROUPS = (
    "rose/climbed/gained/advanced/increased/jumped;fell/dropped/declined/slipped/slid/eased;"
    "said/stated/noted/remarked;told/informed;major/significant/key/important;new/fresh;"
    "recent/latest;large/big/sizeable/substantial;wide/broad/extensive;early/initial/preliminary;"
    "unexpected/surprise/surprising;officials/authorities;analysts/experts/observers;"
    "company/firm/group;plans/intends/aims;expected/anticipated/forecast;announced/unveiled;"
    "warned/cautioned;concerns/worries/fears;however/nevertheless;meanwhile/separately;"
    "boost/bolster/strengthen;weeks/months;sources/people;quickly/rapidly/swiftly;"
    "sharply/steeply;modest/slight;likely/probable;criticism/backlash;talks/negotiations;"
    "decision/move;response/reaction;pressure/strain;data/figures;report/statement;"
    "organized/organised;recognized/recognised;stabilize/stabilise;emphasized/emphasised;"
    "reporters/journalists;investors/shareholders;demand/appetite;risk/threat;plan/proposal"
)

_CITIES = (
    "London/Paris/Berlin/Frankfurt/Madrid/Rome/Brussels/Geneva/Stockholm/Oslo/Warsaw/Vienna/"
    "Zurich/Dublin/Lisbon/Athens/Istanbul/Cairo/Nairobi/Lagos/Johannesburg/Dubai/Riyadh/Doha/"
    "Mumbai/New Delhi/Singapore/Jakarta/Bangkok/Manila/Hong Kong/Shanghai/Beijing/Tokyo/Seoul/"
    "Taipei/Sydney/Melbourne/Toronto/Ottawa/Chicago/Houston/Washington/New York/San Francisco/"
    "Mexico City/Sao Paulo/Buenos Aires/Santiago/Lima/Bogota/Kyiv/Prague/Helsinki/Copenhagen"
).split("/")
_ORG_PREFIX = (
    "Northwind/Halvard/Corvane/Meridian/Ostrava/Belcrest/Tamsin/Kestrel/Varenne/Solmark/"
    "Brightwater/Adrienne/Caldera/Fenwick/Graystone/Harrow/Ironvale/Juniper/Kaskade/Lumen/"
    "Marlow/Nordhaven/Orison/Pellion/Quartz/Ravella/Sterling/Thorne/Umbra/Veridian/Westfall/"
    "Yarrow/Zenith/Aldmere/Bramble/Cinder/Dunmore/Everly/Foxglove/Galloway/Hollis/Ashgrove"
).split("/")
_FIRST_A = "An/Be/Car/Da/El/Fe/Gi/Ha/Il/Jo/Ka/Le/Ma/Ni/Ol/Pe/Ra/Sa/Ta/Vi/Yu/Ze/Mi/Lu".split("/")
_FIRST_B = "na/ra/lia/ris/mon/tin/nia/vel/dro/sha/ko/mi/rek/lo".split("/")
_LAST_A = "Var/Hol/Kes/Mor/Dan/Bel/Ost/Rad/Sul/Tam/Wen/Zor/Fal/Gar/Lind/Brun/Cor/Esh/Pal/Trev".split("/")
_LAST_B = "ga/den/sky/ton/ov/ez/berg/ani/ford/ic/lund/ner/ak/ura/well/mann".split("/")
_WEEKDAYS = "Monday/Tuesday/Wednesday/Thursday/Friday/Saturday/Sunday".split("/")
_MONTHS = "January/February/March/April/May/June/July/August/September/October/November/December"
_MONTH_NAMES = _MONTHS.split("/")
_MON_ABBR = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")

# Sentence templates. {X} is a slot, {a|b} an inline choice; single-word choices double as
# rewriter synonyms. Fixed runs are kept short so independent sentences rarely share 5-grams.
_SENTENCES = (
    "{O} {V} its {A} {N} {DAY}, {saying|arguing} {NS} in {C} had {MOVE} {PCT} since {MONTH}.",
    "{WHO} told {reporters|journalists} in {C} that the {N} would {VB} {NS} by {YEAR}.",
    "“{Q},” said {WHOE}.",
    "“{Q},” {WHO} said {DAY}.",
    "“{Q},” {PL} {added|said}. “{Q}.”",
    "{PL} said {CL}, adding that {CL}.",
    "The {A} {N} {could|may|would} cost {about|roughly|around} {MONEY}, {according to|based on} {O2} estimates.",
    "{NS} in {C} {MOVE} {PCT} to {MONEY} in the {QTR}, {the highest|the lowest|the biggest move} since {YEAR0}.",
    "{DAY_CAP}, {O} {V} {NUM} {NS} after {CL}.",
    "{CONN} {CL}, {O2} said in a {statement|filing|note}.",
    "{O} {did not|declined to} {respond to|answer} {a request|requests} for comment on the {A} {N}.",
    "The {N} {comes as|follows|arrives as} {CL}, {while|even as} {CL}.",
    "{Analysts|Economists|Experts} at {O2} {expect|forecast} {NS} to {MOVEB} {PCT} {TIME}.",
    "In {C}, {NUM} {NS} were {affected|hit|disrupted} {DAY}, {data from|figures from} {INST} showed.",
    "{WHO} {said|warned|argued} the {A} {N} {risked|threatened} {VING} {NS} across {PLACE}.",
    "{INST_CAP} {V} a {A} {N} {DAY} and {said|signalled} it {could|would} {VB} {NS} {TIME}.",
    "{CONN} {O} {V} the {N} in {C}, {citing|pointing to} {A} {NS} and {A} {NS}.",
    "The {N} {is|remains|was} {A}, {PL} {said|noted}, {but|though} {CL}.",
    "{NUM} {NS} {MOVE} {DAY} after {O} {V} {its|the} {A} {N} in {PLACE}.",
    "{O2}, which {V} {NUM} {NS} {TIME}, {is|was} {also|separately} {VING} a {A} {N} in {C}.",
    "{Some|Several|Many} {NS} {questioned|challenged|doubted} whether the {N} {could|would} {VB} {NS} before {MONTH}.",
    "{According to|Citing} {a person familiar with|people familiar with|sources close to} the {matter|talks|plans}, {CL}.",
    "{WHO} {has|had} {pushed|lobbied|campaigned} for the {N} since {YEAR0}, {when|after} {CL}.",
    "{O} {shares|stock} {MOVE} {PCT} in {early|late|afternoon} trading in {C} {DAY}.",
    "{INST_CAP} is {due|expected|scheduled} to {VB} the {A} {N} on {WEEKDAY}, {a spokesperson|an official} said.",
    "{It|This} {was|marked} the {ORD} {A} {N} {in|for} {C} {this year|in {NUM} years|since {MONTH}}.",
    "{PL}, who {joined|took over at|founded} {O} in {YEAR0}, {declined|refused} to {comment on|discuss} {the N|the {N}} in detail.",
    "{CONN} the {N} {MOVE} {PCT} {TIME}, {while|as} {NS} at {O2} {MOVE} {PCT}.",
    "{O} said {it|its board} {had|would} {V} {NUM} {NS} {worth|valued at} {MONEY} {TIME}.",
    "{Critics|Opponents|Supporters} of the {N} {say|argue|contend} {CL}.",
    "A {A} {N} {published|released|issued} by {O2} {DAY} {found|showed|suggested} that {CL}.",
    "{NS} {near|around|outside} {PLACE} {MOVE} {PCT} {in the week to|through} {WEEKDAY}, {the data showed|figures showed}.",
    "The {N} {will|could} {VB} {NS} {for|across} {NUM} {regions|districts|markets} {including|such as} {C} and {C2}.",
    "{WHO} {is|was} {expected|due|set} to {VB} the {N} with {O2} in {C} {TIME}.",
    "{Asked|Pressed} about the {A} {N}, {PL} said {CL}.",
    "{O} {V} the {A} {N} {TIME} {amid|despite|after} {A} {NS} in {C}.",
    "{CONN} {NUM} {A} {NS} {were|had been} {reported|recorded|logged} {in|across} {PLACE} by {WEEKDAY}.",
    "{The move|The decision|The announcement} {drew|prompted|sparked} {criticism|questions|praise} from {O2}, which {said|warned} {CL}.",
    "{Under|Through} the {A} {N}, {O} {would|will} {VB} {NS} {worth|totalling} {MONEY} over {NUM} years.",
    "{PL} {added|said} that {NUM} {NS} {had|have} {already|so far} been {VPP} in {C}.",
    "The {N} {was|had been} {VPP} {DAY} {after|following} {A} {NS} from {O2} and {INST}.",
    "{WHO} {described|called} the {N} {a|an} “{A} {N}” and {said|warned} {CL}.",
    "{O2} {estimates|calculates|projects} the {A} {N} {at|will reach} {MONEY} by {YEAR}, {up|down} {PCT} from {YEAR0}.",
)
_QUOTES = (
    "We {think|believe} the {N} is {A} enough to {VB} {NS} in {C}",
    "This is a {A} {N}, and we {will|intend to} {VB} it {TIME}",
    "Nobody {expected|predicted} {NS} to {MOVEB} {this fast|so quickly}, but {CL}",
    "Our {NS} have {MOVE} {PCT} {TIME}, and that {changes|reshapes} the {N} for {everyone|all of us}",
    "I do not {think|believe} the {N} will {VB} {NS} before {MONTH}",
    "We are {VING} every {N} we have to {VB} the {A} {NS}",
    "There is {no|little} {doubt|question} that {CL}",
    "If {O} {V} the {N}, {NS} in {C} will {feel|notice} it {first|immediately}",
    "We {have|now have} {NUM} {NS} and a {A} {N}, which is {more than|far more than} {we expected|anyone expected}",
    "The {A} {N} {is|remains} our {priority|focus}, {whatever|regardless of what} {O2} {says|decides}",
    "{What|All} we {want|need} is a {A} {N} that {works|delivers} for {NS}",
    "It {will|could} take {NUM} {weeks|months|years} to {VB} the {NS}, {maybe|perhaps} longer",
)
_CLAUSES = (
    "the {A} {N} {MOVE} {PCT} {TIME}",
    "{O} {would|could|might} {VB} its {NS} in {C}",
    "{NS} at {O} had {MOVE} {PCT} {TIME}",
    "{talks|discussions} with {O2} over the {N} were {stalled|ongoing|progressing}",
    "{NUM} {NS} had been {VPP} since {MONTH}",
    "{INST} {was|had been} {VING} the {A} {N}",
    "the {N} in {C} {remained|stayed} {A} {despite|after} {A} {NS}",
    "{O2} {had|has} {V} {NUM} {A} {NS} {TIME}",
    "{NS} {across|throughout} {PLACE} {could|would} {MOVEB} {PCT} by {MONTH}",
    "{PL} {had|has} {V} the {A} {N} {DAY}",
)
_HEADLINES = (
    "{O} {VS} {A} {N} as {NS} {MOVE}",
    "{C} {N} {talks|plans} {stall|falter} as {O} {VS} {NS}",
    "{NS_CAP} {MOVE} after {O} {V} {A} {N}",
    "{PL} says {O} will {VB} {NS} in {C}",
    "Exclusive: {O} {weighs|considers} {A} {N} worth {MONEY}",
    "{O} to {VB} {NUM} {NS} amid {A} {N}",
    "Analysis: Why {NS} in {C} {MOVE} {PCT} {TIME}",
    "{INST_CAP} {VS} {A} {N}, {cites|flags} {NS}",
    "{A_CAP} {N} in {C} {leaves|puts} {O} under pressure",
    "{O} and {O2} {clash|spar} over {A} {N}",
)
_CONNECTIVES = ("However,", "Meanwhile,", "Separately,", "In addition,", "Still,", "Earlier,", "At the same time,", "Even so,")
_TIMES = (
    "this year", "next year", "in the coming weeks", "over the next quarter", "by the end of the year",
    "in the first half", "over the past {NUM} months", "later this month", "since {MONTH}",
    "in {MONTH}", "before the summer", "over the next {NUM} years",
)
_QTRS = ("first quarter", "second quarter", "third quarter", "fourth quarter", "first half", "year to date")
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "first", "largest", "latest")

# --------------------------------------------------------------------------- agencies and sites
_AGENCIES = ("Reuters", "AP", "AFP", "dpa", "PA", "Bloomberg")
_AGENCY_SITE = {
    "Reuters": ("reuters", "Reuters", "www.reuters.com"),
    "AP": ("apnews", "AP News", "apnews.com"),
    "AFP": ("afp", "AFP", "www.afp.com"),
    "dpa": ("dpa-international", "dpa International", "www.dpa-international.com"),
    "PA": ("pa-media", "PA Media", "pamedia.co.uk"),
    "Bloomberg": ("bloomberg", "Bloomberg", "www.bloomberg.com"),
}
# (key, display name, domain, kind); kind picks the boilerplate family.
_SITES = (
    ("daily-ledger", "The Daily Ledger", "dailyledger.com", "news"),
    ("metro-tribune", "Metro Tribune", "metrotribune.net", "news"),
    ("channel-9-news", "Channel 9 News", "channel9news.tv", "news"),
    ("the-courier-post", "The Courier-Post", "courierpost.co.uk", "news"),
    ("evening-standard-wire", "Evening Wire", "eveningwire.com", "news"),
    ("world-brief", "World Brief", "worldbrief.org", "news"),
    ("asia-business-times", "Asia Business Times", "asiabusinesstimes.com", "news"),
    ("economic-observer", "The Economic Observer", "economicobserver.in", "news"),
    ("capital-report", "Capital Report", "capitalreport.ca", "news"),
    ("northern-herald", "Northern Herald", "northernherald.com.au", "news"),
    ("globe-dispatch", "Globe Dispatch", "globedispatch.com", "news"),
    ("market-screener-daily", "MarketScreener Daily", "marketscreenerdaily.com", "news"),
    ("bitcoin-ethereum-news", "BitcoinEthereumNews.com", "bitcoinethereumnews.com", "crypto"),
    ("coin-pulse", "CoinPulse", "coinpulse.io", "crypto"),
    ("crypto-daily-wire", "Crypto Daily Wire", "cryptodailywire.com", "crypto"),
    ("blockchain-beat", "Blockchain Beat", "blockchainbeat.news", "crypto"),
    ("tron-weekly", "Tronweekly", "tronweekly.com", "crypto"),
    ("the-altcoin-post", "The Altcoin Post", "altcoinpost.net", "crypto"),
    ("tech-ai-digest", "TechAI Digest", "techaidigest.com", "blog"),
    ("insider-buzz", "Insider Buzz", "insiderbuzz.co", "blog"),
    ("news-hub-360", "NewsHub360", "newshub360.com", "blog"),
    ("trend-watchers", "Trend Watchers", "trendwatchers.blog", "blog"),
    ("the-quick-take", "The Quick Take", "thequicktake.net", "blog"),
    ("smart-money-notes", "Smart Money Notes", "smartmoneynotes.com", "blog"),
    ("perplexity-pages", "Pages Digest", "pagesdigest.ai", "aggregator"),
    ("news-now-aggregator", "NewsNow Aggregator", "newsnowagg.com", "aggregator"),
    ("top-stories-feed", "Top Stories Feed", "topstoriesfeed.com", "aggregator"),
    ("briefly-ai", "Briefly AI", "briefly.ai", "aggregator"),
    ("yahoo-like-portal", "Portal News", "portalnews.com", "portal"),
    ("msn-like-portal", "StartPage News", "startpagenews.com", "portal"),
)
_AGG_SITES = tuple(s for s in _SITES if s[3] == "aggregator")
_COPY_SITES = tuple(s for s in _SITES if s[3] != "aggregator")

_MASTHEADS = {
    "news": ("{name} | Home | World | Business | Tech | Politics | Sport | Subscribe",
             "Skip to content\n{name}\nMenu Search Sign in"),
    "crypto": (" date {date} 🔥 Trade with Pros on Discord → 21 Days Free (No Card)JOIN FREE",
               "{name}\nBitcoin Ethereum XRP Solana Markets Price Analysis"),
    "blog": ("Home » {section} » {title}", "{tags}{weeks} weeks ago{views} Views"),
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
    "Sign up for the {name} newsletter to get the day's top stories delivered to your inbox every morning.",
    "Get the latest {section} news from {name} straight to your inbox. Subscribe to our free newsletter.",
    "Never miss a story: join thousands of readers who get {name} alerts every day.",
)
_SECTIONS = ("Markets", "Tech", "Politics", "Sport", "Health", "Climate", "Energy", "Legal")
_SPLIT = re.compile(r"\{([^{}]*)\}")
_NUM_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _plural(word: str) -> str:
    """Plural of the last word of a noun phrase; nouns are regular enough for a lexicon."""
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _past(base: str) -> str:
    return base + "d" if base.endswith("e") else base + "ed"


def _third(base: str) -> str:
    head, _, tail = base.partition(" ")
    word = _plural(head) if not head.endswith("o") else head + "es"
    return f"{word} {tail}".strip()


def _groups(spec: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g.split("/")) for g in spec.split(";"))


@dataclass(frozen=True)
class _Domain:
    """Parsed vocabulary of one topic domain."""

    name: str
    nouns: tuple[tuple[str, ...], ...]
    adjs: tuple[tuple[str, ...], ...]
    verbs: tuple[tuple[tuple[str, str], ...], ...]  # groups of (base, past)
    suffixes: tuple[str, ...]
    inst: tuple[str, ...]
    titles: tuple[str, ...]
    places: tuple[str, ...]


def _parse_domain(name: str, spec: dict[str, str]) -> _Domain:
    verbs = tuple(
        tuple((m.split(":")[0], m.split(":")[1]) if ":" in m else (m, _past(m)) for m in g)
        for g in _groups(spec["verbs"])
    )
    return _Domain(name, _groups(spec["nouns"]), _groups(spec["adj"]), verbs,
                   tuple(spec["suffix"].split("/")), tuple(spec["inst"].split("/")),
                   tuple(spec["titles"].split("/")), tuple(spec["places"].split("/")))


DOMAINS: dict[str, _Domain] = {k: _parse_domain(k, v) for k, v in _DOMAINS.items()}
_COMMON = _groups(_COMMON_GROUPS)
_COMMON_ADJ = _COMMON[4:12]


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    """Single-word synonym map for the rewriter; ambiguous words are dropped to stay grammatical."""
    groups: list[tuple[str, ...]] = list(_COMMON)
    for d in DOMAINS.values():
        groups += d.adjs
        groups += [tuple(_plural(w) for w in g) for g in d.nouns] + list(d.nouns)
        groups += [tuple(b for b, _ in g) for g in d.verbs] + [tuple(p for _, p in g) for g in d.verbs]
    for tpl in _SENTENCES + _QUOTES + _CLAUSES + _HEADLINES:
        groups += [tuple(s.split("|")) for s in _SPLIT.findall(tpl) if "|" in s]
    seen: dict[str, set[tuple[str, ...]]] = {}
    for g in groups:
        words = tuple(w for w in g if " " not in w and "{" not in w)
        if len(words) < 2:
            continue
        for w in words:
            seen.setdefault(w.lower(), set()).add(tuple(x.lower() for x in words))
    out: dict[str, tuple[str, ...]] = {}
    for w, gs in seen.items():
        alts = {x for g in gs for x in g if x != w}
        if len(gs) == 1 and alts:
            out[w] = tuple(sorted(alts))
    return out


SYNONYMS = _build_synonyms()
_LOWERABLE = set(SYNONYMS) | {"the", "a", "an", "its", "it", "this", "some", "several", "many"}


# --------------------------------------------------------------------------- internal model


@dataclass
class _Ents:
    """The people, organisations and places a story is about; hard negatives reuse them."""

    domain: _Domain
    people: list[tuple[str, str, str]]  # (full name, title, org)
    orgs: list[str]
    cities: list[str]
    key_nouns: list[tuple[str, ...]]


@dataclass
class _Article:
    """Structured article so copies can edit paragraphs and sentences, not raw strings."""

    title: str
    paras: list[list[str]]
    dateline: str
    byline: str
    signoff: str
    time: datetime
    depth: int
    ents: _Ents
    agency: str | None

    def render(self) -> list[str]:
        out = [self.byline] if self.byline else []
        for i, p in enumerate(self.paras):
            text = " ".join(p)
            out.append(self.dateline + text if i == 0 and self.dateline else text)
        if self.signoff:
            out.append(self.signoff)
        return out

    def clone(self) -> _Article:
        return _Article(self.title, [list(p) for p in self.paras], self.dateline, self.byline,
                        self.signoff, self.time, self.depth + 1, self.ents, self.agency)


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", "", title.lower()).split()
    return "-".join(words[:6]) or "story"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lcfirst(s: str) -> str:
    first = s.split(" ", 1)[0]
    return s[:1].lower() + s[1:] if first.lower() in _LOWERABLE else s


class _Generator:
    """Holds the seeded RNG and the per-article slot context while text is produced."""

    def __init__(self, rng: random.Random, cfg: CorpusConfig) -> None:
        self.rng = rng
        self.cfg = cfg
        self.ents: _Ents = self.new_entities(DOMAINS["markets"])
        self.mentioned: set[str] = set()
        slots: dict[str, Callable[[], str]] = {
            "O": self.org, "O2": self.org, "C": self.city, "C2": self.city, "N": self.noun,
            "NS": self.nouns, "NS_CAP": lambda: _cap(self.nouns()), "A": self.adj,
            "A_CAP": lambda: _cap(self.adj()), "V": self.verb, "VB": self.verb_base,
            "VS": lambda: _third(self.verb_base()), "VPP": self.verb,
            "VING": self.verb_ing, "MOVE": self.move, "MOVEB": self.move_base, "PCT": self.pct,
            "MONEY": self.money, "NUM": self.num, "DAY": self.day, "DAY_CAP": lambda: _cap(self.day()),
            "MONTH": lambda: self.rng.choice(_MONTH_NAMES), "WEEKDAY": lambda: self.rng.choice(_WEEKDAYS),
            "YEAR": lambda: str(self.rng.randint(2026, 2031)), "YEAR0": lambda: str(self.rng.randint(2008, 2025)),
            "QTR": lambda: self.rng.choice(_QTRS), "ORD": lambda: self.rng.choice(_ORDINALS),
            "TIME": lambda: self.fill(self.rng.choice(self.time_t)), "CONN": lambda: self.rng.choice(_CONNECTIVES),
            "INST": self.inst, "INST_CAP": lambda: _cap(self.inst()), "PLACE": self.place,
            "PL": self.person_ref, "WHO": self.who, "WHOE": self.who_end,
            "Q": lambda: self.fill(self.rng.choice(self.quote_t)), "CL": lambda: self.fill(self.rng.choice(self.clause_t)),
        }
        self.slots = slots
        self.sent_t = [self.compile(t) for t in _SENTENCES]
        self.quote_t = [self.compile(t) for t in _QUOTES]
        self.clause_t = [self.compile(t) for t in _CLAUSES]
        self.head_t = [self.compile(t) for t in _HEADLINES]
        self.time_t = [self.compile(t) for t in _TIMES]

    # ---- template machinery
    def compile(self, tpl: str) -> list[str | Callable[[], str] | tuple[str, ...]]:
        parts: list[str | Callable[[], str] | tuple[str, ...]] = []
        for i, piece in enumerate(_SPLIT.split(tpl)):
            if i % 2 == 0:
                if piece:
                    parts.append(piece)
            elif "|" in piece:
                parts.append(tuple(piece.split("|")))
            else:
                parts.append(self.slots[piece])
        return parts

    def fill(self, parts: Sequence[str | Callable[[], str] | tuple[str, ...]]) -> str:
        choice = self.rng.choice
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            elif isinstance(p, tuple):
                out.append(choice(p))
            else:
                out.append(p())
        return "".join(out)

    # ---- entities
    def person_name(self) -> str:
        c = self.rng.choice
        return f"{c(_FIRST_A)}{c(_FIRST_B)} {c(_LAST_A)}{c(_LAST_B)}"

    def org_name(self, dom: _Domain) -> str:
        return f"{self.rng.choice(_ORG_PREFIX)} {self.rng.choice(dom.suffixes)}"

    def new_entities(self, dom: _Domain) -> _Ents:
        r = self.rng
        orgs = [self.org_name(dom) for _ in range(r.randint(2, 4))]
        people = [(self.person_name(), r.choice(dom.titles), r.choice(orgs)) for _ in range(r.randint(2, 5))]
        return _Ents(dom, people, orgs, r.sample(_CITIES, 2), r.sample(dom.nouns, 2))

    def org(self) -> str:
        if self.rng.random() < 0.75:
            return self.rng.choice(self.ents.orgs)
        return self.org_name(self.ents.domain)

    def inst(self) -> str:
        return self.rng.choice(self.ents.domain.inst)

    def city(self) -> str:
        return self.rng.choice(self.ents.cities) if self.rng.random() < 0.6 else self.rng.choice(_CITIES)

    def place(self) -> str:
        return self.rng.choice(self.ents.domain.places) if self.rng.random() < 0.6 else self.city()

    def noun(self) -> str:
        r = self.rng
        g = r.choice(self.ents.key_nouns) if r.random() < 0.3 else r.choice(self.ents.domain.nouns)
        return r.choice(g)

    def nouns(self) -> str:
        return _plural(self.noun())

    def adj(self) -> str:
        r = self.rng
        return r.choice(r.choice(self.ents.domain.adjs if r.random() < 0.7 else _COMMON_ADJ))

    def verb(self) -> str:
        return self.rng.choice(self.rng.choice(self.ents.domain.verbs))[1]

    def verb_base(self) -> str:
        return self.rng.choice(self.rng.choice(self.ents.domain.verbs))[0]

    def verb_ing(self) -> str:
        b = self.verb_base()
        head, _, tail = b.partition(" ")
        head = head[:-1] + "ing" if head.endswith("e") and not head.endswith("ee") else head + "ing"
        return f"{head} {tail}".strip()

    def move(self) -> str:
        return self.rng.choice(_COMMON[0] if self.rng.random() < 0.5 else _COMMON[1])

    def move_base(self) -> str:
        return self.rng.choice(("rise", "fall", "climb", "drop", "grow", "shrink", "decline", "rebound"))

    def pct(self) -> str:
        return f"{self.rng.randint(1, 399) / 10:.1f}%"

    def money(self) -> str:
        r = self.rng
        return f"{r.choice('$$$€£')}{r.randint(11, 990) / 10:g} {r.choice(('million', 'million', 'billion'))}"

    def num(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randint(2, 95))
        return f"{self.rng.randint(100, 98000):,}"

    def day(self) -> str:
        r = self.rng
        x = r.random()
        if x < 0.5:
            return "on " + r.choice(_WEEKDAYS)
        if x < 0.75:
            return f"on {r.choice(_MON_ABBR)} {r.randint(1, 28)}"
        return r.choice(("last week", "earlier this month", "this week", "late last month", "overnight"))

    def _person(self) -> tuple[str, str, str]:
        people = self.ents.people
        if self.rng.random() < 0.8:
            return self.rng.choice(people)
        p = (self.person_name(), self.rng.choice(self.ents.domain.titles), self.org())
        people.append(p)  # a new voice joins the story; hard negatives may quote them too
        return p

    def person_ref(self) -> str:
        name, _, _ = self._person()
        if name in self.mentioned:
            return name.split(" ")[-1]
        self.mentioned.add(name)
        return name

    def who(self) -> str:
        name, title, org = self._person()
        if name in self.mentioned:
            return name.split(" ")[-1]
        self.mentioned.add(name)
        v = self.rng.randrange(4)
        if v == 0:
            return f"{name}, the {title} of {org},"
        if v == 1:
            return f"{org} {title} {name}"
        if v == 2:
            return f"{name}, {title} at {org},"
        return f"{name} of {org}"

    def who_end(self) -> str:
        return self.who().rstrip(",")

    # ---- articles
    def sentence(self) -> str:
        return _cap(self.fill(self.rng.choice(self.sent_t)))

    def paragraph(self) -> list[str]:
        target = self.rng.randint(30, 110)
        sents: list[str] = []
        words = 0
        while words < target:
            s = self.sentence()
            n = s.count(" ") + 1
            if sents and words + n > 120 and words >= 30:
                break
            sents.append(s)
            words += n
        return sents

    def headline(self) -> str:
        return _cap(self.fill(self.rng.choice(self.head_t)))

    def article(self, ents: _Ents, when: datetime, agency: str | None) -> _Article:
        self.ents, self.mentioned = ents, set()
        title = self.headline()
        paras = [self.paragraph() for _ in range(self.rng.randint(5, 15))]
        dateline = byline = signoff = ""
        city = ents.cities[0].upper()
        if agency == "Reuters":
            dateline = f"{city}, {_MON_ABBR[when.month - 1]} {when.day} (Reuters) - "
            team = " and ".join(self.person_name() for _ in range(self.rng.randint(1, 2)))
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


