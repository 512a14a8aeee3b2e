"""Full names: "My name is …"-style cues, labelled answers, self-introductions, signatures, headers."""

# ruff: noqa: RUF001  (Cyrillic and CJK labels on purpose)

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span

from triage.extraction.evidence import Candidate
from triage.extraction.reading import Reading
from triage.extraction.text import capitalised, fold, title_name
from triage.mail.message import Address

#: Lower-case words that may stand inside a name ("Bram de Vries", "Ludwig van Beethoven").
PARTICLES = frozenset("de van der den von da das dos do del della di du la le ter ten bin al mac".split())
_NOT_NAME = frozenset(
    """dear hello hi sir madam thanks thank regards best kind sincerely cheers
    embassy consulate ukraine legion international army navy the mr mrs ms dr""".split()
)
_COMPANY = re.compile(
    r"\b(gmbh|ltd|inc|llc|s\.?a\.?|sp\. z o\.o\.|department|dept|university|hospital|"
    r"health|freight|news|radio|ledger|chu|reporter|office|spedition)\b",
    re.I,
)
#: Words between a cue and the name: "name is", "sou o Pedro", "soy el", "c'est".
_LEAD_WORDS = frozenset({"is", "es", "o", "el", "il", "lo"})
_CJK_NAME = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\u3000 ]{1,8}[\u3400-\u9fff]")
_HANGUL_NAME = re.compile(
    r"\s*([\uac00-\ud7af](?: ?[\uac00-\ud7af]){1,3}?)(?=입니다|이에요|예요|이고|이며|이라고|라고|[\s,.。!]|$)"
)
_KO_SELF_NAME = re.compile(r"(?:저는|나는)\s*([\uac00-\ud7af]{2,4})$")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7af]{2,4}")
#: Words that close a Korean letter after the writer's name ("김민준 드림").
_KO_SIGN_OFF = ("드림", "올림", "배상")
_SIGN_LINE = re.compile(r"^[^\W\d_][\w.'’\- ]{1,40}$")
_PAREN = re.compile(r"\s*\([^)]*\)")
_LABEL_NAME = re.compile(
    r"\b(name|nom|nombre|nome|imi[ęe]|имя|ім'я|jméno|vardas|vārds|naam|namn|氏名)\b", re.I
)


def _is_name_word(text: str) -> bool:
    word = text.strip(".")
    if not word or not word[0].isalpha() or any(c.isdigit() for c in word):
        return False
    return capitalised(word) and (len(word) > 1 or text.endswith("."))  # caseless scripts pass


def name_after(reading: Reading, start: int, *, min_words: int = 2) -> Span | None:
    """Return the run of capitalised words starting at token *start* (after ':' or ','), if a name."""
    doc = reading.doc
    i = start
    while i < len(doc) and (doc[i].text in (":", ",", "-", "–", "—") or doc[i].lower_ in _LEAD_WORDS):
        i += 1
    first = i
    words = 0
    while i < len(doc) and words < 5:
        token = doc[i]
        if token.is_space:
            break
        if words >= 2 and reading.lang == "he" and token.text[:1] == "ו":
            break  # "שמי נועה לוי ואני גרה…": no capitals in Hebrew, but "and" ends the name
        if _is_name_word(token.text) and token.lower_ not in _NOT_NAME:
            words += 1
        elif not (
            token.lower_ in PARTICLES and words and i + 1 < len(doc) and _is_name_word(doc[i + 1].text)
        ):
            break
        i += 1
        if "\n" in doc[i - 1].whitespace_ or (i < len(doc) and doc[i].is_space):
            break
    if words < min_words:
        return None
    span = doc[first:i]
    if any(
        s.label_ in ("COUNTRY", "DEMONYM", "BRANCH", "LANGUAGE") and s.start == first for s in reading.gaz
    ):
        return None
    return span


def _candidate(reading: Reading, span: Span, confidence: float, extractor: str) -> Candidate:
    return reading.candidate("full_name", title_name(span.text), confidence, span, extractor)


def _korean_name(reading: Reading, at: int, confidence: float) -> Iterator[Candidate]:
    """The Hangul name at character *at*, without the copula written onto it ("김민준입니다")."""
    rest = reading.text[at : at + 30]
    if rest[:1] in ("은", "는", "이", "가") and rest[1:2] == " ":
        rest, at = rest[1:], at + 1  # the particle of a shorter cue: "이름" + "은"
    match = _HANGUL_NAME.match(rest.lstrip(":： "))
    if match:
        offset = at + rest.index(match.group(1))
        name = match.group(1)
        yield reading.candidate("full_name", name, confidence, (offset, offset + len(name)), "cue.name")


def cue_names(reading: Reading) -> Iterator[Candidate]:
    """Names after a name cue ("My name is", "Name:", "Меня зовут", 氏名) and after a self cue ("I am")."""
    if reading.lang == "ko":  # Hangul has no capitals to end a name, but a copula or a space does
        for cue in reading.cues_in("NAME"):
            yield from _korean_name(reading, cue.end_char, 0.9)
        for cue in reading.cues_in("SELF"):  # "저는 이서연입니다": the copula comes after the name
            before = _KO_SELF_NAME.search(reading.text[max(0, cue.start_char - 20) : cue.start_char])
            if before:
                end = cue.start_char
                name = before.group(1)
                yield reading.candidate("full_name", name, 0.75, (end - len(name), end), "cue.self")
        return
    for cue in reading.cues_in("NAME"):
        span = name_after(reading, cue.end)
        if span is not None:
            labelled = reading.doc[cue.end - 1].text.endswith(":") or (
                cue.end < len(reading.doc) and reading.doc[cue.end].text == ":"
            )
            yield _candidate(reading, span, 0.9 if labelled else 0.85, "cue.name")
        elif reading.lang in ("ja", "ko", "zh"):
            rest = reading.text[cue.end_char : cue.end_char + 30]
            match = _CJK_NAME.search(rest.lstrip("】]:： "))
            if match:
                offset = cue.end_char + rest.index(match.group())
                name = match.group().replace("\u3000", " ")
                yield reading.candidate(
                    "full_name", name, 0.9, (offset, offset + len(match.group())), "cue.name"
                )
    for cue in reading.cues_in("SELF"):
        if reading.lang in ("ja", "ko"):
            continue
        span = name_after(reading, cue.end)
        if span is not None:
            yield _candidate(reading, span, 0.75, "cue.self")
    for cue in reading.cues_in("BEHALF") + reading.cues_in("KIN"):  # "my brother, Levan Kapanadze"
        span = name_after(reading, cue.end)
        if span is not None:
            yield _candidate(reading, span, 0.8, "cue.behalf")
    if reading.zone.label and _LABEL_NAME.search(reading.zone.label):
        first_line = reading.text.strip().split("\n", 1)[0]
        start = reading.text.find(first_line)
        words = first_line.split()
        if 2 <= len(words) <= 5 and all(_is_name_word(w) or w.lower() in PARTICLES for w in words):
            yield reading.candidate(
                "full_name", title_name(first_line), 0.95, (start, start + len(first_line)), "answer.name"
            )


def signature_names(reading: Reading) -> Iterator[Candidate]:
    """Lines of the signature that are a name: "Tom Ashworth", "Peppe (Giuseppe Esposito)"."""
    if reading.zone.source != "signature" and reading.zone.source != "forwarded":
        return
    text = reading.text
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped or any(c.isdigit() for c in stripped) or _COMPANY.search(stripped):
            continue
        inner = re.search(r"\(([^)]*)\)", stripped)
        if (
            inner
            and len(inner.group(1).split()) >= 2
            and all(_is_name_word(w) for w in inner.group(1).split())
        ):
            name = inner.group(1)
        else:
            name = _PAREN.sub("", stripped).split(",")[0].strip()
        if name.endswith(_KO_SIGN_OFF):
            name = name[:-2].strip()
        words = name.split()
        hangul = len(words) == 1 and _HANGUL_WORD.fullmatch(name) is not None  # "박지훈": no spaces
        if (
            not (2 <= len(words) <= 4 or hangul)
            or not _SIGN_LINE.match(name)
            or len(words[0].strip(".")) == 1
        ):
            continue
        if not all(_is_name_word(w) or w.lower() in PARTICLES for w in words):
            continue
        if fold(words[0]) in _NOT_NAME:
            continue
        at = text.find(name, start)
        yield reading.candidate("full_name", title_name(name), 0.65, (at, at + len(name)), "signature.name")


def header_name(author: Address | None) -> Iterator[Candidate]:
    """The display name of the author, "Last, First" turned around."""
    if author is None or not author.name.strip():
        return
    name = author.name.strip().strip("'\"")
    if "@" in name:
        return
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        name = f"{first} {last}"
    name = _PAREN.sub("", name).replace("\u3000", " ").strip()
    if name:
        yield Candidate(
            "full_name",
            title_name(name),
            0.6,
            "header",
            (0, len(author.name)),
            author.name,
            "header.display_name",
            -1,
        )
