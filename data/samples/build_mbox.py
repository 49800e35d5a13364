#!/usr/bin/env python3
"""Encode the hand-written messages of messages.py into inbox.mbox.

Deterministic: dates, Message-IDs and MIME boundaries are fixed, nothing is
random. Also writes labels.json ({Message-ID: {verdict, flags, missing}}).

    python3 build_mbox.py        # from any directory
"""

import base64
import json
import mailbox
import os
import sys
from email import charset as email_charset
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, parsedate_to_datetime, format_datetime
from datetime import timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from messages import MESSAGES, OWNER  # noqa: E402

MBOX_PATH = os.path.join(HERE, "inbox.mbox")
LABELS_PATH = os.path.join(HERE, "labels.json")

VERDICTS = {"warm", "toxic", "not_lead"}
FLAGS = {"unpaid_test", "pay_later", "profit_share", "exposure", "lowball",
         "bulk_bait", "unrealistic", "rush", "disrespect", "serial_complainer",
         "boundary_pushing", "pressure"}
DETAILS = {"budget", "deadline", "deliverables", "goal", "company"}

# How the charset is spelled inside RFC 2047 encoded words.
EW_LABEL = {"utf-8": "UTF-8", "windows-1251": "windows-1251",
            "koi8-r": "KOI8-R", "windows-1256": "windows-1256"}

# ----------------------------------------------------------- RFC 2047 words

_Q_SAFE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              b"0123456789!*+-/")


def _q_bytes(data):
    out = []
    for b in data:
        if b == 0x20:
            out.append("_")
        elif b in _Q_SAFE:
            out.append(chr(b))
        else:
            out.append("=%02X" % b)
    return "".join(out)


def _encode_chunk(text, charset, enc):
    data = text.encode(charset)
    if enc == "B":
        payload = base64.b64encode(data).decode("ascii")
    else:
        payload = _q_bytes(data)
    return "=?%s?%s?%s?=" % (EW_LABEL[charset], enc, payload)


def encoded_words(text, charset="utf-8", enc="B", first_max=75):
    """Split text into RFC 2047 encoded words, each on its own folded line,
    never cutting a character in two. The first word is at most first_max
    characters (so that "Name: word" fits in 78), the others at most 75."""
    words, cur = [], ""
    limit = first_max
    for ch in text:
        if cur and len(_encode_chunk(cur + ch, charset, enc)) > limit:
            words.append(_encode_chunk(cur, charset, enc))
            cur = ""
            limit = 75
        cur += ch
    if cur:
        words.append(_encode_chunk(cur, charset, enc))
    return "\n ".join(words)


def header_text(name, text, charset, enc):
    if text.isascii():
        room = 78 - len(name) - 2
        if len(text) > room and " " in text[:room]:
            cut = text.rindex(" ", 0, room)
            return text[:cut] + "\n" + text[cut:]
        return text
    return encoded_words(text, charset, enc, first_max=78 - len(name) - 2)


def address(name, addr, charset, enc):
    if name.isascii():
        return formataddr((name, addr))
    # A display name goes into ONE encoded word: several adjacent encoded
    # words in a phrase are legal, but Python's own address parser (policy
    # default) then inserts a space between them. When the name does not fit
    # in one Q word, it falls back to B, which is more compact.
    word = _encode_chunk(name, charset, enc)
    if len(word) > 75:
        word = _encode_chunk(name, charset, "B")
    if len(word) > 75:
        raise ValueError("display name too long for one encoded word: %r" % name)
    sep = " " if len("From: ") + len(word) + len(addr) + 3 <= 78 else "\n "
    return "%s%s<%s>" % (word, sep, addr)


# ------------------------------------------------------------ MIME parts


def text_part(text, subtype, charset, cte):
    cs = email_charset.Charset(charset)
    if cte == "quoted-printable":
        cs.body_encoding = email_charset.QP
    elif cte == "base64":
        cs.body_encoding = email_charset.BASE64
    elif cte in ("7bit", "8bit"):
        cs.body_encoding = None
        if cte == "7bit" and not text.isascii():
            raise ValueError("7bit body with non-ASCII text")
    else:
        raise ValueError(cte)
    part = MIMEText(text, subtype, cs)
    part.replace_header("Content-Type", "text/%s; charset=%s" % (subtype, charset))
    if cte == "7bit" or cte == "8bit":
        part.replace_header("Content-Transfer-Encoding", cte)
    del part["MIME-Version"]
    return part


def _pdf_escape(line):
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(title, text):
    """A small but well-formed one-page PDF that shows the brief text."""
    lines = [title, ""] + text.rstrip("\n").split("\n")
    ops = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
    for i, line in enumerate(lines):
        if not line.isascii():
            raise ValueError("PDF text must be ASCII")
        ops.append("(%s) %s" % (_pdf_escape(line), "Tj" if i == 0 else "'"))
    ops.append("ET")
    stream = ("\n".join(ops) + "\n").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Title (%s) /Producer (Pages export) >>" % _pdf_escape(title).encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


def build(m):
    charset = m["charset"]
    cte = m["cte"]
    kind = m["kind"]
    key = m["key"]
    if kind == "plain":
        msg = text_part(m["body"], "plain", charset, cte)
    elif kind == "html":
        msg = text_part(m["body"], "html", charset, cte)
    elif kind == "alternative":
        msg = MIMEMultipart("alternative", boundary="=_alt_%s_0001" % key)
        msg.attach(text_part(m["body"], "plain", charset, cte))
        msg.attach(text_part(m["html"], "html", charset, m["html_cte"]))
    elif kind == "attachment":
        msg = MIMEMultipart("mixed", boundary="=_mixed_%s_0001" % key)
        msg.attach(text_part(m["body"], "plain", charset, cte))
        att = m["attachment"]
        pdf = MIMEApplication(tiny_pdf(att["title"], att["text"]), "pdf")
        del pdf["MIME-Version"]
        pdf.replace_header("Content-Type", 'application/pdf; name="%s"' % att["filename"])
        pdf.add_header("Content-Disposition", "attachment", filename=att["filename"])
        msg.attach(pdf)
    else:
        raise ValueError(kind)
    if kind in ("alternative", "attachment"):
        msg.preamble = "This is a multi-part message in MIME format."
        del msg["MIME-Version"]
        msg.replace_header("Content-Type", '%s; boundary="%s"'
                           % (msg.get_content_type(), msg.get_boundary()))

    # Put the headers in the usual order: envelope-ish first, MIME last.
    content_headers = [(k, v) for k, v in msg.items()]
    for k in set(k for k, _ in content_headers):
        del msg[k]
    hcs = m.get("hdr_charset", "utf-8")
    henc = m.get("hdr_enc", "B")
    msg["From"] = address(m["from_name"], m["from_addr"], hcs, henc)
    msg["To"] = OWNER
    msg["Subject"] = header_text("Subject", m["subject"], hcs, henc)
    msg["Date"] = m["date"]
    msg["Message-ID"] = m["message_id"]
    for k, v in m.get("extra_headers", []):
        msg[k] = v
    msg["MIME-Version"] = "1.0"
    for k, v in content_headers:
        msg[k] = v
    if "Content-Transfer-Encoding" not in msg:
        msg["Content-Transfer-Encoding"] = "7bit"
    return msg


def check(m, seen_ids):
    dt = parsedate_to_datetime(m["date"])
    assert (dt.year, dt.month) == (2026, 11), m["key"]
    # the weekday written by hand must be the real one
    assert format_datetime(dt)[:3] == m["date"][:3], (m["key"], format_datetime(dt))
    assert m["message_id"] not in seen_ids, m["key"]
    seen_ids.add(m["message_id"])
    lab = m["label"]
    assert lab["verdict"] in VERDICTS, m["key"]
    assert set(lab["flags"]) <= FLAGS, m["key"]
    assert set(lab["missing"]) <= DETAILS, m["key"]
    if lab["verdict"] == "toxic":
        assert lab["flags"], m["key"]
    else:
        assert not lab["flags"], m["key"]
    if lab["verdict"] == "not_lead":
        assert not lab["missing"], m["key"]
    return dt


def main():
    seen = set()
    if os.path.exists(MBOX_PATH):
        os.remove(MBOX_PATH)
    box = mailbox.mbox(MBOX_PATH, create=True)
    labels = {}
    for m in MESSAGES:
        dt = check(m, seen)
        msg = build(m)
        mb = mailbox.mboxMessage(msg)
        mb.set_from(m["from_addr"], dt.astimezone(timezone.utc).timetuple())
        box.add(mb)
        labels[m["message_id"]] = {
            "verdict": m["label"]["verdict"],
            "flags": list(m["label"]["flags"]),
            "missing": list(m["label"]["missing"]),
        }
    box.flush()
    box.close()
    with open(LABELS_PATH, "w", encoding="utf-8") as f:
        json.dump(labels, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote %d messages to %s" % (len(MESSAGES), MBOX_PATH))
    print("wrote %d labels to %s" % (len(labels), LABELS_PATH))


if __name__ == "__main__":
    main()
