"""Benchmark: drain a Dovecot mailbox of N messages into parsed and classified rows on SQLite.

Prints messages/s and peak RSS for fetch + store + parse + classify (`triage once` in a child process),
and, in the same run, the time imapclient alone needs to batch-fetch the same mailbox.

    .venv/bin/python bench/ingest_bench.py [--messages 16000] [--batch 200]

Needs the dovecot binary (Debian: dovecot-imapd) and the dev set in ../shared/devset.
"""

from __future__ import annotations

import argparse
import json
import re
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from imapclient import IMAPClient  # noqa: E402

from tests.apps import EMBASSIES, write_toml  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402

DEVSET = REPO.parent / "shared" / "devset"
MESSAGE_ID = re.compile(rb"^Message-ID:[^\r\n]*\r?\n", re.IGNORECASE | re.MULTILINE)


def variants(count: int) -> list[bytes]:
    """*count* messages made from the dev set, each with its own Message-ID."""
    originals = [p.read_bytes() for p in sorted(DEVSET.glob("*.eml"))]
    if not originals:
        raise SystemExit(f"no dev set at {DEVSET}")
    out = []
    for n in range(count):
        raw = MESSAGE_ID.sub(b"", originals[n % len(originals)], count=1)
        out.append(f"Message-ID: <bench-{n}@bench.example>\r\n".encode() + raw)
    return out


def imapclient_alone(server: DovecotServer, user: str, batch: int) -> float:
    start = time.perf_counter()
    with IMAPClient(
        server.host,
        server.imaps_port,
        ssl=True,
        ssl_context=ssl.create_default_context(cafile=str(server.ca_file)),
    ) as imap:
        imap.login(user, server.password(user))
        imap.select_folder("INBOX", readonly=True)
        uids = imap.search(["UID", "1:*"])
        total = 0
        for i in range(0, len(uids), batch):
            for data in imap.fetch(uids[i : i + batch], ["BODY.PEEK[]"]).values():
                total += len(data[b"BODY[]"])
    return time.perf_counter() - start


def wait_peak_rss(process: subprocess.Popen[bytes]) -> dict[str, int]:
    """Wait for *process*, sampling the resident memory of it and its children (kB) every 50 ms."""
    peak = {"main": 0, "total": 0}
    while process.poll() is None:
        try:
            main = _rss_kb(process.pid)
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
            total = main + sum(_rss_kb(int(c)) for c in children)
        except (OSError, ValueError):
            total = main = 0
        peak = {"main": max(peak["main"], main), "total": max(peak["total"], total)}
        time.sleep(0.05)
    return peak


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=16000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[0, 2],
        help="daemon.workers settings to measure (default: 0 and 2)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp, DovecotServer() as server:
        work = Path(tmp)
        user = server.new_user()
        raws = variants(args.messages)
        start = time.perf_counter()
        server.append_many(user.name, "INBOX", raws)
        print(
            f"appended {len(raws)} messages ({sum(map(len, raws)) / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f}s"
        )

        alone = imapclient_alone(server, user.name, args.batch)
        print(
            f"imapclient alone, batch FETCH BODY.PEEK[] over IMAPS: {alone:.2f}s "
            f"({len(raws) / alone:.0f} messages/s)"
        )

        (work / "pw").write_text(user.password)
        for workers in args.workers:
            db = work / f"bench-{workers}.db"
            config = write_toml(
                work / "bench.toml",
                {
                    "database": {"url": f"sqlite:///{db}"},
                    "daemon": {"fetch_batch_size": args.batch, "workers": workers},
                    "embassies": EMBASSIES,
                    "mailboxes": [
                        {
                            "name": "bench",
                            "url": user.url(tls=True),
                            "password_file": str(work / "pw"),
                            "ca_file": str(server.ca_file),
                        }
                    ],
                },
            )
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "triage", "-q", "--config", str(config), "once"], cwd=REPO
            )
            peak_kb = wait_peak_rss(child)
            elapsed = time.perf_counter() - start
            if child.returncode != 0:
                raise SystemExit(f"triage once exited {child.returncode}")
            status = json.loads(
                subprocess.run(
                    [sys.executable, "-m", "triage", "--config", str(config), "status", "--json"],
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            print(
                f"triage once, workers={workers} (fetch + store + parse + classify + extract, SQLite): "
                f"{elapsed:.1f}s, "
                f"{len(raws) / elapsed:.0f} messages/s; "
                f"peak RSS {peak_kb['main'] / 1024:.0f} MB main process, "
                f"{peak_kb['total'] / 1024:.0f} MB with workers; {status['by_status']}"
            )


if __name__ == "__main__":
    main()
