"""Build the outgoing reply (threading and loop-detection headers included) and say whom never to answer."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from triage.errors import ConfigError
from triage.mail.addresses import parse_addresses
from triage.mail.classify import LOOP_HEADER
from triage.mail.forwards import FORWARD_PREFIXES
from triage.replies.templates import RenderedReply

#: Our loop header as written on outgoing mail (classify matches it case-insensitively).
LOOP_HEADER_NAME = "X-Triage-Loop"
#: Message-IDs kept in References: the thread's first one and the most recent ones (RFC 5322 3.6.4).
MAX_REFERENCES = 20
MAX_SUBJECT_CHARS = 200

#: Reply prefixes mail programs put before a subject, lower-cased, in many languages.
REPLY_PREFIXES = frozenset(
    (
        "re", "aw", "antw", "antwort", "sv", "vs", "vá", "odp", "odg", "ynt", "res", "r", "rif", "rép", "rep",
        "réf", "ref", "ответ", "отв", "відп", "від", "atb", "atsk", "vast", "balas", "απ", "σχετ", "回复",
        "答复", "回覆", "返信", "답장", "השב", "تعليق", "رد",
    )
)  # fmt: skip
# "Re:", "RE[2]:", "[ext] AW:", "Отв.:", "返信" with a full-width colon.
_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?P<word>[^\W\d_][\w.]{0,15}?)\.?\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]"
)
_MSG_ID = re.compile(r"<[^<>\s]{1,250}>")

#: Local parts that mean "nobody reads replies here", compared without ``-``, ``_`` and ``.``.
_NO_REPLY = (
    "noreply", "donotreply", "dontreply", "nereply", "nepasrepondre", "nichtantworten", "keineantwort",
    "noresponder", "noresponda", "naoresponda", "nonrispondere", "nieodpowiadac", "neotvechat",
    "nevidpovidaty", "bounce",
)  # fmt: skip
_MAILER_DAEMONS = frozenset(("mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon"))
# A 7bit policy makes set_content choose quoted-printable or base64 for non-ASCII text, never raw 8bit,
# so the message needs no 8BITMIME from the server.
_POLICY = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True, slots=True)
class Original:
    """What a reply needs from the message it answers: its Message-ID, Subject and References."""

    message_id: str | None
    subject: str = ""
    references: str = ""


def make_message_id(domain: str, token: str | None = None) -> str:
    """Return a new ``<random@domain>`` Message-ID; it is fixed when the draft is made, before sending."""
    try:
        ascii_domain = domain.strip().lower().encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*", ascii_domain):
        raise ValueError(f"not a domain name: {domain!r}")
    return f"<triage.{token or secrets.token_hex(16)}@{ascii_domain}>"


def reply_sender(embassy_reply_from: str, smtp_from: str) -> str:
    """Return the From of replies: the embassy's ``reply_from``, else ``smtp.from``; ConfigError if none."""
    sender = embassy_reply_from.strip() or smtp_from.strip()
    if "@" not in parseaddr(sender)[1]:
        raise ConfigError("embassies.reply_from", "no reply_from for this embassy and no smtp.from")
    return sender


def strip_reply_prefixes(subject: str) -> str:
    """Return *subject* without leading reply and forward prefixes ("Re: AW: Fwd: Ответ: ...")."""
    for _ in range(10):
        match = _PREFIX.match(subject)
        if match is None:
            break
        word = match.group("word").casefold()
        if word not in REPLY_PREFIXES and word not in FORWARD_PREFIXES:
            break
        subject = subject[match.end() :]
    return " ".join(subject.split())


def reply_subject(original: Original, fallback: str) -> str:
    """``Re: <original subject>`` when answering a message that has a subject, else *fallback*."""
    subject = strip_reply_prefixes(original.subject)[:MAX_SUBJECT_CHARS]
    if original.message_id is None or not subject:
        return " ".join(fallback.split())
    return f"Re: {subject}"


def compose_reply(reply: RenderedReply, *, sender: str, to_address: str, to_name: str = "",
                  original: Original, message_id: str, date: datetime, embassy_code: str) -> EmailMessage:
    """Return the reply as a UTF-8 text/plain message, threaded under *original*.

    *date* must be timezone-aware; *message_id* is the one fixed when the draft was made. Raise ValueError
    for a naive date or a malformed address.
    """
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("the Date of a reply must be timezone-aware")
    message = EmailMessage(policy=_POLICY)
    name, address = parseaddr(sender)
    message["From"] = _address(name, address)
    message["To"] = _address(to_name, to_address)
    message["Subject"] = reply_subject(original, reply.subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    parent = _message_ids(original.message_id or "")[:1]
    if parent:
        message["In-Reply-To"] = parent[0]
        message["References"] = " ".join(_references(_message_ids(original.references), parent[0]))
    message["Auto-Submitted"] = "auto-replied"
    message[LOOP_HEADER_NAME] = embassy_code
    # Ask Exchange not to send us its out-of-office notices (delivery reports still come back).
    message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message.set_content(reply.body, subtype="plain", charset="utf-8")
    message["Content-Language"] = reply.language  # after set_content, which clears Content-* headers
    return message


def is_unrepliable(address: str, headers: Mapping[str, Sequence[str] | str],
                   own_addresses: Collection[str] = ()) -> str | None:
    """Return why a message from *address* with *headers* must never be answered, or None if it may be.

    *headers* maps header names (any case) to their values, as ParsedMessage.headers does.
    """
    lowered = {name.lower(): [values] if isinstance(values, str) else list(values)
               for name, values in headers.items()}
    if lowered.get(LOOP_HEADER):
        return f"our own mail ({LOOP_HEADER_NAME})"
    auto = next((v.strip().lower() for v in lowered.get("auto-submitted", []) if v.strip()), "no")
    if auto.split(";")[0].strip() != "no":
        return f"automatic mail (Auto-Submitted: {auto.split(';')[0].strip()})"
    if not address.strip() or address.strip() == "<>":
        return "null sender"
    parsed = parse_addresses([address])
    email = parsed[0].email if parsed else ""
    if "@" not in email:
        return "not an email address"
    local = email.rsplit("@", 1)[0].split("+", 1)[0]
    if local in _MAILER_DAEMONS:
        return "MAILER-DAEMON sender"
    if local == "postmaster":
        return "postmaster sender"
    compact = re.sub(r"[-_.]", "", local)
    if any(word in compact for word in _NO_REPLY):
        return "no-reply address"
    if email in {own.strip().lower() for own in own_addresses}:
        return "one of our own addresses"
    return None


def _address(name: str, address: str) -> Address:
    address = address.strip()
    if "@" not in address or any(c in address for c in "\r\n<>,; "):
        raise ValueError(f"not an email address: {address!r}")
    username, domain = address.rsplit("@", 1)
    return Address(display_name=" ".join(name.split()), username=username, domain=domain)


def _message_ids(text: str) -> list[str]:
    return _MSG_ID.findall(text)


def _references(previous: list[str], parent: str) -> list[str]:
    chain = [mid for index, mid in enumerate(previous) if mid != parent and mid not in previous[:index]]
    if len(chain) >= MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 2) :]]
    return [*chain, parent]
