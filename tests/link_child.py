"""Link one message in a child process, after waiting for a start signal (for the concurrency test).

Usage: python -m tests.link_child DATABASE_URL MESSAGE_PK GO_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.apps import config, make_app
from triage.pipeline import Pipeline
from triage.stages.link import LinkStage


def main(url: str, message_pk: int, go: Path) -> None:
    with make_app(config(url)) as app:
        stage = LinkStage(app.clock)
        pipeline = Pipeline(app.sessions, app.clock, [stage])
        while not go.exists():
            time.sleep(0.001)
        outcome = pipeline.run_one(stage, message_pk)
    print(outcome)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
