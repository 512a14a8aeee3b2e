"""The applicant profile the matcher compares: identifiers normalised once, multi-valued where people vary.

A `Profile` is built from an extracted applicant mapping (``full_name``, ``email``, ``phone``,
``passport``, ``date_of_birth``, ``nationality``, ``country_of_residence``, ``city``, optionally the
lists ``emails``, ``phones``, ``names``, ``passports``) and can be merged with another, so a stored
applicant is one profile holding every address, phone and spelling seen for that person.
`Profile.to_mapping` gives back a JSON-ready mapping that `Profile.from_mapping` reads again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from triage.linking.names import (
    Name,
    decode_name,
    encode_name,
    fold_token,
    name_rules_version,
    normalise_name,
)

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"\D")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _listed(mapping: Mapping[str, Any], one: str, many: str) -> list[str]:
    values: list[str] = []
    single = _text(mapping.get(one))
    if single:
        values.append(single)
    for value in mapping.get(many) or ():
        text = _text(value)
        if text:
            values.append(text)
    return values


def normalise_email(value: str) -> str:
    """Return an address lowercased and stripped of angle brackets and a ``+tag`` in the local part."""
    address = value.strip().strip("<>").lower()
    local, at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}"


def normalise_phone(value: str) -> str:
    """Return an E.164 number as ``+`` and digits (the extractor already produced E.164)."""
    return "+" + _DIGITS.sub("", value)


def phone_region(phone: str) -> str | None:
    """Return the ISO 3166-1 region of an E.164 number, or None if the number has no single region.

    A country calling code of one region names it without parsing the number (as
    ``phonenumbers.region_code_for_number`` does); codes that several regions share (+1, +7, +44, ...)
    are told apart by the full metadata.
    """
    digits = phone[1:]
    if phone[:1] == "+" and digits.isdigit() and digits[0] != "0":  # else parsing decides
        for width in (1, 2, 3):  # calling codes are prefix-free: the first one known is the one
            regions = COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:width]))
            if regions is None:
                continue
            if len(regions) == 1 and 2 <= len(digits) - width <= 17:  # a national number parse accepts
                return regions[0] if regions[0] != "001" else None
            break
    return _parsed_region(phone)


@lru_cache(maxsize=65536)
def _parsed_region(phone: str) -> str | None:
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return region if region and region != "001" else None


def normalise_passport(value: str) -> str:
    """Return a passport number uppercased with spaces and punctuation removed."""
    return _NON_ALNUM.sub("", value).upper()


def fold_place(value: str) -> str:
    """Return a place name as its folded tokens joined by spaces (Liège = Liege)."""
    return " ".join(fold_token(word) for word in value.split() if fold_token(word))


#: The keys of `Profile.to_mapping` that hold the normalised names and the rules that made them.
_NORMALISED_NAME_KEYS = frozenset({"name_tokens", "name_rules"})


def _stored_names(mapping: Mapping[str, Any]) -> tuple[Name, ...] | None:
    """The normalised names a stored profile mapping carries, if the current rules made them."""
    tokens = mapping.get("name_tokens")
    if mapping.get("name_rules") != name_rules_version() or not isinstance(tokens, list):
        return None
    return tuple(decode_name(text) for text in tokens)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True, slots=True)
class Profile:
    """One person as far as the matcher knows them; every identifier already normalised."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    passports: tuple[str, ...] = ()
    date_of_birth: str | None = None
    nationality: str | None = None
    country_of_residence: str | None = None
    city: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    _normalised: tuple[Name, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], extra_fields: Iterable[str] = ()) -> Profile:
        """Build a profile from an applicant mapping; *extra_fields* are copied as folded text."""
        dob = _text(mapping.get("date_of_birth"))
        nationality = _text(mapping.get("nationality"))
        residence = _text(mapping.get("country_of_residence"))
        city = _text(mapping.get("city"))
        extra = {}
        for name in extra_fields:
            value = _text(mapping.get(name))
            if value:
                extra[name] = value.lower()
        return cls(
            names=_unique(_listed(mapping, "full_name", "names")),
            emails=_unique(normalise_email(v) for v in _listed(mapping, "email", "emails")),
            phones=_unique(normalise_phone(v) for v in _listed(mapping, "phone", "phones")),
            passports=_unique(normalise_passport(v) for v in _listed(mapping, "passport", "passports")),
            date_of_birth=dob if dob and _DATE.match(dob) else None,
            nationality=nationality.upper() if nationality else None,
            country_of_residence=residence.upper() if residence else None,
            city=fold_place(city) or None if city else None,
            extra=extra,
        )

    @property
    def normalised_names(self) -> tuple[Name, ...]:
        """The names as comparable tokens, empty ones left out (computed once per profile)."""
        if self._normalised is None:
            names = tuple(n for n in (normalise_name(raw) for raw in self.names) if not n.is_empty)
            object.__setattr__(self, "_normalised", names)
        return self._normalised  # type: ignore[return-value]

    @property
    def residence_or_phone_country(self) -> str | None:
        """The stated country of residence, else the region of the first phone number with one."""
        if self.country_of_residence:
            return self.country_of_residence
        for phone in self.phones:
            region = phone_region(phone)
            if region:
                return region
        return None

    def merged(self, other: Profile) -> Profile:
        """Return this profile with *other*'s identifiers added; single values keep the first known."""
        return Profile(
            names=_unique((*self.names, *other.names)),
            emails=_unique((*self.emails, *other.emails)),
            phones=_unique((*self.phones, *other.phones)),
            passports=_unique((*self.passports, *other.passports)),
            date_of_birth=self.date_of_birth or other.date_of_birth,
            nationality=self.nationality or other.nationality,
            country_of_residence=self.country_of_residence or other.country_of_residence,
            city=self.city or other.city,
            extra={**other.extra, **self.extra},
        )

    @classmethod
    def from_stored(cls, mapping: Mapping[str, Any]) -> Profile:
        """Rebuild the profile that `to_mapping` wrote, without normalising anything again.

        The result equals `from_mapping`'s; names stored under other normalisation rules are
        normalised afresh, and a mapping `to_mapping` did not write goes through `from_mapping`.
        """
        if not _STORED_KEYS <= mapping.keys():
            return cls.from_mapping(mapping)
        profile = cls(
            names=tuple(mapping["names"]),
            emails=tuple(mapping["emails"]),
            phones=tuple(mapping["phones"]),
            passports=tuple(mapping["passports"]),
            date_of_birth=mapping["date_of_birth"],
            nationality=mapping["nationality"],
            country_of_residence=mapping["country_of_residence"],
            city=mapping["city"],
            # the fields of another data kind (FEBRL's address) are stored beside these, folded already
            extra={k: v for k, v in mapping.items() if k not in _NOT_EXTRA and isinstance(v, str)},
        )
        names = _stored_names(mapping)
        if names is not None:
            object.__setattr__(profile, "_normalised", names)
        return profile

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping that `from_mapping` turns back into an equal profile.

        The normalised names come along, for `from_stored` to read back.
        """
        mapping: dict[str, Any] = {
            "names": list(self.names),
            "name_tokens": [encode_name(name) for name in self.normalised_names],
            "name_rules": name_rules_version(),
            "emails": list(self.emails),
            "phones": list(self.phones),
            "passports": list(self.passports),
            "date_of_birth": self.date_of_birth,
            "nationality": self.nationality,
            "country_of_residence": self.country_of_residence,
            "city": self.city,
        }
        mapping.update(self.extra)
        return mapping


_STORED_KEYS = frozenset(Profile().to_mapping()) - _NORMALISED_NAME_KEYS
_NOT_EXTRA = _STORED_KEYS | _NORMALISED_NAME_KEYS
