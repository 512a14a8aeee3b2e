"""Applicant extraction: spaCy rule pipelines over the message's own text, resolved into profiles.

Public API::

    extractor = Extractor(default_models_dir(), ner_mode="off")
    result = extractor.extract(parsed, category)   # -> Extraction
    result.language, result.applicants, result.candidates
    result.applicants[0].to_json()                 # the fourteen fields plus "evidence"
"""

from triage.extraction.errors import ExtractionError, ModelsNotFoundError, NerModelError
from triage.extraction.evidence import FIELDS, Applicant, Candidate, Extraction
from triage.extraction.extractor import Extractor
from triage.extraction.resources import default_models_dir

__all__ = [
    "FIELDS",
    "Applicant",
    "Candidate",
    "Extraction",
    "ExtractionError",
    "Extractor",
    "ModelsNotFoundError",
    "NerModelError",
    "default_models_dir",
]
