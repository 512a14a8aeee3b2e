"""Which embassy a delivered copy was written to, from its delivery and recipient headers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.message import Message

from triage.mail.addresses import parse_addresses

#: Headers in the order they identify the recipient of this particular delivery: the ones a
#: forwarding server adds name the original recipient exactly; To and Cc may name several embassies.
ATTRIBUTION_HEADERS = ("X-Original-To", "Delivered-To", "X-Forwarded-To", "To", "Cc")


def addresses_in(headers: Message, name: str) -> list[str]:
    values = [str(v) for v in headers.get_all(name) or []]
    return [a.email for a in parse_addresses(values) if "@" in a.email]


def attribute(headers: Message, embassy_addresses: Mapping[str, Iterable[str]],
              mailbox_embassy: str | None = None) -> str | None:
    """Return the embassy code a copy was written to, or None when no header names one.

    *embassy_addresses* maps embassy codes to their addresses (lower-case). A mailbox that belongs to
    one embassy decides alone; a central mailbox is matched header by header, never guessed.
    """
    if mailbox_embassy is not None:
        return mailbox_embassy
    owner = {address: code for code, addresses in embassy_addresses.items() for address in addresses}
    for name in ATTRIBUTION_HEADERS:
        for address in addresses_in(headers, name):
            if address in owner:
                return owner[address]
    return None
