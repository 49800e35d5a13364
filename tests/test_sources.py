from __future__ import annotations

import json
import mailbox
from email.message import EmailMessage

import pytest

from triage.errors import SourceError
from triage.sources.files import iter_path


def _msg(i: int) -> bytes:
    m = EmailMessage()
    m["From"] = f"client{i}@example.com"
    m["Subject"] = f"Inquiry {i}"
    m["Message-ID"] = f"<m{i}@example.com>"
    m.set_content(f"Hello {i}\nFrom the start, we need a logo.\n")
    return bytes(m)


def test_single_eml(tmp_path):
    p = tmp_path / "a.eml"
    p.write_bytes(_msg(1))
    msgs = list(iter_path(str(p)))
    assert [m.id for m in msgs] == [str(p)]
    assert msgs[0].raw == _msg(1)


def test_folder_of_eml_is_recursive_and_sorted(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.eml").write_bytes(_msg(2))
    (tmp_path / "sub" / "a.eml").write_bytes(_msg(1))
    (tmp_path / "notes.txt").write_text("not mail")
    ids = [m.id for m in iter_path(str(tmp_path))]
    assert ids == [str(tmp_path / "b.eml"), str(tmp_path / "sub" / "a.eml")]


def test_mbox_split_and_from_unescaped(tmp_path):
    p = tmp_path / "inbox"
    box = mailbox.mbox(str(p))
    for i in range(3):
        box.add(_msg(i))
    box.flush()
    box.close()
    msgs = list(iter_path(str(p)))
    assert [m.id for m in msgs] == [f"{p}#1", f"{p}#2", f"{p}#3"]
    # mailbox escapes body lines starting "From "; the reader must undo it.
    assert b"\nFrom the start, we need a logo." in msgs[0].raw
    assert msgs[2].raw.rstrip().endswith(b"we need a logo.")


def test_maildir_new_and_cur(tmp_path):
    md = mailbox.Maildir(str(tmp_path / "md"))
    md.add(_msg(1))
    key = md.add(_msg(2))
    m = md.get_message(key)
    m.set_subdir("cur")
    md[key] = m
    msgs = list(iter_path(str(tmp_path / "md")))
    assert len(msgs) == 2
    assert {b"Inquiry 1" in x.raw for x in msgs} == {True, False}


def test_jsonl_fields_and_bad_line(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "x1", "from": "a@b", "subject": "s", "body": "hi", "extra": 1}) + "\n"
                 + "{not json\n" + json.dumps({"id": "x2", "body": "yo"}) + "\n", encoding="utf-8")
    it = iter_path(str(p))
    first, second = next(it), next(it)
    assert first.id == "x1" and first.fields["body"] == "hi" and first.fields["from"] == "a@b"
    assert second.id == "x2" and second.fields["subject"] == ""
    with pytest.raises(SourceError, match="line 2"):
        next(it)


def test_missing_path_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        list(iter_path(str(tmp_path / "nope.eml")))


def test_jsonl_with_a_byte_order_mark_keeps_its_first_record(tmp_path):
    p = tmp_path / "bom.jsonl"
    lines = [json.dumps({"id": i, "from": "a@b.c", "subject": "s", "body": "logo please"}) for i in "ab"]
    p.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    assert [m.id for m in iter_path(str(p))] == ["a", "b"]


def test_jsonl_lone_surrogates_are_replaced_one_for_one(tmp_path):
    # "\ud83d" alone is valid JSON (text cut by UTF-16 length) but no encoder accepts it.
    p = tmp_path / "cut.jsonl"
    p.write_text('{"id": "x", "from": "a@b.c", "subject": "site \\ud83d", "body": "we pay \\ud83d $500 now"}\n')
    (m,) = iter_path(str(p))
    assert m.fields["subject"] == "site \ufffd" and m.fields["body"] == "we pay \ufffd $500 now"
    m.fields["body"].encode("utf-8")  # would raise on a surrogate


def test_a_path_that_cannot_be_examined_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="File name too long"):
        list(iter_path(str(tmp_path / ("a" * 300 + ".eml"))))


def test_a_pipe_is_read_without_seeking(tmp_path):
    import os
    import threading

    fifo = tmp_path / "box"
    os.mkfifo(fifo)
    box = b"".join(b"From client@example.com Mon Jan  1 00:00:00 2024\n" + _msg(i) + b"\n" for i in (1, 2))

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(box)

    writer = threading.Thread(target=write)
    writer.start()
    msgs = list(iter_path(str(fifo)))
    writer.join(5)
    assert len(msgs) == 2
    assert b"Subject: Inquiry 1" in msgs[0].raw and b"Subject: Inquiry 2" in msgs[1].raw


def test_maildir_message_marked_read_while_scoring_is_read_once_from_cur(tmp_path):
    # mutt, mbsync or Dovecot rename new/X to cur/X:2,S when a message is read, and may do
    # it between our listing of the folder and our reading of the file.
    box = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (box / sub).mkdir(parents=True)
    for i in range(3):
        (box / "new" / f"17000000{i}.M{i}P1.host").write_bytes(_msg(i))
    it = iter_path(str(box))
    first = next(it)
    for i in (1, 2):
        (box / "new" / f"17000000{i}.M{i}P1.host").rename(box / "cur" / f"17000000{i}.M{i}P1.host:2,S")
    rest = list(it)
    assert [m.raw for m in [first, *rest]] == [_msg(0), _msg(1), _msg(2)]
    assert rest[0].id.endswith("cur/170000001.M1P1.host:2,S")


def test_a_huge_message_is_read_up_to_the_cap_and_the_next_one_whole(tmp_path, monkeypatch):
    # A 100 MB attachment would cost ten times its size to parse; the text comes first.
    from triage.parse import parse
    from triage.sources import files

    monkeypatch.setattr(files, "MAX_MESSAGE_BYTES", 4000)
    big = (b"From: c@example.com\nSubject: brief\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
           b"--XX\nContent-Type: text/plain\n\nPlease see the brief, budget $900.\n--XX\n"
           b"Content-Type: application/pdf; name=brief.pdf\nContent-Transfer-Encoding: base64\n\n"
           + (b"QUJD" * 19 + b"\n") * 2000 + b"--XX--\n")
    box = tmp_path / "box.mbox"
    box.write_bytes(b"From a@b Mon Jan  1 00:00:00 2024\n" + big + b"\nFrom a@b Mon Jan  1 00:00:00 2024\n" + _msg(2))
    first, second = iter_path(str(box))
    assert len(first.raw) < 4000 + 100 and second.raw.rstrip(b"\n") == _msg(2).rstrip(b"\n")
    assert "budget $900" in parse(first).body
    eml = tmp_path / "big.eml"
    eml.write_bytes(big)
    (only,) = iter_path(str(eml))
    assert len(only.raw) == 4000 and "budget $900" in parse(only).body
