"""The staff web UI and JSON API (`triage web`): decisions only; the daemon sends."""

from triage.web.factory import create_app

__all__ = ["create_app"]
