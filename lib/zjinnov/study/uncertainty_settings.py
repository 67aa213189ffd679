"""The settings of the uncertainty analysis, shared by the robustness chapter (04) and the
ASEM demonstration (appendix A4), so both run the same design and neither copies the other.

Changing a value here changes both pages; every number the pages print about the design is
glued from these constants.
"""

from __future__ import annotations

# A fixed seed: a rerun gives the same draws, so the book's numbers are reproducible.
SEED = 20250101
# Monte Carlo draws per weight scheme: enough that the 5 % and 95 % quantiles of a rank move
# by less than one place between seeds.
DRAWS = 10_000
# Uniform weight noise: each nominal weight varies by up to ±25 %, as in the JRC/COINr audits.
SPREAD = 0.25
# Dirichlet concentration: a domain share of 0.2 gets a standard deviation of about 0.09.
ALPHA = 20.0
# Saltelli base sample (a power of 2); the design has SOBOL_N·(factors + 2) runs.
SOBOL_N = 1024
# The interval reported: the 5th to the 95th percentile of the draws.
LO, HI = 0.05, 0.95


def sobol_runs(n_factors: int, n: int = SOBOL_N) -> int:
    """Model runs of a Saltelli design without second-order indices: n·(factors + 2)."""
    return n * (n_factors + 2)
