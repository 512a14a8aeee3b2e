"""Phrase cues the classifier looks for, as data: per rule and per language, compiled once.

Each table maps a language code (ISO 639-1, or a script name, or ``any``) to regular-expression
sources written in lower case. They are matched against lower-cased text whose whitespace was
collapsed to single spaces and whose typographic apostrophes were made plain, so a phrase broken
over two lines still matches. Sources of spaced scripts match only at the start of a word; those
under ``ja``, ``ko``, ``zh`` and ``any`` anywhere. Patterns use only bounded repetition (``{0,n}``)
and no nested quantifiers, so a search is linear in the text.

The phrases are what anyone in that situation writes ("I want to join", "je souhaite m'engager",
"Abwesenheitsnotiz"), never the wording of one particular mail.
"""

# ruff: noqa: RUF001  (Cyrillic, Turkish and full-width letters in the cues are meant)
from __future__ import annotations

import re
from collections.abc import Mapping

Table = Mapping[str, tuple[str, ...]]


def compile_table(table: Table) -> re.Pattern[str]:
    """Compile all sources of *table* into one pattern for lower-cased text (see ``fold``).

    Python's engine tries the alternatives of an alternation one after the other at every position,
    so one long alternation of a few hundred phrases is slow. Three things keep it fast: no
    IGNORECASE (the text is lower-cased once instead); one word-boundary test per position for the
    spaced scripts, made before any alternative is tried; and the alternatives grouped by the
    character they start with, so that at a word start only one group is tried.
    """
    spaced = [source for lang, sources in table.items() if lang not in _UNSPACED for source in sources]
    unspaced = [source for lang, sources in table.items() if lang in _UNSPACED for source in sources]
    for source in (*spaced, *unspaced):
        re.compile(source)  # a bad source fails here, by itself, with a readable error
    parts = []
    if spaced:
        parts.append(rf"(?<!\w)(?:{'|'.join(_by_first_character(spaced))})")
    parts.extend(unspaced)
    return re.compile("|".join(parts))


def _by_first_character(sources: list[str]) -> list[str]:
    """Rewrite *sources* as alternatives grouped by their first character (same language)."""
    stripped: dict[str, list[str]] = {}  # first char -> sources without it
    looked_ahead: dict[str, list[str]] = {}  # first char -> whole sources that start with a group
    other: list[str] = []
    for raw in sources:
        source = _without_optional_head(raw)
        if len(_top_level_alternatives(source)) > 1:
            source = f"(?:{source})"  # "a|b" must not lose its first character to "a"
        first = _first_characters(source)
        if first is None:
            other.append(source)
        elif source[0] != "(":
            stripped.setdefault(source[0], []).append(source[1:])
        else:
            for char in sorted(first):
                looked_ahead.setdefault(char, []).append(source)
    branches = [f"{re.escape(char)}(?:{'|'.join(rests)})" for char, rests in sorted(stripped.items())]
    branches += [f"(?={re.escape(char)})(?:{'|'.join(alts)})" for char, alts in sorted(looked_ahead.items())]
    return [*branches, *other]


def _without_optional_head(source: str) -> str:
    """Drop a leading optional group ("(?:ich )?will" -> "will"): a search finds the same texts."""
    while source.startswith("(?:"):
        end = _closing(source)
        if end is None or source[end + 1 : end + 2] != "?" or source[end + 2 : end + 3] in ("?", "+"):
            break
        if not source[end + 2 :]:
            break
        source = source[end + 2 :]
    return source


def _first_characters(source: str) -> frozenset[str] | None:
    """The characters a match of *source* must start with, or None when that is not simple to tell."""
    if not source:
        return None
    if source.startswith("(?:"):
        end = _closing(source)
        if end is None or source[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        chars: set[str] = set()
        for alternative in _top_level_alternatives(source[3:end]):
            first = _first_characters(alternative)
            if first is None:
                return None
            chars |= first
        return frozenset(chars)
    if source[0] in "\\[().^$|?*+{}" or source[1:2] in ("?", "*", "{"):
        return None
    return frozenset(source[0])


def _closing(source: str) -> int | None:
    """Index of the parenthesis closing the group that opens *source*."""
    depth = 0
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _top_level_alternatives(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    in_class = False
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:index])
            start = index + 1
        index += 1
    parts.append(body[start:])
    return parts


def fold(text: str) -> str:
    """Lower-case *text* the way the patterns expect (``str.lower``, so lengths rarely change)."""
    return text.lower()


_UNSPACED = frozenset(("ja", "zh", "ko", "any"))

# --- auto-replies -----------------------------------------------------------------------------

#: Subjects of out-of-office and other automatic replies (searched anywhere in the subject).
AUTO_REPLY_SUBJECTS: Table = {
    "en": (
        r"out of (?:the )?office", r"automatic reply", r"auto(?:matic)?[- ]?(?:reply|response)",
        r"autoreply", r"away from (?:the )?office", r"vacation (?:reply|notice|message)", r"absence notice",
        r"ooo\b", r"(?:ticket|request|case) (?:received|created|opened)",
    ),
    "de": (
        r"abwesenheitsnotiz", r"automatische antwort", r"abwesend", r"nicht im b(?:ü|ue)ro",
        r"au(?:ß|ss)er haus", r"urlaubsabwesenheit", r"eingangsbest(?:ä|ae)tigung",
    ),
    "fr": (
        r"r(?:é|e)ponse automatique", r"absent(?:e)? du bureau", r"message d'absence", r"absence du bureau",
        r"accus(?:é|e) de r(?:é|e)ception",
    ),
    "es": (r"respuesta autom(?:á|a)tica", r"fuera de la oficina", r"ausente de la oficina"),
    "pt": (r"resposta autom(?:á|a)tica", r"fora do escrit(?:ó|o)rio", r"aus(?:ê|e)ncia tempor(?:á|a)ria"),
    "it": (r"risposta automatica", r"fuori sede", r"fuori ufficio", r"assente dall'ufficio"),
    "pl": (r"automatyczna odpowied(?:ź|z)", r"poza biurem", r"nieobecno(?:ść|sc)"),
    "ru": (r"автоответ", r"автоматический ответ", r"вне офиса", r"в отпуске", r"отсутствую"),
    "uk": (r"автовідповідь", r"автоматична відповідь", r"поза офісом", r"у відпустці"),
    "be": (r"аўтаадказ", r"аўтаматычны адказ"),
    "cs": (
        r"automatick(?:á|a) odpov(?:ě|e)(?:ď|d)",
        r"mimo kancel(?:á|a)(?:ř|r)",
        r"nep(?:ř|r)(?:í|i)tomnost",
    ),
    "sk": (r"automatick(?:á|a) odpove(?:ď|d)", r"mimo kancel(?:á|a)rie", r"neprítomnosť"),
    "nl": (r"automatisch antwoord", r"afwezig", r"niet op kantoor", r"buiten kantoor"),
    "sv": (r"automatiskt svar", r"fr(?:å|a)nvarande", r"inte p(?:å|a) kontoret"),
    "da": (r"automatisk svar", r"frav(?:æ|ae)rende", r"ikke p(?:å|a) kontoret"),
    "fi": (r"automaattinen vastaus", r"poissa toimistolta", r"lomalla"),
    "lt": (r"automatinis atsakymas", r"nesu biure", r"nebūsiu"),
    "lv": (r"autom(?:ā|a)tiskā atbilde", r"automātiska atbilde", r"prombūtnē", r"nav birojā"),
    "hr": (r"automatski odgovor", r"izvan ureda", r"odsutan", r"odsutna"),
    "ro": (r"r(?:ă|a)spuns automat", r"absent de la birou"),
    "tr": (r"otomatik yan(?:ı|i)t", r"otomatik cevap", r"ofis d(?:ı|i)(?:ş|s)(?:ı|i)nda"),
    "ja": (r"自動応答", r"自動返信", r"不在", r"休暇"),
    "ko": (r"자동 ?응답", r"부재중"),
    "zh": (r"自动回复", r"自動回覆", r"外出"),
    "he": (r"מענה אוטומטי", r"תשובה אוטומטית", r"מחוץ למשרד"),
    "ka": (r"ავტომატური პასუხი",),
}

#: Body phrases that only an automatic reply writes; one is enough near the top of a short text.
AUTO_REPLY_BODIES: Table = {
    "en": (
        r"i am (?:currently )?out of (?:the )?office",
        r"(?:i am|i'm|i will be|i shall be) (?:currently )?(?:away|out of (?:the )?office|on (?:\w+ )?leave|"
        r"on vacation|on holiday|travell?ing) (?:until|till|through|and will (?:have|be|return)|"
        r"with (?:limited|no)|(?:from|between) (?:the )?(?:\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|"
        r"may|jun|jul|aug|sep|oct|nov|dec))",
        r"this is an automat(?:ed|ic) (?:response|reply|acknowledge?ment)",
        r"(?:your|this) (?:request|ticket|case|enquiry|inquiry) (?:has been|was) (?:received|logged|created|"
        r"assigned)",
        r"your (?:ticket|reference|case) (?:number|id|#) is",
    ),
    "de": (
        r"ich bin (?:bis|vom|ab|in der zeit|derzeit|zurzeit|momentan|leider)\b.{0,80}?(?:nicht im b(?:ü|ue)ro"
        r"|abwesend|im urlaub|nicht erreichbar|au(?:ß|ss)er haus)",
        r"nicht im b(?:ü|ue)ro", r"ihre (?:nachricht|e-?mail) wird nicht weitergeleitet",
        r"dies ist eine automatische (?:antwort|nachricht|benachrichtigung)",
    ),
    "fr": (
        r"je (?:suis|serai) (?:actuellement )?absente? (?:du|jusqu|à partir|pour|cette)",
        r"je (?:suis|serai) (?:actuellement )?en (?:cong(?:é|e)s?|vacances) (?:jusqu|du|à partir)",
        r"ceci est une r(?:é|e)ponse automatique", r"absente? du bureau",
    ),
    "es": (
        r"estoy (?:fuera de la oficina|de vacaciones hasta|ausente hasta)",
        r"estar(?:é|e) (?:fuera de la oficina|ausente)",
        r"fuera de la oficina", r"esta es una respuesta autom(?:á|a)tica",
    ),
    "pt": (
        r"estou (?:fora do escrit(?:ó|o)rio|de f(?:é|e)rias at(?:é|e)|ausente at(?:é|e))",
        r"estarei (?:ausente|fora do escrit)",
        r"esta (?:é|e) uma resposta autom(?:á|a)tica",
    ),
    "it": (
        r"sono (?:attualmente )?(?:fuori (?:sede|ufficio)|in ferie fino|assente fino)",
        r"sar(?:ò|o) (?:assente|fuori (?:sede|ufficio))",
        r"questa (?:è|e) una risposta automatica",
    ),
    "pl": (
        r"jestem (?:poza biurem|na urlopie do|nieobecn[ya] do)",
        r"b(?:ę|e)d(?:ę|e) (?:nieobecn[ya]|poza biurem)",
        r"to jest automatyczna odpowied(?:ź|z)",
    ),
    "ru": (
        r"я (?:нахожусь )?(?:в отпуске до|вне офиса|отсутствую до)",
        r"это автоматический ответ",
        r"буду отсутствовать",
    ),
    "uk": (
        r"я (?:перебуваю )?(?:у відпустці до|в відпустці до|поза офісом)",
        r"це автоматична відповідь",
        r"буду відсутн\w{0,3}",
    ),
    "cs": (
        r"jsem (?:mimo kancel(?:á|a)(?:ř|r)|na dovolen(?:é|e) do)",
        r"toto je automatick(?:á|a) odpov(?:ě|e)(?:ď|d)",
    ),
    "sk": (r"som (?:mimo kancel(?:á|a)rie|na dovolenke do)",),
    "nl": (
        r"ik ben (?:afwezig|niet op kantoor|met vakantie tot)",
        r"dit is een automatisch (?:antwoord|bericht)",
    ),
    "sv": (
        r"jag (?:är|ar) (?:fr(?:å|a)nvarande|p(?:å|a) semester till)",
        r"detta (?:är|ar) ett automatiskt svar",
    ),
    "fi": (r"olen poissa toimistolta", r"tämä on automaattinen vastaus"),
    "lt": (r"tai automatinis atsakymas", r"nesu biure"),
    "lv": (r"esmu (?:atvaļinājumā|prombūtnē)", r"šī ir automātiska atbilde"),
    "hr": (r"(?:ja )?sam (?:na godi(?:š|s)njem odmoru|izvan ureda)",),
    "ro": (r"sunt (?:în concediu până|absent de la birou)", r"acesta este un r(?:ă|a)spuns automat"),
    "tr": (r"ofis d(?:ı|i)(?:ş|s)(?:ı|i)nday(?:ı|i)m", r"bu otomatik bir yan(?:ı|i)tt(?:ı|i)r"),
    "ja": (
        r"不在にしております",
        r"自動(?:応答|返信)(?:メール|メッセージ)?です",
        r"休暇を(?:いただいて|取って)おります",
    ),
    "ko": (r"부재중입니다", r"자동 ?응답(?: 메일)?입니다", r"휴가 중입니다"),
    "he": (r"אני מחוץ למשרד", r"זוהי הודעה אוטומטית"),
}

#: Weaker hints of an automatic reply: two of them (or one with an automatic-looking header) decide.
AUTO_REPLY_HINTS: Table = {
    "en": (
        r"(?:with|have) (?:limited|no) access to (?:my )?e-?mail",
        r"i will (?:respond|reply|get back to you|answer)\b.{0,40}?(?:upon|on|when|after) my return",
        r"for (?:anything |any )?urgent (?:matters|questions|enquiries|inquiries|issues|"
        r"requests)?,? ?(?:please )?(?:contact|call|reach)",
        r"(?:thank you|thanks) for (?:your|contacting)",
        r"(?:back|return) (?:in the office )?on (?:monday|tuesday|wednesday|thursday|friday)",
        r"this is an automat(?:ed|ic) (?:message|notification|e-?mail)",
        r"this (?:e-?mail|mailbox) is (?:not monitored|unattended)",
        r"do not reply to this", r"reference number", r"(?:ticket|case|request) (?:#|no\b|number|id\b)",
        r"we(?:'ve| have) received your (?:e-?mail|message|request|enquiry|inquiry|ticket)",
        r"(?:within|in) (?:\d+|one|two|three|five) (?:working|business) days",
        r"i(?:'m| am) (?:currently )?away\b", r"(?:when|once) i(?:'m| am)? (?:return|back|get back)\b",
    ),
    "de": (
        r"keinen zugriff auf (?:meine )?e-?mails",
        r"in dringenden f(?:ä|ae)llen",
        r"vielen dank f(?:ü|ue)r ihre nachricht",
        r"ab dem .{0,30}? wieder", r"bis einschlie(?:ß|ss)lich",
    ),
    "fr": (
        r"(?:sans|pas d') acc(?:è|e)s (?:à|a) (?:ma|mes) (?:messagerie|e-?mails|courriels)",
        r"pour toute (?:question |demande )?urgent",
        r"merci pour votre (?:message|courriel)", r"de retour le",
    ),
    "es": (
        r"acceso limitado al correo",
        r"en caso de urgencia",
        r"gracias por su (?:mensaje|correo)",
        r"regresar(?:é|e) el",
    ),
    "pt": (r"em caso de urg(?:ê|e)ncia", r"obrigad[oa] pela sua mensagem", r"retorno (?:no dia|em)"),
    "it": (
        r"in caso di urgenza",
        r"grazie per il (?:suo|vostro) messaggio",
        r"con accesso limitato alla (?:posta|mail)",
    ),
    "pl": (
        r"w pilnych sprawach",
        r"dzi(?:ę|e)kuj(?:ę|e) za wiadomo(?:ść|sc)",
        r"ograniczony dost(?:ę|e)p do poczty",
    ),
    "ru": (r"по срочным вопросам", r"спасибо за (?:ваше )?(?:письмо|сообщение)", r"ограниченн\w{0,3} доступ"),
    "uk": (r"з термінових питань", r"дякую за (?:ваш )?(?:лист|повідомлення)"),
    "nl": (r"in dringende gevallen", r"bedankt voor uw bericht"),
    "cs": (
        r"v nal(?:é|e)hav(?:ý|y)ch p(?:ř|r)(?:í|i)padech",
        r"d(?:ě|e)kuji za (?:va(?:š|s)i )?zpr(?:á|a)vu",
    ),
    "ja": (r"お問い合わせありがとうございます", r"戻り(?:次第|ましたら)"),
}

# --- bounces without a delivery report ---------------------------------------------------------

#: Subjects of non-delivery notices.
BOUNCE_SUBJECTS: Table = {
    "en": (
        r"undeliver(?:ed|able)(?: mail| message)?",
        r"returned mail",
        r"mail delivery (?:failed|failure|subsystem)",
        r"delivery (?:status notification|failure|has failed|notification)", r"failure notice",
        r"non[- ]?delivery", r"could not be delivered", r"returned to sender", r"delivery report",
        r"message not delivered", r"warning: could not send",
    ),
    "de": (r"unzustellbar", r"nicht zustellbar", r"zustellung fehlgeschlagen", r"nicht zugestellt"),
    "fr": (r"non remis", r"non distribu(?:é|e)", r"(?:é|e)chec de (?:la )?remise", r"impossible de remettre"),
    "es": (r"no entregado", r"no se pudo entregar", r"no entregable", r"error de entrega"),
    "pt": (r"n(?:ã|a)o (?:foi )?entregue", r"falha na entrega"),
    "it": (r"non recapitabile", r"mancato recapito", r"impossibile recapitare"),
    "pl": (r"niedostarczon", r"nie mo(?:ż|z)na dostarczy(?:ć|c)"),
    "ru": (r"не доставлено", r"недоставлен", r"не удалось доставить"),
    "uk": (r"не доставлено", r"недоставлен", r"не вдалося доставити"),
    "cs": (r"nedoru(?:č|c)iteln", r"nelze doru(?:č|c)it"),
    "nl": (r"onbestelbaar", r"niet bezorgd", r"kan niet worden bezorgd"),
    "sv": (r"kunde inte levereras", r"olevererbar"),
    "ja": (r"配信不能", r"配送エラー", r"未配達", r"送信エラー"),
}

#: Body phrases of non-delivery notices (searched near the top).
BOUNCE_BODIES: Table = {
    "en": (
        r"(?:your )?message (?:could not|couldn't|was not|wasn't) (?:be )?delivered",
        r"could not be delivered to one or more (?:of its )?recipients",
        r"delivery (?:to the following recipients? )?(?:has )?failed",
        r"this is the mail (?:system|delivery software)", r"the following address(?:es)? failed",
        r"permanent (?:fatal )?error", r"mailbox (?:is )?(?:full|unavailable|not found)", r"user unknown",
        r"recipient address rejected",
        r"delivery status notification",
        r"message to \S+ (?:could not|couldn't|was not|wasn't) (?:be )?delivered",
        r"failed permanently",
    ),
    "de": (
        r"zustellung an folgende empf(?:ä|ae)nger (?:ist )?fehlgeschlagen",
        r"konnte nicht zugestellt werden",
    ),
    "fr": (r"n'a pas pu (?:ê|e)tre (?:remis|distribu)", r"la remise (?:du message )?a (?:é|e)chou(?:é|e)"),
    "es": (r"no se pudo entregar", r"no ha podido ser entregado"),
    "pt": (r"n(?:ã|a)o p(?:ô|o)de ser entregue", r"n(?:ã|a)o foi poss(?:í|i)vel entregar"),
    "it": (r"non (?:è|e) stato possibile recapitare", r"non (?:è|e) stato recapitato"),
    "ru": (r"не (?:может быть|удалось) доставить", r"сообщение не (?:было )?доставлено"),
    "ja": (r"配信できませんでした", r"届きませんでした"),
}

# --- spam ---------------------------------------------------------------------------------------

#: Advance-fee ("419") cues: money found, shared, moved abroad through the reader.
ADVANCE_FEE: Table = {
    "en": (
        r"next of kin",
        r"consignment",
        r"transfer (?:of )?(?:the )?(?:funds|sum|money)",
        r"(?:huge|large) sum",
        r"(?:sum|amount) of (?:us)?\$ ?\d", r"\d{1,3}(?:,\d{3}){2,}(?:\.\d\d)? ?(?:usd|dollars|euros)?",
        r"million (?:united states |us )?dollars", r"(?:100|one hundred) ?% (?:risk[- ]free|safe|legal)",
        r"risk[- ]free", r"(?:strictly|highly) confidential", r"diplomatic (?:courier|delivery|box)",
        r"beneficiary", r"(?:your|our) share", r"\d{1,2} ?% (?:of|for you)", r"dear friend",
        r"urgent (?:business|confidential|proposal|assistance)", r"bank account details",
        r"foreign partner", r"bunker", r"trunk box", r"security company",
    ),
    "ru": (r"наследств", r"перевод средств", r"ваша доля", r"миллион\w{0,2} долларов"),
    "fr": (r"h(?:é|e)ritage", r"transfert de fonds", r"votre part"),
    "es": (r"herencia", r"transferencia de fondos", r"su parte"),
}

#: Fees asked for "placement", paid in crypto or to an agency: recruitment scams.
FEE_SCAM: Table = {
    "en": (
        r"(?:registration|processing|placement|application|deployment|vetting|insurance|transport) fee",
        r"fee (?:per|for each) (?:candidate|fighter|person|head)",
        r"(?:per|each) (?:candidate|head|contractor)",
        r"pay(?:ment|able)? (?:in|via|through|by) (?:bitcoin|btc|usdt|crypto|ethereum|eth|western union|"
        r"moneygram)",
        r"(?:usdt|btc|bitcoin|crypto|ethereum) (?:wallet|address)", r"wallet address", r"(?:trc|erc)-?20",
        r"(?:upfront|advance) (?:payment|fee|deposit)", r"deposit (?:of|required)",
        r"(?:staffing|recruitment|recruiting) (?:agency|company|firm|services)",
        r"licensed .{0,30}?contractor",
        r"\d{2,}\+? (?:vetted|experienced|ready|trained)", r"unsubscribe",
    ),
    "ru": (r"предоплат", r"криптовалют\w{0,3} кошел", r"взнос за"),
}

#: Credential phishing: a mailbox "full", an account to "verify", a password that "expires".
PHISHING: Table = {
    "en": (
        r"mailbox (?:is )?(?:full|storage|quota|size)", r"storage (?:quota|limit)", r"quota",
        r"verify (?:your )?(?:account|mailbox|identity|e-?mail)", r"password (?:will )?expir",
        r"(?:account|mailbox) (?:will be )?(?:suspended|deactivated|closed|disabled|blocked)",
        r"within (?:24|48|72) hours", r"(?:click|tap) (?:here|below|the (?:link|button))", r"re-?validate",
        r"(?:it|webmail|e-?mail) (?:service|support|help ?desk|administrator)",
        r"(?:confirm|update) your (?:account|password|credentials)",
        r"incoming (?:messages|mails?) (?:may|will) be (?:rejected|suspended|held|deleted)",
        r"additional \d+ ?gb",
    ),
    "de": (
        r"postfach (?:ist )?voll",
        r"speicherplatz",
        r"konto (?:verifizieren|bestätigen)",
        r"passwort l(?:ä|ae)uft ab",
    ),
    "fr": (
        r"bo(?:î|i)te (?:aux lettres|mail) (?:est )?pleine",
        r"v(?:é|e)rifier votre compte",
        r"mot de passe expire",
    ),
    "es": (r"buz(?:ó|o)n (?:está )?lleno", r"verificar su cuenta", r"contraseña caduca"),
    "ru": (r"почтовый ящик переполнен", r"подтвердите (?:свою )?учетную запись", r"срок действия пароля"),
}

#: Threats and abuse aimed at the reader; one strong cue is enough.
ABUSE: Table = {
    "en": (
        r"(?:you|they|all of you|your \w+) will (?:all )?(?:die|be killed|be dead|be hunted|burn)",
        r"none of (?:them|you) will (?:come|return|go) (?:back|home) alive",
        r"we will (?:kill|find|hunt) (?:you|them)",
        r"death to", r"(?:filthy|dirty) (?:nazis|mercenaries)",
    ),
    "ru": (
        r"домой (?:живыми|живым) (?:никто|не)",
        r"никто (?:из них |из вас )?не вернется",
        r"(?:вас|их) (?:всех )?(?:убьют|уничтожат|перебьют)",
        r"смерть (?:вам|наемникам|укропам)",
        r"наемник\w{0,3}.{0,80}?(?:конвенци|уничтож|не вернет)",
        r"сидите .{0,40}?пока можете",
        r"скоро (?:все|всё|вам) (?:закончится|конец)", r"укроп\w{0,3}", r"нацист\w{0,3}",
    ),
    "uk": (r"(?:вас|їх) (?:всіх )?(?:вб'ють|знищать)", r"смерть вам"),
}

# --- content: offer to serve --------------------------------------------------------------------

#: "help Ukraine" is an offer, unless money or goods follow ("help Ukraine with a donation").
_EN_NOT_MONEY = r"(?![^.!?]{0,60}?(?:donat|money|fund|financ|suppl|bank|send|bitcoin|crypto|pay))"
_EN_APPLY = r"apply(?! for (?:a |an |the )?(?:visa|passport|permit|residence|refugee|asylum|grant|job|loan))"
_EN_OFFER_VERBS = (
    r"(?:join|volunteer|enlist|serve|fight|sign up|" + _EN_APPLY
    + r"|defend|help defend|be of (?:use|help|service)"
    r"|(?:help|assist|support) (?:ukraine|you|out|your|the|in|with|as)" + _EN_NOT_MONEY
    + r"|offer (?:my|myself|our)|go (?:and )?(?:fight|help|serve)|come (?:and )?(?:fight|help|serve))"
)

#: Up to a few words between "I want to" and the verb ("I want to go and fight"), never a donation
#: ("I want to donate to your fight").
_EN_FILLER = r"(?:(?!donat|money|fund|pay\b|send|financ|bitcoin|crypto)\w+ (?:and )?)"

#: German: "ich möchte mit einer Spende helfen" offers money, not service.
_DE_NOT_MONEY = r"(?![^.!?]{0,60}?(?:spende|spenden|geld|überweis|sachspende))"

#: Strong offer cues: the writer (or someone for them) offers to serve or volunteer.
OFFER: Table = {
    "en": (
        r"i(?:'d| would)? (?:really |very much |also )?(?:like|love|want|wish|hope|intend|plan|am (?:ready|"
        r"willing|prepared|keen|eager|happy|available|here)|'m (?:ready|willing|prepared|keen|eager|happy|"
        r"available)) to " + _EN_FILLER + r"{0,3}?"
        + _EN_OFFER_VERBS,
        r"i (?:hereby )?(?:volunteer|offer (?:my|myself))\b",
        r"i am (?:writing|contacting you|reaching out) to (?:volunteer|offer (?:my|myself)|apply to|join|"
        r"enlist|sign up)",
        r"(?:accept|consider) (?:this (?:e-?mail|letter|message) as )?my application",
        r"my (?:application|services|skills)\b", r"volunteer(?:ing)? (?:application|as a|for the)",
        r"(?:procedure|process|requirements?|steps|paperwork) (?:to|for) (?:join|enlist|sign up|volunteer)",
        r"(?:where|how) (?:do|can|could|should) (?:i|we) (?:sign up|enlist|join|volunteer|"
        + _EN_APPLY
        + ")",
        r"(?:where|how) (?:i|we) (?:can|could|should|may) (?:sign up|enlist|join|volunteer|"
        + _EN_APPLY
        + ")",
        r"register as a volunteer",
        r"(?:i|we)(?:'m|'re|'d|'ll| am| are| would| will)? (?:be )?(?:also |still |very |really |"
        r"more than |fully ){0,2}"
        r"(?:honou?red|proud|glad|eager|keen|willing|ready|prepared|motivated|"
        r"determined) to " + _EN_FILLER + r"{0,2}?"
        + _EN_OFFER_VERBS,
        r"interested (?:in|to) (?:joining|volunteering|enlisting|serving|fighting|signing up|helping|join|"
        r"volunteer|enlist|serve|fight)",
        r"i (?:am |'m )?(?:want|wish|wanna|ready)(?: to| for)? " + _EN_FILLER
        + r"{0,3}?(?:fight|join|serve|volunteer|enlist)\b",
        r"looking (?:to|for a way to) (?:join|enlist|volunteer|help|serve|fight|sign up)",
        r"(?:i|we|and|but|also) can (?:help|assist|contribute|drive|translate|interpret) (?:with|as|in|on|"
        r"ukraine|you|the)" + _EN_NOT_MONEY,
        r"(?:ready|willing|able) to (?:go|fight|serve|deploy|help|leave|travel|fly)" + _EN_NOT_MONEY,
        r"can fly out",
        r"(?:can|could|may) (?:i|we) (?:\w+ ){0,2}?(?:join|enlist|sign up|volunteer|" + _EN_APPLY
        + r"|serve|fight|be (?:of )?(?:useful|use|help))",
        r"how (?:can|do|could|should) (?:i|we) (?:\w+ ){0,2}?(?:sign up|enlist|join|" + _EN_APPLY
        + r"|volunteer|fight|serve)",
        r"available to (?:\w+ ){0,1}?(?:leave|go|deploy|travel|fly|start|serve|fight|help|join)",
        r"available (?:immediately|now|at once|as soon as)",
        r"(?:would|'d) (?:really |very much |also )?(?:like|love) to " + _EN_FILLER + r"{0,3}?"
        + _EN_OFFER_VERBS,
        r"(?:and|but|so|also|really) (?:want|wish|hope|plan|intend) to " + _EN_FILLER + r"{0,3}?"
        + _EN_OFFER_VERBS,
        r"count me in",
        r"sign me up",
        r"put (?:me|my name) (?:down|forward)",
        r"available (?:immediately|now|to deploy)",
        r"(?:he|she|my (?:brother|husband|friend|son|partner)) (?:wants|would like|wishes|is ready|"
        r"is willing) to (?:join|volunteer|fight|serve|enlist)",
        r"(?:happy|glad) to (?:drive|serve|translate|interpret)",
        r"(?:happy|glad) to help" + _EN_NOT_MONEY,
        r"(?:i can|i could) (?:help|drive|translate|interpret|serve|fight|fix|code|work|come (?:over|out)|"
        r"deploy) ",
        r"want to (?:come|go) (?:and )?(?:fight|help|serve)",
        r"(?:i|we) (?:could|can|would|might|will) be (?:very |really )?(?:useful|of (?:use|help|service|"
        r"value)|helpful|an asset)",
        r"(?:i|we)(?:'ll| will| can| could) (?:carry a (?:rifle|weapon)|go (?:wherever|anywhere)|"
        r"do (?:whatever|anything))",
        r"wants to (?:join|fight|serve|volunteer|enlist|help (?:ukraine|the|out|in|as|with))" + _EN_NOT_MONEY,
    ),
    "uk": (
        r"хочу (?:\w+ ){0,2}?(?:вступити|долучитися|приєднатися|воювати|захищати|служити|піти|поїхати|"
        r"повернутися|до війська|до легіону|в легіон|допомогти|записатися|стати)",
        r"(?:готовий|готова|готові) (?:\w+ ){0,2}?(?:воювати|служити|захищати|приєднатися|їхати|вступити|"
        r"допомогти|повернутися|вилетіти|виїхати|приїхати|летіти|прибути)",
        r"можу (?:бути (?:корисн|перекладач|водіє|медик|інструктор)|допомогти|стати)",
        r"бажаю (?:вступити|долучитися|приєднатися|служити)", r"прошу (?:зарахувати|прийняти|розглянути мою)",
        r"як (?:\w+ ){0,3}?(?:вступити|записатися|долучитися|потрапити до|приєднатися|оформитися)",
        r"(?:чи можна|можна) (?:\w+ ){0,2}?оформитися",
        r"моя заява",
        r"пропоную (?:свою|свої) (?:допомогу|послуги)",
    ),
    "ru": (
        r"хочу (?:\w+ ){0,2}?(?:вступить|присоединиться|воевать|защищать|служить|поехать|в легион|в армию|"
        r"помочь|записаться|добровольцем)",
        r"(?:готов|готова|готовы) (?:\w+ ){0,2}?(?:воевать|служить|защищать|ехать|вступить|помочь|"
        r"присоединиться|вылететь|выехать|приехать|лететь|прибыть)",
        r"могу (?:быть (?:полез|переводчик|водител|медик|инструктор)|помочь|стать)",
        r"желаю (?:вступить|присоединиться|служить)", r"прошу (?:принять|зачислить|рассмотреть мою)",
        r"как (?:\w+ ){0,3}?(?:вступить|записаться|присоединиться|попасть в)",
        r"предлагаю (?:свою|свои) (?:помощь|услуги)",
    ),
    "be": (
        r"хачу (?:\w+ ){0,2}?(?:далучыцца|ваяваць|уступіць|служыць|дапамагчы)",
        r"(?:гатовы|гатовая) (?:\w+ ){0,2}?(?:ваяваць|служыць|дапамагчы)",
    ),
    "pl": (
        r"chc(?:ę|e) (?:\w+ ){0,3}?(?:do(?:ł|l)(?:ą|a)czy(?:ć|c)|walczy(?:ć|c)|wst(?:ą|a)pi(?:ć|c)|si(?:ę|"
        r"e) zg(?:ł|l)osi(?:ć|c)|zg(?:ł|l)osi(?:ć|c) si(?:ę|e)|pom(?:ó|o)c|s(?:ł|l)u(?:ż|z)y(?:ć|c)|"
        r"jecha(?:ć|c))",
        r"(?:jestem )?got(?:ó|o)w[ya]? (?:\w+ ){0,2}?(?:walczy(?:ć|c)|jecha(?:ć|c)|s(?:ł|l)u(?:ż|z)y(?:ć|c)|"
        r"pom(?:ó|o)c|wyjecha(?:ć|c))",
        r"zg(?:ł|l)aszam si(?:ę|e)",
        r"(?:chcia(?:ł|l)bym|chcia(?:ł|l)abym) (?:\w+ ){0,2}?(?:do(?:ł|l)(?:ą|a)czy(?:ć|c)|zg(?:ł|l)osi(?:ć|"
        r"c)|wst(?:ą|a)pi(?:ć|c)|pom(?:ó|o)c|walczy(?:ć|c))",
        r"jak (?:mog(?:ę|e) )?(?:si(?:ę|e) )?(?:zg(?:ł|l)osi(?:ć|c)|do(?:ł|l)(?:ą|a)czy(?:ć|c)|zapisa(?:ć|"
        r"c))",
    ),
    "de": (
        r"(?:m(?:ö|oe)chte|will|w(?:ü|ue)rde) (?:ich )?mich (?:\S+ ){0,12}?(?:melden|bewerben|"
        r"anschlie(?:ß|ss)en|engagieren|einbringen|"
        r"verpflichten)",
        r"hiermit (?:bewerbe ich mich|melde ich mich)",
        r"ich (?:melde|bewerbe) mich",
        r"melde mich freiwillig",
        r"(?:ich )?(?:will|m(?:ö|oe)chte|w(?:ü|ue)rde (?:gerne?|sehr gerne?))"
        + _DE_NOT_MONEY
        + r" (?:\S+ ){0,8}?(?:k(?:ä|ae)mpfen|helfen|dienen|mitmachen|beitreten|unterst(?:ü|ue)tzen)",
        r"(?:ich )?bin bereit,? (?:\S+ ){0,6}?(?:zu k(?:ä|ae)mpfen|zu helfen|zu dienen|mitzukommen|"
        r"zu gehen|zu fahren)",
        r"wie kann ich mich (?:\S+ ){0,3}?(?:melden|bewerben|anschlie(?:ß|ss)en)", r"meine bewerbung",
        r"(?:ich|und) (?:kann|k(?:ö|oe)nnte|w(?:ü|ue)rde|m(?:ö|oe)chte|will)" + _DE_NOT_MONEY
        + r" (?:\S+ ){0,5}?(?:helfen|k(?:ä|ae)mpfen|dienen|mitmachen|unterst(?:ü|ue)tzen)",
        r"(?:w(?:ü|ue)rde|m(?:ö|oe)chte|will|kann|k(?:ö|oe)nnte) ich"
        + _DE_NOT_MONEY
        + r" (?:\S+ ){0,4}?(?:melden|beitreten|anschlie(?:ß|ss)en|helfen|k(?:ä|ae)mpfen|dienen|mitmachen|"
        r"unterst(?:ü|ue)tzen|mitkommen)",
    ),
    "fr": (
        r"je (?:souhaite|veux|voudrais|d(?:é|e)sire|aimerais) (?:\S+ ){0,3}?(?:m'engager|rejoindre|servir|"
        r"me porter volontaire|aider|me rendre utile|combattre|me battre|partir|participer|m'enr(?:ô|o)ler|"
        r"mettre mes comp(?:é|e)tences)",
        r"m'engager",
        r"m'enr(?:ô|o)ler",
        r"me porter volontaire",
        r"me rendre utile",
        r"je me porte volontaire",
        r"je (?:vous )?propose mes services",
        r"ma candidature",
        r"(?:pr(?:ê|e)te?|dispos(?:é|e)e?) (?:\S+ ){0,2}?(?:combattre|servir|partir|m'engager|aider)",
        r"comment (?:puis-je|je peux|faire pour) (?:m'engager|rejoindre|m'inscrire|postuler)",
    ),
    "es": (
        r"(?:quiero|deseo|quisiera|me gustar(?:í|i)a) (?:\S+ ){0,3}?(?:unirme|alistarme|enlistarme|"
        r"ser voluntario|ir a (?:luchar|ucrania|combatir|pelear|ayudar)|luchar|combatir|pelear|ayudar|"
        r"servir|ofrecerme|ofrecer mis|colaborar|incorporarme|formar parte)",
        r"alistarme",
        r"(?:requisitos|procedimiento) para (?:alistarse|unirse|enlistarse)",
        r"enlistarme",
        r"unirme a (?:la|las|los|el|su|vuestr)",
        r"incorporarme a",
        r"ofrecerme como",
        r"me ofrezco",
        r"(?:estoy )?(?:dispuesto|dispuesta|listo|lista) (?:\S+ ){0,2}?(?:a|para) (?:luchar|combatir|servir|"
        r"ir|ayudar|viajar)",
        r"solicitud de voluntari",
        r"c(?:ó|o)mo (?:puedo|podr(?:í|i)a) (?:unirme|alistarme|inscribirme|ser voluntario)",
    ),
    "pt": (
        r"(?:quero|gostaria de|desejo) (?:\S+ ){0,3}?(?:me alistar|alistar-me|ser volunt(?:á|a)rio|"
        r"me voluntariar|ir para a ucr(?:â|a)nia|lutar|ajudar|me juntar|juntar-me|servir|integrar|combater|"
        r"oferecer)",
        r"me alistar", r"alistar-me", r"me voluntariar", r"voluntariar-me", r"me juntar (?:a|à|ao)",
        r"me ofere(?:ç|c)o",
        r"ofere(?:ç|c)o-me",
        r"(?:estou )?(?:disposto|disposta|pronto|pronta) (?:\S+ ){0,2}?(?:a|para) (?:lutar|combater|servir|"
        r"ir|ajudar|partir)",
        r"(?:segue|envio) (?:o )?meu pedido",
        r"minha candidatura",
        r"como (?:posso|fa(?:ç|c)o para) (?:me alistar|alistar-me|me voluntariar)",
    ),
    "it": (
        r"(?:voglio|vorrei|desidero|mi piacerebbe) (?:\S+ ){0,3}?(?:arruolarmi|unirmi|combattere|partire|"
        r"aiutare|andare a combattere|offrire|candidarmi|rendermi utile|servire|dare una mano|contribuire|"
        r"entrare)",
        r"arruolarmi", r"unirmi (?:a|al|alla|alle|ai)", r"candidarmi", r"rendermi utile",
        r"mi offro",
        r"(?:sono )?(?:pronto|pronta|disponibile) (?:\S+ ){0,2}?(?:a|per) (?:combattere|partire|servire|"
        r"aiutare|arruolarmi|dare)",
        r"la mia candidatura",
        r"disponibilit(?:à|a) come volontari",
        r"come (?:posso|faccio a) (?:arruolarmi|unirmi|candidarmi)",
    ),
    "cs": (
        r"(?:chci|cht(?:ě|e)l bych|cht(?:ě|e)la bych|r(?:á|a)d bych|r(?:á|"
        r"a)da bych) (?:\S+ ){0,3}?(?:se p(?:ř|r)ihl(?:á|a)sit|p(?:ř|r)ihl(?:á|a)sil|vstoupit|bojovat|"
        r"pomoci|pomohl|jet|se p(?:ř|r)ipojit|narukovat|slou(?:ž|z)it)",
        r"(?:jsem )?p(?:ř|r)ipraven[ýá]? (?:\S+ ){0,2}?(?:bojovat|odjet|pomoci|slou(?:ž|z)it|nastoupit)",
        r"hl(?:á|a)s(?:í|i)m se",
        r"(?:bych se )?mohl (?:bych )?(?:se )?uplatnit",
        r"(?:m(?:ů|u)(?:ž|z)u|mohu) (?:pomoci|pom(?:á|a)hat|b(?:ý|y)t u(?:ž|z)ite)",
        r"z(?:á|a)jem o vstup",
        r"m(?:á|a)m z(?:á|a)jem (?:o|se)",
        r"jak se (?:\S+ ){0,2}?(?:p(?:ř|r)ihl(?:á|a)sit|p(?:ř|r)ipojit|dostat do)",
    ),
    "sk": (
        r"(?:chcem|chcel by som|chcela by som|r(?:á|a)d by som) (?:\S+ ){0,3}?(?:sa prihl(?:á|a)si(?:ť|t)|"
        r"vst(?:ú|u)pi(?:ť|t)|bojova(?:ť|t)|pom(?:ô|o)c(?:ť|t)|(?:í|i)s(?:ť|t)|sa pripoji(?:ť|t))",
        r"(?:som )?priprav(?:ený|ená) (?:\S+ ){0,2}?(?:bojova(?:ť|t)|pom(?:ô|o)c(?:ť|t)|sl(?:ú|u)(?:ž|"
        r"z)i(?:ť|t))",
    ),
    "lt": (
        r"(?:noriu|nor(?:ė|e)(?:č|c)iau|galiu) (?:\S+ ){0,3}?(?:prisijungti|kovoti|pad(?:ė|e)ti|stoti|"
        r"tapti savanoriu|vykti|tarnauti|vežti|vairuoti)",
        r"esu pasiruo(?:š|s)(?:ę|e)s",
        r"esu pasireng(?:ę|e)s",
        r"esu pasiruo(?:š|s)usi",
        r"(?:siūlau|siulau) savo",
    ),
    "lv": (
        r"(?:v(?:ē|e)los|gribu|v(?:ē|e)l(?:ē|e)tos) (?:\S+ ){0,3}?(?:pievienoties|iest(?:ā|a)ties|c(?:ī|"
        r"i)n(?:ī|i)ties|pal(?:ī|i)dz(?:ē|e)t|brīvprātīgi|pieteikties|dien(?:ē|e)t)",
        r"esmu gatav[sa]", r"piesakos",
    ),
    "ro": (
        r"(?:vreau|doresc|a(?:ș|s) dori) s(?:ă|a) (?:\S+ ){0,2}?(?:m(?:ă|a) al(?:ă|a)tur|lupt|m(?:ă|a) (?:î|"
        r"i)nrolez|ajut|m(?:ă|a) (?:î|i)nscriu|servesc|particip)",
        r"sunt (?:gata|preg(?:ă|a)tit) s(?:ă|a)", r"m(?:ă|a) ofer (?:voluntar|s(?:ă|a))",
    ),
    "nl": (
        r"(?:wil|zou) (?:graag )?(?:me|mij) (?:\S+ ){0,6}?aanmelden",
        r"(?:graag )?wil ik (?:me|mij) (?:\S+ ){0,6}?aanmelden",
        r"ik (?:wil|zou graag) (?:\S+ ){0,3}?(?:vechten|helpen|dienen|(?:me|mij) aansluiten|meevechten|"
        r"vrijwilliger worden)",
        r"(?:meld|geef) (?:me|mij) aan", r"ik ben bereid", r"mijn aanmelding",
        r"(?:wil|zou) graag (?:\S+ ){0,3}?(?:helpen|vechten|dienen)",
        r"hoe kan ik (?:me|mij) (?:\S+ ){0,3}?aanmelden",
    ),
    "hr": (
        r"(?:(?:ž|z)elim|htio bih|htjela bih|(?:ž|z)elio bih) (?:\S+ ){0,2}?(?:se pridru(?:ž|z)iti|"
        r"se prijaviti|se priklju(?:č|c)iti|se boriti|pomo(?:ć|c)i|i(?:ć|c)i|sudjelovati|slu(?:ž|z)iti)",
        r"spreman sam", r"spremna sam", r"prijavljujem se",
    ),
    "sr": (r"(?:želim|zelim) da se (?:pridružim|prijavim|borim)", r"spreman sam da"),
    "sl": (r"(?:želim|zelim) se (?:pridružiti|prijaviti)", r"pripravljen sem"),
    "sv": (
        r"jag (?:vill|skulle vilja) (?:\S+ ){0,3}?(?:g(?:å|a) med|ansluta mig|anm(?:ä|a)la mig|strida|"
        r"hj(?:ä|a)lpa|k(?:ä|a)mpa|tj(?:ä|a)nstg(?:ö|o)ra|bidra)",
        r"jag (?:är|ar) (?:redo|beredd|villig)", r"anm(?:ä|a)ler mig",
        r"(?:vill|skulle vilja) (?:\S+ ){0,3}?(?:hj(?:ä|a)lpa|strida|k(?:ä|a)mpa|g(?:å|a) med|ansluta mig)",
        r"hur (?:kan jag )?(?:anm(?:ä|a)ler jag mig|anm(?:ä|a)la mig|g(?:å|a)r jag med)",
    ),
    "da": (
        r"jeg vil (?:gerne )?(?:\S+ ){0,3}?(?:melde mig|hj(?:æ|ae)lpe|k(?:æ|ae)mpe|tilslutte mig)",
        r"jeg er klar til",
    ),
    "no": (r"jeg vil (?:gjerne )?(?:\S+ ){0,3}?(?:melde meg|hjelpe|kjempe|slutte meg)", r"jeg er klar til"),
    "fi": (
        r"haluan (?:\S+ ){0,3}?(?:liitty(?:ä|a)|taistella|auttaa|ilmoittautua|l(?:ä|a)hte(?:ä|a)|palvella)",
        r"olen valmis", r"ilmoittaudun",
    ),
    "tr": (
        r"(?:kat(?:ı|i)lmak|g(?:ö|o)n(?:ü|u)ll(?:ü|u) olmak|sava(?:ş|s)mak|yard(?:ı|i)m etmek|gitmek|"
        r"hizmet etmek) istiyorum",
        r"haz(?:ı|i)r(?:ı|i)m", r"g(?:ö|o)n(?:ü|u)ll(?:ü|u) olarak",
    ),
    "ka": (
        r"მინდა (?:\S+ ){0,2}?(?:შევუერთდე|ვიბრძოლო|დავეხმარო|წავიდე|ვემსახურო)", r"მზად ვარ", r"მოხალისედ",
    ),
    "he": (
        r"(?:אני )?רוצה (?:להצטרף|להתנדב|להילחם|לעזור)",
        r"(?:אני )?מוכן (?:להילחם|להתנדב|לעזור)",
        r"אני מתנדב",
    ),
    "ja": (
        r"(?:参加|志願|入隊|参戦|応募|協力|従軍|加入)(?:し|させていただき|させて頂き)たい",
        r"(?:参加|志願|入隊|応募|加入)(?:する|できる)(?:には|方法)",
        r"志願(?:し|いた)",
        r"義勇兵として",
        r"(?:協力|お手伝い|支援|貢献)(?:でき|させていただけ)れば", r"(?:戦い|手伝い|お手伝いし|役に立ち)たい",
        r"ボランティアとして(?:参加|協力|行き)",
    ),
    "ko": (
        r"(?:참가|지원|입대|합류|참전|자원)하고 싶",
        r"(?:싸우|돕|함께하)고 싶",
        r"의용군(?:으로|에)",
        r"자원(?:입대|봉사)",
    ),
    "zh": (r"我(?:想|要|愿意)(?:参加|加入|志愿|报名)",),
}

#: Weak offer cues: volunteer vocabulary; count only with a second cue or in the subject.
OFFER_WEAK: Table = {
    "en": (
        r"volunteer(?:ing)?\b",
        r"application\b(?![/.])",  # not "application/pdf"
        r"enlist(?:ment|ing)?\b",
        r"i am (?:a |an )?(?:former|ex|retired|veteran)",
        r"(?:want|wish|like|love|ready|willing|here) to help\b",
    ),
    "uk": (r"доброволець", r"добровольц", r"заява\b", r"заявка\b"),
    "ru": (r"доброволец", r"добровольц", r"заявка\b"),
    "be": (r"добраахвотнік",),
    "pl": (r"ochotnik", r"zg(?:ł|l)oszenie"),
    "de": (r"freiwillige[rn]?\b", r"bewerbung"),
    "fr": (r"volontaire\b", r"engagement volontaire", r"candidature"),
    "es": (r"voluntari[oa]s?\b",),
    "pt": (r"volunt(?:á|a)ri[oa]s?\b",),
    "it": (r"volontari[oa]?\b", r"candidatura"),
    "cs": (r"dobrovoln(?:í|i)k",),
    "sk": (r"dobrovo(?:ľ|l)n(?:í|i)k",),
    "lt": (r"savanori",),
    "lv": (r"br(?:ī|i)vpr(?:ā|a)t(?:ī|i)g",),
    "ro": (r"voluntar",),
    "nl": (r"vrijwilliger", r"aanmelding"),
    "hr": (r"dragovolj", r"dobrovolj"),
    "sv": (r"frivillig",),
    "fi": (r"vapaaehtoi",),
    "tr": (r"g(?:ö|o)n(?:ü|u)ll(?:ü|u)",),
    "ka": (r"მოხალისე",),
    "he": (r"מתנדב",),
    "ja": (r"義勇兵", r"義勇軍", r"志願", r"ボランティア"),
    "ko": (r"의용군", r"자원봉사"),
}

#: The Legion or the armed forces named; with the writer's own service, an application.
FORCES: Table = {
    "latin": (
        r"legi(?:on|ón|ão|ao|one|oen|onen|ja|ji|j[ae]|e|i|ą)\w{0,3}\b",
        r"international brigade|territorial defen[cs]e|armed forces of ukraine|ukrainian army",
    ),
    "cyrillic": (
        r"леґіон|легіон|легион|легіён|зсу|всу|тероборон|збройн\w{0,3} сил|вооруж[её]нн\w{0,3} сил",
    ),
    "ka": (r"ლეგიონ",),
    "ja": (r"国際部隊|国際軍団|外国人部隊|義勇軍",),
    "ko": (r"국제 ?의용군|레기온",),
}

#: The writer says they served or trained (first person): with volunteer vocabulary, an application.
SERVICE: Table = {
    "en": (
        r"i(?:'ve| have)? served",
        r"i was (?:in|with) the (?:army|navy|marines|air force|military|infantry|reserves?)",
        r"i(?:'m| am) (?:a |an )?(?:former|ex|retired|veteran|army|navy|military)",
        r"(?:former|ex)[- ](?:soldier|marine|paratrooper|army|military|legionnaire|infantry|police)",
        r"\d{1,2} (?:years?|yrs) (?:in|with|of) (?:the )?(?:army|navy|marines|military|service|infantry|"
        r"reserves?)",
        r"(?:honou?rable|honorably) discharged?",
        r"years? of (?:military )?service",
        r"(?:did|spent|completed|served) (?:\S+ ){0,2}?(?:years?|yrs|tours?) (?:in|with) (?:the )?(?:\S+ )?"
        r"(?:army|navy|marines|military|forces|infantry|reserves?|national guard)",
    ),
    "de": (
        r"ich (?:war|habe) (?:\S+ ){0,6}?(?:soldat|gedient|bundeswehr|bundesheer)",
        r"ehemalige[rn]? soldat",
    ),
    "fr": (r"j'ai servi", r"ancien (?:militaire|soldat|légionnaire|parachutiste)"),
    "es": (r"serv(?:í|i) (?:\S+ ){0,4}?(?:en|como)", r"fui (?:soldado|militar)", r"ex ?(?:militar|soldado)"),
    "pt": (r"servi (?:\S+ ){0,4}?(?:no|na|como)", r"fui (?:militar|soldado)", r"ex-?(?:militar|soldado)"),
    "it": (
        r"ho (?:prestato servizio|servito|fatto il militare)",
        r"ex (?:militare|soldato|alpino|paracadutista)",
    ),
    "pl": (
        r"s(?:ł|l)u(?:ż|z)y(?:ł|l)(?:em|am)",
        r"by(?:ł|l)(?:em|am) (?:\S+ ){0,2}?(?:(?:ż|z)o(?:ł|l)nierz|wojsk)",
    ),
    "ru": (r"(?:я )?служил[аи]?", r"проходил[аи]? (?:срочную )?службу"),
    "uk": (r"(?:я )?служи(?:в|ла)", r"проходив (?:строкову )?службу"),
    "be": (r"служыў", r"служыла"),
    "cs": (
        r"slou(?:ž|z)il(?:a)? jsem",
        r"jsem (?:\S+ ){0,2}?slou(?:ž|z)il",
        r"b(?:ý|y)val(?:ý|a) (?:voj(?:á|a)k|policista)",
    ),
    "sk": (r"sl(?:ú|u)(?:ž|z)il(?:a)? som",),
    "lt": (r"tarnavau", r"atlikau (?:\S+ ){0,3}?tarnyb"),
    "lv": (r"dien(?:ē|e)ju",),
    "hr": (r"slu(?:ž|z)io sam", r"bio sam (?:\S+ ){0,2}?(?:vojnik|branitelj)"),
    "ro": (r"am (?:fost militar|servit)",),
    "nl": (r"ik heb (?:\S+ ){0,4}?gediend", r"oud-?(?:militair|marinier|soldaat)"),
    "sv": (r"jag har (?:\S+ ){0,2}?tj(?:ä|a)nstgjort", r"jag har gjort lumpen"),
    "fi": (r"olen (?:käynyt armeijan|palvellut)",),
    "ja": (r"自衛隊", r"(?:陸軍|海軍|空軍)に", r"兵役"),
    "ko": (r"(?:군|군대)(?:에서|복무)", r"병역"),
    "ka": (r"ვმსახურობდი",),
    "he": (r"שירתתי",),
    "tr": (r"askerlik yapt(?:ı|i)m", r"g(?:ö|o)rev yapt(?:ı|i)m", r"asker(?:dim|ken)\b"),
}

#: The writer is not offering yet: asking before they decide ("before I formally apply").
HEDGE: Table = {
    "en": (
        r"before (?:i|we) (?:\w+ ){0,3}?(?:apply|applying|sign up|commit|enlist|volunteer|decide|"
        r"go to the trouble)\b",
        r"before (?:applying|signing up|committing|enlisting)\b",
        r"(?:i am|i'm|we are|we're) (?:considering|thinking (?:about|of)) (?:volunteering|applying|joining)",
    ),
    "de": (
        r"bevor (?:ich|wir) (?:\S+ ){0,3}?(?:tun|bewerbe|melde|anmelde|entscheide)",
        r"(?:überlegen|überlege),? (?:uns|mich)",
    ),
    "fr": (r"avant de (?:postuler|m'engager|me porter|m'inscrire|candidater)",),
    "es": (r"antes de (?:alistarme|inscribirme|presentar|postular|aplicar)",),
    "pt": (r"antes de (?:me alistar|me candidatar|me inscrever)",),
    "it": (r"prima di (?:arruolarmi|candidarmi|iscrivermi)",),
    "pl": (r"zanim (?:si(?:ę|e) )?(?:zg(?:ł|l)osz|zdecyduj)",),
    "ru": (r"прежде чем (?:подать|вступить|записаться)", r"перед тем как (?:подать|вступить|записаться)"),
    "uk": (r"перш ніж (?:подати|вступити|записатися)",),
}

#: Asking for information.
QUESTION: Table = {
    "any": (r"\?", r"？", r"¿"),
    "en": (
        r"question",
        r"could you (?:please )?(?:tell|let me know|advise|confirm|inform|help)",
        r"i would like to (?:know|ask)",
        r"is it possible",
        r"(?:can|may) i (?:ask|know)",
        r"please (?:advise|let me know|tell me)",
        r"interview",
        r"how (?:can|do|could) (?:i|we) (?:donate|send|get|travel|reach|contact|find)",
        r"enquiry",
        r"inquiry",
        r"please (?:send|provide|share|tell)",
        r"(?:bank|account|payment) details",
        r"donat(?:e|ion|ing)",
    ),
    "de": (r"frage", r"k(?:ö|oe)nnten sie", r"ich m(?:ö|oe)chte wissen", r"gibt es"),
    "fr": (r"question", r"pourriez-vous", r"est-ce que", r"je voudrais savoir", r"entretien", r"interview"),
    "es": (r"pregunta", r"podr(?:í|i)a(?:n)?", r"ser(?:í|i)a posible", r"entrevista", r"quisiera saber"),
    "pt": (r"pergunta", r"poderiam", r"gostaria de saber", r"entrevista"),
    "it": (r"domanda", r"vorrei sapere", r"potreste", r"notizie", r"intervista"),
    "pl": (r"pytani", r"czy (?:mo(?:ż|z)na|mogliby)", r"prosimy o informacj", r"chcieliby(?:ś|s)my"),
    "ru": (r"вопрос", r"подскажите", r"как можно", r"можно ли"),
    "uk": (r"питання", r"підкажіть", r"чи можна"),
    "ja": (r"教えていただけ", r"でしょうか", r"ご教示", r"質問", r"寄付"),
}
