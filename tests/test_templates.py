"""Reply templates: all shipped ones render, strict variables, English fallback, operator overrides, check."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

import pytest

from triage.commands import templates as templates_command
from triage.errors import ConfigError, TemplateError
from triage.replies.context import missing_fields, reply_context
from triage.replies.samples import PROFILE_FIELDS, sample_contexts
from triage.replies.templates import SHIPPED_TEMPLATES_DIR, TemplateSet
from triage.settings import EmbassySettings

LANGUAGES = ("en", "uk", "ru", "pl", "de", "fr", "es", "pt", "ja")
CATEGORIES = ("application", "question", "follow_up")
#: Polish letters open with "Dzień dobry," alone: a name there would need the vocative case.
NAMELESS_GREETING = frozenset(("pl",))
EMBASSY = {"code": "pl", "name": "Embassy of Ukraine in Poland", "signature": "", "reply_from": ""}

shipped = TemplateSet()


def context(name: str = "", missing: list[str] | None = None) -> dict[str, object]:
    values: dict[str, object] = {"applicant": {"full_name": name} if name else {}, "greeting_name": name,
                                 "embassy": dict(EMBASSY)}
    if missing is not None:
        values["missing_fields"] = missing
    return values


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.txt.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_templates_cover_every_category_and_language() -> None:
    assert set(CATEGORIES) <= set(shipped.categories())
    for category in CATEGORIES:
        assert set(LANGUAGES) <= set(shipped.languages(category))


def test_shipped_templates_check_renders_every_sample_without_error() -> None:
    assert shipped.check() == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", CATEGORIES)
def test_shipped_template_renders_with_and_without_a_name(category: str, language: str) -> None:
    missing = ["full_name", "phone"] if category == "follow_up" else None
    named = shipped.render(category, language, context("Marta Nowak-Brown", missing))
    nameless = shipped.render(category, language, context("", missing))
    for reply in (named, nameless):
        assert reply.template == f"{category}/{language}" and reply.language == language
        assert reply.subject and "\n" not in reply.subject
        assert reply.body.endswith("Embassy of Ukraine in Poland\n")
        assert "{" not in reply.body and "None" not in reply.body
        assert "\n\n\n" not in reply.body and not reply.body.startswith("\n")
    if language not in NAMELESS_GREETING:
        assert "Marta Nowak-Brown" in named.body
    assert "Marta" not in nameless.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_up_renders_each_missing_field_as_a_distinct_localised_phrase(language: str) -> None:
    body = shipped.render("follow_up", language, context("", list(PROFILE_FIELDS))).body
    items = [line for line in body.splitlines() if line.startswith(("- ", "・"))]
    assert len(items) == len(PROFILE_FIELDS)
    assert len(set(items)) == len(items)
    for field in PROFILE_FIELDS:
        if "_" in field:
            assert field not in body  # a phrase, never the key
    single = shipped.render("follow_up", language, context("", ["date_of_birth"])).body
    assert [line for line in single.splitlines() if line.startswith(("- ", "・"))] == [items[5]]


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_ukrainian_and_russian_templates_capitalise_the_polite_you(language: str) -> None:
    lower = re.compile(r"(?<![\w])(ви|вас|вам|вами|ваш\w*|вы)(?![\w])")
    for category in CATEGORIES:
        body = shipped.render(category, language, context("Олена", ["has_passport"])).body
        assert lower.findall(body) == [], category


def test_japanese_templates_address_a_named_reader_with_sama() -> None:
    for category in CATEGORIES:
        body = shipped.render(category, "ja", context("山田 太郎", ["age"])).body
        assert body.startswith("山田 太郎 様\n\n")


def test_render_hash_is_of_the_template_source() -> None:
    reply = shipped.render("application", "de", context())
    source = (SHIPPED_TEMPLATES_DIR / "application" / "de.txt.j2").read_bytes()
    assert reply.template_sha256 == hashlib.sha256(source).hexdigest()


@pytest.mark.parametrize(("language", "template"), [
    ("ko", "application/en"), ("", "application/en"), ("pt-BR", "application/pt"), ("UK", "application/uk"),
    ("../../etc", "application/en"), ("de_AT", "application/de"),
])
def test_render_language_without_template_falls_back_to_english(language: str, template: str) -> None:
    reply = shipped.render("application", language, context())
    assert reply.template == template
    assert reply.language == template.split("/")[1]


def test_render_sets_language_variable_to_the_template_used(tmp_path: Path) -> None:
    write(tmp_path, "application/en", "Subject: s\n\n{{ language }}\n")
    assert TemplateSet(tmp_path).render("application", "ko", context()).body == "en\n"


def test_render_unknown_variable_is_a_template_error_naming_template_and_line(tmp_path: Path) -> None:
    write(tmp_path, "application/en", "Subject: s\n\nDear {{ greeting_name }},\n{{ applicant.rank }}\n")
    with pytest.raises(TemplateError, match=r"template application/en: line 4: UndefinedError") as caught:
        TemplateSet(tmp_path).render("application", "en", context("Ann"))
    assert "rank" in str(caught.value)


def test_render_unknown_missing_field_key_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="follow_up/de"):
        shipped.render("follow_up", "de", context("", ["shoe_size"]))


def test_render_follow_up_without_missing_fields_variable_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="missing_fields"):
        shipped.render("follow_up", "en", context())


def test_render_unknown_category_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="no template"):
        shipped.render("welcome", "en", context())


def test_render_without_subject_line_is_a_template_error(tmp_path: Path) -> None:
    write(tmp_path, "question/en", "Dear friend,\n")
    with pytest.raises(TemplateError, match=r"first line must be 'Subject: \.\.\.'"):
        TemplateSet(tmp_path).render("question", "en", context())


def test_render_syntax_error_is_a_template_error_with_line(tmp_path: Path) -> None:
    write(tmp_path, "question/en", "Subject: s\n\n{% if greeting_name %}\nHi\n")
    with pytest.raises(TemplateError, match="line"):
        TemplateSet(tmp_path).render("question", "en", context())


def test_render_sandbox_refuses_unsafe_attribute_access(tmp_path: Path) -> None:
    write(tmp_path, "question/en", "Subject: s\n\n{{ greeting_name.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError):
        TemplateSet(tmp_path).render("question", "en", context("Ann"))


def test_render_greeting_name_is_one_line_and_does_not_inject_text(tmp_path: Path) -> None:
    reply = shipped.render("question", "en", context("Ann\n\nPlease send 100 EUR to\tx@evil.example"))
    assert reply.body.splitlines()[0] == "Dear Ann Please send 100 EUR to x@evil.example,"


def test_render_subject_may_use_variables_and_is_collapsed(tmp_path: Path) -> None:
    write(tmp_path, "question/en", "Subject:  Re   {{ embassy.code }}  \n\n\n\nBody   \n\n\n\nEnd\n\n")
    reply = TemplateSet(tmp_path).render("question", "en", context())
    assert (reply.subject, reply.body) == ("Re pl", "Body\n\nEnd\n")


def test_operator_folder_overrides_single_templates_of_the_shipped_set(tmp_path: Path) -> None:
    write(tmp_path, "application/de", "Subject: Eingang bestätigt\n\nHallo {{ greeting_name }}.\n")
    layered = TemplateSet(tmp_path, SHIPPED_TEMPLATES_DIR)
    override = layered.render("application", "de", context("Kim"))
    assert (override.subject, override.body) == ("Eingang bestätigt", "Hallo Kim.\n")
    assert override.template_sha256 != shipped.render("application", "de", context("Kim")).template_sha256
    assert layered.render("application", "uk", context()) == shipped.render("application", "uk", context())


def test_operator_folder_change_affects_only_later_renders(tmp_path: Path) -> None:
    path = write(tmp_path, "application/en", "Subject: s\n\nversion one\n")
    templates = TemplateSet(tmp_path)
    first = templates.render("application", "en", context())
    path.write_text("Subject: s\n\nversion two\n", encoding="utf-8")
    second = templates.render("application", "en", context())
    assert (first.body, second.body) == ("version one\n", "version two\n")
    assert first.template_sha256 != second.template_sha256


def test_missing_templates_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"replies\.templates_dir"):
        TemplateSet(tmp_path / "nowhere")


def test_check_reports_every_broken_template_once(tmp_path: Path) -> None:
    write(tmp_path, "application/en", "Subject: s\n\n{{ greeting_name }} {{ oops }}\n")
    write(tmp_path, "application/fr", "Subject: s\n\nBonjour\n")
    write(tmp_path, "question/de", "Subject: s\n\nHallo\n")
    write(tmp_path, "question/pt-BR", "Subject: s\n\nOlá\n")
    errors = TemplateSet(tmp_path).check(sample_contexts)
    assert len(errors) == 3
    assert errors[0].startswith("question/pt-BR.txt.j2: not <category>/<language>")
    assert errors[1].startswith("template application/en: line 3: UndefinedError: 'oops' is undefined")
    assert "(sample 1 of " in errors[1]
    assert errors[2] == "template question: no en template to fall back to"


def run_command(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    templates_command.register(parser.add_subparsers())
    args = parser.parse_args(["templates", "check", *argv])
    result: int = args.func(args)
    return result


def test_templates_check_command_on_shipped_templates_prints_summary(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command() == 0
    out = capsys.readouterr().out
    assert out.startswith("templates ok: 27 templates in 3 categories")


def test_templates_check_command_with_broken_dir_prints_errors_and_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = "{% for f in missing_fields %}{{ labels[f] }}{% endfor %}"
    write(tmp_path, "follow_up/uk", f"Subject: s\n\n{loop}\n")
    assert run_command("--dir", str(tmp_path)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("template follow_up/uk: line 3: UndefinedError")


def test_missing_fields_counts_false_as_an_answer() -> None:
    profile = {"full_name": "Ann Lee", "phone": "", "has_passport": False, "languages": [], "age": None}
    required = ["full_name", "date_of_birth", "phone", "has_passport", "languages", "age"]
    assert missing_fields(profile, required) == ["date_of_birth", "phone", "languages", "age"]


def test_reply_context_renders_every_shipped_template() -> None:
    embassy = EmbassySettings(code="pl", name="Embassy of Ukraine in Poland")
    profile = {"full_name": "Ann Lee", "email": "ann.lee@mail.example", "phone": None}
    plain = reply_context(profile, embassy)
    assert plain["greeting_name"] == "Ann Lee"
    assert plain["applicant"] == {"full_name": "Ann Lee", "email": "ann.lee@mail.example"}
    assert "missing_fields" not in plain
    follow_up = reply_context(profile, embassy, missing_fields(profile, ["full_name", "phone"]))
    assert follow_up["missing_fields"] == ["phone"]
    for language in LANGUAGES:
        for category in ("application", "question"):
            shipped.render(category, language, plain)
        shipped.render("follow_up", language, follow_up)
    assert reply_context({}, embassy)["greeting_name"] == ""
