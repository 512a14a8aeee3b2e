"""Evidence marking in the original text: spans that still match are marked, nothing else."""

from __future__ import annotations

from triage.web.evidence import Piece, highlight


def test_highlight_with_matching_span_marks_it_with_field_and_confidence() -> None:
    text = "My name is Ann Lee <b>."
    evidence = {"full_name": {"span": [11, 18], "text": "Ann Lee", "confidence": 0.9, "source": "body"}}
    assert highlight(text, evidence) == [Piece("My name is "), Piece("Ann Lee", "full_name", 0.9),
                                         Piece(" <b>.")]


def test_highlight_with_stale_header_or_overlapping_span_leaves_text_whole() -> None:
    text = "Call +48 600 000 000 now"
    evidence = {
        "phone": {"span": [5, 20], "text": "+48 600 000 000", "confidence": 1.0, "source": "body"},
        "email": {"span": [0, 4], "text": "Call", "confidence": 0.8, "source": "header"},
        "city": {"span": [0, 4], "text": "Rome", "confidence": 0.8, "source": "body"},
        "age": {"span": [8, 11], "text": "600", "confidence": 0.5, "source": "body"},
    }
    pieces = highlight(text, evidence)
    assert "".join(p.text for p in pieces) == text
    assert [p.field for p in pieces if p.field] == ["phone"]
