"""Turning the global CLI options into settings and an App."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from triage.app import App
from triage.settings import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    """Read the config named by --config or $TRIAGE_CONFIG, with --database-url/$TRIAGE_DATABASE_URL."""
    config = args.config or os.environ.get("TRIAGE_CONFIG")
    url = args.database_url or os.environ.get("TRIAGE_DATABASE_URL")
    return load_settings(Path(config) if config else None, database_url=url)


def app_from(args: argparse.Namespace, *, migrate_empty: bool = True) -> App:
    return App.create(settings_from(args), migrate_empty=migrate_empty)
