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
        "metrics": "share prices/stock prices;bond yields/yields;trading volumes/volumes;the dollar/the greenback;margin debt",
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
        "metrics": "chip sales/semiconductor sales;cloud revenue;smartphone shipments/handset shipments;subscriber numbers/user numbers;research spending/R&D spending",
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
        "metrics": "approval ratings/approval numbers;voter turnout/turnout;support for the government;defence spending/military spending;public debt",
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
        "metrics": "ticket sales;attendance figures/crowd numbers;broadcast revenue/TV revenue;transfer spending;merchandise sales",
        "nouns": "match/game/fixture;season/campaign;striker/forward;goalkeeper/keeper;"
        "coach/manager;title/championship;transfer/signing;injury;tournament/competition;"
        "squad/roster;fan/supporter;stadium/arena;penalty;contract/deal;playoff/knockout round",
        "adj": "unbeaten/undefeated;dominant/commanding;injury-hit/depleted;dramatic/thrilling;"
        "late;decisive/crucial;record-breaking;home/domestic",
        "verbs": "sign/recruit;sack:sacked/dismiss/fire;defeat/outplay;"
        "extend/renew;suspend/ban:banned;rest/bench;criticize/blast;appoint/name",
        "suffix": "United/City/Rovers/Athletic/FC/Olympique",
        "inst": "the league/the football association/the anti-doping agency/the players' union/"
        "the organising committee",
        "titles": "head coach/captain/sporting director/club president/team doctor/chairman",
        "places": "the home stadium/the training ground/the national arena/the semi-final venue",
    },
    "health": {
        "metrics": "hospital admissions/admissions;infection rates/case numbers;vaccination rates/vaccine uptake;waiting times;drug prices/medicine prices",
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
        "metrics": "carbon emissions/emissions;average temperatures;insurance claims;green investment/renewable investment;water levels",
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
        "metrics": "oil prices/crude prices;gas prices;power demand/electricity demand;oil output/production;refining margins",
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
        "metrics": "legal costs/legal fees;case filings/filings;settlement payouts;the case backlog/the backlog;fines",
        "nouns": "lawsuit/suit;judge;verdict/ruling;appeal;prosecutor;defendant;trial/hearing;"
        "settlement;injunction;jury;indictment/charge;witness statement/affidavit;sentence/jail term;"
        "class action;plea deal/plea agreement",
        "adj": "federal;landmark/precedent-setting;unanimous;sealed/confidential;criminal;"
        "civil;high-profile;procedural",
        "verbs": "dismiss/reject;uphold:upheld/affirm;overturn/reverse;"
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
    "boost/bolster/strengthen;sources/people;quickly/rapidly/swiftly;"
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
    "{O} {V} its {A} {N} {DAY}, {saying|arguing} {MET} in {C} had {MOVE} {PCT} since {MONTH}.",
    "{WHO} told {reporters|journalists} in {C} that the {N} would {VB} {NS} by {YEAR}.",
    "“{Q},” said {WHOE}.",
    "“{Q},” {WHO} said {DAY}.",
    "“{Q},” {PL} {added|said}. “{Q}.”",
    "{PL} said {CL}, adding that {CL}.",
    "The {A} {N} {could|may|would} cost {about|roughly|around} {MONEY}, {according to|based on} {O2} estimates.",
    "{MET_CAP} in {C} {MOVE} {PCT} to {MONEY} in {QTR} {figures|results|data}, {the highest;the lowest;the biggest move} since {YEAR0}.",
    "{DAY_CAP}, {O} {V} {NUM} {NS} after {CL}.",
    "{CONN} {CL}, {O2} said in a {statement;filing;note}.",
    "{O} {did not|declined to} comment {DAY} on {PL}'s {remarks;claims;account}.",
    "The {N} {comes as|arrives as|follows news that} {CL}, {while|even as} {CL}.",
    "{Analysts|Economists|Experts} at {O2} {expect|forecast} {MET} to {MOVEB} {PCT} {TIME}.",
    "In {C}, {NUM} {NS} were {affected|hit|disrupted} {DAY}, {data from|figures from} {INST} showed.",
    "{WHO} {said|warned|argued} the {A} {N} {risked|threatened} {VING} {NS} across {PLACE}.",
    "{INST_CAP} {V} a {A} {N} {DAY} and {said|signalled} it {could|would} {VB} {NS} {TIME}.",
    "{CONN} {O} {V} the {N} in {C}, {citing|pointing to} {A} {NS} and {A} {NS}.",
    "The {N} {is;remains;was} {A}, {PL} {said|noted}, {but|though} {CL}.",
    "{MET_CAP} {MOVE} {PCT} {DAY} after {O} {V} {its|the} {A} {N} in {PLACE}.",
    "{O2}, which {V} {NUM} {NS} {TIME}, {is|was} {also|separately} {VING} a {A} {N} in {C}.",
    "{Some|Several|Many} {NS} {questioned|challenged|doubted} whether the {N} {could|would} {VB} {NS} before {MONTH}.",
    "{CL}, {two;three;several} {people|sources} {briefed on|close to} the {N} {told|informed} {O2}.",
    "{WHO} {has;had} {pushed|lobbied|campaigned} for the {N} since {YEAR0}, {when;after} {CL}.",
    "{O} {shares;stock} {MOVE} {PCT} in {early;late;afternoon} trading in {C} {DAY}.",
    "{INST_CAP} is {due|expected|scheduled} to {VB} the {A} {N} on {WEEKDAY}, {a spokesperson;an official} said.",
    "{It;This} {was;marked} the {ORD} {A} {N} {in;for} {C} {TIME}.",
    "{PL}, who {joined;took over at;founded} {O} in {YEAR0}, {declined|refused} to {comment on|discuss} {O2}'s {A} {N}.",
    "{CONN} {MET} {MOVE} {PCT} {TIME}, {while|as} {MET} at {O2} {MOVE} {PCT}.",
    "{O} said {it;its board} {had;would} {V} {NUM} {NS} {worth|valued at} {MONEY} {TIME}.",
    "{Critics;Opponents;Supporters} of the {N} {say|argue|contend} {CL}.",
    "A {A} {N} {published|released|issued} by {O2} {DAY} {found|showed|suggested} that {CL}.",
    "{MET_CAP} {near;around;outside} {PLACE} {MOVE} {PCT} {in the week to;through} {WEEKDAY}, {the data showed;figures showed}.",
    "The {N} {will;could} {VB} {NS} {for|across} {FEW} {regions;districts;markets} {including|such as} {C} and {C2}.",
    "{WHO} {is|was} {expected|due|set} to {VB} the {N} with {O2} in {C} {TIME}.",
    "{Asked|Pressed} about the {A} {N}, {PL} said {CL}.",
    "{O} {V} the {A} {N} {TIME} {amid;despite;after} {A} {NS} in {C}.",
    "{CONN} {NUM} {A} {NS} {were;had been} {reported|recorded|logged} {in|across} {PLACE} by {WEEKDAY}.",
    "{The move|The decision|The announcement} {drew|prompted|sparked} {criticism;questions;praise} from {O2}, which {said|warned} {CL}.",
    "{Under;Through} the {A} {N}, {O} {would|will} {VB} {NS} {worth|totalling} {MONEY} over {FEW} years.",
    "{PL} {added|said} that {NUM} {NS} {had|have} {already|so far} been {VPP} in {C}.",
    "The {N} {was|had been} {VPP} {DAY} {after|following} {A} {NS} from {O2} and {INST}.",
    "{WHO} {described|called} the {N} “{A}” and {said|warned} {CL}.",
    "{O2} {estimates|calculates|projects} the {A} {N} {at;will reach} {MONEY} by {YEAR}, {up;down} {PCT} from {YEAR0}.",
)
_QUOTES = (
    "We {think|believe} the {N} is {A} enough to {VB} {NS} in {C}",
    "This is a {A} {N}, and we {will|intend to} {VB} it {TIME}",
    "Nobody {expected|predicted} {MET} to {MOVEB} {this fast;so quickly}, but {CL}",
    "Our {MET} have {MOVE} {PCT} {TIME}, and that {changes|reshapes} the {N} for {everyone|all of us}",
    "I {doubt|question whether} {O2} will {VB} {NS} before {MONTH}",
    "We are {VING} every {N} we have to {VB} the {A} {NS}",
    "There is {no;little} {doubt|question} that {CL}",
    "If {O} {V} the {N}, {NS} in {C} will {feel|notice} it {first;immediately}",
    "We {have|now have} {NUM} {NS} and a {A} {N}, which {beats|exceeds|tops} {our;every} {forecast|estimate|target}",
    "The {A} {N} {is|remains} our {priority|focus}, {whatever|regardless of what} {O2} {says|decides}",
    "{What;All} we {want|need} is a {A} {N} that {works|delivers} for {NS}",
    "It {will;could} take {FEW} {weeks;months;years} to {VB} the {NS}, {maybe|perhaps} longer",
)
_CLAUSES = (
    "{MET} {MOVE} {PCT} {TIME}",
    "{O} {would|could|might} {VB} its {NS} in {C}",
    "{MET} at {O} had {MOVE} {PCT} {TIME}",
    "{talks|discussions} with {O2} over the {N} were {stalled;ongoing;progressing}",
    "{NUM} {NS} had been {VPP} since {MONTH}",
    "{INST} {was|had been} {VING} the {A} {N}",
    "the {N} in {C} {remained|stayed} {A} {despite;after} {A} {NS}",
    "{O2} {had|has} {V} {NUM} {A} {NS} {TIME}",
    "{MET} {across|throughout} {PLACE} {could|would} {MOVEB} {PCT} by {MONTH}",
    "{PL} {had|has} {V} the {A} {N} {DAY}",
)
_HEADLINES = (
    "{O} {VS} {A} {N} as {MET} {MOVE}",
    "{C} {N} {talks;plans} {stall|falter} as {O} {VS} {NS}",
    "{MET_CAP} {MOVE} after {O} {V} {A} {N}",
    "{PL} says {O} will {VB} {NS} in {C}",
    "Exclusive: {O} {weighs|considers} {A} {N} worth {MONEY}",
    "{O} to {VB} {NUM} {NS} amid {A} {N}",
    "Analysis: Why {MET} in {C} {MOVE} {PCT} {TIME}",
    "{INST_CAP} {VS} {A} {N}, {cites|flags} {NS}",
    "{A_CAP} {N} in {C} {leaves;puts} {O} under pressure",
    "{O} and {O2} {clash|spar} over {A} {N}",
)
_CONNECTIVES = ("However,", "Meanwhile,", "Separately,", "In addition,", "Still,", "Earlier,", "At the same time,", "Even so,")
_TIMES = (
    "this year", "next year", "in the coming weeks", "over the next quarter", "by year-end",
    "within {FEW} weeks", "by {MONTH} {YEAR}", "over the past {FEW} months", "later this month", "since {MONTH}",
    "in {MONTH}", "before the summer", "over the next {FEW} years",
)
_QTRS = ("first-quarter", "second-quarter", "third-quarter", "fourth-quarter", "half-year", "January-March",
         "April-June", "July-September", "October-December", "year-to-date", "monthly", "weekly")
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
_IZE_RE = re.compile(r"\b[A-Za-z]{3,}iz(?:e|ed|es|ing|ation)\b")
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
    metrics: tuple[tuple[str, ...], ...]


def _parse_domain(name: str, spec: dict[str, str]) -> _Domain:
    verbs = tuple(
        tuple((m.split(":")[0], m.split(":")[1]) if ":" in m else (m, _past(m)) for m in g)
        for g in _groups(spec["verbs"])
    )
    return _Domain(name, _groups(spec["nouns"]), _groups(spec["adj"]), verbs,
                   tuple(spec["suffix"].split("/")), tuple(spec["inst"].split("/")),
                   tuple(spec["titles"].split("/")), tuple(spec["places"].split("/")),
                   _groups(spec["metrics"]))


DOMAINS: dict[str, _Domain] = {k: _parse_domain(k, v) for k, v in _DOMAINS.items()}
_COMMON = _groups(_COMMON_GROUPS)
_COMMON_ADJ = _groups("major/significant/key/important;new/fresh;recent/latest;large/big/sizeable;"
                      "wide/broad/extensive;early/initial/preliminary;unexpected/surprise")


# Function words whose swap would break grammar or flip meaning ("a"/"an", "up"/"down").
_NO_SYN = frozenset("the its a an up down it this is was were had have has in for at first".split())


def _build_synonyms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Word and phrase synonym maps for the rewriter.

    A word listed under two parts of speech ("cut" as base and past tense) is dropped, so a
    swap never breaks agreement; other groups sharing a word are merged.
    """
    tagged: list[tuple[str, tuple[str, ...]]] = [("*", g) for g in _COMMON]
    for d in DOMAINS.values():
        tagged += [("a", g) for g in d.adjs] + [("m", g) for g in d.metrics]
        tagged += [("n", g) for g in d.nouns] + [("ns", tuple(_plural(w) for w in g)) for g in d.nouns]
        tagged += [("vb", tuple(b for b, _ in g)) for g in d.verbs]
        tagged += [("vp", tuple(p for _, p in g)) for g in d.verbs]
    for tpl in _SENTENCES + _QUOTES + _CLAUSES + _HEADLINES:
        inline = [tuple(s.split("|")) for s in _SPLIT.findall(tpl) if "|" in s]
        tagged += [("*", g) for g in inline if not _NO_SYN.intersection(g) and "{" not in "".join(g)]
    alts: dict[str, set[str]] = {}
    tags: dict[str, set[str]] = {}
    for tag, g in tagged:
        g = tuple(w if any(ch.isupper() for ch in w[1:]) else w.lower() for w in g)  # keep "AI"
        for w in g:
            alts.setdefault(w.lower(), set()).update(x for x in g if x.lower() != w.lower())
            if tag != "*":
                tags.setdefault(w.lower(), set()).add(tag)
    words: dict[str, tuple[str, ...]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    for w, a in alts.items():
        if len(tags.get(w, ())) > 1 or not a:
            continue
        if " " in w:
            phrases[w] = tuple(sorted(a))
        else:
            words[w] = tuple(sorted(a))
    return words, phrases


SYNONYMS, PHRASES = _build_synonyms()
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b", re.I)
_TIME_RE = re.compile(
    r" (?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last week|earlier this month"
    r"|this week|late last month|overnight|this year|in the coming weeks|later this month)(?=[ ,.])"
)
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
        self.recent: list[str] = []
        slots: dict[str, Callable[[], str]] = {
            "O": self.org, "O2": self.org, "C": self.city, "C2": self.city, "N": self.noun,
            "NS": self.nouns, "MET": self.metric, "MET_CAP": lambda: _cap(self.metric()), "NS_CAP": lambda: _cap(self.nouns()), "A": self.adj,
            "A_CAP": lambda: _cap(self.adj()), "V": self.verb, "VB": self.verb_base,
            "VS": lambda: _third(self.verb_base()), "VPP": self.verb,
            "VING": self.verb_ing, "MOVE": self.move, "MOVEB": self.move_base, "PCT": self.pct,
            "MONEY": self.money, "NUM": self.num, "FEW": lambda: str(self.rng.randint(2, 12)), "DAY": self.day, "DAY_CAP": lambda: _cap(self.day()),
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
            elif "|" in piece or ";" in piece:  # "|" marks synonyms, ";" mere alternatives
                parts.append(tuple(re.split("[|;]", piece)))
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

    def metric(self) -> str:
        return self.rng.choice(self.rng.choice(self.ents.domain.metrics))

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
        s = _cap(self.fill(self.rng.choice(self.sent_t)))
        return s.replace("s's ", "s' ") if "s's " in s else s

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



    # ---- copy transformations: each returns the copied article and the edits it made
    def swap_word(self, tok: str) -> str | None:
        """Synonym for one token, keeping its punctuation and capitalisation; None if none."""
        core = tok.strip(",.;:”“")
        alts = SYNONYMS.get(core.lower())
        if not alts:
            return None
        new = self.rng.choice(alts)
        if core[:1].isupper():
            new = _cap(new)
        return tok.replace(core, new, 1)

    def strip_credit(self, c: _Article, edits: list[dict[str, str]]) -> None:
        if c.signoff or c.byline:
            edits.append({"kind": "credit_removed", "before": c.signoff or c.byline, "after": ""})
            c.signoff = c.byline = ""
        elif c.dateline and "(" in c.dateline:
            new = c.dateline.split(" (")[0].split(",")[0] + " - "
            edits.append({"kind": "credit_removed", "before": c.dateline.strip(), "after": new.strip()})
            c.dateline = new

    def strip_dateline(self, c: _Article, edits: list[dict[str, str]]) -> None:
        if c.dateline:
            edits.append({"kind": "dateline_removed", "before": c.dateline.strip(), "after": ""})
            c.dateline = ""

    def light_edit(self, a: _Article) -> tuple[_Article, list[dict[str, str]]]:
        r, c = self.rng, a.clone()
        edits: list[dict[str, str]] = []
        want, tries = r.randint(2, 5), 0
        while want and tries < 60:
            tries += 1
            para = r.choice(c.paras)
            si = r.randrange(len(para))
            toks = para[si].split(" ")
            ti = r.randrange(len(toks))
            new = self.swap_word(toks[ti]) if "“" not in para[si] else None
            if new is None:
                continue
            edits.append({"kind": "substitution", "before": toks[ti].strip(",.;:"), "after": new.strip(",.;:")})
            toks[ti] = new
            para[si] = " ".join(toks)
            want -= 1
        if r.random() < 0.6:  # house style: one outlet's spelling rules applied throughout
            for p in c.paras:
                for i, s in enumerate(p):
                    if "U.S." in s:
                        p[i] = s = s.replace("U.S.", "US")
                        edits.append({"kind": "substitution", "before": "U.S.", "after": "US"})
                    for m in _IZE_RE.finditer(s):
                        edits.append({"kind": "substitution", "before": m.group(), "after": m.group().replace("iz", "is")})
                    p[i] = _IZE_RE.sub(lambda m: m.group().replace("iz", "is"), s)
        numbered = [(p, i) for p in c.paras for i, s in enumerate(p) if _NUM_RE.search(s)]
        if numbered:
            p, i = r.choice(numbered)
            m = r.choice(list(_NUM_RE.finditer(p[i])))
            new = self.perturb(m.group())
            p[i] = p[i][: m.start()] + new + p[i][m.end():]
            edits.append({"kind": "number", "before": m.group(), "after": new})
        if r.random() < 0.35:
            self.strip_credit(c, edits)
        if r.random() < 0.35:
            self.strip_dateline(c, edits)
        return c, edits

    def perturb(self, num: str) -> str:
        """A plausibly mistyped or updated figure, formatted like the original."""
        r = self.rng
        if "." in num:
            whole, _, frac = num.partition(".")
            val = float(num.replace(",", "")) + r.choice((-1, 1)) * r.randint(1, 9) / 10 ** len(frac)
            return f"{abs(val):,.{len(frac)}f}" if "," in whole else f"{abs(val):.{len(frac)}f}"
        val = int(num.replace(",", ""))
        val = abs(val + r.choice((-1, 1)) * max(1, val // 20) * r.randint(1, 3)) or 1
        return f"{val:,}" if "," in num else str(val)

    def excerpt(self, a: _Article, source: str) -> tuple[_Article, list[dict[str, str]]]:
        r, c = self.rng, a.clone()
        edits: list[dict[str, str]] = []
        keep = max(1, round(len(c.paras) * r.uniform(0.3, 0.7)))
        for p in c.paras[keep:]:
            edits.append({"kind": "removed", "before": " ".join(p), "after": ""})
        c.paras = c.paras[:keep]
        if c.signoff:
            edits.append({"kind": "credit_removed", "before": c.signoff, "after": ""})
            c.signoff = ""
        if r.random() < 0.5:
            more = f"{r.choice(('Read the full story', 'Read more', 'Continue reading'))} at {source}."
            c.paras.append([more])
            edits.append({"kind": "added", "before": "", "after": more})
        return c, edits

    def reorder(self, a: _Article) -> tuple[_Article, list[dict[str, str]]]:
        r, c = self.rng, a.clone()
        edits: list[dict[str, str]] = []
        n = len(c.paras)
        for _ in range(r.randint(1, 2)):
            i, j = sorted(r.sample(range(1, n), 2))
            c.paras[i], c.paras[j] = c.paras[j], c.paras[i]
            edits.append({"kind": "reorder", "before": f"paragraph {i + 1}", "after": f"paragraph {j + 1}",
                          "text": " ".join(c.paras[j])})
        for _ in range(r.randint(1, 2) if n > 5 else 0):
            gone = c.paras.pop(r.randrange(1, len(c.paras)))
            edits.append({"kind": "removed", "before": " ".join(gone), "after": ""})
        return c, edits

    def rewrite_sentence(self, s: str) -> str:
        """Rephrase a sentence: move attribution or a fronted phrase, then swap synonyms.

        Quotes stay verbatim because outlets may paraphrase a story but not a quotation.
        """
        if "“" in s:
            return s
        r = self.rng
        if s.endswith(" said.") and (i := s.rfind(", ")) > 0 and s.count(" ", i + 2) <= 4:
            s = f"{_cap(s[i + 2:-6])} {r.choice(('said', 'says', 'noted'))} {_lcfirst(s[:i])}."
        elif (k := s.find(", ", 0, 45)) > 0 and s.count(" ", 0, k) <= 4:
            head, rest = s[:k], s[k + 2:]
            if head + "," in _CONNECTIVES:
                s = _cap(rest) if r.random() < 0.5 else f"{r.choice(_CONNECTIVES)} {rest}"
            elif head.split(" ", 1)[0] in ("On", "In", "Under", "Through", "According", "Citing", "Last"):
                s = f"{_cap(rest[:-1])} {head[:1].lower()}{head[1:]}."
        if r.random() < 0.6:  # rewriters condense: drop a time phrase
            s = _TIME_RE.sub("", s, count=1)
        if " " in s and PHRASES:
            s = _PHRASE_RE.sub(lambda m: r.choice(PHRASES[m.group().lower()]), s)
        toks = s.split(" ")
        for i, t in enumerate(toks):
            if (new := self.swap_word(t)) is not None:
                toks[i] = new
            elif t in ("that", "also", "the", "its") and r.random() < 0.5 and i:
                toks[i] = ""
        s = " ".join(t for t in toks if t)
        if "%" in s and r.random() < 0.5:
            s = s.replace("%", " percent")
        if " million" in s and r.random() < 0.5:  # house style: "$75.1 million" -> "$75.1m"
            s = s.replace(" million", "m").replace(" billion", "bn")
        for name, _, _ in self.ents.people:
            if name in s:
                s = s.replace(name, name.split(" ")[-1] if r.random() < 0.5 else name)
        return _cap(s)

    def rewrite(self, a: _Article) -> tuple[_Article, list[dict[str, str]]]:
        r, c = self.rng, a.clone()
        edits: list[dict[str, str]] = []
        new_title = " ".join(self.swap_word(t) or t for t in c.title.split(" "))
        if new_title != c.title:
            edits.append({"kind": "substitution", "before": c.title, "after": new_title, "field": "title"})
            c.title = new_title
        self.ents = c.ents
        for p in c.paras:
            for i, s in enumerate(p):
                if sum(map(bool, p)) > 1 and "“" not in s and r.random() < 0.2:
                    edits.append({"kind": "removed", "before": s, "after": ""})
                    p[i] = ""
                    continue
                new = self.rewrite_sentence(s)
                if new != s:
                    edits.append({"kind": "substitution", "before": s, "after": new})
                    p[i] = new
        c.paras = [[s for s in p if s] for p in c.paras]
        self.strip_dateline(c, edits)
        self.strip_credit(c, edits)
        c.dateline = ""
        if r.random() < 0.4:
            self.ents, self.mentioned = c.ents, set()
            extra = self.paragraph()
            c.paras.insert(r.randint(1, len(c.paras)), extra)
            edits.append({"kind": "added", "before": "", "after": " ".join(extra)})
        if c.agency and r.random() < 0.5:
            credit = f"{c.agency} contributed to this report."
            c.paras.append([credit])
            edits.append({"kind": "added", "before": "", "after": credit})
        return c, edits

    # ---- site chrome
    def wrap(self, site: tuple[str, str, str, str], title: str, body: list[str], when: datetime,
             source: str) -> str:
        """Surround an article with its site's boilerplate, templated so it recurs site-wide."""
        key, name, _, kind = site
        idx = _SITE_INDEX[key]
        r = self.rng
        fmt = {"name": name, "title": title, "date": when.strftime("%Y-%m-%d"),
               "section": _SECTIONS[idx % len(_SECTIONS)], "n": str(len(body)),
               "tags": "".join(r.sample(_TAGS, 3)), "weeks": str(r.randint(1, 9)),
               "views": str(r.randint(12, 9000))}
        top = [_MASTHEADS[kind][idx % 2].format(**fmt)]
        bottom: list[str] = []
        if kind == "crypto":
            top.insert(0, f"The post {title} appeared on {name}. {' '.join(body[0].split(' ')[:14])}")
        top.append(title)
        if kind in ("news", "portal") and idx % 3:
            top.append(f"{source} · {when:%B %d, %Y %H:%M} UTC")
        top += ["Share", "Copy Link"][: 1 + idx % 2] if kind != "portal" else ["Advertisement"]
        if idx % 4 == 1:
            bottom.append("Share")
        if kind in ("crypto", "blog") or idx % 3 == 0:
            bottom.append(_DISCLAIMERS[idx % 3].format(**fmt))
        if idx % 2 == 0 or kind == "blog":
            bottom.append(_NEWSLETTERS[idx % 3].format(**fmt))
        if self.recent and kind in ("crypto", "blog", "portal"):
            for t in r.sample(self.recent, min(3, len(self.recent))):
                bottom += [t, "Share", f"{name}{when:%Y/%m/%d %H:%M}"] if kind == "crypto" else [f"Related: {t}"]
        if kind in ("crypto", "blog"):
            bottom.append(f"The post {title} appeared on {name}.")
        bottom.append(f"© 2026 {name}. All rights reserved.")
        return "\n\n".join(top + body + bottom)

    # ---- corpus assembly
    def build(self, n_articles: int) -> tuple[list[GeneratedDoc], dict[str, tuple[str, ...]], dict[str, str]]:
        """Stories first (origin plus copies), then unrelated docs that may mimic a story."""
        r, cfg = self.rng, self.cfg
        n_unrel = min(n_articles, round(n_articles * cfg.unrelated_fraction))
        budget = n_articles - n_unrel
        docs: list[GeneratedDoc] = []
        bodies: dict[str, tuple[str, ...]] = {}
        arts: dict[str, _Article] = {}
        stories: list[tuple[str, _Ents, list[str]]] = []
        hard: dict[str, str] = {}
        site_of: dict[str, str] = {}
        story_of: dict[str, str] = {}
        kinds = ("verbatim", "light-edit", "excerpt", "reorder", "rewrite", "aggregate")
        weights = (0.2, 0.25, 0.15, 0.1, 0.2, 0.1)

        def add(site: tuple[str, str, str, str], art: _Article, kind: str, sids: tuple[str, ...],
                parent: str | None, edits: Sequence[dict[str, str]], published: datetime | None,
                text: str | None = None, body: list[str] | None = None) -> str:
            slug = _slug(art.title)
            did = f"{site[0]}/{art.time:%Y-%m-%d}-{slug}-{len(docs)}"
            if _SITE_INDEX.get(site[0], 0) % 2:
                url = f"https://{site[2]}/{art.ents.domain.name}/{art.time:%Y/%m/%d}/{slug}-{len(docs)}/"
            else:
                url = f"https://{site[2]}/news/{slug}-{art.time:%Y%m%d}-{len(docs)}.html"
            body = body if body is not None else art.render()
            if text is None:
                text = "\n\n".join([art.title, *body]) if kind == "origin" else self.wrap(
                    site, art.title, body, art.time, _AGENCY_SITE[art.agency][1] if art.agency else site[1])
            iso = published.isoformat(timespec="seconds") if published else None
            docs.append(GeneratedDoc(did, site[0], url, art.title, iso, text, kind, sids, parent,
                                     art.agency if kind in ("origin", "unrelated") else None, tuple(edits)))
            bodies[did] = tuple(body)
            site_of[did] = site[1]
            story_of[did] = sids[0]
            self.recent.append(art.title)
            if len(self.recent) > 40:
                del self.recent[:20]
            return did

        def copy_time(after: datetime) -> tuple[datetime, datetime | None]:
            true = after + timedelta(minutes=5 + min(r.expovariate(1 / 360), 10080))
            x = r.random()
            if x < cfg.missing_date_fraction:
                return true, None
            if x < cfg.missing_date_fraction + cfg.wrong_date_fraction:
                return true, after - timedelta(minutes=r.randint(30, 14400))
            return true, true

        while budget > 0:
            sid = f"story-{len(stories):06d}"
            ents = self.new_entities(DOMAINS[r.choice(_DOMAIN_NAMES)])
            agency = r.choice(_AGENCIES)
            when = _START + timedelta(seconds=r.randrange(350 * 86400))
            art = self.article(ents, when, agency)
            ids = [add(_AGENCY_SITE[agency], art, "origin", (sid,), None, (), when)]
            arts[ids[0]] = art
            budget -= 1
            stories.append((sid, ents, ids))
            k = min(r.randint(0, cfg.max_copies), budget)
            for site in r.sample(_COPY_SITES, k) if k <= len(_COPY_SITES) else r.choices(_COPY_SITES, k=k):
                kind = r.choices(kinds, weights)[0]
                if kind == "aggregate" and len(stories) > 1:
                    comp = [r.choice(ids)] + [r.choice(s[2]) for s in r.sample(stories[-60:-1], min(len(stories) - 1, r.randint(1, 3)))]
                    r.shuffle(comp)
                    ca = [arts[i] for i in comp]
                    lines = [f"[{n}]\n{a.title}\n{' '.join(a.render())}" for n, a in enumerate(ca, 1)]
                    true, published = copy_time(max(a.time for a in ca))
                    agg = _Article(ca[0].title, [], "", "", "", true, 1, ca[0].ents, None)
                    text = self.wrap(_AGG_SITES[r.randrange(len(_AGG_SITES))], ca[0].title, lines, true, "")
                    sids = tuple(dict.fromkeys(story_of[i] for i in comp))
                    add(_AGG_SITES[r.randrange(len(_AGG_SITES))], agg, "aggregate", sids, None, (),
                        published, text, lines)
                    budget -= 1
                    continue
                cands = [i for i in ids if arts[i].depth < 3]
                pid = r.choices(cands, [3 if arts[i].depth == 0 else 1 for i in cands])[0]
                parent = arts[pid]
                source = site_of[pid]
                if kind == "light-edit":
                    c, edits = self.light_edit(parent)
                elif kind == "excerpt":
                    c, edits = self.excerpt(parent, source)
                elif kind == "reorder" and len(parent.paras) >= 3:
                    c, edits = self.reorder(parent)
                elif kind == "rewrite":
                    c, edits = self.rewrite(parent)
                else:
                    kind, c, edits = "verbatim", parent.clone(), []
                c.time, published = copy_time(parent.time)
                did = add(site, c, kind, (sid,), pid, edits, published)
                arts[did] = c
                ids.append(did)
                budget -= 1
        for _ in range(n_unrel):
            mimic = stories and r.random() < 0.5
            if mimic:
                sid0, ents, ids0 = r.choice(stories)
                when = arts[ids0[0]].time + timedelta(minutes=r.randint(-2880, 2880))
            else:
                ents = self.new_entities(DOMAINS[r.choice(_DOMAIN_NAMES)])
                when = _START + timedelta(seconds=r.randrange(350 * 86400))
            art = self.article(ents, when, r.choice(_AGENCIES) if r.random() < 0.5 else None)
            uid = f"unrelated-{len(docs):07d}"
            did = add(r.choice(_COPY_SITES), art, "unrelated", (uid,), None, (), None if r.random() < cfg.missing_date_fraction else when)
            if mimic:
                hard[did] = sid0
        r.shuffle(docs)
        return docs, bodies, hard


_START = datetime(2026, 1, 1, tzinfo=timezone.utc)
_DOMAIN_NAMES = tuple(DOMAINS)
_SITE_INDEX = {s[0]: i for i, s in enumerate(_SITES)}
_TAGS = ("Markets", "Artificial intelligence", "AI", "Business", "World", "Economy", "Crypto",
         "Politics", "Health", "Energy", "Climate", "Law", "OpenAI", "Europe", "Asia", "US")


def generate(n_articles: int, seed: int = 0, config: CorpusConfig | None = None) -> Corpus:
    """Build a corpus of exactly ``n_articles`` documents; the same seed gives the same corpus."""
    cfg = config or CorpusConfig()
    gen = _Generator(random.Random(seed), cfg)
    docs, bodies, hard = gen.build(n_articles)
    return Corpus(docs, bodies, hard, seed, cfg)


def _truth(doc: GeneratedDoc) -> dict[str, object]:
    rec = asdict(doc)
    del rec["text"]
    return rec


def write_corpus(corpus: Corpus, directory: Path, fmt: str = "jsonl") -> None:
    """Write the documents as a tool would ingest them, plus ``truth.json`` for scoring."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with (directory / "corpus.jsonl").open("w", encoding="utf-8") as fh:
            for d in corpus.documents:
                rec = {"id": d.id, "text": d.text, "url": d.url, "title": d.title,
                       "published": d.published, "site": d.site}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif fmt == "txt":
        for d in corpus.documents:
            path = directory / f"{d.id}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(d.text, encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; expected 'jsonl' or 'txt'")
    truth = {
        "seed": corpus.seed,
        "config": asdict(corpus.config),
        "documents": [_truth(d) for d in corpus.documents],
        "hard_negatives": corpus.hard_negatives,
    }
    (directory / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: generate, write, and report the generation rate on stderr."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    corpus = generate(args.articles, args.seed)
    t1 = time.perf_counter()
    write_corpus(corpus, args.out, args.format)
    t2 = time.perf_counter()
    n = len(corpus.documents)
    print(f"generated {n} docs ({len(corpus.stories())} multi-doc stories, "
          f"{len(corpus.true_pairs())} true pairs) in {t1 - t0:.1f}s "
          f"({n / max(t1 - t0, 1e-9):,.0f} docs/s); wrote {args.format} in {t2 - t1:.1f}s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
