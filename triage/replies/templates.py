"""Reply templates: ``<category>/<language>.txt.j2`` files rendered in a Jinja2 sandbox, English as fallback.

A template's first line is ``Subject: ...``, then a blank line, then the body (config/templates/README.md).
Undefined variables are errors (StrictUndefined). Several folders can be layered: a file in an earlier
folder hides the file of the same name in a later one, so an operator's folder overrides single
templates of the shipped set.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from triage.errors import ConfigError, TemplateError
from triage.replies.samples import sample_contexts as shipped_samples

#: The templates that come with triage.
SHIPPED_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "config" / "templates"
FALLBACK_LANGUAGE = "en"
SUFFIX = ".txt.j2"
SUBJECT_PREFIX = "Subject:"
#: ``greeting_name`` is cut to this many characters (it comes from the applicant's own mail).
MAX_NAME_CHARS = 100

_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

SampleContexts = Callable[[str], Iterable[Mapping[str, object]]]


@dataclass(frozen=True, slots=True)
class RenderedReply:
    """A rendered template; ``template`` is "category/language" and ``template_sha256`` hashes its source."""

    subject: str
    body: str
    language: str
    template: str
    template_sha256: str


class TemplateSet:
    """The reply templates found in one or more folders (the shipped set when none is given)."""

    def __init__(self, *directories: Path) -> None:
        folders = list(directories) or [SHIPPED_TEMPLATES_DIR]
        for folder in folders:
            if not folder.is_dir():
                raise ConfigError("replies.templates_dir", f"not a directory: {folder}")
        self.directories = tuple(folders)
        self._loader: BaseLoader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders])
        # Plain text, never HTML: escaping would corrupt names like "O'Brien". Whoever shows a draft in
        # a web page escapes it there.
        self._env = ImmutableSandboxedEnvironment(
            loader=self._loader, undefined=StrictUndefined, autoescape=False,
            keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        )
        self._compiled: dict[tuple[str, str], Template] = {}

    def categories(self) -> list[str]:
        """Return the categories that have at least one template, sorted."""
        found = {path.parent.name for path in self._files() if _CATEGORY.match(path.parent.name)}
        return sorted(found)

    def languages(self, category: str) -> list[str]:
        """Return the languages *category* has a template for, sorted."""
        return sorted({_language_of(path) for path in self._files()
                       if path.parent.name == category and _LANGUAGE.match(_language_of(path))})

    def template_name(self, category: str, language: str) -> str:
        """Return "category/language" of the template that answers in *language*, or its English fallback.

        Raise TemplateError if *category* has neither.
        """
        if not _CATEGORY.match(category):
            raise TemplateError(category, "not a template category name")
        wanted = language.strip().lower().replace("_", "-").split("-")[0]
        for candidate in (wanted, FALLBACK_LANGUAGE):
            if _LANGUAGE.match(candidate) and any(
                    (folder / category / f"{candidate}{SUFFIX}").is_file() for folder in self.directories):
                return f"{category}/{candidate}"
        raise TemplateError(f"{category}/{wanted or '?'}", f"no template and no {FALLBACK_LANGUAGE} fallback")

    def render(self, category: str, language: str, context: Mapping[str, object]) -> RenderedReply:
        """Render *category* in *language* (or English) with *context*; raise TemplateError on any failure.

        ``language`` in the context is set to the language of the template used.
        """
        name = self.template_name(category, language)
        used = name.rsplit("/", 1)[1]
        source, filename = self._source(name)
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        values = dict(context)
        values["language"] = used
        if isinstance(values.get("greeting_name"), str):
            values["greeting_name"] = " ".join(str(values["greeting_name"]).split())[:MAX_NAME_CHARS]
        try:
            text = self._template(name, filename, source, digest).render(values)
        except TemplateError:
            raise
        except TemplateSyntaxError as exc:
            raise TemplateError(name, f"line {exc.lineno}: {exc.message}") from None
        except Exception as exc:  # a template bug of any kind is the template's error, not the caller's
            line = _template_line(exc.__traceback__, filename)
            where = f"line {line}: " if line else ""
            raise TemplateError(name, f"{where}{type(exc).__name__}: {exc}") from None
        subject, body = _split(name, text)
        return RenderedReply(subject=subject, body=body, language=used, template=name, template_sha256=digest)

    def check(self, sample_contexts: SampleContexts = shipped_samples) -> list[str]:
        """Render every template with every sample context of its category; return one line per problem.

        Also reports files whose name is not a language code and categories without an English template.
        """
        errors: list[str] = []
        for path in self._files():
            if not _LANGUAGE.match(_language_of(path)) or not _CATEGORY.match(path.parent.name):
                errors.append(f"{path}: not <category>/<language>{SUFFIX} with an ISO 639-1 language code")
        for category in self.categories():
            languages = self.languages(category)
            if FALLBACK_LANGUAGE not in languages:
                errors.append(f"template {category}: no {FALLBACK_LANGUAGE} template to fall back to")
            samples = list(sample_contexts(category))
            for language in languages:
                for index, context in enumerate(samples, 1):
                    try:
                        self.render(category, language, context)
                    except TemplateError as exc:
                        errors.append(f"{exc} (sample {index} of {len(samples)})")
                        break  # the first error of a template is enough
        return errors

    def _files(self) -> list[Path]:
        """Template files of every folder, relative to their folder, earlier folders first."""
        return [path.relative_to(folder) for folder in self.directories
                for path in sorted(folder.glob(f"*/*{SUFFIX}")) if path.is_file()]

    def _source(self, name: str) -> tuple[str, str]:
        try:
            source, filename, _ = self._loader.get_source(self._env, name + SUFFIX)
        except OSError as exc:
            raise TemplateError(name, f"cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise TemplateError(name, "not UTF-8") from None
        return source, filename or name

    def _template(self, name: str, filename: str, source: str, digest: str) -> Template:
        # Compiled from the very source that was hashed, so the hash always names what was rendered.
        key = (name, digest)
        if key not in self._compiled:
            try:
                code = self._env.compile(source, name=name + SUFFIX, filename=filename)
            except TemplateSyntaxError as exc:
                raise TemplateError(name, f"line {exc.lineno}: {exc.message}") from None
            self._compiled[key] = self._env.template_class.from_code(self._env, code, self._env.globals)
        return self._compiled[key]


def _language_of(path: Path) -> str:
    return path.name.removesuffix(SUFFIX)


def _split(name: str, text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise TemplateError(name, f"the first line must be '{SUBJECT_PREFIX} ...'")
    subject = " ".join(first.removeprefix(SUBJECT_PREFIX).split())
    if not subject:
        raise TemplateError(name, "the subject is empty")
    body = _tidy(rest)
    if not body.strip():
        raise TemplateError(name, "the body is empty")
    return subject, body


def _tidy(text: str) -> str:
    """Strip trailing spaces (but keep the "-- " signature separator) and collapse runs of blank lines."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw if raw == "-- " else raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _template_line(tb: TracebackType | None, filename: str) -> int | None:
    """The template line an error was raised on: Jinja rewrites tracebacks to point into the template."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
