"""The rebuild after new data must recompute every page: the guard clears what would go stale."""

import importlib.util

from zjinnov.data.paths import ROOT

spec = importlib.util.spec_from_file_location("cache_guard", ROOT / "tools" / "cache_guard.py")
guard = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guard)


def test_changed_inputs_clear_cache_downloads_and_doctrees(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    for d in ("data", "lib", "book/_ext"):
        (root / d).mkdir(parents=True)
    (root / "data" / "t.csv").write_text("a\n1\n")
    (root / "_toc.yml").write_text("x")
    (root / "_config.yml").write_text("y")
    monkeypatch.setattr(guard, "ROOT", root)
    build = root / "_build"
    guard.main(str(build))
    for state in (".jupyter_cache", "downloads", ".doctrees"):
        (build / state).mkdir()
    guard.main(str(build))  # nothing changed: state kept
    assert all((build / s).exists() for s in (".jupyter_cache", "downloads", ".doctrees"))
    (root / "data" / "t.csv").write_text("a\n2\n")  # a corrected table
    guard.main(str(build))
    assert not any((build / s).exists() for s in (".jupyter_cache", "downloads", ".doctrees"))


def test_new_toc_clears_only_doctrees(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    for d in ("data", "lib", "book/_ext"):
        (root / d).mkdir(parents=True)
    (root / "_toc.yml").write_text("x")
    (root / "_config.yml").write_text("y")
    monkeypatch.setattr(guard, "ROOT", root)
    build = root / "_build"
    guard.main(str(build))
    for state in (".jupyter_cache", ".doctrees"):
        (build / state).mkdir()
    (root / "_toc.yml").write_text("x2")
    guard.main(str(build))
    assert (build / ".jupyter_cache").exists() and not (build / ".doctrees").exists()


def test_an_overlay_is_an_input_too(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    for d in ("data", "lib", "book/_ext"):
        (root / d).mkdir(parents=True)
    (root / "_toc.yml").write_text("x")
    (root / "_config.yml").write_text("y")
    extra = tmp_path / "confidential" / "raw"
    extra.mkdir(parents=True)
    (extra / "t.csv").write_text("a\n1\n")
    overlay = tmp_path / "overlay"
    (overlay / "raw").mkdir(parents=True)
    (overlay / "raw" / "t.csv").symlink_to(extra / "t.csv")
    monkeypatch.setattr(guard, "ROOT", root)
    build = root / "_build"
    guard.main(str(build))  # public data only
    (build / ".jupyter_cache").mkdir()
    monkeypatch.setenv("ZJINNOV_DATA", str(overlay))
    guard.main(str(build))  # the same repository, now with an overlay: stale
    assert not (build / ".jupyter_cache").exists()
    (build / ".jupyter_cache").mkdir()
    guard.main(str(build))
    assert (build / ".jupyter_cache").exists()
    (extra / "t.csv").write_text("a\n2\n")  # a corrected confidential table, behind the link
    guard.main(str(build))
    assert not (build / ".jupyter_cache").exists()
