"""Property tests for the normalisers: phone numbers, numeric dates, service lengths."""

from __future__ import annotations

from datetime import date

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.extraction.normalise import (
    japanese_era_date,
    normalise_phone,
    numeric_date,
    parse_number,
    years_from,
)

_REGIONS = ["PL", "DE", "GB", "US", "LT", "JP", "BR", "UA"]


@settings(max_examples=150, deadline=None)
@given(
    region=st.sampled_from(_REGIONS),
    kind=st.sampled_from(["mobile", "fixed_line"]),
    style=st.sampled_from(["national", "international"]),
)
def test_phone_written_any_way_normalises_to_the_same_e164(region: str, kind: str, style: str) -> None:
    example = phonenumbers.example_number_for_type(
        region, getattr(phonenumbers.PhoneNumberType, kind.upper())
    )
    assert example is not None
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL
    if style == "international":
        fmt = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    written = phonenumbers.format_number(example, fmt)
    got = normalise_phone(written, [region, "US"])
    assert got is not None
    assert got[0] == phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def test_number_valid_nowhere_is_read_where_a_line_can_have_its_length() -> None:
    # a fictional British mobile from a writer living in Ukraine: +44, not a 10-digit Ukrainian number
    assert normalise_phone("07700 900418", ["UA", "GB"]) == ("+447700900418", 0.6, True)
    assert normalise_phone("07700 900418", ["PL", "UA"]) is not None


@given(st.text(max_size=40))
def test_phone_normaliser_never_raises(text: str) -> None:
    result = normalise_phone(text, ["GB"])
    assert result is None or result[0].startswith("+")


@given(st.dates(min_value=date(1921, 1, 1), max_value=date(2009, 12, 31)), st.sampled_from([".", "/", "-"]))
def test_day_first_dates_round_trip(day: date, sep: str) -> None:
    written = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert numeric_date(written, month_first=False) == day.isoformat()


@given(st.dates(min_value=date(1921, 1, 1), max_value=date(2009, 12, 31)))
def test_month_first_dates_round_trip(day: date) -> None:
    assert numeric_date(f"{day.month}/{day.day}/{day.year}", month_first=True) == day.isoformat()


@given(st.dates(min_value=date(1921, 1, 1), max_value=date(2009, 12, 31)))
def test_iso_dates_round_trip(day: date) -> None:
    assert numeric_date(day.isoformat(), month_first=True) == day.isoformat()


def test_unambiguous_date_ignores_the_convention() -> None:
    assert numeric_date("08/22/1985", month_first=False) == "1985-08-22"
    assert numeric_date("22/08/1985", month_first=True) == "1985-08-22"


@given(st.text(max_size=30))
def test_numeric_date_never_raises(text: str) -> None:
    result = numeric_date(text, month_first=False)
    assert result is None or len(result) == 10


def test_japanese_era_dates_convert() -> None:
    assert japanese_era_date("平成3年4月3日") == "1991-04-03"
    assert japanese_era_date("昭和60年12月1日") == "1985-12-01"
    assert japanese_era_date("平成元年1月9日") == "1989-01-09"


@given(st.integers(min_value=1, max_value=480))
def test_months_convert_to_years(months: int) -> None:
    assert abs(years_from(months, unit_months=True) - months / 12) < 0.01


@given(
    st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=9), st.sampled_from([".", ","])
)
def test_decimal_numbers_parse_with_either_separator(whole: int, tenth: int, sep: str) -> None:
    assert parse_number(f"{whole}{sep}{tenth}") == float(f"{whole}.{tenth}")
