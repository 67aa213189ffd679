"""The robustness stage: how much the Study's partial index depends on its assumptions.

The audit is of the one partial index (`Study.partial`): its method, tree and bases go into the
Monte Carlo and the Sobol' analysis unchanged, so the audit's nominal run is that index. What
varies: weights at both levels (uniform noise or Dirichlet draws), the reference region of the
bases (the province, as the partial index does; the county's city under the same rule; the
county's own values), the aggregation and the missing-value rule. The design (draws, seed,
spread, percentiles) is shared with appendix A4 (`zjinnov.study.uncertainty_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from zjinnov.engine import robustness as rb
from zjinnov.engine import sensitivity as sa
from zjinnov.study import bases as base_rule
from zjinnov.study import uncertainty_settings as us
from zjinnov.study.partial_index import PartialIndex

# Pseudo-regions of the three sets of bases (the first is the partial index's own), each with
# the vocabulary key of its option.
REFERENCES = {
    base_rule.BASE_REGION: "reference_province",
    "base_city": "reference_city",
    "base_own": "reference_own",
}
AGGREGATIONS = {"aggregation_arithmetic": "arithmetic", "aggregation_geometric": "geometric"}
IMPUTATIONS = {
    "impute_none": "none",
    "impute_interpolate": "interpolate",
    "impute_carry_forward": "carry_forward",
}
SCHEMES = ("uniform", "dirichlet")


@dataclass
class Audit:
    """The partial index's engine input with the alternative bases, the assumptions varied, and
    what the runs found (`runs`, `sobol` and `removal` are empty where an assumption cannot be
    applied to these data)."""

    county: str
    latest: int
    tree: object
    nominal: object
    references: tuple[str, ...]
    values: pd.DataFrame
    choices: tuple[rb.Choice, ...]
    specs: dict[str, rb.UncertaintySpec]
    runs: dict[str, rb.MonteCarlo] = field(default_factory=dict)
    sobol: pd.DataFrame | None = None  # the analysis table for the county's score
    removal: pd.DataFrame | None = None  # one node removed at a time (removal_summary)


def audit(
    partial: PartialIndex,
    alternatives: dict[str, pd.DataFrame],
    county: str,
    base_year: int,
    *,
    draws: int,
    sobol_n: int,
    seed: int,
) -> Audit | None:
    """The audit of `partial` (None when the county has no partial index). `alternatives`: the
    city's and the county's own bases under the same rule, by pseudo-region."""
    if not partial.available:
        return None
    sets = {base_rule.BASE_REGION: partial.bases, **alternatives}
    # A set of bases identical to an earlier one is the same assumption: kept once.
    kept: dict[str, pd.DataFrame] = {}
    for region, bases in sets.items():
        if not any(_same(bases, other) for other in kept.values()):
            kept[region] = bases
    values = base_rule.with_bases(partial.values, county, kept, base_year)
    choices = [
        rb.Choice("reference", tuple((REFERENCES[r], {"base_region": r}) for r in kept)),
        rb.Choice("aggregation", tuple((k, {"aggregation": v}) for k, v in AGGREGATIONS.items())),
        rb.Choice("missing", tuple((k, {"impute": v}) for k, v in IMPUTATIONS.items())),
    ]
    choices = tuple(c for c in choices if len(c.levels) > 1)
    specs = {
        "uniform": rb.UncertaintySpec(rb.WeightNoise("uniform", spread=us.SPREAD), choices),
        "dirichlet": rb.UncertaintySpec(rb.WeightNoise("dirichlet", alpha=us.ALPHA), choices),
    }
    out = Audit(
        county=county,
        latest=int(partial.coverage["year"].max()),
        tree=partial.result.hierarchy,
        nominal=partial.result.method,
        references=tuple(kept),
        values=values,
        choices=choices,
        specs=specs,
    )
    try:
        out.runs = {scheme: _run(out, scheme, draws, seed) for scheme in SCHEMES}
    except ValueError:
        out.runs = {}  # an assumption that cannot be applied to these data: no interval
    out.sobol = _sobol(out, sobol_n, seed)
    out.removal = rb.removal_summary(
        rb.removal_table(out.values, out.tree, out.nominal, reference=out.references),
        region=county,
        year=out.latest,
    )
    return out


def _run(audit: Audit, scheme: str, draws: int, seed: int) -> rb.MonteCarlo:
    spec = audit.specs[scheme]
    U = rb.sample(spec, audit.tree, draws, seed)
    return rb.run(audit.values, audit.tree, audit.nominal, spec, U, reference=audit.references)


def _sobol(audit: Audit, n: int, seed: int) -> pd.DataFrame | None:
    try:
        table, _ = sa.analyse(
            audit.values,
            audit.tree,
            audit.nominal,
            audit.specs["uniform"],
            n=n,
            seed=seed,
            region=audit.county,
            year=audit.latest,
        )
    except ValueError:
        return None  # under some assumption the county has no score: variance shares undefined
    return table[table["target"] == f"score:{audit.county}"].reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = ["indicator", "base_value"]
    return a[cols].reset_index(drop=True).equals(b[cols].reset_index(drop=True))
