"""Names across scripts, romanisations, word order and diacritics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.linking.compare import name_level
from triage.linking.names import fold_token, normalise_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Олександр Коваленко", "Oleksandr Kovalenko"),
        ("Олександр Коваленко", "Aleksandr Kovalenko"),
        ("Oleksandr Kovalenko", "Alexander Kovalenko"),
        ("Paweł Wiśniewski", "Pawel Wisniewski"),
        ("გიორგი ბერიძე", "Giorgi Beridze"),
        ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
        ("Андрій Гнатюк", "Andrew Hnatyuk"),
        ("Савицкий Дмитрий", "Dmitry Savitsky"),
        ("Jacob Ryan Whitfield", "Jacob Whitfield"),
        ("WHITFIELD Jacob", "Jacob Whitfield"),
    ],
)
def test_name_level_across_scripts_is_exact(a: str, b: str) -> None:
    assert name_level(normalise_name(a), normalise_name(b)) == "exact"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Козлов Сергей Николаевич", "Siarhei Kazlou"),
        ("Giorgi Beridse", "Giorgi Beridze"),
        ("Sergey Kozlov", "Serhii Kozlov"),
    ],
)
def test_name_level_with_romanisation_variants_is_exact_or_close(a: str, b: str) -> None:
    assert name_level(normalise_name(a), normalise_name(b)) in ("exact", "close")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siarhei Kazlou", "Mindaugas Kazlauskas"),
        ("Lukas Bauer", "Mindaugas Kazlauskas"),
        ("Dmitry Savitsky", "Darius Jankauskas"),
        ("Giorgi Beridze", "Levan Kapanadze"),
    ],
)
def test_name_level_of_hard_negatives_is_different(a: str, b: str) -> None:
    assert name_level(normalise_name(a), normalise_name(b)) == "different"


def test_normalise_name_drops_patronymic() -> None:
    tokens = [t.folded for t in normalise_name("Козлов Сергей Николаевич").tokens]
    assert tokens == ["kozlov", "sergi"]


def test_normalise_name_without_letters_is_empty() -> None:
    assert normalise_name("  12 ").is_empty
    assert normalise_name(None).is_empty


@given(st.text(max_size=30))
def test_fold_token_is_idempotent(text: str) -> None:
    once = fold_token(text)
    assert fold_token(once) == once


@given(st.text(max_size=40))
def test_normalise_name_is_deterministic(text: str) -> None:
    assert normalise_name(text) == normalise_name(text)
