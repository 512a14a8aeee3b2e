"""A throwaway certificate authority and a server certificate for localhost / 127.0.0.1, made with openssl."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ServerUnavailable

_CURVE = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
_DAYS = ["-days", "7"]


@dataclass(frozen=True)
class TestPki:
    """Paths of a test CA certificate and of a server certificate and key signed by it."""

    __test__ = False  # not a pytest test class despite the name

    ca_file: Path
    cert_file: Path
    key_file: Path


def make_test_pki(directory: Path) -> TestPki:
    """Write a CA and a server certificate valid for ``localhost`` and ``127.0.0.1`` into *directory*.

    Raise ServerUnavailable if the openssl command is missing.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        raise ServerUnavailable("the openssl command is not installed (Debian package: openssl)")
    directory.mkdir(parents=True, exist_ok=True)
    pki = TestPki(
        ca_file=directory / "ca.pem",
        cert_file=directory / "server.pem",
        key_file=directory / "server.key",
    )
    ca_key = directory / "ca.key"
    _openssl(
        openssl, "req", "-x509", *_CURVE, *_DAYS,
        "-keyout", str(ca_key), "-out", str(pki.ca_file),
        "-subj", "/CN=triage test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    # ``req -x509 -CA`` (OpenSSL 3) issues the leaf in one step, without a CSR file.
    _openssl(
        openssl, "req", "-x509", "-CA", str(pki.ca_file), "-CAkey", str(ca_key), *_CURVE, *_DAYS,
        "-keyout", str(pki.key_file), "-out", str(pki.cert_file),
        "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=serverAuth",
    )  # fmt: skip
    return pki


def _openssl(*argv: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} failed ({result.returncode}): {result.stderr.strip()}")
