"""Offline language identification, with Ukrainian, Russian and Belarusian told apart."""

# ruff: noqa: RUF001  (sentences in Cyrillic, Georgian and Hebrew on purpose)

from __future__ import annotations

import pytest

from triage.extraction.language import LanguageIdentifier, east_slavic


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Доброго дня! Я хочу приєднатися до легіону, маю досвід служби в армії.", "uk"),
        ("Здравствуйте! Я хочу вступить в легион, у меня есть опыт службы в армии.", "ru"),
        ("Добры дзень! Я хачу ўступіць у легіён, у мяне ёсць вопыт службы ў войску.", "be"),
        ("Dzień dobry, chciałbym zgłosić się jako ochotnik do legionu.", "pl"),
        ("Guten Tag, ich möchte mich als Freiwilliger für die Legion melden.", "de"),
        ("ウクライナ大使館の皆様、義勇兵として参加したいです。", "ja"),
        ("გამარჯობა, მინდა ლეგიონში შესვლა მოხალისედ.", "ka"),
        ("안녕하세요, 저는 국제 군단에 자원하고 싶습니다.", "ko"),
        ("שלום, אני רוצה להתנדב ללגיון הבינלאומי.", "he"),
    ],
)
def test_language_of_short_volunteer_texts(text: str, code: str) -> None:
    assert LanguageIdentifier().identify(text)[0] == code


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "\x00\x01"])
def test_text_without_words_has_no_language(text: str) -> None:
    assert LanguageIdentifier().identify(text) == (None, 0.0)


def test_east_slavic_letters_decide() -> None:
    assert east_slavic("ї", "ru") == "uk"
    assert east_slavic("ў", "ru") == "be"
    assert east_slavic("ы", "uk") == "ru"
