"""Hostile input finishes in bounded time without raising: empty, huge, binary, endless quoting."""

from __future__ import annotations

import os
import time

import pytest

from tests.extract_support import extractor, message, run
from triage.mail.category import Category
from triage.mail.parse import parse_message

_BUDGET_SECONDS = 3.0


def _timed(text: str) -> float:
    start = time.perf_counter()
    result = run(text)
    elapsed = time.perf_counter() - start
    assert len(result.applicants) == 1
    return elapsed


def test_empty_body_gives_header_fields_only() -> None:
    got = run("").applicants[0].to_json()
    assert got["email"] == "alex.tester@mail.example" and got["city"] is None


def test_five_megabyte_body_finishes_in_bounded_time() -> None:
    text = ("I served 5 years in the army and I live in Oslo. " * 110_000)[: 5 * 1024 * 1024]
    assert _timed(text) < _BUDGET_SECONDS


def test_binary_garbage_body_finishes_without_error() -> None:
    garbage = os.urandom(256 * 1024).decode("latin-1")
    assert _timed(garbage) < _BUDGET_SECONDS


def test_ten_thousand_line_quoted_thread_finishes_in_bounded_time() -> None:
    quoted = "\n".join(f"> line {n} of an old thread, Name: Someone Else {n}" for n in range(10_000))
    text = f"My name is Ivo Petrov, I live in Sofia.\n\nOn Mon, 1 Mar 2022 someone wrote:\n{quoted}\n"
    start = time.perf_counter()
    got = run(text).applicants[0].to_json()
    assert time.perf_counter() - start < _BUDGET_SECONDS
    assert got["full_name"] == "Ivo Petrov"


def test_binary_mime_message_goes_through_parse_and_extract() -> None:
    raw = b"From: x@mail.example\r\nSubject: \xff\xfe\r\n\r\n" + os.urandom(64 * 1024)
    parsed = parse_message(raw)
    result = extractor().extract(parsed, Category.application)
    assert len(result.applicants) == 1


@pytest.mark.parametrize("text", ["\x00" * 1000, "\n" * 50_000, "a" * 200_000, "😀" * 10_000, "\u202e" * 500])
def test_degenerate_bodies_do_not_raise(text: str) -> None:
    assert extractor().extract(message(text), Category.question).applicants
