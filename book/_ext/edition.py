"""Book-local Sphinx extension: the edition stamp on the pages, the facts file after each build.

- When the configuration is read, the edition is computed (zjinnov.present.edition): code
  version from git, build date, data vintage, county. The book's title follows the county.
- Pages show it with the role {edition}`field` (fields: stamp, author, title, version,
  built, data_date, county, county_name). Only pages that use the role are read again when the
  edition changes, so a new commit does not re-render every chapter.
- When the build has finished: every glued value goes to _build/facts.json with the raw rows
  it rests on, the edition and the data folder's rows (zjinnov.present.facts), and the Excel
  workbook takes its dates from the data vintage so that the same inputs give the same bytes.

The data folder is $ZJINNOV_DATA when set (a build with an analyst's tables laid over the
repository's), else the repository's data/.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _data_dir() -> Path:
    from zjinnov.data.paths import DATA

    return Path(os.environ.get("ZJINNOV_DATA", "").strip() or DATA)


def _fields(ed) -> dict[str, str]:
    from zjinnov.present.edition import STUDY

    return {
        "stamp": ed.text(),
        "author": STUDY,
        "title": ed.title,
        "version": ed.code_text(),
        "built": ed.built,
        "data_date": ed.data_date,
        "county": ed.county,
        "county_name": ed.county_name,
    }


def _on_config_inited(app, config) -> None:
    from zjinnov.data import config as study
    from zjinnov.present import edition

    try:
        app.zj_edition = edition.edition(study.county_code(), _data_dir())
    except ValueError as err:
        raise ExtensionError(f"edition stamp: {err}") from None
    title = app.zj_edition.title
    if config.html_title != title:
        logger.info(f"edition: title for county {app.zj_edition.county} is {title}")
        config.html_title = title


def _docs(env) -> set[str]:
    if not hasattr(env, "zj_edition_docs"):
        env.zj_edition_docs = set()
    return env.zj_edition_docs


def edition_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    field = text.strip()
    values = _fields(env.app.zj_edition)
    if field not in values:
        msg = inliner.reporter.error(
            f"edition: unknown field {field!r} (use one of {', '.join(values)})", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    _docs(env).add(env.docname)
    css = ["edition", "edition-" + field.replace("_", "-")]
    return [nodes.inline(rawtext, values[field], classes=css)], []


def _outdated(app, env, added, changed, removed) -> list[str]:
    if getattr(env, "zj_edition_seen", None) == app.zj_edition:
        return []
    return sorted(d for d in _docs(env) if d in env.found_docs and d not in removed)


def _remember(app, env) -> list[str]:
    env.zj_edition_seen = app.zj_edition
    return []


def _purge(app, env, docname) -> None:
    _docs(env).discard(docname)


def _merge(app, env, docnames, other) -> None:
    _docs(env).update(_docs(other) & set(docnames))


def _chapters(env) -> list[tuple[str, str]]:
    """(docname, title) in the order the book reads: the table of contents from the root."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    order += sorted(set(env.found_docs) - set(order))
    return [(d, env.titles[d].astext() if d in env.titles else d) for d in order]


def _write_facts(app) -> None:
    from myst_nb.sphinx_ import NbMetadataCollector

    from zjinnov.present import facts

    env = app.env
    chapters = _chapters(env)
    values = facts.glued_values(Path(env.mystnb_config.output_folder), chapters)
    # Every key myst-nb saw glued must be in the file, else the comparison would miss it.
    found = {(f["chapter"], f["key"]) for f in values}
    for doc, meta in NbMetadataCollector.get_doc_data(env).items():
        missing = sorted(
            k for k in meta.get("glue", []) if (doc, k) not in found and not facts.is_evidence(k)
        )
        if missing and doc in env.found_docs:
            logger.warning(
                f"facts: glued values of {doc} not found in the executed notebooks' folder "
                f"({', '.join(missing[:5])}); clear _build and build again"
            )
    data = facts.snapshot_data(_data_dir())
    doc = facts.document(app.zj_edition.as_dict(), values, data, chapters)
    path = facts.write(Path(app.outdir).parent / facts.FACTS_NAME, doc)
    logger.info(f"facts: {len(values)} glued values written to {path}")


def _stamp_workbook(app) -> None:
    from zjinnov.present import downloads, edition

    workbook = Path(app.outdir) / "downloads" / downloads.WORKBOOK_NAME
    if workbook.exists():
        downloads.stamp_workbook(workbook, app.zj_edition.data_datetime(), edition.STUDY)


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _write_facts(app)
    _stamp_workbook(app)


def setup(app):
    app.add_role("edition", edition_role)
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-updated", _remember)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    # After the other extensions' build-finished handlers: the workbook is written by then.
    app.connect("build-finished", _on_build_finished, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
