"""The optional trained NER path: a tiny pipeline trained here, saved, and loaded through the config."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from tests.extract_support import message
from triage.extraction import Extractor, NerModelError, default_models_dir
from triage.mail.category import Category

_TRAIN = [
    ("Please meet Olaf Brekke today.", "Olaf Brekke"),
    ("Please meet Ingrid Solberg today.", "Ingrid Solberg"),
    ("Please meet Henrik Dahl today.", "Henrik Dahl"),
    ("Please meet Sigrid Lunde today.", "Sigrid Lunde"),
]


def _train_tiny_ner(path: Path) -> Path:
    spacy.util.fix_random_seed(7)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = []
    for text, name in _TRAIN:
        start = text.index(name)
        examples.append(
            Example.from_dict(nlp.make_doc(text), {"entities": [(start, start + len(name), "PERSON")]})
        )
    random.seed(7)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.to_disk(path)
    return path


def test_required_ner_pipeline_adds_person_candidates(tmp_path: Path) -> None:
    model = _train_tiny_ner(tmp_path / "ner-en")
    extractor = Extractor(default_models_dir(), ner_mode="required", ner_models={"en": str(model)})
    result = extractor.extract(
        message("Please meet Olaf Brekke today. I want to volunteer.", name=""), Category.application
    )
    ner = [c for c in result.candidates if c.extractor == "ner.en"]
    assert [c.value for c in ner] == ["Olaf Brekke"]
    assert result.applicants[0].to_json()["full_name"] == "Olaf Brekke"


def test_ner_pipeline_is_not_used_on_another_language(tmp_path: Path) -> None:
    model = _train_tiny_ner(tmp_path / "ner-en")
    extractor = Extractor(default_models_dir(), ner_mode="required", ner_models={"en": str(model)})
    text = "Bitte treffen Sie Olaf Brekke heute. Ich möchte mich freiwillig melden und wohne in Berlin."
    result = extractor.extract(message(text, name=""), Category.application)
    assert not [c for c in result.candidates if c.extractor.startswith("ner.")]


def test_required_ner_that_is_missing_raises(tmp_path: Path) -> None:
    with pytest.raises(NerModelError):
        Extractor(default_models_dir(), ner_mode="required", ner_models={"en": str(tmp_path / "absent")})


def test_auto_ner_that_is_missing_falls_back_to_rules(tmp_path: Path) -> None:
    extractor = Extractor(default_models_dir(), ner_mode="auto", ner_models={"en": str(tmp_path / "absent")})
    result = extractor.extract(message("My name is Olaf Brekke."), Category.application)
    assert result.applicants[0].to_json()["full_name"] == "Olaf Brekke"
