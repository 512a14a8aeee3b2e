"""Benchmark `triage extract` (MIME bytes to fields) on dev-set-like mail, with or without NER.

Prints messages per second on one core and the peak RSS. Usage::

    python bench/extract_bench.py [--rounds N] [--ner MODEL | --train-ner DIR] [--ner-langs en,de] [DIR]

DIR defaults to ../shared/devset; its .eml files are repeated N times (default 20). Without ``--ner``
this is the rule path. ``--ner MODEL`` adds a trained spaCy pipeline (a package name or a path) for
the languages in ``--ner-langs`` (default ``en``), as ``extraction.ner = "required"`` does.
``--train-ner DIR`` first builds such a pipeline in DIR: spaCy's default ``ner`` architecture (the
one its small trained pipelines use: a hash-embedding CNN of width 96 and depth 4 under a
transition-based parser), trained for a few rounds on generated sentences. Its accuracy means
nothing; its cost per token is that of a real small pipeline, which is what is measured.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from triage.commands.extract import extract_file
from triage.extraction import Extractor, default_models_dir

_GIVEN = ["Olaf", "Ingrid", "Tomasz", "Maria", "Jan", "Elena", "Pierre", "Aiko", "Diego", "Petra"]
_FAMILY = ["Brekke", "Solberg", "Nowak", "Rossi", "Novak", "Ivanova", "Martin", "Sato", "Lopez", "Berg"]
_FRAMES = [
    "My name is {}. I want to volunteer.",
    "Please meet {} at the station tomorrow.",
    "Regards, {}",
    "I, {}, served five years in the army.",
]


def train_small_ner(path: Path) -> Path:
    """Build and save a pipeline with spaCy's default NER architecture (see the module docstring)."""
    import random

    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(1)
    rng = random.Random(1)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")
    examples = []
    for _ in range(200):
        name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
        text = rng.choice(_FRAMES).format(name)
        start = text.index(name)
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {"entities": [(start, start + len(name), "PERSON")]}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(5):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer)
    nlp.to_disk(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--ner", help="a trained spaCy pipeline (name or path) to add to the rules")
    parser.add_argument("--train-ner", metavar="DIR", help="build a small NER pipeline in DIR and use it")
    parser.add_argument("--ner-langs", default="en", help="languages the NER pipeline is used for")
    parser.add_argument(
        "dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "devset")
    )
    args = parser.parse_args(argv)
    files = sorted(Path(args.dir).glob("*.eml"))
    if not files:
        print(f"no .eml files in {args.dir}", file=sys.stderr)
        return 2
    model = args.ner
    if args.train_ner:
        model = str(train_small_ner(Path(args.train_ner)))
    started = time.perf_counter()
    if model:
        langs = [lang.strip() for lang in args.ner_langs.split(",") if lang.strip()]
        extractor = Extractor(
            default_models_dir(), ner_mode="required", ner_models={lang: model for lang in langs}
        )
        print(f"NER pipeline {model} for: {', '.join(langs)}")
    else:
        extractor = Extractor(default_models_dir())
        print("rule path (no NER pipeline)")
    for path in files:  # warm-up: builds every language pipeline the set needs
        extract_file(path, extractor)
    load_seconds = time.perf_counter() - started
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    count = 0
    per_round: list[float] = []
    for _ in range(args.rounds):
        round_start = time.process_time()
        for path in files:
            extract_file(path, extractor)
            count += 1
        per_round.append(len(files) / (time.process_time() - round_start))
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"messages: {count} ({len(files)} files x {args.rounds})")
    print(f"load + warm-up: {load_seconds:.2f} s")
    print(f"throughput: {count / cpu:.0f} messages/s per core (CPU time), {count / wall:.0f} messages/s wall")
    print(
        f"per round (messages/s per core): median {statistics.median(per_round):.0f}, "
        f"best {max(per_round):.0f}, worst {min(per_round):.0f}"
    )
    print(f"per message: {1000 * cpu / count:.2f} ms")
    print(f"peak RSS: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
