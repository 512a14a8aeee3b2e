"""Split a decoded mail body into the writer's own text, quotes, signature, forwarded parts and header blocks.

The scan is line based and linear: every line is looked at a bounded number of times, and the
patterns only ever see the first ``_PROBE_CHARS`` characters of a line, so a 10,000-line quoted
thread or a multi-megabyte body costs milliseconds. Past ``MAX_SCAN_LINES`` lines the rest of the
text is one segment of whatever kind was in force there.

How a line is read:

* ``>``-prefixed lines are ``quoted``.
* A reply header ("On … wrote:", "Am … schrieb …:", "… пишет:", ...) is a ``header_block``. When
  the lines under it are ``>``-quoted, the unquoted lines between them are the writer's inline
  answers (``body``); otherwise everything under it is ``quoted`` (top-posting clients).
* A forward separator ("---------- Forwarded message ---------", "Begin forwarded message:", and
  their translations) plus the From/Date/Subject/To lines below it is a ``header_block``; the
  rest of the text is ``forwarded``.
* Outlook-style blocks ("-----Original Message-----", the New-Outlook underscore rule, or a bare
  From/Sent/To/Subject block in one of many languages) do not say whether the mail is a reply or
  a forward. Their content is ``quoted`` unless the caller passes ``forward=True`` (the subject
  said "FW:"), then it is ``forwarded``.
* In the last run of the writer's text before a quote or at the end, the signature starts at a
  ``-- `` line, a "Sent from my iPhone" line in any of many languages, a sign-off ("Best regards,",
  "Mit freundlichen Grüßen", "З повагою", ...) followed only by a few short lines, or a final
  paragraph of short name/phone/address lines.
"""

# ruff: noqa: RUF001, RUF002  (the cues are Cyrillic, Turkish, CJK words and typographic marks on purpose)
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from triage.mail.message import Segment, SegmentKind

#: Lines past this many are not analysed: the tail keeps the kind in force at the limit.
MAX_SCAN_LINES = 20_000
#: Only this many characters of a line are matched against patterns.
_PROBE_CHARS = 400

FieldKind = Literal["from", "sent", "to", "cc", "subject"]

#: Header-field labels of reply and forward blocks, case-folded, by the field they name.
FIELD_LABELS: dict[str, FieldKind] = {
    **dict.fromkeys(
        (
            "from", "von", "de", "od", "от", "від", "van", "da", "fra", "från", "lähettäjä",
            "kimden", "gönderen", "feladó", "nuo", "no", "pošiljatelj", "šalje", "odesílatel",
            "expéditeur", "remitente", "absender", "de la", "差出人", "送信者", "보낸 사람",
            "מאת", "გამგზავნი", "ад", "sender",
        ),
        "from",
    ),
    **dict.fromkeys(
        (
            "sent", "date", "gesendet", "datum", "envoyé", "envoyé le", "date d'envoi", "enviado",
            "enviada", "enviado el", "fecha", "data", "inviato", "wysłano", "wysłane", "data wysłania",
            "отправлено", "дата", "надіслано", "verzonden", "verstuurd", "skickat", "odesláno",
            "odoslané", "išsiųsta", "data ir laikas", "nosūtīts", "datums", "poslano", "lähetetty",
            "päivämäärä", "gönderildi", "tarih", "trimis", "送信日時", "日付", "보낸 날짜", "날짜",
            "נשלח", "תאריך", "თარიღი", "адпраўлена",
        ),
        "sent",
    ),
    **dict.fromkeys(
        (
            "to", "an", "à", "a", "para", "do", "кому", "aan", "till", "komu", "kam", "kime",
            "vastaanottaja", "prima", "către", "címzett", "宛先", "받는 사람", "אל", "ვის",
            "destinatario", "destinatário", "empfänger", "destinataire", "адрасат",
        ),
        "to",
    ),
    **dict.fromkeys(
        (
            "cc", "kopie", "copie", "copia", "kopia", "dw", "копия", "копія", "kópia", "kopija",
            "kopio", "bilgi", "kopie an", "cc an", "参照", "참조", "עותק",
        ),
        "cc",
    ),
    **dict.fromkeys(
        (
            "subject", "betreff", "objet", "asunto", "assunto", "oggetto", "temat", "тема",
            "onderwerp", "ämne", "předmět", "predmet", "tema", "tēma", "aihe", "konu", "subiect",
            "tárgy", "件名", "제목", "נושא", "თემა", "emne", "emner",
        ),
        "subject",
    ),
}

#: The text between the dashes of a separator line that announces a forward (case-folded).
_FORWARD_SEPARATORS = frozenset(
    (
        "forwarded message", "forwarded message follows", "weitergeleitete nachricht",
        "message transféré", "mensaje reenviado", "mensagem encaminhada", "mensagem reencaminhada",
        "messaggio inoltrato", "wiadomość przekazana dalej", "przekazana wiadomość",
        "пересланное сообщение", "пересылаемое сообщение", "переслане повідомлення",
        "пересланий лист", "пераасланае паведамленне", "doorgestuurd bericht", "přeposlaná zpráva",
        "preposlaná správa", "vidarebefordrat meddelande", "välitetty viesti", "persiųstas laiškas",
        "persiųsta žinutė", "pārsūtīta ziņa", "pārsūtītā ziņa", "proslijeđena poruka",
        "mesaj redirecționat", "mesaj redirectionat", "iletilen ileti", "iletilmiş mesaj",
        "videresendt meddelelse", "videresendt melding", "転送されたメッセージ", "転送メッセージ",
        "전달된 메시지", "전달된 메일", "הודעה שהועברה", "გადაგზავნილი შეტყობინება",
    )
)

#: Separator texts of Outlook and Thunderbird that mark either a reply or a forward (case-folded).
_ORIGINAL_SEPARATORS = frozenset(
    (
        "original message", "ursprüngliche nachricht", "originalnachricht", "message d'origine",
        "message original", "mensaje original", "mensagem original", "messaggio originale",
        "wiadomość oryginalna", "oryginalna wiadomość", "исходное сообщение", "оригінальне повідомлення",
        "вихідне повідомлення", "oorspronkelijk bericht", "origineel bericht", "původní zpráva",
        "pôvodná správa", "ursprungligt meddelande", "alkuperäinen viesti", "pradinis laiškas",
        "sākotnējā ziņa", "izvorna poruka", "originalna poruka", "mesajul original", "özgün ileti",
        "orijinal mesaj", "oprindelig meddelelse", "opprinnelig melding", "元のメッセージ",
        "원본 메시지", "הודעה מקורית", "ორიგინალი შეტყობინება",
    )
)

#: Apple Mail and other clients: one line ending in a colon, the header fields below it.
_FORWARD_INTROS = frozenset(
    (
        "begin forwarded message", "forwarded message", "début du message réexpédié",
        "début du message transféré", "anfang der weitergeleiteten nachricht",
        "inicio del mensaje reenviado", "comienzo del mensaje reenviado", "início da mensagem reencaminhada",
        "início da mensagem encaminhada", "inizio messaggio inoltrato", "inizio del messaggio inoltrato",
        "początek przekazanej wiadomości", "начало переадресованного сообщения",
        "начало пересылаемого сообщения", "початок пересланого листа", "початок пересланого повідомлення",
        "begin doorgestuurd bericht", "začátek přeposlané zprávy", "začiatok preposlanej správy",
        "vidarebefordrat brev", "välitetty viesti alkaa", "prasideda persiųstas laiškas",
        "sākas pārsūtītā ziņa", "početak proslijeđene poruke", "începutul mesajului redirecționat",
        "iletilen iletinin başlangıcı", "videresendt besked", "転送されたメッセージ", "전달된 메시지",
        "תחילת ההודעה שהועברה",
    )
)

#: The verb that ends a one-line reply header, by language: right before the colon, or (German,
#: Dutch, Scandinavian word order) followed by the writer's name and address.
_REPLY_VERB = re.compile(
    r"(?:(?:\bwrote|\bwrites|\ba écrit|\bescribió|\bescreveu|\bha scritto|\bscrisse|\bpisze"
    r"|\bnapisał\(a\)|\bnapisał|\bnapisała|\bпишет|\bнаписал\(а\)|\bнаписал|\bнаписала|\bпише"
    r"|\bнаписав\(ла\)|\bнаписав|\bнапісаў|\bnapsal\(a\)|\bnapsal|\bnapsala|\bnapísal\(a\)|\bnapísal"
    r"|\bkirjoitti|\brašė|\brakstīja|\bnapisao je|\bnapisala je|\bje napisao|\bje napisala|\ba scris"
    r"|\byazdı|が書きました|のメッセージ|작성|写道|כתב|כתבה|დაწერა)"
    r"|(?:\bschrieb|\bschreef|\bskrev|\bkirjoitti)[^:：]{0,80})\s*[:：]\s*$",
    re.IGNORECASE,
)
_REPLY_OPENER = re.compile(
    r"^(?:on|am|le|el|em|no dia|il|w dniu|dnia|op|den|dne|dňa|v|в|у|dana|pe|kun|el día|le jeudi)\s",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
#: Reply headers without a verb: Gmail in Japanese, Chinese or Hebrew ends with "<addr>:".
#: (The digit is checked separately: "\d.*<" in one pattern backtracks quadratically on long lines.)
_REPLY_ADDRESS_END = re.compile(r"<[^<>\s]{1,200}@[^<>\s]{1,200}>\s*[:：]\s*$")
_DIGIT = re.compile(r"\d")
#: A run of underscores: the New Outlook rule above a From/Sent/To/Subject block.
_UNDERSCORE_RULE = re.compile(r"^\s*_{8,}\s*$")
_DASH_SEPARATOR = re.compile(r"^\s*[-–—=_*]{2,}\s*(?P<core>[^-–—=*].*?)\s*[-–—=_*]{2,}\s*$")
_SIGNATURE_DELIMITER = frozenset(("--", "-- ", "—", "---", "__"))

#: "Sent from my iPhone" and friends, case-folded line prefixes.
_MOBILE_PREFIXES = (
    "sent from my ", "sent from yahoo mail", "sent from mail for windows", "sent from outlook",
    "sent from the all new aol", "sent from aol", "sent with proton mail", "sent from protonmail",
    "sent via ", "get outlook for ", "von meinem ", "gesendet von meinem", "gesendet von ",
    "gesendet mit der ", "diese nachricht wurde von meinem ", "envoyé de mon ", "envoyé depuis ",
    "envoyé à partir de ", "obtenir outlook pour ", "enviado desde mi ", "enviado desde ",
    "enviado con ", "obtener outlook para ", "enviado do meu ", "enviado de meu ",
    "enviado do ", "enviado a partir do ", "inviato da ", "inviato dal mio ",
    "scarica outlook per ", "wysłane z ", "wysłano z ", "pobierz outlook dla ", "отправлено с ",
    "отправлено из ", "отправлено через ", "надіслано з ", "надіслано через ", "адпраўлена з ",
    "odesláno z ", "odesláno ze ", "odoslané z ", "verzonden vanaf mijn ", "verzonden met ",
    "verstuurd vanaf mijn ", "verstuurd vanaf ", "skickat från min ", "skickat från ",
    "lähetetty ", "išsiųsta iš ", "nosūtīts no ", "poslano s ", "poslano sa ", "trimis de pe ",
    "trimis din ", "iphone'umdan gönderildi", "ipad'imden gönderildi", "samsung cihazımdan",
    "sendt fra min ",
)
_MOBILE_SUFFIXES = (
    "から送信", "에서 보냄", "-დან", "iphone שלי", "gönderildi",
)

#: Sign-off lines (case-folded prefixes) that open a closing block.
_SIGN_OFFS = re.compile(
    r"^(?:"
    r"(?:best|kind|warm|warmest|many|with|my)?\s*regards|regards|best wishes|best|cheers|thanks|thank you"
    r"|many thanks|thanks in advance|thx|sincerely|yours sincerely|yours faithfully|yours truly"
    r"|respectfully|very respectfully|v/r|all the best|take care|god bless|semper fi|cordially"
    r"|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|freundliche grüsse"
    r"|viele grüße|viele grüsse|beste grüße|liebe grüße|herzliche grüße|grüße|gruß|mfg|lg|vg"
    r"|vielen dank|danke|hochachtungsvoll"
    r"|cordialement|bien cordialement|bien à vous|salutations|sincères salutations|amicalement"
    r"|merci|bien à toi|respectueusement"
    r"|saludos|un saludo|atentamente|cordialmente|gracias|muchas gracias|un abrazo|reciba un"
    r"|atenciosamente|obrigado|obrigada|cumprimentos|melhores cumprimentos|abraços|abraço"
    r"|saudações|um abraço"
    r"|cordiali saluti|distinti saluti|saluti|un saluto|grazie|grazie mille|in fede|un abbraccio"
    r"|z poważaniem|pozdrawiam|z wyrazami szacunku|dziękuję|serdecznie pozdrawiam|łączę pozdrowienia"
    r"|с уважением|спасибо|заранее спасибо|с наилучшими пожеланиями|всего доброго|всего наилучшего"
    r"|з повагою|дякую|щиро дякую|з найкращими побажаннями|з павагай|дзякуй"
    r"|s pozdravem|s pozdravom|děkuji|ďakujem|s úctou|se srdečným pozdravem"
    r"|pagarbiai|su pagarba|ačiū|ar cieņu|paldies|ar labiem vēlējumiem"
    r"|cu stimă|cu stima|cu respect|mulțumesc|multumesc|toate cele bune"
    r"|met vriendelijke groet|met vriendelijke groeten|vriendelijke groet|groeten|groet|mvg"
    r"|hartelijke groet|bedankt|dank u"
    r"|srdačan pozdrav|lijep pozdrav|s poštovanjem|pozdrav|hvala"
    r"|med vänliga hälsningar|vänliga hälsningar|mvh|hälsningar|tack"
    r"|ystävällisin terveisin|terveisin|kiitos"
    r"|saygılarımla|teşekkürler|teşekkür ederim|iyi çalışmalar"
    r"|よろしくお願い|何卒よろしく|敬具|以上|감사합니다|고맙습니다|პატივისცემით|მადლობა|בברכה|תודה"
    r")(?:\W|$)",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"confidential|disclaimer|intended recipient|this (?:e-?mail|message) (?:and|is|may|contains)"
    r"|diese (?:e-?mail|nachricht)|vertraulich|ce (?:courriel|message) (?:et|est|peut)"
    r"|este (?:correo|mensaje)"
    r"|questo messaggio|ta wiadomość|это сообщение|цей лист|tento e-?mail|geschäftsführer|amtsgericht"
    r"|registered (?:office|in)|sp\. z o\.o\.|\bgmbh\b|\bltd\b",
    re.IGNORECASE,
)
_PHONE_LINE = re.compile(r"^[^\d+]{0,24}[+(]?\d[\d\s().\-/]{5,}\d[^\n]{0,30}$")
_EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://|www\.", re.IGNORECASE)


def segment(text: str, *, forward: bool = False) -> list[Segment]:
    """Given a decoded body, return its segments in order; they cover *text* exactly.

    ``forward=True`` tells that the message is a forward (its subject said so): the content under an
    Outlook-style block, which could be a reply or a forward, is then ``forwarded``, not ``quoted``.
    """
    return list(_segment(text, forward))


@lru_cache(maxsize=16)
def _segment(text: str, forward: bool) -> tuple[Segment, ...]:
    # unwrapping forwards, classifying and extracting each segment the same body: computed once
    if not text:
        return ()
    lines = _split_lines(text)
    scanned = lines[:MAX_SCAN_LINES]
    probes = [_probe(text, start, end) for start, end in scanned]
    kinds = _structure(probes, forward=forward)
    _mark_signatures(probes, kinds)
    resolved = _resolve_blanks(kinds)
    return tuple(_merge(text, lines, resolved))


def parse_header_block(block: str) -> dict[FieldKind, str]:
    """Given the text of a header block, return its fields (first value of each), continuations joined."""
    fields: dict[FieldKind, str] = {}
    current: FieldKind | None = None
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        field = _field(line)
        if field is not None:
            current = field[0]
            if current not in fields:
                fields[current] = field[1]
            else:
                current = None
        elif current is not None and not _separator_kind(line):
            fields[current] = f"{fields[current]} {line}".strip()
    return fields


def is_header_field(line: str) -> bool:
    """Whether *line* is a From/Sent/To/Cc/Subject line of a reply or forward block."""
    return _field(line.strip()) is not None


# --- structure -------------------------------------------------------------------------------

_State = Literal["body", "quoted_all", "forwarded"]


def _structure(probes: Sequence[str], *, forward: bool) -> list[SegmentKind | None]:
    kinds: list[SegmentKind | None] = [None] * len(probes)
    state: _State = "body"
    i = 0
    n = len(probes)
    while i < n:
        line = probes[i]
        if state == "quoted_all":
            kinds[i] = "quoted"
            i += 1
            continue
        if state == "forwarded":
            nested = _forward_marker_block(probes, i)
            if nested is not None:
                for j in range(i, nested):
                    kinds[j] = "header_block"
                i = nested
                continue
            kinds[i] = "forwarded"
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        if line.lstrip().startswith(">"):
            kinds[i] = "quoted"
            i += 1
            continue
        block = _block_at(probes, i, forward=forward)
        if block is None:
            kinds[i] = "body"
            i += 1
            continue
        end, region = block
        for j in range(i, end):
            kinds[j] = "header_block"
        i = end
        if region == "interleaved":
            continue
        state = region
    return kinds


_Region = _State | Literal["interleaved"]


def _block_at(probes: Sequence[str], i: int, *, forward: bool) -> tuple[int, _Region] | None:
    """Return (end, kind of what follows) when a reply or forward header block starts at line *i*."""
    line = probes[i].strip()
    marker = _separator_kind(line)
    if marker is not None:
        end = _fields_after(probes, i + 1)
        if marker == "forward":
            return end, "forwarded"
        if end > i + 1 or marker == "original":
            return end, "forwarded" if forward else "quoted_all"
    if _UNDERSCORE_RULE.match(line):
        end = _fields_after(probes, i + 1)
        if end > i + 1:
            return end, "forwarded" if forward else "quoted_all"
        return None
    reply_end = _reply_header_end(probes, i)
    if reply_end is not None:
        following = _next_nonblank(probes, reply_end)
        if following is not None and probes[following].lstrip().startswith(">"):
            return reply_end, "interleaved"
        return reply_end, "forwarded" if forward else "quoted_all"
    if _field(line) is not None:
        end, seen = _field_cluster(probes, i)
        if "from" in seen and len(seen) >= 3:
            return end, "forwarded" if forward else "quoted_all"
    return None


def _forward_marker_block(probes: Sequence[str], i: int) -> int | None:
    """Inside a forwarded part, only an explicit forward separator starts a (nested) header block."""
    line = probes[i].strip()
    if line and _separator_kind(line) == "forward":
        return _fields_after(probes, i + 1)
    return None


def _separator_kind(line: str) -> Literal["forward", "original"] | None:
    if not line or len(line) > 120:
        return None
    match = _DASH_SEPARATOR.match(line)
    if match is not None:
        core = match.group("core").strip(" :").casefold()
        if core in _FORWARD_SEPARATORS:
            return "forward"
        if core in _ORIGINAL_SEPARATORS:
            return "original"
        return None
    if line.endswith((":", "：")):
        core = line.rstrip(":： ").strip("* ").casefold()
        if core in _FORWARD_INTROS:
            return "forward"
    return None


def _fields_after(probes: Sequence[str], i: int) -> int:
    """Return the end of the header fields after a separator at *i* - 1 (up to two blank lines between)."""
    start = _next_nonblank(probes, i, limit=3)
    if start is None or _field(probes[start].strip()) is None:
        return i
    end, _seen = _field_cluster(probes, start)
    return end


def _field_cluster(probes: Sequence[str], i: int) -> tuple[int, set[FieldKind]]:
    """Read header fields from line *i*: return the end of the block and which fields it holds."""
    seen: set[FieldKind] = set()
    last = i
    previous: FieldKind | None = None
    j = i
    n = len(probes)
    while j < n and j < i + 24:
        raw = probes[j]
        line = raw.strip()
        if not line:
            following = _next_nonblank(probes, j + 1, limit=2)
            if seen and following is not None and _field(probes[following].strip()) is not None:
                j = following
                continue
            break
        field = _field(line)
        if field is not None:
            if field[0] in seen and field[0] != "cc":
                break
            seen.add(field[0])
            previous = field[0]
            last = j
        elif previous is not None and _is_continuation(raw, line, previous):
            last = j
        else:
            break
        j += 1
    return last + 1, seen


def _is_continuation(raw: str, line: str, previous: FieldKind) -> bool:
    if len(line) > 200:
        return False
    if raw[:1] in (" ", "\t"):
        return True
    if line.startswith(("<", "[mailto:", "(", "mailto:")):
        return True
    if previous in ("from", "to", "cc") and ("@" in line or line.endswith((",", ";"))):
        return True
    return False


def _field(line: str) -> tuple[FieldKind, str] | None:
    """Return (field, value) when *line* is a header field of a reply or forward block."""
    head = line[:48]
    colon = -1
    for mark in (":", "："):
        found = head.find(mark)
        if found != -1 and (colon == -1 or found < colon):
            colon = found
    if colon <= 0:
        return None
    label = head[:colon].strip(" *_\t").casefold()
    kind = FIELD_LABELS.get(label)
    if kind is None:
        return None
    value = line[colon + 1 :].strip(" *_\t")
    return kind, value


def _reply_header_end(probes: Sequence[str], i: int) -> int | None:
    """Return the line after a reply header ("On … wrote:") starting at *i*, wrapped over up to 3 lines."""
    first = probes[i].strip()
    if first.endswith((".", "!", "?")) or len(first) > _PROBE_CHARS:
        return None
    may_wrap = "@" in first or any(ch.isdigit() for ch in first) or bool(_REPLY_OPENER.match(first))
    parts: list[str] = []
    for k in range(3 if may_wrap else 1):
        j = i + k
        if j >= len(probes):
            return None
        line = probes[j].strip()
        if not line or line.startswith(">"):
            return None
        parts.append(line)
        candidate = " ".join(parts)
        if len(candidate) > _PROBE_CHARS:
            return None
        if "@" not in candidate and not _CLOCK_TIME.search(candidate):
            continue
        if not candidate.endswith((":", "：")):
            continue  # both patterns end in a colon; checking first keeps long texts cheap
        if _REPLY_VERB.search(candidate) or _ends_with_address(candidate):
            return j + 1
    return None


def _ends_with_address(line: str) -> bool:
    """Whether *line* ends with "<addr>:" and has a digit (of a date) before the address."""
    match = _REPLY_ADDRESS_END.search(line)
    return match is not None and _DIGIT.search(line, 0, match.start()) is not None


def _next_nonblank(probes: Sequence[str], i: int, limit: int = 4) -> int | None:
    for j in range(i, min(len(probes), i + limit)):
        if probes[j].strip():
            return j
    return None


# --- signatures -------------------------------------------------------------------------------


def _mark_signatures(probes: Sequence[str], kinds: list[SegmentKind | None]) -> None:
    """Mark the signature in the writer's last run of text and in the run just above a quote or forward."""
    runs = _body_runs(kinds)
    if not runs:
        return
    chosen = {runs[-1]}
    for start, end in runs:
        after = _next_kind(kinds, end)
        if after == "header_block":
            chosen.add((start, end))
    for start, end in chosen:
        sig = _signature_start(probes, start, end)
        if sig is None:
            continue
        for j in range(sig, end):
            kinds[j] = "signature"


def _body_runs(kinds: Sequence[SegmentKind | None]) -> list[tuple[int, int]]:
    """Maximal runs of body and blank lines that hold at least one body line."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    has_body = False
    for j, kind in enumerate(kinds):
        if kind is None or kind == "body":
            if start is None:
                start = j
                has_body = False
            has_body = has_body or kind == "body"
        else:
            if start is not None and has_body:
                runs.append((start, j))
            start = None
    if start is not None and has_body:
        runs.append((start, len(kinds)))
    return runs


def _next_kind(kinds: Sequence[SegmentKind | None], i: int) -> SegmentKind | None:
    for j in range(i, len(kinds)):
        if kinds[j] is not None:
            return kinds[j]
    return None


def _signature_start(probes: Sequence[str], start: int, end: int) -> int | None:
    nonblank = [j for j in range(start, end) if probes[j].strip()]
    if not nonblank:
        return None
    found = [
        candidate
        for candidate in (
            _delimiter_start(probes, nonblank, at_top=start == 0),
            _mobile_start(probes, nonblank),
            _sign_off_start(probes, nonblank),
        )
        if candidate is not None
    ]
    cut = min(found) if found else end
    above = [j for j in nonblank if j < cut]
    if above:
        block = _trailing_block_start(probes, above, start)
        if block is not None:
            return block
    return cut if found else None


def _delimiter_start(probes: Sequence[str], nonblank: Sequence[int], *, at_top: bool) -> int | None:
    """A "-- " line with at most 15 lines under it; at the very top of the text it is not a signature."""
    for position, j in enumerate(nonblank):
        if position == 0 and at_top:
            continue
        if probes[j].rstrip("\r\n") in _SIGNATURE_DELIMITER and len(nonblank) - position <= 16:
            return j
    return None


def _mobile_start(probes: Sequence[str], nonblank: Sequence[int]) -> int | None:
    for position in range(max(1, len(nonblank) - 6), len(nonblank)):
        j = nonblank[position]
        if _is_mobile_line(probes[j]) and len(nonblank) - position <= 4:
            return j
    return None


def _is_mobile_line(line: str) -> bool:
    folded = line.strip().casefold()
    if len(folded) > 120:
        return False
    return folded.startswith(_MOBILE_PREFIXES) or folded.endswith(_MOBILE_SUFFIXES)


def _sign_off_start(probes: Sequence[str], nonblank: Sequence[int]) -> int | None:
    first = max(1, len(nonblank) - 10)
    for position in range(first, len(nonblank)):
        line = probes[nonblank[position]].strip()
        if len(line) > 50 or not _SIGN_OFFS.match(line):
            continue
        rest = [probes[j].strip() for j in nonblank[position + 1 :]]
        if len(rest) <= 10 and all(_is_signature_line(r) for r in rest):
            return nonblank[position]
    return None


def _is_signature_line(line: str) -> bool:
    if _DISCLAIMER.search(line) or _is_mobile_line(line):
        return True
    if len(line) > 80 or line.endswith("?"):
        return False
    words = len(line.split())
    # A sentence ("I can leave next week.") under "Thank you for your time." is still the letter.
    if words > 3 and line.endswith((".", "!", "。", "！")):
        return False
    return words <= 10


def _trailing_block_start(probes: Sequence[str], nonblank: Sequence[int], start: int) -> int | None:
    """A last paragraph of at most four name, phone, address or link lines, below some text."""
    block: list[int] = []
    for j in reversed(nonblank):
        block.insert(0, j)
        if len(block) > 4:
            return None
        if j == start or not probes[j - 1].strip():
            break
    if block[0] == nonblank[0]:
        return None
    above = max(j for j in nonblank if j < block[0])
    if probes[above].rstrip().endswith((":", "：")):
        return None  # a list the text announced ("My skills:"), not a signature
    lines = [probes[j].strip() for j in block]
    if not all(_is_contact_line(line) for line in lines):
        return None
    if not any(_is_name_line(line) or _PHONE_LINE.match(line) for line in lines):
        return None
    return block[0]


def _is_contact_line(line: str) -> bool:
    if len(line) > 60:
        return False
    if _PHONE_LINE.match(line) or _EMAIL_OR_URL.search(line):
        return True
    if line.endswith(("?", "!", ":")) or (line.endswith(".") and not _is_name_line(line)):
        return False
    return len(line.split()) <= 5 and (_is_name_line(line) or line[:1].isupper() or _is_ideographic(line))


def _is_name_line(line: str) -> bool:
    """One to five words that each start with a capital (or a CJK name), as a signed name looks."""
    if _is_ideographic(line):
        return len(line) <= 16
    words = line.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    for word in words:
        head = word.lstrip("(\"'")[:1]
        if not head or not (head.isupper() or head.isdigit()):
            return False
    return not (line.endswith(".") and len(words[-1]) > 3)


def _is_ideographic(line: str) -> bool:
    stripped = line.replace(" ", "").replace("\u3000", "")
    return bool(stripped) and all("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in stripped)


# --- assembly ---------------------------------------------------------------------------------


def _split_lines(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of every line, line terminators included, covering *text*."""
    lines: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length:
        newline = text.find("\n", start)
        end = length if newline == -1 else newline + 1
        lines.append((start, end))
        start = end
    return lines


def _probe(text: str, start: int, end: int) -> str:
    return text[start : min(end, start + _PROBE_CHARS)].rstrip("\r\n")


def _resolve_blanks(kinds: Sequence[SegmentKind | None]) -> list[SegmentKind]:
    """Give blank lines the kind of the line above them (or below, at the top of the text)."""
    default: SegmentKind = "body"
    current: SegmentKind = next((k for k in kinds if k is not None), default)
    resolved: list[SegmentKind] = []
    for kind in kinds:
        if kind is not None:
            current = kind
        resolved.append(current)
    return resolved


def _merge(text: str, lines: Sequence[tuple[int, int]], kinds: Sequence[SegmentKind]) -> list[Segment]:
    segments: list[Segment] = []
    seg_kind = kinds[0]
    seg_start = 0
    for index in range(1, len(kinds)):
        if kinds[index] != seg_kind:
            boundary = lines[index][0]
            segments.append(Segment(seg_kind, text[seg_start:boundary], seg_start, boundary))
            seg_kind = kinds[index]
            seg_start = boundary
    segments.append(Segment(seg_kind, text[seg_start:], seg_start, len(text)))
    return segments
