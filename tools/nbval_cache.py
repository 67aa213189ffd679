"""pytest plugin: a notebook that nbval ran without error goes into the book's execution cache.

`make test` checks the notebooks with nbval and then builds the book strictly for the same
county. Without this, the build would execute every notebook a second time for nothing: here
each notebook nbval passes is stored, with the outputs nbval received, in the jupyter-cache
that the build reads (`NBVAL_TO_CACHE`), keyed like any executed notebook by its code. A
notebook with a failing cell is not stored, so the build runs it again and fails on its own.

Use: `NBVAL_TO_CACHE=_build/.jupyter_cache pytest -p nbval_cache --nbval-lax notebooks`
(with tools/ on PYTHONPATH). Nothing happens when the variable is unset.

A notebook whose executed copy is already in that cache is not run again: the cache is
cleared whenever data/ or lib/ change (tools/cache_guard.py) and keyed by the notebook's code,
so such a notebook already ran without error on exactly these inputs. A fresh clone (CI) has
an empty cache and runs every notebook.
"""

from __future__ import annotations

import os
import platform
import time

import nbformat
import pytest
from nbformat.v4 import new_output

LANGUAGE_INFO = {
    "name": "python",
    "version": platform.python_version(),
    "mimetype": "text/x-python",
    "file_extension": ".py",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
}
_started: dict[str, float] = {}
_failed: set[str] = set()


def _output(out) -> nbformat.NotebookNode:
    kind = out["output_type"]
    if kind == "stream":
        return new_output("stream", name=out["name"], text=out["text"])
    if kind == "execute_result":
        count = out.get("execution_count")
        return new_output(
            kind, data=out["data"], metadata=out.get("metadata", {}), execution_count=count
        )
    return new_output(kind, data=out.get("data", {}), metadata=out.get("metadata", {}))


def _store(notebook_file) -> None:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(os.environ["NBVAL_TO_CACHE"])
    path = str(notebook_file.fspath)
    # The executed copy keeps the notebook's own cells and metadata, so its hash matches the
    # one the book build computes from the committed (output-free) file.
    nb = nbformat.read(path, as_version=4)
    ran = iter(c for c in notebook_file.nb.cells if c.cell_type == "code")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = next(ran).get("outputs", [])
    # What a kernel reports when a notebook is executed; the book highlights code by it.
    nb.metadata["language_info"] = LANGUAGE_INFO
    cache.cache_notebook_bundle(
        CacheBundleIn(nb, path, data={"execution_seconds": time.time() - _started[path]}),
        check_validity=False,
        overwrite=True,
    )


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("NBVAL_TO_CACHE"):
        return
    from jupyter_cache import get_cache

    cache = get_cache(os.environ["NBVAL_TO_CACHE"])
    done: dict[str, bool] = {}
    skip = pytest.mark.skip(reason="ran without error on these inputs (in the execution cache)")
    for item in items:
        parent = getattr(item, "parent", None)
        if not hasattr(item, "test_outputs") or parent is None:
            continue
        path = str(parent.fspath)
        if path not in done:
            try:
                done[path] = (
                    cache.match_cache_notebook(nbformat.read(path, as_version=4)) is not None
                )
            except KeyError:
                done[path] = False
        if done[path]:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    path = str(getattr(item.parent, "fspath", ""))
    _started.setdefault(path, time.time())
    outcome = yield
    outputs = getattr(item, "test_outputs", None)
    if outcome.excinfo is not None:
        _failed.add(path)
    elif outputs is not None:
        # nbval runs cells without history, so IPython does not see a closing ";" and shows
        # the value a normal run suppresses (a figure then appears twice): drop it as a run would.
        quiet = item.cell.source.rstrip().endswith(";")
        kept = [o for o in outputs if not (quiet and o["output_type"] == "execute_result")]
        item.cell["outputs"] = [_output(o) for o in kept]


def pytest_runtest_teardown(item, nextitem):
    if not os.environ.get("NBVAL_TO_CACHE") or not hasattr(item, "test_outputs"):
        return
    path = str(item.parent.fspath)
    last_of_file = nextitem is None or nextitem.parent is not item.parent
    # Only a notebook that ran here is stored (a skipped one is already in the cache).
    if last_of_file and path in _started and path not in _failed:
        _store(item.parent)
