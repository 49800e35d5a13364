"""Raw bytes -> Email: decoded headers, the best plain-text body, own words vs quotes, language.

Parsing uses the email package's compat32 policy on purpose: it is about six
times faster than the default policy on real mail and tolerates broken
headers, and we decode the few headers we need ourselves. Limits on depth,
part count and header length keep pathological messages from taking seconds.
"""

from __future__ import annotations

import codecs
import re
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime
from functools import lru_cache

from triage.types import Email, RawMessage

MAX_DEPTH = 8
MAX_PARTS = 200
MAX_HEADER = 2000  # characters of any header we decode
MAX_BODY_BYTES = 2_000_000
MAX_HTML_BYTES = 1_000_000

_KEPT_HEADERS = (
    "list-unsubscribe", "list-id", "precedence", "auto-submitted", "reply-to",
    "x-mailer", "return-path", "x-auto-response-suppress", "feedback-id",
)


def parse(msg: RawMessage) -> Email:
    """Decode one message. Never raises on malformed input: what decodes is kept."""
    if msg.fields is not None:
        return _from_fields(msg)
    raw = msg.raw or b""
    defects: list[str] = []
    if raw.startswith(b"From "):  # an mbox envelope line left on a single .eml
        nl = raw.find(b"\n")
        raw = raw[nl + 1:] if nl >= 0 else b""
    try:
        m = message_from_bytes(raw, policy=compat32)
    except Exception as exc:  # the email package can fail on truly broken bytes
        defects.append(f"unparseable: {type(exc).__name__}")
        text = decode_bytes(raw[:MAX_BODY_BYTES], None)
        return _finish(msg.id, None, "", "", text, {}, None, 0, defects)

    # The stored header strings, not m.get(): for a header with raw 8-bit bytes (RFC 6532
    # UTF-8, an old mailer's cp1251) compat32's get() returns a Header whose str() has
    # already turned every byte into U+FFFD; the raw string still holds them as surrogates.
    raw_headers: dict[str, str] = {}
    for name, value in m.raw_items():
        raw_headers.setdefault(name.lower(), value)
    subject = decode_header_value(raw_headers.get("subject"))
    sender = decode_header_value(raw_headers.get("from"))
    message_id = _clean_header(m.get("message-id"))
    headers = {}
    for name in _KEPT_HEADERS:
        value = raw_headers.get(name)
        if value is not None:
            headers[name] = decode_header_value(value)
    date = _iso_date(m.get("date"))

    body, attachments = _best_body(m, defects)
    return _finish(msg.id, message_id, sender, subject, body, headers, date, attachments, defects)


def _from_fields(msg: RawMessage) -> Email:
    f = msg.fields or {}
    # Offsets must point into the body exactly as given, so nothing is normalised.
    body = f.get("body", "")
    return _finish(msg.id, f.get("message_id") or None, f.get("from", ""),
                   f.get("subject", ""), body, {}, None, 0, [])


def _finish(id_: str, message_id: str | None, sender: str, subject: str, body: str,
            headers: dict[str, str], date: str | None, attachments: int,
            defects: list[str]) -> Email:
    own = own_ranges(body)
    return Email(
        id=id_, message_id=message_id, sender=sender, subject=subject, body=body,
        lang=detect_language(body, own, subject), own=own, headers=headers, date=date,
        attachments=attachments, defects=tuple(defects),
    )


# ---------------------------------------------------------------- headers

def _clean_header(value: object) -> str | None:
    if value is None:
        return None
    s = str(value)[:MAX_HEADER].strip()
    return s or None


def decode_header_value(value: object) -> str:
    """RFC 2047-decode a header, tolerating bad charsets and raw 8-bit bytes."""
    if value is None:
        return ""
    s = str(value)[:MAX_HEADER]
    # compat32 keeps raw 8-bit header bytes as surrogate escapes.
    if any("\udc80" <= ch <= "\udcff" for ch in s):
        s = decode_bytes(s.encode("ascii", "surrogateescape"), None)
    if "=?" not in s:
        return _unfold(s)
    try:
        parts = decode_header(s)
    except Exception:
        return _unfold(s)
    try:
        return _unfold(str(make_header(parts)))
    except (LookupError, UnicodeError, ValueError, TypeError):
        pass
    # An unknown or lying charset: decode each chunk ourselves.
    out = [decode_bytes(c, cs) if isinstance(c, bytes) else c for c, cs in parts]
    return _unfold("".join(out))


_FOLD = re.compile(r"\r?\n[ \t]+")
_NEWLINES = re.compile(r"[\r\n]+")


def _unfold(s: str) -> str:
    # Folding whitespace, and any newline an encoded word smuggled in: a header is one line.
    return _NEWLINES.sub(" ", _FOLD.sub(" ", s)).strip()


def _iso_date(value: object) -> str | None:
    if value is None:
        return None
    try:
        dt = parsedate_to_datetime(str(value)[:200])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    try:
        return dt.isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def sender_address(sender: str) -> str:
    # Cached: the model reads it for every evidence sentence of a message, and parseaddr is slow.
    return parseaddr(sender)[1].lower()


# ---------------------------------------------------------------- charsets

_RU_COMMON = set("оеаинтсрвлкмдпуяОЕАИНТСРВЛ")
_AR_COMMON = set("اليمونرتبعهدسكفقح")


def _charset_ok(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    if name in ("unknown-8bit", "x-unknown", "default", "us-ascii", "ascii"):
        # Declared ASCII often carries 8-bit text; let the fallbacks judge.
        return None if name != "us-ascii" and name != "ascii" else "ascii"
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset, then utf-8, then the best of cp1251/cp1256/koi8-r."""
    declared = _charset_ok(charset)
    if declared:
        try:
            return data.decode(declared)
        # UnicodeError, not only UnicodeDecodeError: a sender may declare "undefined" or
        # "punycode", codecs whose decoders raise the base class.
        except (UnicodeError, LookupError, ValueError, TypeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray byte, or cut mid-character at a size limit, is still UTF-8: the
    # single-byte guesses below would turn all of it into mojibake.
    if _mostly_utf8(data):
        return data.decode("utf-8", "replace")
    if not any(b >= 0x80 for b in data[:4096]):
        return data.decode("latin-1")
    best, best_score = None, -1.0
    for cs in ("cp1251", "koi8-r", "cp1256"):
        try:
            text = data.decode(cs)
        except UnicodeDecodeError:
            continue
        sample = text[:4000]
        common = _AR_COMMON if cs == "cp1256" else _RU_COMMON
        hi = [ch for ch in sample if ord(ch) > 127]
        score = sum(ch in common for ch in hi) / max(1, len(hi))
        if score > best_score:
            best, best_score = text, score
    if best is not None and best_score >= 0.3:
        return best
    return data.decode("latin-1")


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few bytes: some multibyte characters decode, and bad
    sequences are at most three plus one per 50 of them. Single-byte Cyrillic or Arabic
    text read as UTF-8 fails on nearly every letter."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    good = sum(1 for ch in text if "\u0080" <= ch and ch != "\ufffd")
    return good > 0 and bad * 50 <= good + 150


# ---------------------------------------------------------------- body

def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data[:MAX_BODY_BYTES]
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw[:MAX_BODY_BYTES].encode("ascii", "surrogateescape")
    return b""


def _is_attachment(part: Message) -> bool:
    disp = str(part.get("content-disposition", ""))[:MAX_HEADER].lower()
    if disp.startswith("attachment"):
        return True
    return "filename" in disp or "name=" in str(part.get("content-type", ""))[:MAX_HEADER].lower()


def _ctype(part: Message) -> str:
    # get_content_type() parses every parameter; a 14 KB Content-Type makes that slow.
    raw = str(part.get("content-type", ""))[:MAX_HEADER]
    main = raw.split(";", 1)[0].strip().lower()
    if "/" not in main:
        return "text/plain" if not part.is_multipart() else "multipart/mixed"
    return main


def _charset(part: Message) -> str | None:
    raw = str(part.get("content-type", ""))[:MAX_HEADER]
    m = _CHARSET.search(raw)
    return m.group(1) if m else None


def _walk(m: Message, depth: int = 0, budget: list[int] | None = None, attached: bool = False):
    """Each part with whether it sits inside an attached message (message/rfc822)."""
    budget = budget if budget is not None else [MAX_PARTS]
    if budget[0] <= 0 or depth > MAX_DEPTH:
        return
    budget[0] -= 1
    yield m, attached
    if m.is_multipart():
        payload = m.get_payload()
        inner = attached or _ctype(m).startswith("message/")
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    yield from _walk(sub, depth + 1, budget, inner)


def _best_body(m: Message, defects: list[str]) -> tuple[str, int]:
    # The sender's own text first: a text part inside an attached message (a forwarded
    # mail) is the body only when the message has none of its own.
    found: dict[tuple[bool, str], Message] = {}
    attachments = 0
    for part, attached in _walk(m):
        if part.is_multipart():
            continue
        ctype = _ctype(part)
        if _is_attachment(part) or not ctype.startswith("text/"):
            attachments += 1
            continue
        if ctype in ("text/plain", "text/html"):
            found.setdefault((attached, ctype), part)
    own = any(not attached for attached, _ in found)
    plain = found.get((not own, "text/plain"))
    html = found.get((not own, "text/html"))
    if plain is not None:
        text = decode_bytes(_payload_bytes(plain), _charset(plain))
        if text.strip() or html is None:
            return normalise_newlines(text), attachments
    if html is not None:
        return html_to_text(decode_bytes(_payload_bytes(html)[:MAX_HTML_BYTES], _charset(html))), attachments
    defects.append("no text body")
    return "", attachments


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SPACES = re.compile(r"[ \t\u00a0]+")
_CHARSET = re.compile(r'charset\s*=\s*"?([A-Za-z0-9_.:+-]{1,40})', re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Readable text from HTML with a real parser: blocks become lines, scripts vanish."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, head, title, noscript"):
        node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")
    for node in tree.css("p, div, tr, li, h1, h2, h3, h4, h5, h6, blockquote, table, ul, ol"):
        node.insert_after("\n")
    for node in tree.css("li"):
        node.insert_before("- ")
    for node in tree.css("td, th"):
        node.insert_after(" ")
    root = tree.body or tree.root
    text = root.text(separator="", strip=False) if root is not None else ""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# ---------------------------------------------------------------- quotes and signatures

_REPLY_HEADER = re.compile(
    r"^\s*(?:"
    r"on\b.{0,200}\bwrote:\s*$"
    r"|.{0,200}\bwrote:\s*$"
    r"|.{0,200}\bпиш(?:ет|ут|ете)\s*:\s*$"
    # Mail.ru and Yandex ("... написал(а):"), and the French, German, Spanish, Italian,
    # Dutch, Nordic and Polish clients that non-native senders use.
    r"|.{0,200}(?:\bнаписал[аи]?|\ba écrit|\bschrieb|\bescribió|\bha scritto|\bschreef|\bskrev|\bnapisał[a]?)\s*:\s*$"
    # Gmail in most locales: "пн, 3 мар. 2026 г. в 10:15, Анна <a@x.ru>:" names no verb.
    r"|.{0,200}\d{1,2}:\d{2}.{0,200}<[^<>\s@]+@[^<>\s]+>\)?\s*:\s*$"
    r"|.{0,200}(?:^|\s)كتب(?:\s.{0,150})?:\s*$"
    r"|-{2,}\s*(?:original message|forwarded message|пересылаемое сообщение|исходное сообщение"
    r"|الرسالة الأصلية|رسالة معاد توجيهها)\s*-{2,}.*$"
    r"|_{10,}\s*$"
    r")",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:from|от|من)\s*:\s*\S", re.IGNORECASE)
# The lines of a quoted header block that carry when it was sent.
_SENT_FIELDS = r"sent|date|отправлено|дата|التاريخ|أرسل"
_OUTLOOK_NEXT = re.compile(rf"^\s*(?:{_SENT_FIELDS}|to|subject|кому|тема|إلى|الموضوع)\s*:", re.IGNORECASE)
_SIG = re.compile(r"^(?:-- ?|--|__+|sent from my \w+.*|отправлено с \w+.*)$", re.IGNORECASE)


def own_ranges(body: str) -> tuple[tuple[int, int], ...]:
    """The character ranges of ``body`` the sender wrote: not quoted, not a signature.

    Quoted lines ("> ...") are cut wherever they are (inline replies keep the
    sender's interleaved words); a reply header ("On ... wrote:", "... пишет:",
    "... كتب:", an Outlook "From:/Sent:" block) or a signature marker ends the
    sender's own text.
    """
    ranges: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    lines = body.split("\n")
    for i, line in enumerate(lines):
        end = pos + len(line)
        stripped = line.lstrip()
        quoted = stripped.startswith(">")
        stop = False
        if not quoted and len(line) < 300 and _maybe_marker(stripped):
            if _REPLY_HEADER.match(line) or _SIG.match(line.strip()):
                stop = True
            elif _OUTLOOK_FROM.match(line) and i + 1 < len(lines) and any(
                _OUTLOOK_NEXT.match(nxt) for nxt in lines[i + 1:i + 4]
            ):
                stop = True
        if stop:
            # "On ... wrote:" headers may wrap onto the next line; either way the rest is not own.
            if start is not None:
                ranges.append((start, pos))
                start = None
            break
        if quoted:
            if start is not None:
                ranges.append((start, pos))
                start = None
        elif start is None:
            start = pos
        pos = end + 1
    else:
        if start is not None:
            ranges.append((start, len(body)))
    return tuple((s, _rstrip_end(body, s, e)) for s, e in ranges if body[s:e].strip())


_HEADER_DATE = re.compile(rf"^\s*(?:{_SENT_FIELDS}|تاريخ الإرسال)\s*:", re.IGNORECASE)


def in_reply_header(body: str, pos: int) -> bool:
    """Whether ``pos`` lies on a reply header line ("On 3 May, Ann wrote:", "> Sent: Tuesday,
    2 September"), quoted or not: its date is when a message was sent, never a detail."""
    start = body.rfind("\n", 0, pos) + 1
    end = body.find("\n", pos)
    line = body[start:end if end >= 0 else len(body)].lstrip("> \t")
    if len(line) >= 300 or not _maybe_marker(line):
        return False
    return bool(_REPLY_HEADER.match(line) or _HEADER_DATE.match(line))


def _maybe_marker(stripped: str) -> bool:
    # Cheap pre-check so the reply-header regexes run on a few lines, not all of them.
    return ":" in stripped or stripped[:1] in ("-", "_") or stripped[:4].lower() in ("sent", "отпр")


def _rstrip_end(body: str, start: int, end: int) -> int:
    while end > start and body[end - 1].isspace():
        end -= 1
    return end


# ---------------------------------------------------------------- language

_EN_WORDS = frozenset(
    "the and to you for is we a of in i on with your our are be it this that have can "
    "would need looking please hi hello thanks will".split()
)


_OTHER_WORDS = frozenset(
    "de la le les des et est une du pour pas vous nous der die das und ist nicht ich sie wir mit "
    "den dem zu el los las y que por para con una del het een van ik niet il di che per non sono "
    "um uma não com os da do na no se ao och att som jag är".split()
)
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_WORD = re.compile(r"[a-zà-ÿ']+")


def detect_language(body: str, own: tuple[tuple[int, int], ...], subject: str = "") -> str:
    """en / ru / ar / other, by Unicode script first and English function words second."""
    text = " ".join(body[s:e] for s, e in own) if own else body
    text = (subject + "\n" + text)[:3000]
    arabic = len(_ARABIC.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    letters = arabic + cyrillic + latin
    if letters == 0:
        return "other"
    if arabic / letters >= 0.3:
        return "ar"
    if cyrillic / letters >= 0.3:
        return "ru"
    words = _WORD.findall(text.lower())
    if not words:
        return "other"
    # Latin script defaults to English unless another language's function words
    # clearly outnumber English ones: a terse English inquiry has few stopwords.
    en = sum(w in _EN_WORDS for w in words)
    foreign = sum(w in _OTHER_WORDS for w in words)
    return "other" if foreign >= 2 and foreign > 1.5 * en else "en"
