"""triage: ingest, classify and triage volunteer mail to embassy mailboxes."""

__version__ = "0.1.0"
