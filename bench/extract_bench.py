"""Benchmark the rule path of `triage extract` (MIME bytes to fields) on dev-set-like mail.

Prints messages per second on one core and the peak RSS. Usage::

    python bench/extract_bench.py [--rounds N] [DIR]

DIR defaults to ../shared/devset; its .eml files are repeated N times (default 20).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "devset")
    )
    args = parser.parse_args(argv)
    files = sorted(Path(args.dir).glob("*.eml"))
    if not files:
        print(f"no .eml files in {args.dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    extractor = Extractor(default_models_dir())
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
