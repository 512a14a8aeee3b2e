"""The extraction package's errors.

ExtractionError
 ├── ModelsNotFoundError   models/ (config.json) cannot be found
 └── NerModelError         ner_mode="required" and a configured NER pipeline cannot be loaded
"""

from __future__ import annotations

from triage.errors import TriageError


class ExtractionError(TriageError):
    """Base of every error the extraction package raises."""


class ModelsNotFoundError(ExtractionError):
    """The models directory, or its config.json, is missing."""


class NerModelError(ExtractionError):
    """A required trained NER pipeline is missing or cannot be loaded."""
