"""Names across scripts, romanisations, word order and diacritics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.linking.compare import name_level
from triage.linking.names import (
    Name,
    decode_name,
    encode_name,
    fold_token,
    normalise_name,
    token_alignment,
    token_similarity,
)


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


def _greedy_alignment(a: Name, b: Name) -> list[float]:
    """The alignment as first written: every cell sorted, best first, each token used once."""
    short, long_ = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    cells = sorted(
        ((token_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)),
        reverse=True,
    )
    used_short: set[int] = set()
    used_long: set[int] = set()
    result = []
    for sim, i, j in cells:
        if i not in used_short and j not in used_long:
            used_short.add(i)
            used_long.add(j)
            result.append(sim)
    return result


WORDS = [
    "Ivan",
    "Ivanov",
    "Iwan",
    "Sergei",
    "Serhii",
    "Kozlov",
    "Kazlou",
    "Anna",
    "Ana",
    "Petrova",
    "Jan",
    "J",
]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
)
def test_token_alignment_shortcuts_pair_tokens_as_the_greedy_matrix_does(a: list[str], b: list[str]) -> None:
    x, y = normalise_name(" ".join(a)), normalise_name(" ".join(b))
    assert token_alignment(x, y) == _greedy_alignment(x, y)


@pytest.mark.parametrize(
    "name", ["Сергей Козлов", "Giorgi Beridze", "Γιώργος Παπαδόπουλος", "J. R. Whitfield"]
)
def test_a_name_encoded_for_storage_decodes_to_the_same_tokens(name: str) -> None:
    normalised = normalise_name(name)
    assert decode_name(encode_name(normalised)) == normalised
