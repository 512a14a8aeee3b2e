"""Worker processes for the pure stages: each builds its own stages once, then computes chains."""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor

from triage.pipeline import ChainResult, compute_chain
from triage.settings import Settings
from triage.stages.base import PureStage, Work

_stages: tuple[PureStage, ...] = ()


def _init(settings: Settings) -> None:
    global _stages
    # The parent decides when to stop: a Ctrl-C or SIGTERM to the process group must not kill a
    # worker in the middle of a batch; the parent shuts the pool down after the item at hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from triage.app import build_pure_stages

    _stages = tuple(build_pure_stages(settings))


def run_chain(work: Work, start: int) -> ChainResult:
    """Compute the chain for one message in a worker process."""
    return compute_chain(_stages, work, start)


def start_pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    """Start *workers* processes (spawned: the daemon has threads, which fork would copy badly)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init, initargs=(settings,))
