"""Write a copy of _config.yml titled for another county (make book COUNTY=...)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from zjinnov.data import config
from zjinnov.present import edition

ROOT = Path(__file__).resolve().parents[1]


def main(dest: str) -> int:
    code = config.county_code()
    conf = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    conf["title"] = edition.title_for(code)
    # Paths in a config are read relative to the config file: anchor them at the repository.
    sphinx = conf["sphinx"]
    sphinx["local_extensions"] = {k: str(ROOT / v) for k, v in sphinx["local_extensions"].items()}
    sphinx["config"]["html_static_path"] = [
        str(ROOT / v) for v in sphinx["config"]["html_static_path"]
    ]
    conf["bibtex_bibfiles"] = [str(ROOT / v) for v in conf["bibtex_bibfiles"]]
    # The web address is the published (default county's) book's: another county's book is
    # not there, so its PDF and download menu must not point there.
    conf.setdefault("html", {})["baseurl"] = ""
    out = Path(dest)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
