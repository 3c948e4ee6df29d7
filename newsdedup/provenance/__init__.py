"""Trace each story to its origin and build the derivation tree, with the evidence for every link.

One documented rule, no per-sample branches. Every version gets features
(wire credit, attribution lines, a trustworthy date, its shingle set); then

* **origin** = the version with the highest *origin score*, a weighted sum of
  evidence items (weights in `ORIGIN_WEIGHTS`);
* versions are ordered by that score (versions on aggregator pages last), and
  the parents are those of the tree rooted at the origin with the highest
  total *parent score* (weights in `PARENT_WEIGHTS`; `best_tree`): how much of the child
  the candidate explains, how many of the child's own readings (text absent
  from the origin: a changed word, a rewritten sentence) it shares, whether
  the child holds figures of the origin the candidate lacks (then it cannot
  descend from it), whether the child attributes its text to it, and whether
  the dates allow it. The ranking only breaks ties;
* **confidence** is a logistic of the margin between the best tree and the
  best tree in which the version has another parent; when the margin is
  small those other parents are listed;
* **relation** comes from the similarity figures (`trace._relation`, table in docs/provenance.md).

The modules follow the data flow: `cues` (credit and source patterns) and `sites` (the names
a page goes by) read text; `when` reads dates; `evidence` turns each version into its
`Features`; `matrices` counts the shingles versions and pages share; `scores` holds the rule
and its weights; `tree` finds the best tree and its runner-ups; `trace` puts them together.
"""

from __future__ import annotations

from .cues import (
    AGENCIES,
    ATTRIBUTION,
    ATTRIBUTION_CUES,
    GROUP_AGENCY,
    WIRE_CREDIT,
    attribution_matches,
    attributions_in,
    credit_agency,
    credit_matches,
    credits_around,
    lines_with,
    reported_by,
)
from .scores import ORIGIN_WEIGHTS, PARENT_WEIGHTS
from .sites import core_name, site_hints, url_host
from .trace import Evidence, StoryReport, VersionReport, trace

__all__ = [
    "AGENCIES",
    "ATTRIBUTION",
    "ATTRIBUTION_CUES",
    "GROUP_AGENCY",
    "ORIGIN_WEIGHTS",
    "PARENT_WEIGHTS",
    "WIRE_CREDIT",
    "Evidence",
    "StoryReport",
    "VersionReport",
    "attribution_matches",
    "attributions_in",
    "core_name",
    "credit_agency",
    "credit_matches",
    "credits_around",
    "lines_with",
    "reported_by",
    "site_hints",
    "trace",
    "url_host",
]
