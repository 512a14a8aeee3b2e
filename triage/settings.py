"""The configuration schema: every key with its type, default and meaning; one TOML file is read into it.

Unknown keys are errors. Relative paths (SQLite files, Maildir folders, password and CA files) are taken
relative to the directory of the config file. Secrets are never values in the file: a mailbox or SMTP
server names a ``password_file`` or a ``password_credential`` (a file in ``$CREDENTIALS_DIRECTORY``,
where systemd's ``LoadCredential=`` puts it).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from triage.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///triage.db"
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(Section):
    url: str = Field(
        DEFAULT_DATABASE_URL, description="Any SQLAlchemy URL; postgresql+psycopg://... to share."
    )


class DaemonSettings(Section):
    poll_interval_seconds: float = Field(60, gt=0, description="How often each mailbox is polled.")
    drain_interval_seconds: float = Field(5, gt=0, description="How often the pipeline looks for work.")
    misfire_grace_seconds: int = Field(30, gt=0, description="A job that starts this late still runs.")
    idle: bool = Field(True, description="Use IMAP IDLE where the server offers it, to fetch at once.")
    idle_timeout_seconds: float = Field(300, gt=0, le=1740, description="Re-issue IDLE this often.")
    fetch_batch_size: int = Field(200, ge=1, le=5000, description="Messages per UID FETCH command.")
    max_message_bytes: int = Field(
        25 * 1024 * 1024, ge=1024, description="Larger messages are stored as headers only, with a reason."
    )
    max_attempts: int = Field(3, ge=1, le=100, description="A stage is tried this often before parking.")
    retry_delay_seconds: float = Field(30, ge=0, description="First retry delay; doubles per attempt.")
    reconnect_max_seconds: float = Field(300, gt=0, description="Cap of the per-mailbox reconnect backoff.")
    connect_timeout_seconds: float = Field(30, gt=0, description="Network timeout for mail servers.")
    max_text_chars: int = Field(200_000, ge=1000, description="Body text longer than this is cut.")
    lease_seconds: float = Field(300, gt=0, description="A batch of messages claimed by a process is its "
                                 "own this long; if the process dies, another takes over after it.")
    workers: int = Field(
        0,
        ge=0,
        le=64,
        description="Processes that parse, classify and extract in "
        "parallel; 0 does it in the daemon's own process.",
    )


class ExtractionSettings(Section):
    models_dir: Path | None = Field(None, description="The NLP models folder; default: the shipped models/.")
    ner: Literal["off", "auto", "required"] = Field(
        "off", description="Trained NER: off, auto (use where installed), required (fail without it)."
    )
    ner_models: dict[str, str] = Field(
        default_factory=dict, description="Language code -> spaCy pipeline name or path, e.g. fr = ..."
    )


class RepliesSettings(Section):
    templates_dir: Path | None = Field(
        None, description="An operator's template folder; shipped ones fill gaps."
    )
    required_fields: list[str] = Field(
        default_factory=lambda: [
            "full_name",
            "date_of_birth",
            "phone",
            "nationality",
            "military_experience",
            "has_passport",
        ],
        description="Fields an application must give; a follow-up asks for the missing ones.",
    )
    max_replies_per_recipient: int = Field(3, ge=1, description="At most this many drafts to one address ...")
    rate_limit_window_hours: float = Field(24, gt=0, description="... within this many hours.")
    message_id_domain: str = Field("", description="Domain of reply Message-IDs; default: the From domain.")
    send_interval_seconds: float = Field(30, gt=0, description="How often the daemon sends approved drafts.")
    send_retry_seconds: float = Field(300, gt=0, description="First delay after a temporary SMTP failure.")
    max_send_attempts: int = Field(5, ge=1, description="Temporary failures before a draft goes to staff.")
    sending_timeout_seconds: float = Field(
        900, gt=0, description="A draft left in 'sending' this long (a crash) goes to staff, never resent."
    )

    @field_validator("required_fields")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        from triage.replies.samples import PROFILE_FIELDS

        for name in value:
            if name not in PROFILE_FIELDS:
                raise ValueError(f"unknown field {name!r}")
        return value


class EmbassySettings(Section):
    code: Code
    name: str = Field(min_length=1)
    addresses: list[str] = Field(default_factory=list)
    reply_from: str = ""
    signature: str = ""

    @field_validator("addresses")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address:
                raise ValueError(f"not an email address: {address!r}")
        return [a.strip().lower() for a in value]


class MailboxSettings(Section):
    name: Code
    url: str
    embassy: str | None = None
    password_file: Path | None = None
    password_credential: str | None = None
    ca_file: Path | None = None
    folders: list[str] = Field(default_factory=list, description="Folders to read; default: the URL's.")
    flag_keyword: str = Field("", description="IMAP keyword set after a message is stored; '' sets none.")
    sent_folder: str = Field("", description="IMAP folder that gets a copy of each reply sent; '' none.")
    starttls: bool = True
    tls_verify: bool = True

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in ("imap", "imaps", "maildir"):
            raise ValueError("scheme must be imap://, imaps:// or maildir:")
        if scheme != "maildir" and not urlsplit(value).hostname:
            raise ValueError("an IMAP URL needs a host")
        return value

    @field_validator("flag_keyword")
    @classmethod
    def _keyword(cls, value: str) -> str:
        if value and not all(c.isalnum() or c in "$_-." for c in value):
            raise ValueError("an IMAP keyword is letters, digits and $_-.")
        return value

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or (993 if self.scheme == "imaps" else 143)

    @property
    def username(self) -> str:
        return unquote(urlsplit(self.url).username or "")

    @property
    def path(self) -> str:
        """The folder (IMAP) or filesystem path (maildir) named by the URL."""
        parts = urlsplit(self.url)
        if self.scheme == "maildir":
            return unquote(parts.netloc + parts.path)
        return unquote(parts.path.lstrip("/")) or "INBOX"

    @property
    def folder_names(self) -> list[str]:
        if self.scheme == "maildir":
            return [""]
        return list(self.folders) or [self.path]


class SmtpSettings(Section):
    url: str
    username: str = ""
    password_file: Path | None = None
    password_credential: str | None = None
    ca_file: Path | None = None
    starttls: bool = True
    from_: str = Field("", alias="from")
    devmode_redirect_to: str = Field("", description="If set, every reply goes to this address instead.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        if urlsplit(value).scheme not in ("smtp", "smtps") or not urlsplit(value).hostname:
            raise ValueError("must be smtp://host[:port] or smtps://host[:port]")
        return value


class MetricsSettings(Section):
    listen: str = Field("", description="host:port of the Prometheus endpoint, e.g. 127.0.0.1:9464; '' off.")

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        from triage.metrics import parse_listen

        parse_listen(value)
        return value


class RetentionSettings(Section):
    days: int = Field(0, ge=0, description="Purge raw mail and closed applicants' data after this many "
                      "days; 0 keeps everything.")
    run_interval_hours: float = Field(24, gt=0, description="How often the daemon runs the purge.")


class LoggingSettings(Section):
    level: Literal["debug", "info", "warning", "error"] = "info"


class Settings(Section):
    database: DatabaseSettings = DatabaseSettings()
    daemon: DaemonSettings = DaemonSettings()
    logging: LoggingSettings = LoggingSettings()
    metrics: MetricsSettings = MetricsSettings()
    retention: RetentionSettings = RetentionSettings()
    extraction: ExtractionSettings = ExtractionSettings()
    replies: RepliesSettings = RepliesSettings()
    embassies: list[EmbassySettings] = Field(default_factory=list)
    mailboxes: list[MailboxSettings] = Field(default_factory=list)
    smtp: SmtpSettings | None = None

    @model_validator(mode="after")
    def _references(self) -> Settings:
        codes = [e.code for e in self.embassies]
        for index, code in enumerate(codes):
            if codes.index(code) != index:
                raise ValueError(f"embassies[{index}].code: duplicate {code!r}")
        names = [m.name for m in self.mailboxes]
        for index, mailbox in enumerate(self.mailboxes):
            if names.index(mailbox.name) != index:
                raise ValueError(f"mailboxes[{index}].name: duplicate {mailbox.name!r}")
            if mailbox.embassy is not None and mailbox.embassy not in codes:
                raise ValueError(f"mailboxes[{index}].embassy: no embassy with code {mailbox.embassy!r}")
            if mailbox.password_file and mailbox.password_credential:
                raise ValueError(
                    f"mailboxes[{index}].password_file: give password_file or password_credential, not both"
                )
        return self

    def mailbox(self, name: str) -> MailboxSettings:
        for mailbox in self.mailboxes:
            if mailbox.name == name:
                return mailbox
        raise ConfigError("mailboxes", f"no mailbox named {name!r}")


def _location(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        elif not part.startswith(("function-", "model-")):
            key += f".{part}" if key else part
    return key or "(top level)"


def _first_error(exc: ValidationError) -> ConfigError:
    error = exc.errors()[0]
    key = _location(tuple(error["loc"]))
    if error["type"] == "extra_forbidden":
        return ConfigError(key, "unknown key")
    message = str(error["msg"]).removeprefix("Value error, ")
    if key == "(top level)" and ": " in message:  # cross-field checks name their own key
        key, _, message = message.partition(": ")
    return ConfigError(key, message)


def _resolve(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make relative file paths in *data* relative to *base* (the config file's folder)."""

    def fix(path: str) -> str:
        return path if not path or Path(path).is_absolute() else str(base / path)

    database = data.get("database")
    if isinstance(database, dict) and isinstance(database.get("url"), str):
        url = database["url"]
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
            database["url"] = "sqlite:///" + fix(url.removeprefix("sqlite:///"))
    sections = [*(data.get("mailboxes") or []), data.get("smtp"), data.get("extraction"), data.get("replies")]
    for section in sections:
        if not isinstance(section, dict):
            continue
        for key in ("password_file", "ca_file", "models_dir", "templates_dir"):
            if isinstance(section.get(key), str):
                section[key] = fix(section[key])
        url = section.get("url")
        if isinstance(url, str) and url.startswith("maildir:"):
            path = url.removeprefix("maildir:").removeprefix("//")
            section["url"] = "maildir://" + fix(path)
    return data


def parse_settings(data: Mapping[str, Any], *, base: Path | None = None) -> Settings:
    """Validate a config mapping; raise ConfigError naming the first bad key."""
    raw = _resolve(dict(data), base) if base is not None else dict(data)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise _first_error(exc) from None


def load_settings(path: Path | None, *, database_url: str | None = None) -> Settings:
    """Read the TOML file at *path* (or defaults when None) and apply a database URL override."""
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("--config", f"no such file: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError("--config", f"cannot read {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("--config", f"{path} is not valid TOML: {exc}") from None
        base = path.resolve().parent
    if database_url:
        data.setdefault("database", {})
        if isinstance(data["database"], dict):
            data["database"]["url"] = database_url
    return parse_settings(data, base=base)


def read_secret(
    key: str, password_file: Path | None, credential: str | None, environ: Mapping[str, str] | None = None
) -> str:
    """Return the secret named by a ``password_file`` or ``password_credential`` setting.

    Raise ConfigError naming *key* when it is missing or unreadable. The value is stripped of one
    trailing newline only, so passwords may contain spaces.
    """
    env = os.environ if environ is None else environ
    if credential:
        directory = env.get("CREDENTIALS_DIRECTORY")
        if not directory:
            raise ConfigError(f"{key}.password_credential", "$CREDENTIALS_DIRECTORY is not set")
        password_file = Path(directory) / credential
        key = f"{key}.password_credential"
    elif password_file is None:
        raise ConfigError(f"{key}.password_file", "no password_file or password_credential given")
    else:
        key = f"{key}.password_file"
    try:
        text = password_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(key, f"cannot read {password_file}: {exc.strerror}") from None
    return text.removesuffix("\n").removesuffix("\r")
