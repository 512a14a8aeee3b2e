"""Configuration: the example file loads, bad keys are named, secrets come from files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.apps import REPO, write_toml
from triage.errors import ConfigError
from triage.settings import load_settings, parse_settings, read_secret


def test_example_config_loads_with_every_section() -> None:
    settings = load_settings(REPO / "config" / "triage.example.toml")
    assert [e.code for e in settings.embassies] == ["pl", "de"]
    assert [m.name for m in settings.mailboxes] == ["warsaw", "central", "backfill"]
    assert settings.mailboxes[0].folder_names == ["INBOX", "Legion"]
    assert settings.mailboxes[1].embassy is None
    assert settings.smtp is not None and settings.smtp.from_.startswith("Embassy of Ukraine")


def test_example_config_documents_every_option() -> None:
    text = (REPO / "config" / "triage.example.toml").read_text(encoding="utf-8")
    from triage.settings import DaemonSettings, EmbassySettings, MailboxSettings, SmtpSettings

    for model in (DaemonSettings, EmbassySettings, MailboxSettings, SmtpSettings):
        for name, field in model.model_fields.items():
            assert f"{field.alias or name} =" in text, f"{model.__name__}.{name} missing from the example"


def test_demo_config_resolves_paths_relative_to_its_file() -> None:
    settings = load_settings(REPO / "config" / "demo.toml")
    assert settings.database.url == f"sqlite:///{REPO / 'config' / '../var/demo.db'}"
    assert Path(settings.mailboxes[0].path) == REPO / "config" / "../demo/mail"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"databse": {}}, "databse: unknown key"),
        ({"daemon": {"poll_interval_seconds": -1}}, "daemon.poll_interval_seconds"),
        ({"daemon": {"fetch_batch_size": "many"}}, "daemon.fetch_batch_size"),
        ({"mailboxes": [{"name": "a", "url": "pop3://x.example/"}]}, "mailboxes[0].url"),
        (
            {"mailboxes": [{"name": "a", "url": "imap://x.example/", "pasword": "x"}]},
            "mailboxes[0].pasword: unknown key",
        ),
        ({"mailboxes": [{"name": "a", "url": "imap://x.example/", "embassy": "zz"}]}, "mailboxes[0].embassy"),
        (
            {"mailboxes": [{"name": "a", "url": "maildir:/x"}, {"name": "a", "url": "maildir:/y"}]},
            "mailboxes[1].name",
        ),
        ({"embassies": [{"code": "pl", "name": "x", "addresses": ["nobody"]}]}, "embassies[0].addresses"),
        ({"smtp": {"url": "http://x.example"}}, "smtp.url"),
    ],
)
def test_parse_settings_with_bad_value_names_the_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(data)
    assert str(info.value).startswith(key)


def test_cli_with_unknown_key_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write_toml(tmp_path / "bad.toml", {"daemon": {"pol_interval": 3}})
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "triage: config error: daemon.pol_interval: unknown key"


def test_cli_with_missing_config_file_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(tmp_path / "none.toml"), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--config: no such file" in result.stderr


def test_read_secret_from_password_file_strips_one_newline(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret with space\n", encoding="utf-8")
    assert read_secret("mailboxes[0]", tmp_path / "pw", None, {}) == "s3cret with space"


def test_read_secret_from_credentials_directory(tmp_path: Path) -> None:
    (tmp_path / "warsaw").write_text("pw", encoding="utf-8")
    assert read_secret("mailboxes[0]", None, "warsaw", {"CREDENTIALS_DIRECTORY": str(tmp_path)}) == "pw"


def test_read_secret_without_credentials_directory_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"mailboxes\[2\]\.password_credential"):
        read_secret("mailboxes[2]", None, "warsaw", {})


def test_config_check_with_unreadable_password_file_fails_naming_it(tmp_path: Path) -> None:
    path = write_toml(
        tmp_path / "c.toml",
        {"mailboxes": [{"name": "a", "url": "imaps://u@mail.example/INBOX", "password_file": "missing-pw"}]},
    )
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "mailboxes[0].password_file: cannot read" in result.stderr
