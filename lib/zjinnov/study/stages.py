"""A stage of the Study: a named, cached step that records the settings it ran with.

In the spirit of COINr's coin, where every step writes a named result and logs its arguments:
`@stage("bases", reads=("values",), holds="...", settings=lambda study: {...})` on a method of
the Study caches its result per Study and per arguments, and logs the run (name, arguments
and declared settings). `Study.stages()` lists every stage with its settings, and which ran.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

STAGE_COLUMNS = ["order", "stage", "holds", "reads", "settings", "ran"]


@dataclass(frozen=True)
class Stage:
    name: str
    holds: str  # one line: what the stage's result is
    reads: tuple[str, ...]  # the stages it is computed from
    settings: Callable[[object], dict]  # the study -> the settings it runs with
    order: int


_DECLARED: list[Stage] = []
_DEFAULTS: dict[str, dict] = {}  # a stage's own arguments and their defaults


def stage(
    name: str,
    *,
    holds: str,
    reads: tuple[str, ...] = (),
    settings: Callable[[object], dict] | None = None,
):
    """Make a Study method a named stage: cached per Study and arguments, its runs logged."""
    declared = Stage(name, holds, reads, settings or (lambda study: {}), len(_DECLARED))
    _DECLARED.append(declared)

    def wrap(method):
        signature = inspect.signature(method)
        _DEFAULTS[name] = {
            k: p.default
            for k, p in list(signature.parameters.items())[1:]
            if p.default is not p.empty
        }

        @functools.wraps(method)
        def run(self, *args, **kwargs):
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            arguments = dict(list(bound.arguments.items())[1:])
            key = (name, tuple(sorted(arguments.items())))
            results = self.__dict__.setdefault("_stage_results", {})
            if key not in results:
                results[key] = method(self, **arguments)
                self.__dict__.setdefault("_stage_log", []).append((name, arguments))
            return results[key]

        run.stage = declared
        return run

    return wrap


def declared() -> list[Stage]:
    """Every stage, in the order the data flow through them."""
    return list(_DECLARED)


def table(study) -> pd.DataFrame:
    """Every stage with what it holds, what it reads, its settings, and whether it ran here
    (a stage's own arguments, where it was called with any, stand beside its settings)."""
    log = study.__dict__.get("_stage_log", [])
    rows = []
    for s in _DECLARED:
        runs = [args for name, args in log if name == s.name]
        settings = {**s.settings(study), **_DEFAULTS.get(s.name, {}), **(runs[-1] if runs else {})}
        rows.append(
            {
                "order": s.order + 1,
                "stage": s.name,
                "holds": s.holds,
                "reads": list(s.reads),
                "settings": [f"{k} = {_written(v)}" for k, v in settings.items()],
                "ran": bool(runs),
            }
        )
    return pd.DataFrame(rows, columns=STAGE_COLUMNS)


def _written(value) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(map(str, value))
    return str(value)
