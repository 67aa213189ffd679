"""The edition stamp: which code, which data and which county a build's numbers come from.

Computed when the book is built, never typed: the code's version from git (tag or commit, and
whether the working tree held uncommitted changes), the build date, the newest publication date
among the source documents the data cite (the data vintage), and the county.
"""

from __future__ import annotations

import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from zjinnov import __version__
from zjinnov.data import config, geography
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA, ROOT
from zjinnov.data.sources import load_sources, read_table

# The study as an author (workbook creator, citation) and the book's title for a county.
STUDY = "临安创新研究项目组"
TITLE_SUFFIX = "科技创新指数研究"
# Build dates are given as the planning offices read them.
TIMEZONE = config.TIMEZONE


def title_for(county: str) -> str:
    """The book's title for a county, the same in HTML and PDF: 临安区科技创新指数研究."""
    return f"{geography.name_of(county)}{TITLE_SUFFIX}"


@dataclass(frozen=True)
class Edition:
    version: str  # git describe: a tag, tag-N-gHASH, or a commit; the package version outside git
    commit: str  # full commit hash; "" outside git
    clean: bool | None  # False: uncommitted changes were built; None: not a git checkout
    built: str  # build date, YYYY-MM-DD
    data_date: str  # newest publication date among the cited sources, YYYY[-MM[-DD]]
    county: str
    county_name: str
    title: str
    external_data: bool  # the data folder is not the repository's data/

    def code_text(self) -> str:
        if self.clean is None:
            return f"{self.version}（非 git 检出，无法确认代码版本）"
        # Without a tag, git describe gives the commit itself: say so.
        name = f"提交 {self.version}" if self.commit.startswith(self.version) else self.version
        return name if self.clean else f"{name}（含未提交的修改）"

    def text(self) -> str:
        """One line for the front page, the PDF cover and the downloads page."""
        data = f"数据截至 {self.data_date}（所引来源文件中最新的发布日期）"
        if self.external_data:
            data += "，含项目仓库以外的数据"
        return (
            f"代码版本 {self.code_text()} · 构建于 {self.built} · {data} · "
            f"研究对象 {self.county_name}（{self.county}）"
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "author": STUDY, "text": self.text()}

    def data_datetime(self) -> datetime:
        """The data vintage as a moment (missing month or day read as the first): downloads
        carry it as their creation time, so the same inputs give the same bytes."""
        parts = [int(p) for p in self.data_date.split("-")] + [1, 1]
        return datetime(parts[0], parts[1], parts[2])


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def code_version(root: Path = ROOT) -> tuple[str, str, bool | None]:
    """(version, commit, clean) from git; the package version when there is no git checkout."""
    commit = _git(root, "rev-parse", "HEAD")
    if not commit:
        return __version__, "", None
    version = _git(root, "describe", "--tags", "--always", "--abbrev=10") or commit[:10]
    # Untracked files count: a new table dropped into data/raw/ changes the numbers.
    status = _git(root, "status", "--porcelain")
    return version, commit, status == ""


def build_date(now: datetime | None = None) -> str:
    """Today in Beijing; SOURCE_DATE_EPOCH (the reproducible-builds convention) wins when set
    (`zjinnov.data.config.build_date`, the one rule the chapters read too)."""
    return config.build_date(now)


def cited_sources(data_dir: Path) -> set[str]:
    """Source ids that the raw tables and the plan targets cite."""
    report = ValidationReport()
    files = sorted((Path(data_dir) / "raw").glob("*.csv")) + [Path(data_dir) / "targets.csv"]
    cited: set[str] = set()
    for path in files:
        if not path.exists():
            continue
        table = read_table(path, report, path.name)
        if table is not None and "source_id" in table:
            cited.update(table["source_id"].str.strip())
    report.raise_if_any()
    return cited - {""}


def newest_publication(data_dir: Path) -> str:
    """The newest date_published among the cited sources. ISO dates sort as text; a date known
    only to the year ("2025") sorts before any day of that year, so it never overstates."""
    sources = load_sources(data_dir)
    used = sources[sources["source_id"].isin(cited_sources(data_dir))]
    dates = used["date_published"].str.strip()
    dates = dates[dates.ne("")]
    if dates.empty:
        raise ValueError(
            f"{Path(data_dir) / 'sources.csv'}: none of the cited sources has a date_published; "
            "the edition cannot say which data vintage it uses"
        )
    return str(dates.max())


def edition(county: str, data_dir: Path = DATA, root: Path = ROOT) -> Edition:
    version, commit, clean = code_version(root)
    data_dir = Path(data_dir)
    return Edition(
        version=version,
        commit=commit,
        clean=clean,
        built=build_date(),
        data_date=newest_publication(data_dir),
        county=county,
        county_name=geography.name_of(county),
        title=title_for(county),
        external_data=data_dir.resolve() != (root / "data").resolve(),
    )
