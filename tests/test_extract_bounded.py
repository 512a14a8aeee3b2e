"""Hostile input is read only up to a fixed amount and goes through without raising: empty, huge,
binary, endless quoting. (How long that takes is measured by bench/extract_bench.py, not here.)"""

from __future__ import annotations

import os

import pytest

from tests.extract_support import extractor, message, run
from triage.extraction.text import MAX_MESSAGE_CHARS, MAX_ZONE_CHARS
from triage.extraction.zones import message_zones
from triage.mail.category import Category
from triage.mail.parse import parse_message


def _read_chars(text: str) -> int:
    """Extract from *text* (one applicant, no error) and return how many characters were read."""
    assert len(run(text).applicants) == 1
    zones = message_zones(message(text))
    assert all(len(zone.text) <= MAX_ZONE_CHARS for zone in zones)
    return sum(len(zone.text) for zone in zones)


def test_empty_body_gives_header_fields_only() -> None:
    got = run("").applicants[0].to_json()
    assert got["email"] == "alex.tester@mail.example" and got["city"] is None


def test_five_megabyte_body_is_read_up_to_the_limit() -> None:
    text = ("I served 5 years in the army and I live in Oslo. " * 110_000)[: 5 * 1024 * 1024]
    assert 0 < _read_chars(text) <= MAX_MESSAGE_CHARS


def test_binary_garbage_body_finishes_without_error() -> None:
    garbage = os.urandom(256 * 1024).decode("latin-1")
    assert _read_chars(garbage) <= MAX_MESSAGE_CHARS


def test_ten_thousand_line_quoted_thread_is_read_up_to_the_limit() -> None:
    quoted = "\n".join(f"> line {n} of an old thread, Name: Someone Else {n}" for n in range(10_000))
    text = f"My name is Ivo Petrov, I live in Sofia.\n\nOn Mon, 1 Mar 2022 someone wrote:\n{quoted}\n"
    assert _read_chars(text) <= MAX_MESSAGE_CHARS
    got = run(text).applicants[0].to_json()
    assert got["full_name"] == "Ivo Petrov"


def test_binary_mime_message_goes_through_parse_and_extract() -> None:
    raw = b"From: x@mail.example\r\nSubject: \xff\xfe\r\n\r\n" + os.urandom(64 * 1024)
    parsed = parse_message(raw)
    result = extractor().extract(parsed, Category.application)
    assert len(result.applicants) == 1


@pytest.mark.parametrize("text", ["\x00" * 1000, "\n" * 50_000, "a" * 200_000, "😀" * 10_000, "\u202e" * 500])
def test_degenerate_bodies_do_not_raise(text: str) -> None:
    assert extractor().extract(message(text), Category.question).applicants
