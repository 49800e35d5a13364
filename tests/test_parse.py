from __future__ import annotations

from triage.parse import decode_bytes, detect_language, html_to_text, own_ranges, parse
from triage.types import RawMessage

from .conftest import DATA

EML = DATA / "eml"


def _parse(name: str):
    return parse(RawMessage(id=name, raw=(EML / name).read_bytes()))


def test_undeclared_cp1251_body_and_encoded_subject():
    e = _parse("cp1251_undeclared.eml")
    assert e.subject == "Заказ текста"
    assert "бюджет 30 000 руб." in e.body
    assert e.lang == "ru"
    assert e.message_id == "<ru-1@example.ru>"
    assert e.date and e.date.startswith("2026-11-20")


def test_koi8r_declared_and_q_encoded_sender():
    e = _parse("koi8r.eml")
    assert e.sender.startswith("Ирина")
    assert "Нужен текст для лендинга" in e.body


def test_html_only_cp1256_becomes_text_without_script():
    e = _parse("cp1256_html.eml")
    assert "الميزانية 3000 ريال" in e.body
    assert "alert" not in e.body and "<p>" not in e.body
    assert "- one" in e.body
    assert e.lang == "ar"
    assert e.subject == "شعار"


def test_plain_part_preferred_and_attachment_counted():
    e = _parse("alternative_with_attachment.eml")
    assert "café by March 3" in e.body
    assert "HTML version" not in e.body
    assert e.attachments == 1
    assert e.sender == "Dana Miller <dana@brightleaf.io>"


def test_unknown_charset_falls_back():
    e = _parse("bad_charset.eml")
    assert "Plain words" in e.body
    assert e.subject == "hello"


def test_decode_bytes_prefers_utf8_then_picks_script():
    assert decode_bytes("привет мир".encode(), None) == "привет мир"
    assert decode_bytes("оплата после запуска".encode("koi8-r"), None) == "оплата после запуска"
    assert decode_bytes("الدفع بعد الإطلاق".encode("cp1256"), None) == "الدفع بعد الإطلاق"
    assert decode_bytes(b"caf\xe9", "latin-1") == "café"


def test_html_to_text_keeps_blocks_as_lines():
    text = html_to_text("<div>One<br>Two</div><p>Three</p><table><tr><td>a</td><td>b</td></tr></table>")
    assert text.splitlines()[:3] == ["One", "Two", "Three"]
    assert "a b" in text


def test_own_ranges_cut_quotes_and_signature():
    body = ("Hi Anna,\nyes we pay upfront.\n\n-- \nBob, CEO\n\n"
            "On Tue, 3 Mar 2026, Anna wrote:\n> free test?\n")
    own = own_ranges(body)
    own_text = " ".join(body[s:e] for s, e in own)
    assert "we pay upfront" in own_text
    assert "Bob, CEO" not in own_text and "free test" not in own_text


def test_own_ranges_keep_inline_replies():
    body = "> Can you do it for free?\nNo, we pay 50% upfront.\n> And by tonight?\nNo, in two weeks."
    own_text = " ".join(body[s:e] for s, e in own_ranges(body))
    assert "we pay 50% upfront" in own_text and "in two weeks" in own_text
    assert "for free" not in own_text


def test_russian_and_arabic_reply_headers():
    ru = "Согласны.\n\n13 марта 2026 г., в 14:05, Иван <ivan@x.ru> пишет:\n> бесплатно?"
    ar = "موافق.\n\nفي الثلاثاء، 3 مارس 2026، كتب أحمد <ahmed@x.com>:\n> مجانا؟"
    for body in (ru, ar):
        own_text = " ".join(body[s:e] for s, e in own_ranges(body))
        assert "пишет" not in own_text and "كتب" not in own_text
        assert own_text.strip() in ("Согласны.", "موافق.")


def test_language_detection():
    assert detect_language("We need a logo for our bakery, can you help?", ()) == "en"
    assert detect_language("Нужен логотип для пекарни", ()) == "ru"
    assert detect_language("نحتاج شعارا لمخبزنا", ()) == "ar"
    assert detect_language("Nous avons besoin d'un logo pour notre boulangerie", ()) == "other"
    assert detect_language("", ()) == "other"


def test_jsonl_fields_are_kept_exactly():
    body = "  Hi,\r\nwe need copy.  "
    e = parse(RawMessage(id="j1", fields={"from": "a", "subject": "s", "body": body}))
    assert e.body == body


def test_garbage_bytes_still_give_an_email():
    e = parse(RawMessage(id="junk", raw=b"\x00\xff\xfe" * 1000))
    assert e.id == "junk"
    assert isinstance(e.body, str)


def test_a_charset_whose_decoder_raises_the_base_error_is_survived():
    # "undefined" and "punycode" are real codecs whose decoders raise UnicodeError itself,
    # not UnicodeDecodeError; a stranger can put either in a header.
    for raw in (b"Subject: =?undefined?Q?logo_please?=\n\nWe need a logo.",
                b"Subject: hi\nContent-Type: text/plain; charset=undefined\n\nWe need a logo, budget $300.",
                b"Subject: =?punycode?Q?x?=\nContent-Type: text/plain; charset=punycode\n\nWe need a logo."):
        e = parse(RawMessage(id="x", raw=raw))
        assert "We need a logo" in e.body
    assert parse(RawMessage(id="x", raw=b"Subject: =?undefined?Q?logo_please?=\n\nx")).subject == "logo please"


def test_raw_8bit_headers_keep_their_text():
    # RFC 6532 mail sends UTF-8 headers unencoded; old Russian mailers send raw cp1251.
    for enc in ("utf-8", "cp1251"):
        raw = "From: Дана Петрова <dana@example.ru>\nSubject: Нужен сайт, бюджет 50 000 руб.\n\nТекст".encode(enc)
        e = parse(RawMessage(id=enc, raw=raw))
        assert e.subject == "Нужен сайт, бюджет 50 000 руб.", enc
        assert e.sender == "Дана Петрова <dana@example.ru>", enc


def test_utf8_with_a_stray_byte_or_cut_mid_character_stays_utf8():
    text = "Здравствуйте! Нужен сайт для кофейни, бюджет 50 000 рублей, срок две недели. " * 3
    data = text.encode("utf-8")
    stray = data.replace(b"! ", b"!\xff ", 1)
    cut = data[:-2] + "ж".encode()[:1]
    for case in (stray, cut):
        out = decode_bytes(case, "utf-8")
        assert "Нужен сайт для кофейни" in out and "Р—" not in out
        assert out.count("\ufffd") == 1
    # Text in a single-byte charset is still told apart from UTF-8.
    assert decode_bytes(text.encode("cp1251"), None) == text


_FORWARD = b"""From: Dana <dana@x.com>\r
Subject: New project\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary="B"\r
\r
--B\r
%s--B\r
Content-Type: message/rfc822\r
Content-Disposition: attachment; filename="old.eml"\r
\r
From: someone@else.com\r
Subject: old\r
Content-Type: text/plain\r
\r
Text of the attached message: we can only pay in exposure.\r
--B--\r
"""


def test_the_senders_html_wins_over_text_inside_an_attached_message():
    own = b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>We need a logo, budget $800, due 1 May.</p>\r\n"
    e = parse(RawMessage(id="x", raw=_FORWARD % own))
    assert "We need a logo, budget $800" in e.body and "exposure" not in e.body
    # Forwarded with no word of the sender's own: the attached message is all there is.
    bare = parse(RawMessage(id="y", raw=(_FORWARD % b"").replace(b"--B\r\n--B\r\n", b"--B\r\n", 1)))
    assert "we can only pay in exposure" in bare.body
