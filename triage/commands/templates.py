"""`triage templates check`: render every reply template with sample data and report what breaks."""

from __future__ import annotations

import argparse
from pathlib import Path

from triage.replies.samples import sample_contexts
from triage.replies.templates import SHIPPED_TEMPLATES_DIR, TemplateSet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("templates", help="check the reply templates",
                            description="Reply template tools.")
    actions = parser.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="render every template in every language with sample data",
        description="Render every reply template (each category and language) with sample applicants: "
                    "with and without names, with every missing field. Prints one line per problem "
                    "and exits 1, or prints a summary and exits 0. Needs no database.")
    check.add_argument("--dir", type=Path, metavar="DIR",
                       help="an operator's template folder, checked as layered over the shipped templates")
    check.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folders = [args.dir, SHIPPED_TEMPLATES_DIR] if args.dir is not None else [SHIPPED_TEMPLATES_DIR]
    templates = TemplateSet(*folders)
    errors = templates.check(sample_contexts)
    for error in errors:
        print(error)
    if errors:
        return 1
    categories = templates.categories()
    count = sum(len(templates.languages(c)) for c in categories)
    renders = sum(len(templates.languages(c)) * len(sample_contexts(c)) for c in categories)
    languages = sorted({lang for c in categories for lang in templates.languages(c)})
    print(f"templates ok: {count} templates in {len(categories)} categories ({', '.join(categories)}), "
          f"languages {', '.join(languages)}; {renders} renderings")
    return 0
