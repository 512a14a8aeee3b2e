"""Turn bytes into text: MIME parts in declared, unknown or wrong charsets, and RFC 2047 header words."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from functools import lru_cache
from typing import NamedTuple

from charset_normalizer import from_bytes

# Labels seen in mail that Python does not know, or knows only as a narrower charset than the one
# senders actually use under that label (a message labelled gb2312 routinely contains GBK characters,
# iso-8859-1 is routinely windows-1252). Each maps to the codecs tried in order.
_ALIASES: dict[str, tuple[str, ...]] = {
    "iso-8859-1": ("cp1252", "latin-1"),
    "iso8859-1": ("cp1252", "latin-1"),
    "latin1": ("cp1252", "latin-1"),
    "latin-1": ("cp1252", "latin-1"),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "big5": ("big5hkscs",),
    "ks_c_5601-1987": ("cp949",),
    "ks_c_5601": ("cp949",),
    "euc-kr": ("cp949",),
    "shift_jis": ("cp932",),
    "shift-jis": ("cp932",),
    "x-sjis": ("cp932",),
    "sjis": ("cp932",),
    "windows-31j": ("cp932",),
    "iso-2022-jp": ("iso2022_jp_2", "iso2022_jp_ext"),
    "windows-874": ("cp874",),
    "iso-8859-8-i": ("iso8859-8",),
    "ucs-2": ("utf-16",),
    "iso-10646-ucs-2": ("utf-16",),
}

# Text codecs Python accepts under a charset label that are not character sets a mail part can be
# written in: decoding with them would interpret escapes or raise on any input.
_REFUSED = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "mbcs", "oem"})

_HIGH_BYTES = bytes(range(128, 256))
_ISO_2022_JP_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(B")

# How much of a part charset detection looks at; the whole part is then decoded with the result.
_DETECT_SAMPLE = 64 * 1024
# The charsets detection may answer: those mail is written in. Left free, detection names DOS and
# Mac code pages for short Western or Cyrillic strings (a German name came out as cp775).
_DETECTABLE = (
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp866",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "iso8859_13",
    "cp1258",
    "tis_620",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
)


class DecodedText(NamedTuple):
    """Text decoded from bytes, the charset that was used, and what went wrong with the declared one."""

    text: str
    charset: str
    problem: str | None


@lru_cache(maxsize=256)
def codecs_for(label: str | None) -> tuple[str, ...]:
    """Return the Python codecs to try for a MIME charset *label*, best first; empty when unknown."""
    if not label:
        return ()
    name = label.strip().strip("\"'").lower().split("*", 1)[0]
    if name.startswith("x-mac-"):
        name = name[2:]
    candidates = _ALIASES.get(name, (name,))
    usable = []
    for candidate in candidates:
        try:
            info = codecs.lookup(candidate)
            b"".decode(info.name)  # refuses bytes-to-bytes codecs such as zlib or base64
        except (LookupError, ValueError):
            continue
        if info.name.replace("_", "-") not in _REFUSED:
            usable.append(info.name)
    return tuple(usable)


def _charset_label(codec: str) -> str:
    """A readable MIME-style label for a Python codec name (cp1251 -> windows-1251)."""
    name = codecs.lookup(codec).name
    if name == "ascii":
        return "us-ascii"
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-" + name[3:]
    return name.replace("_", "-")


def _looks_like_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8: UTF-8 text with a stray byte or two."""
    sample = data[:_DETECT_SAMPLE]
    non_ascii = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    bad = sample.decode("utf-8", "replace").count("\ufffd") - sample.decode("utf-8", "ignore").count("\ufffd")
    return non_ascii > 0 and bad * 10 <= non_ascii


def detect(data: bytes) -> tuple[str, str]:
    """Guess the charset of *data* and decode it; return (text, charset label). Never raises."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, "replace"), _charset_label(codec)
    if data.isascii():
        if any(escape in data for escape in _ISO_2022_JP_ESCAPES[:3]):
            try:
                return data.decode("iso2022_jp_2"), "iso-2022-jp"
            except UnicodeDecodeError:
                pass
        return data.decode("ascii"), "us-ascii"
    if _looks_like_utf8(data) or _mostly_utf8(data):
        return data.decode("utf-8", "replace"), "utf-8"
    match = from_bytes(data[:_DETECT_SAMPLE], cp_isolation=list(_DETECTABLE)).best()
    if match is not None and codecs_for(match.encoding):
        codec = codecs_for(match.encoding)[0]
        return data.decode(codec, "replace"), _charset_label(codec)
    return data.decode("cp1252", "replace"), "windows-1252"


def decode_bytes(data: bytes, declared: str | None) -> DecodedText:
    """Decode *data* with its *declared* charset, detecting the charset when it is missing or wrong.

    ``problem`` says why the declared charset was not used (unknown, does not fit the bytes, undeclared
    8-bit data) and is None when it was. Never raises.
    """
    try:
        return _decode_bytes(data, declared)
    except Exception as exc:  # a codec or the detector failing in a way not foreseen below
        text = data.decode("cp1252", "replace")
        return DecodedText(text, "windows-1252", f"decoding failed ({type(exc).__name__}); used windows-1252")


def _decode_bytes(data: bytes, declared: str | None) -> DecodedText:
    label = (declared or "").strip().strip("\"'").lower()[:64] or None
    candidates = codecs_for(label)
    if label in (None, "us-ascii", "ascii", "ansi_x3.4-1968") or (candidates and candidates[0] == "ascii"):
        if data.isascii() and not any(escape in data for escape in _ISO_2022_JP_ESCAPES[:3]):
            return DecodedText(data.decode("ascii"), "us-ascii", None)
        text, found = detect(data)
        return DecodedText(
            text, found, f"undeclared 8-bit data in a {label or 'us-ascii'} part; used {found}"
        )
    if not candidates:
        text, found = detect(data)
        return DecodedText(text, found, f"unknown charset {label!r}; used {found}")
    single_byte = _is_single_byte(candidates[0])
    if single_byte and not data.isascii() and _looks_like_utf8(data):
        # Valid multi-byte UTF-8 is vanishingly unlikely in real single-byte text: this is UTF-8 mislabelled.
        return DecodedText(
            data.decode("utf-8"), "utf-8", f"charset {label!r} does not fit the data; used utf-8"
        )
    for codec in candidates:
        try:
            return DecodedText(data.decode(codec), label or codec, None)
        except UnicodeDecodeError:
            continue
        except (LookupError, ValueError):  # codec whose decoder refuses to start (bad state tables)
            break
    try:
        lenient = data.decode(candidates[0], "replace")
    except (LookupError, ValueError):
        lenient = ""
    bad = lenient.count("\ufffd")
    if lenient and bad * 100 <= len(lenient):
        return DecodedText(lenient, label or candidates[0], f"{bad} undecodable byte(s) in a {label} part")
    text, found = detect(data)
    return DecodedText(text, found, f"charset {label!r} does not fit the data; used {found}")


@lru_cache(maxsize=128)
def _is_single_byte(codec: str) -> bool:
    """True for charsets where (nearly) every high byte is a character on its own: latin, cyrillic..."""
    whole = 0
    for byte in range(128, 256):
        try:
            bytes((byte,)).decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
        whole += 1
    return whole >= 100


# An RFC 2047 encoded word. The encoded text excludes "?" so a word never runs past its own end and the
# scan stays linear; spaces are tolerated inside because some mailers put them there.
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?]*)\?=")
_FOLD = re.compile(r"(?:\r\n|\r|\n)[ \t]*")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")


def _word_bytes(encoding: str, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    if encoding in "qQ":
        return binascii.a2b_qp(raw, header=True)
    raw = _NOT_BASE64.sub(b"", raw)
    if len(raw) % 4 == 1:
        raw = raw[:-1]
    return base64.b64decode(raw + b"=" * (-len(raw) % 4))


def decode_8bit(value: str, hint: str | None = None) -> tuple[str, str | None]:
    """Turn a raw header value into text: the bytes of 8-bit headers are decoded (RFC 6532 UTF-8 first,
    then the *hint* charset, then detection) and folds unfolded; encoded words are left alone.

    The stdlib parser hands 8-bit header bytes over as surrogate escapes; this undoes that. Returns the
    text and a problem description when the bytes were not UTF-8.
    """
    problem = None
    if not value.isascii():
        data = value.encode("utf-8", "surrogateescape")
        if _looks_like_utf8(data):
            value = data.decode("utf-8")
        else:
            decoded = None
            for codec in codecs_for(hint):
                try:
                    decoded = data.decode(codec)
                    break
                except UnicodeDecodeError:
                    continue
            if decoded is None:
                decoded, found = detect(data)
                problem = f"8-bit header bytes in no declared charset; used {found}"
            value = decoded
    if "\n" in value or "\r" in value:
        value = _FOLD.sub(" ", value)
    return value.strip(), problem


def decode_words(value: str, problems: list[str] | None = None) -> str:
    """Decode the RFC 2047 encoded words in an unfolded header *value*.

    Adjacent words in one charset are joined before decoding, so a character split across two words (or
    across a folded line) comes out whole; whitespace between encoded words is dropped (RFC 2047 §6.2).
    """
    if "=?" not in value:
        return value
    out: list[str] = []
    pending = b""
    pending_charset = ""
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset:
            decoded = decode_bytes(pending, pending_charset)
            out.append(decoded.text)
            if decoded.problem and problems is not None:
                problems.append("encoded word: " + decoded.problem)
        pending, pending_charset = b"", ""

    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if between and not (pending_charset and between.isspace()):
            flush()
            out.append(between)
        charset = match.group(1).split("*", 1)[0].lower()
        try:
            data = _word_bytes(match.group(2), match.group(3))
        except (binascii.Error, ValueError):
            flush()
            out.append(match.group(0))
            position = match.end()
            continue
        if pending_charset and charset != pending_charset:
            flush()
        pending += data
        pending_charset = charset
        position = match.end()
    flush()
    out.append(value[position:])
    return "".join(out)


def decode_header(value: str, hint: str | None = None, problems: list[str] | None = None) -> str:
    """Return the readable text of a raw header *value*: 8-bit bytes decoded, unfolded, RFC 2047 decoded."""
    text, problem = decode_8bit(value, hint)
    if problem and problems is not None:
        problems.append(problem)
    return decode_words(text, problems)
