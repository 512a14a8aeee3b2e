"""Normalisers for phone numbers (phonenumbers), dates and numbers of years; pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import phonenumbers
from phonenumbers import re_util

# phonenumbers compiles its metadata patterns on every call unless told to keep them; reading many
# numbers from many regions is exactly the case its cache is for.
re_util.enable_pattern_cache()

_NON_DIGIT = re.compile(r"\D")
_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_LINE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
#: Japanese era names and the Gregorian year before each era's first year.
JAPANESE_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}


def normalise_phone(raw: str, regions: Sequence[str]) -> tuple[str, float, bool] | None:
    """Return (E.164, confidence, is_mobile) for *raw*, read in the first of *regions* where it is valid.

    International forms (``+``/``00``) need no region. A number valid nowhere is returned with a lower
    confidence (fictional ranges used in examples are such numbers), read in the first region where a
    mobile or fixed line can have its length (``07700 900418`` is British, not Ukrainian), else in the
    first where it is possible at all.
    """
    text = raw.strip()
    digits = _NON_DIGIT.sub("", text)
    if not 7 <= len(digits) <= 15:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    tries: list[str | None] = [None] if text.startswith("+") else [*regions]
    possible: tuple[str, float, bool] | None = None
    for region in tries:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number):
            return e164, 0.9, phonenumbers.number_type(number) in _MOBILE_TYPES
        if any(phonenumbers.is_possible_number_for_type(number, t) for t in _LINE_TYPES):
            return e164, 0.6, True
        if possible is None and phonenumbers.is_possible_number(number):
            possible = (e164, 0.6, True)
    return possible


def make_date(year: int, month: int, day: int) -> str | None:
    """Return the ISO date, or None when the parts do not form a plausible date of birth."""
    if not 1920 <= year <= 2010:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def numeric_date(text: str, month_first: bool) -> str | None:
    """Read ``D.M.Y``, ``D/M/Y``, ``Y-M-D`` (and ``M/D/Y`` when *month_first*) as an ISO date.

    The day and month swap when only the other reading is a valid date (``08/22/1985`` anywhere).
    """
    parts = [int(p) for p in re.findall(r"\d+", text)]
    if len(parts) != 3:
        return None
    if parts[0] > 31:
        return make_date(parts[0], parts[1], parts[2])
    first, second, year = parts
    if year < 100:
        year += 1900 if year > 30 else 2000
    order = [(second, first), (first, second)] if month_first else [(first, second), (second, first)]
    for day, month in order:
        if month <= 12:
            result = make_date(year, month, day)
            if result:
                return result
    return None


def japanese_era_date(text: str) -> str | None:
    """Convert 平成3年4月3日 (an era year, month, day) to an ISO date."""
    match = re.search(
        r"(明治|大正|昭和|平成|令和)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text
    )
    if not match:
        return None
    year = 1 if match.group(2) == "元" else int(match.group(2))
    return make_date(JAPANESE_ERAS[match.group(1)] + year, int(match.group(3)), int(match.group(4)))


def years_from(number: float, unit_months: bool) -> float:
    """Return a service length in years: months as a fraction of a year (two places), whole years as int."""
    years = round(number / 12, 2) if unit_months else float(number)
    return int(years) if years.is_integer() else years


def parse_number(token: str) -> float | None:
    """Read a digit string such as ``9``, ``1.5`` or ``1,5``; None otherwise."""
    match = re.fullmatch(r"(\d{1,2})(?:[.,](\d))?", token.strip())
    if not match:
        return None
    return float(f"{match.group(1)}.{match.group(2) or 0}")
