"""Retraining on the user's own labels.

The integration test runs the whole loop a user would: mail arrives in a real
Dovecot, `scan` misjudges a kind of message the user never takes (ghost-written
academic work, judged warm by the shipped model), the user moves those messages
to a learn folder, `learn` records the labels, `train --config` retrains, and the
new model is measured on held-out messages of the same kind it never saw, and on
legitimate education leads that must stay warm. The files under
tests/data/retraining/ were hand-written for this test and are not in data/.
"""

from __future__ import annotations

import json
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest

from triage.config import parse_settings
from triage.errors import ConfigError
from triage.model import DEFAULT_MODEL_DIR

from . import servers
from .conftest import triage_cli
from .leads import fill_store
from .test_scan_imap import PW_ENV, append, records, scan

DATA = Path(__file__).parent / "data" / "retraining"
ARTIFACTS = Path(__file__).parent / "artifacts"


def rows(name: str) -> list[dict]:
    return [json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def as_raw(row: dict) -> bytes:
    msg = EmailMessage()
    msg["From"] = row["from"]
    msg["To"] = "me@example.com"
    msg["Subject"] = row["subject"]
    msg["Message-ID"] = f"<{row['id']}.{uuid.uuid4().hex[:8]}@test>"
    msg.set_content(row["body"])
    return msg.as_bytes()


def config(tmp_path: Path, dovecot=None, folder: str = "INBOX", toxic_folder: str = "Triage-Toxic",
           least: int = 10) -> Path:
    cfg = tmp_path / "config.toml"
    port = dovecot.port if dovecot else 1
    cfg.write_text(
        f'[store]\npath = "{tmp_path / "triage.db"}"\n\n'
        f'[model]\npath = "{tmp_path / "model"}"\nmin_user_labels = {least}\n\n'
        f'[[accounts]]\nname = "test"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        f'username = "{servers.USER}"\npassword_env = "{PW_ENV}"\nfolders = ["{folder}"]\n'
        f'learn_folders = {{ toxic = "{toxic_folder}" }}\n')
    return cfg


def run_cli(*args: str):
    return triage_cli(*args, env={PW_ENV: servers.PASSWORD}, timeout=900)


def verdicts(model: Path | None, messages: list[dict], tmp_path: Path) -> dict[str, tuple[str, float]]:
    """Each message's verdict and score (its probability of being toxic) from `triage score`."""
    src = tmp_path / f"score-{uuid.uuid4().hex[:6]}.jsonl"
    src.write_text("".join(json.dumps(m) + "\n" for m in messages), encoding="utf-8")
    args = ["score", "--format", "jsonl", str(src)] + (["--model", str(model)] if model else [])
    res = triage_cli(*args)
    assert res.returncode == 0, res.stderr.decode()
    return {d["id"]: (d["verdict"], d["score"]) for d in map(json.loads, res.stdout.decode().splitlines())}


# ------------------------------------------------------------------ the config


def test_model_section_defaults_beside_the_store(tmp_path):
    s = parse_settings({"store": {"path": str(tmp_path / "x" / "t.db")}}, tmp_path / "c.toml")
    assert s.model.path == tmp_path / "x" / "model"
    assert s.model.user_weight == 3.0 and s.model.min_user_labels == 20


@pytest.mark.parametrize(("table", "says"), [
    ({"user_weight": 0}, "user_weight' must be above 0"),
    ({"user_weight": "high"}, "user_weight' must be a int or float"),
    ({"min_user_labels": 0}, "min_user_labels' must be at least 1"),
    ({"path": 3}, "path' must be a str"),
])
def test_model_section_errors_name_the_key(tmp_path, table, says):
    with pytest.raises(ConfigError, match=says):
        parse_settings({"model": table}, tmp_path / "c.toml")


# ------------------------------------------------------------------ without enough labels


def test_too_few_labels_keep_the_shipped_model_serving(tmp_path):
    cfg = config(tmp_path, least=5)
    fill_store(tmp_path / "triage.db")
    for row_id in (1, 2, 3):
        assert run_cli("label", "--config", str(cfg), str(row_id), "toxic").returncode == 0
    res = run_cli("train", "--config", str(cfg), "--schedule")
    assert res.returncode == 0, res.stderr.decode()
    assert "3 of your labels stored; retraining starts at 5" in res.stdout.decode()
    assert not (tmp_path / "model").exists()
    doctor = run_cli("doctor", "--config", str(cfg))
    model_line = next(x for x in doctor.stdout.decode().splitlines() if x.startswith("OK   model:"))
    assert "default@" in model_line, "the shipped model serves until the user has a model"


def test_user_labels_become_weighted_rows_that_say_only_what_the_user_said(tmp_path):
    from triage.config import load_settings
    from triage.retrain import user_labels

    cfg = config(tmp_path)
    fill_store(tmp_path / "triage.db")
    assert run_cli("label", "--config", str(cfg), "1", "toxic").returncode == 0
    assert run_cli("label", "--config", str(cfg), "2", "toxic", "--flag", "unpaid_test").returncode == 0
    assert run_cli("label", "--config", str(cfg), "3", "warm").returncode == 0
    got = {r.verdict + "/" + ",".join(r.flags): r for r in user_labels(load_settings(cfg))}
    assert set(got) == {"toxic/", "toxic/unpaid_test", "warm/"}
    assert not got["toxic/"].flags_known, "toxic with no flag named says nothing about flags"
    assert got["toxic/unpaid_test"].flags_known and got["warm/"].flags_known
    assert all(not r.missing_known and r.weight == 3.0 and r.body for r in got.values())


# ------------------------------------------------------------------ the whole loop


def test_corrections_fix_a_systematic_error_on_held_out_messages(dovecot, folder, tmp_path):
    corrections, heldout, neighbours = rows("corrections.jsonl"), rows("heldout.jsonl"), rows("neighbours.jsonl")
    toxic_folder = f"Toxic-{uuid.uuid4().hex[:6]}"
    cfg = config(tmp_path, dovecot, folder, toxic_folder)
    append(dovecot, folder, [as_raw(r) for r in corrections])
    scanned = records(scan(cfg))
    assert len(scanned) == len(corrections)
    wrong = [r for r in scanned if r["verdict"] != "toxic"]
    # The error is systematic: the shipped model misjudges most of this kind (the rest it
    # calls toxic for another flag: a rush, a lowball).
    assert len(wrong) > 0.5 * len(corrections)

    # The user moves every misjudged message to the toxic learn folder.
    c = dovecot.client()
    c.create_folder(toxic_folder)
    c.select_folder(folder)
    c.copy([r["uid"] for r in wrong], toxic_folder)
    c.logout()
    learned = run_cli("learn", "--config", str(cfg))
    assert learned.returncode == 0, learned.stderr.decode()
    assert learned.stdout.decode().count("labelled toxic") == len(wrong)

    trained = run_cli("train", "--config", str(cfg), "--schedule")
    out = trained.stdout.decode()
    assert trained.returncode == 0, trained.stderr.decode()
    assert f"your labels: {len(wrong)} (toxic {len(wrong)})" in out
    assert f"replaced {tmp_path / 'model'}: not worse on the held-out split" in out, out

    # Not worse elsewhere: on the held-out split (the labelled data's and the user's
    # held-out rows), against the shipped recipe refitted on the same training rows.
    card = json.loads((tmp_path / "model" / "card.json").read_text())
    new, old = card["metrics"]["holdout"], card["metrics"]["champion_holdout"]
    assert new["n"] > 250
    assert new["verdict_macro_f1"] >= old["verdict_macro_f1"] - 0.005
    assert new["flags_micro_f1"] >= old["flags_micro_f1"] - 0.01
    assert new["missing_micro_f1"] >= old["missing_micro_f1"] - 0.01
    # Some of the user's labels were held out, and on them the champion was measured too.
    assert new["n_train"] + new["n"] == card["data"]["n"] + len(wrong)
    assert "user_verdict_accuracy" in new and "user_verdict_accuracy" in old
    assert new["user_verdict_accuracy"] >= old["user_verdict_accuracy"]

    # Fixed: held-out messages of the same kind, never labelled, never trained on.
    before = verdicts(DEFAULT_MODEL_DIR, heldout + neighbours, tmp_path)
    after = verdicts(tmp_path / "model", heldout + neighbours, tmp_path)
    toxic_before = sum(before[r["id"]][0] == "toxic" for r in heldout) / len(heldout)
    toxic_after = sum(after[r["id"]][0] == "toxic" for r in heldout) / len(heldout)
    score_before = sum(before[r["id"]][1] for r in heldout) / len(heldout)
    score_after = sum(after[r["id"]][1] for r in heldout) / len(heldout)
    warm_before = sum(before[r["id"]][0] == "warm" for r in neighbours)
    warm_after = sum(after[r["id"]][0] == "warm" for r in neighbours)
    neighbour_rise = sum(after[r["id"]][1] - before[r["id"]][1] for r in neighbours) / len(neighbours)
    turned = [r for r in neighbours if before[r["id"]][0] == "warm" and after[r["id"]][0] == "toxic"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "retraining.json").write_text(json.dumps({
        "corrections": len(wrong), "heldout_toxic_before": toxic_before, "heldout_toxic_after": toxic_after,
        "heldout_score_before": round(score_before, 4), "heldout_score_after": round(score_after, 4),
        "neighbours_warm_before": warm_before, "neighbours_warm_after": warm_after,
        "neighbours_score_rise": round(neighbour_rise, 4),
        "neighbours_turned_toxic": {r["id"]: [before[r["id"]][1], after[r["id"]][1]] for r in turned},
        "holdout_new": {k: new[k] for k in ("verdict_macro_f1", "flags_micro_f1", "missing_micro_f1", "n")},
        "holdout_champion": {k: old[k] for k in ("verdict_macro_f1", "flags_micro_f1", "missing_micro_f1")},
    }, indent=1))
    # The shipped model already calls some of the 24 toxic for other flags, so the user
    # corrects only the rest. That moves the whole held-out kind towards toxic and turns
    # several of them, not all (the figures are in the artifact above). The rise in
    # probability is the learning itself; the verdicts also hinge on single messages
    # crossing the threshold, so both are asserted.
    assert score_after >= score_before + 0.2, (score_before, score_after)
    assert toxic_after >= toxic_before + 0.25, (toxic_before, toxic_after)
    assert toxic_after >= 0.4, (toxic_before, toxic_after)
    # ...while legitimate education work stays warm. Asserted on where the neighbours end
    # and how far the corrections reach them, not on a count relative to before: that
    # count let a shipped model that already misjudged a borderline neighbour pass where
    # one judging it right failed, with the same two neighbours toxic afterwards.
    # The corrections move their own kind several times more than its neighbours...
    assert neighbour_rise <= (score_after - score_before) / 3, (neighbour_rise, score_before, score_after)
    # ...no neighbour the model was fairly sure of (toxic probability under 0.4) turns: one right
    # at the line may cross it either way (ret-n-15, a clean UX-copy brief, sat at 0.50 under the
    # stop-24 model, which passed at one half, and at 0.47 under stop 25's)...
    assert all(before[r["id"]][1] >= 0.4 for r in turned), [(r["id"], before[r["id"]]) for r in turned]
    # ...and at most two of the sixteen end toxic.
    assert warm_after >= len(neighbours) - 2, (warm_before, warm_after)

    # The user's model now serves scan; a scheduled run with no new label does nothing.
    doctor = run_cli("doctor", "--config", str(cfg))
    assert any(x.startswith("OK   model: model@") for x in doctor.stdout.decode().splitlines())
    again = run_cli("train", "--config", str(cfg), "--schedule")
    assert again.returncode == 0
    assert "no label changed since the last training" in again.stdout.decode()


def test_a_user_model_that_cannot_load_falls_back_to_the_shipped_one(tmp_path):
    import shutil as _shutil

    from triage.config import load_settings
    from triage.service import load_scorer

    cfg = config(tmp_path)
    _shutil.copytree(DEFAULT_MODEL_DIR, tmp_path / "model")
    (tmp_path / "model" / "model.joblib").write_bytes(b"not the model the card describes")
    scorer = load_scorer(None, settings=load_settings(cfg))
    assert scorer.version.startswith("default@") and scorer.model is not None
    assert "the shipped model serves until `triage train --config` retrains yours" in scorer.notice
    doctor = run_cli("doctor", "--config", str(cfg))
    assert "FAIL your model:" in doctor.stdout.decode() and "Traceback" not in doctor.stderr.decode()
