"""Locate models/ and load its gazetteers and cue lists into lookup tables, once per process."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.extraction.errors import ModelsNotFoundError
from triage.extraction.text import fold_key

#: The languages with their own cue lists; any other text is read with the ``xx`` cues only.
LANGUAGES = ("en uk ru be pl de fr es pt it cs sk lt lv ro nl hr sv fi ja ko ka he tr").split()
#: Languages whose words inflect at the end, so gazetteer names also match as word prefixes.
INFLECTING = frozenset("uk ru be pl cs sk lt lv hr fi tr ka ro".split())
#: Scripts written without spaces: their names are looked up without the space between tokens.
UNSPACED = frozenset({"ja", "ko", "zh"})


def default_models_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return *explicit*, else $TRIAGE_MODELS_DIR, else the ``models/`` folder of the checkout.

    Raise ModelsNotFoundError when the folder does not exist.
    """
    candidates = [Path(explicit)] if explicit else []
    if not explicit and os.environ.get("TRIAGE_MODELS_DIR"):
        candidates.append(Path(os.environ["TRIAGE_MODELS_DIR"]))
    if not candidates:
        here = Path(__file__).resolve()
        candidates += [parent / "models" for parent in here.parents[2:4]]
        candidates.append(Path.cwd() / "models")
    for path in candidates:
        if (path / "config.json").is_file():
            return path
    raise ModelsNotFoundError(f"no models directory with config.json among {[str(p) for p in candidates]}")


#: Scripts written without spaces between words, tokenised one character at a time.
CJK_CHARS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
CJK = re.compile(f"[{CJK_CHARS}]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer value: its label (COUNTRY, CITY, ...), normalised value and source language."""

    label: str
    value: Any
    lang: str | None


@dataclass(slots=True)
class Gazetteer:
    """Folded names to entries, with a prefix table for inflected forms ("Варшаве" -> "Варшава")."""

    exact: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    stems: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    #: Every proper prefix of a key that ends before a space or after an apostrophe ("la", "la paz",
    #: "cote d'"), so a lookup grows a window token by token and stops as soon as nothing can follow.
    prefixes: set[str] = field(default_factory=set)

    def add(self, pattern: str, entry: Entry, *, stem: bool) -> None:
        key = fold_key(pattern).replace("' ", "'")
        if not key:
            return
        self.exact[key].append(entry)
        unspaced = CJK.match(key) is not None  # ideographs, kana, hangul: a token per character
        for position, char in enumerate(key[:-1]):
            if unspaced:
                self.prefixes.add(key[: position + 1])
            elif char == " ":
                self.prefixes.add(key[:position])
            elif char == "'":
                self.prefixes.add(key[: position + 1])
        if stem and " " not in key and len(key) >= 4:
            for cut in (1, 2):
                if len(key) - cut >= (4 if len(key) > 5 else 3):
                    self.stems[key[:-cut]].append(entry)


@dataclass(slots=True)
class Resources:
    """Everything the pipeline loads from models/: config, the gazetteer and cue phrases per language."""

    models_dir: Path
    config: dict[str, Any]
    gazetteer: Gazetteer
    cues: dict[str, dict[str, list[str]]]
    language_countries: dict[str, str]


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip() and not line.startswith("//")]


def load_resources(models_dir: Path) -> Resources:
    """Read config.json, generated/*.jsonl, curated/*.jsonl and curated/cues/*.json under *models_dir*."""
    config = json.loads((models_dir / "config.json").read_text(encoding="utf-8"))
    gazetteer = Gazetteer()
    for folder in ("generated", "curated"):
        for path in sorted((models_dir / folder).glob("*.jsonl")):
            for row in _rows(path):
                lang = row.get("lang")
                entry = Entry(str(row["label"]), row["id"], lang)
                stem = lang in INFLECTING or (lang is None and len(row.get("patterns", ())) > 1)
                for pattern in row.get("patterns") or [row["pattern"]]:
                    gazetteer.add(str(pattern), entry, stem=stem)
    cues: dict[str, dict[str, list[str]]] = {}
    for path in sorted((models_dir / "curated" / "cues").glob("*.json")):
        cues[path.stem] = {k: list(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    lc_path = models_dir / "generated" / "language_countries.json"
    language_countries = json.loads(lc_path.read_text(encoding="utf-8")) if lc_path.exists() else {}
    language_countries.update(config.get("language_country_overrides", {}))
    return Resources(models_dir, config, gazetteer, cues, {k: v for k, v in language_countries.items() if v})
