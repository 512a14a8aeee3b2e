"""Building real Apps for tests: a settings mapping in, an App on a temporary database out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from triage.app import App
from triage.settings import parse_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EMBASSIES = [
    {"code": "pl", "name": "Embassy of Ukraine in Poland", "addresses": ["emb_pl@mfa.example"],
     "reply_from": "Embassy of Ukraine in Poland <emb_pl@mfa.example>"},
    {"code": "de", "name": "Embassy of Ukraine in Germany", "addresses": ["emb_de@mfa.example"],
     "reply_from": "Embassy of Ukraine in Germany <emb_de@mfa.example>"},
]


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2022, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def config(db_url: str, **sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"database": {"url": db_url}, "embassies": EMBASSIES}
    data.update(sections)
    return data


@contextmanager
def make_app(data: Mapping[str, Any], *, clock: Any = None, environ: Mapping[str, str] | None = None
             ) -> Iterator[App]:
    app = App.create(parse_settings(data), clock=clock, environ=environ or {})
    try:
        yield app
    finally:
        app.close()


def write_toml(path: Path, data: Mapping[str, Any]) -> Path:
    """Write *data* as TOML (the small subset configs need)."""
    lines: list[str] = []

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    for key, section in data.items():
        if isinstance(section, list):
            for table in section:
                lines.append(f"[[{key}]]")
                lines.extend(f"{k} = {value(v)}" for k, v in table.items())
                lines.append("")
        elif isinstance(section, dict):
            lines.append(f"[{key}]")
            lines.extend(f"{k} = {value(v)}" for k, v in section.items())
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
