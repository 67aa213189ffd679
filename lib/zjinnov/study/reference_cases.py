"""Reference cases of the index maths, worked outside any county: the chained index of the NBS
China Innovation Index style on a three-indicator example, by the engine and by hand, so the
method chapter can show that both agree (the same numbers as its text's maths).
"""

from __future__ import annotations

import pandas as pd

from zjinnov.engine import hierarchy
from zjinnov.engine.index import IndexMethod, build_index

# The chained-index example worked by hand in the chapter's text (same numbers as its maths).
CHAIN_EXAMPLE = {"A": [10, 12, 15], "B": [5, 4, 5], "C": [20, 22, 24.2]}
CHAIN_YEARS = [2015, 2016, 2017]
CHAIN_REGISTRY = pd.DataFrame(
    {
        "code": ["A", "B", "C"],
        "domain": ["X", "X", "Y"],
        "direction": [1, -1, 1],
        "weight": [0.6, 0.4, 1.0],
    }
)
CHAIN_DOMAINS = pd.DataFrame({"code": ["D1", "D2"], "domain": ["X", "Y"], "weight": [1.0, 1.0]})


def chain_example() -> dict:
    """The example's last year: domain D1 and the index, chained and as plain ratios by the
    engine, and chained by hand."""
    example = pd.DataFrame(
        [
            {"region": "U", "year": y, "indicator": k, "value": v}
            for k, series in CHAIN_EXAMPLE.items()
            for y, v in zip(CHAIN_YEARS, series, strict=True)
        ]
    )
    tree = hierarchy.from_registry(CHAIN_REGISTRY, CHAIN_DOMAINS)
    last = CHAIN_YEARS[-1]
    base = IndexMethod(base_year=CHAIN_YEARS[0])
    chained = build_index(example, tree, IndexMethod.chained()).scores
    ratio = build_index(example, tree, base).scores
    chained = chained.set_index(["year", "node"])["score"]
    ratio = ratio.set_index(["year", "node"])["score"]
    hand = hand_chain()
    return {
        "year": last,
        "chained_d1": float(chained[(last, "D1")]),
        "chained_index": float(chained[(last, "index")]),
        "ratio_d1": float(ratio[(last, "D1")]),
        "hand_d1": hand["D1"],
        "hand_index": hand["index"],
    }


def hand_chain() -> dict[str, float]:
    """The chained example worked as the text does, without the engine: each domain moves by
    the weighted growth of its indicators (a negative indicator by the inverse growth), the
    index is the weighted mean of the domains in the last year."""
    reg = CHAIN_REGISTRY.set_index("code")
    domains = {}
    for dom_code, dom in CHAIN_DOMAINS.set_index("code").iterrows():
        members = reg[reg["domain"] == dom["domain"]]
        shares = members["weight"] / members["weight"].sum()
        level = 100.0
        for t in range(1, len(CHAIN_YEARS)):
            growth = 0.0
            for code, member in members.iterrows():
                ratio = CHAIN_EXAMPLE[code][t] / CHAIN_EXAMPLE[code][t - 1]
                growth += shares[code] * (ratio if member["direction"] > 0 else 1 / ratio)
            level *= growth
        domains[dom_code] = level
    weights = CHAIN_DOMAINS.set_index("code")["weight"]
    domains["index"] = sum(weights[c] * domains[c] for c in weights.index) / weights.sum()
    return domains
