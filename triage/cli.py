"""The command line: the only module that prints, reads the terminal or exits.

Heavy libraries (spaCy, scikit-learn, rich) are imported inside commands so
that ``triage --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from triage import __version__
from triage.errors import TriageError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_AUTH = 0, 1, 2, 3
# The labelled data beside the package, not the working folder: cron runs `train` from $HOME.
_DATA = Path(__file__).resolve().parent.parent / "data" / "labelled"


class TriageGroup(click.Group):
    """Turns every error into one plain sentence and a documented exit status."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TriageError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(str(exc), exc.exit_status)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_PARTIAL)
        except BrokenPipeError:
            # The reader went away (`triage score ... | head`): not an error of ours.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except Exception as exc:  # the last line of defence: no traceback without --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
                  EXIT_PARTIAL)


def _fail(message: str, status: int) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


@click.group(cls=TriageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Rank client inquiries warm to toxic, with the evidence and the missing brief details."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "html"]), default="table",
              show_default=True, help="table/html: ranked for people; jsonl/csv: input order, for scripts.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="A trained model folder (default: the shipped models/default).")
@click.option("--config", "config_path", default=None,
              help="Apply this config's [rates] (read only when given: score needs no config).")
@click.argument("paths", nargs=-1, required=True)
def score(fmt: str, model_dir: str | None, config_path: str | None, paths: tuple[str, ...]) -> None:
    """Score emails: .eml files, folders of them, mbox, Maildir, .jsonl, or - for stdin."""
    from triage import report, service

    rates = None
    if config_path:
        from triage.config import load_settings

        rates = load_settings(config_path).rates
    with_rates = rates is not None
    scorer = service.load_scorer(model_dir, rates=rates)
    failures = 0
    kept = []
    out = sys.stdout
    if fmt == "csv":
        out.write(report.csv_header(with_rates))
    for item in service.score_paths(paths, scorer):
        if isinstance(item, service.Failure):
            failures += 1
            click.echo(f"Error: {item.reason}", err=True)
            continue
        if fmt == "jsonl":
            out.write(report.to_json(item, with_rates) + "\n")
        elif fmt == "csv":
            out.write(report.to_csv_row(item, with_rates))
        else:
            kept.append(item)
    if fmt == "table":
        _print_table(report.table_rows([report.lead_from_prediction(p, with_rates) for p in kept]))
    elif fmt == "html":
        out.write(report.render_html([report.lead_from_prediction(p, with_rates) for p in kept]))
    out.flush()
    sys.exit(EXIT_PARTIAL if failures else EXIT_OK)


@main.command()
@click.option("--config", "config_path", default=None, help="Config file (default: $TRIAGE_CONFIG or "
              "~/.config/triage/config.toml).")
@click.option("--account", "account_name", default=None, help="Scan only this account.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--model", "model_dir", default=None,
              help="Model folder (default: your retrained model if any, else models/default).")
def scan(config_path: str | None, account_name: str | None, fmt: str, model_dir: str | None) -> None:
    """Fetch new mail over IMAP (never marking it read), score it and store it."""
    from triage import report, service
    from triage.config import load_settings

    settings = load_settings(config_path)
    scorer = service.load_scorer(model_dir, settings=settings, rates=settings.rates)
    if scorer.notice:
        click.echo(f"warning: {scorer.notice}", err=True)
    summary = service.ScanSummary()
    found = []
    progress = _progress() if sys.stderr.isatty() else None
    task = progress.add_task("scanning", total=None) if progress else None
    try:
        if progress:
            progress.start()
        for item in service.scan(settings, scorer, account_name=account_name, summary=summary):
            if progress:
                progress.update(task, advance=1, description=f"scanning {item.account}/{item.folder}")
            if fmt == "jsonl":
                _print_scanned(item, settings.rates is not None)
            else:
                found.append(item.prediction)
    finally:
        if progress:
            progress.stop()
    if fmt == "table" and found:
        _print_table(report.table_rows([report.lead_from_prediction(p, settings.rates is not None)
                                        for p in found]))
    for f in summary.failures or []:
        click.echo(f"Error: {f}", err=True)
    click.echo(f"scan: {summary.new} new ({summary.warm} warm, {summary.toxic} toxic, "
               f"{summary.not_lead} not_lead), {summary.skipped} skipped", err=True)
    sys.exit(EXIT_PARTIAL if summary.failures else EXIT_OK)


def _print_scanned(item, with_rates: bool) -> None:
    from triage import report

    d = report.prediction_dict(item.prediction, with_rates) | {"account": item.account, "folder": item.folder,
                                     "uid": item.uid, "id": item.row_id}
    sys.stdout.write(report.json_line(d) + "\n")
    sys.stdout.flush()


@main.command()
@click.option("--config", "config_path", default=None, help="Config file (default: $TRIAGE_CONFIG or "
              "~/.config/triage/config.toml).")
@click.option("--account", "account_name", default=None, help="Watch only this account.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--model", "model_dir", default=None,
              help="Model folder (default: your retrained model if any, else models/default).")
def watch(config_path: str | None, account_name: str | None, fmt: str, model_dir: str | None) -> None:
    """Wait for new mail (IMAP IDLE, polling where the server has none); score and store it as scan does."""
    import signal

    # Installed first, so a signal during the slow model load still stops cleanly. The
    # handler only sets a flag: the library looks at it between steps and logs out.
    stopping: list[int] = []

    def _on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)

    from triage import report, service
    from triage.config import load_settings
    from triage.watch import CycleDone, Notice

    settings = load_settings(config_path)
    scorer = service.load_scorer(model_dir, settings=settings, rates=settings.rates)
    if scorer.notice:
        click.echo(f"warning: {scorer.notice}", err=True)
    with_rates = settings.rates is not None
    summary = service.ScanSummary()
    found = []
    items = service.watch(settings, scorer, account_name=account_name, summary=summary,
                          should_stop=lambda: bool(stopping))
    try:
        for item in items:
            if isinstance(item, Notice):
                click.echo(item.text, err=True)
            elif isinstance(item, CycleDone):
                if found:
                    _print_table(report.table_rows([report.lead_from_prediction(p, with_rates)
                                                    for p in found]))
                    sys.stdout.flush()
                found = []
            elif fmt == "jsonl":
                _print_scanned(item, with_rates)
            else:
                found.append(item.prediction)
    finally:
        items.close()  # logs out of every folder now, not at garbage collection
        if found:  # stored in a cycle that ended without CycleDone (an error, or a stop)
            _print_table(report.table_rows([report.lead_from_prediction(p, with_rates) for p in found]))
    click.echo(f"watch: stopped; {summary.new} new ({summary.warm} warm, {summary.toxic} toxic, "
               f"{summary.not_lead} not_lead), {summary.skipped} skipped", err=True)
    sys.exit(EXIT_OK)


@main.command()
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--since", default=None, help="Only messages scored on or after this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "html"]), default="table",
              show_default=True)
@click.option("--output", "output", default=None, help="Write to this file instead of standard output.")
def report(config_path: str | None, since: str | None, fmt: str, output: str | None) -> None:
    """Stored leads ranked warm first, with evidence and missing details."""
    import json

    from triage import report as rep
    from triage import service
    from triage.config import load_settings

    if since:
        _check_date(since)
    settings = load_settings(config_path)
    leads = service.report_leads(settings, since)
    if fmt == "html":
        text = rep.render_html(leads)
    elif fmt == "csv":
        text = rep.render_csv(leads)
    elif fmt == "jsonl":
        keys = ("id", "message_id", "from", "subject", "lang", "verdict", "score", "flags", "missing",
                "details", "account", "folder", "uid", "label")
        keys += ("rates_note", "rates_ratio") if settings.rates is not None else ()
        text = "".join(json.dumps({k: d[k] for k in keys}, ensure_ascii=False) + "\n"
                       for d in rep.rank_leads(leads))
    else:
        if output:
            raise click.UsageError("--output needs --format jsonl, csv or html")
        _print_table(rep.table_rows(leads))
        return
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({len(leads)} messages)", err=True)
    else:
        sys.stdout.write(text)


def _check_date(value: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise click.UsageError(f"--since must be a date like 2026-11-22, not {value!r}") from exc


@main.command()
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--dry-run", is_flag=True, help="Print the digest instead of sending it.")
@click.option("--force", is_flag=True, help="Send even if a digest was already sent today.")
@click.option("--send-empty", is_flag=True, help="Send even when there are no new leads.")
def digest(config_path: str | None, dry_run: bool, force: bool, send_empty: bool) -> None:
    """Email the leads scored since the last digest (at most once a day)."""
    from triage import service
    from triage.config import load_settings

    res = service.digest(load_settings(config_path), dry_run=dry_run, force=force, send_empty=send_empty)
    if dry_run and res.message is not None:
        sys.stdout.write(res.message.as_string())
    click.echo(f"digest: {res.leads} leads; {res.reason}", err=True)


@main.command(name="label")
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--flag", "flags", multiple=True, help="A red flag the message shows (repeatable; toxic only).")
@click.argument("row_id", type=int)
@click.argument("verdict", type=click.Choice(["warm", "toxic", "not_lead"]))
def label_(config_path: str | None, flags: tuple[str, ...], row_id: int, verdict: str) -> None:
    """Correct the verdict of a stored message (ID as shown by `report`)."""
    from triage import service
    from triage.config import load_settings

    res = service.label(load_settings(config_path), row_id, verdict, flags)
    new = res.verdict + (f" ({', '.join(res.flags)})" if res.flags else "")
    if res.replaced and (res.replaced["verdict"], tuple(res.replaced["flags"])) != (res.verdict, tuple(sorted(res.flags))):
        old = res.replaced["verdict"] + (f" ({', '.join(res.replaced['flags'])})" if res.replaced["flags"] else "")
        click.echo(f"message {row_id}: label {new} replaces your earlier label {old}")
    else:
        click.echo(f"message {row_id}: labelled {new}")


@main.command()
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--account", "account_name", default=None, help="Only this account.")
def learn(config_path: str | None, account_name: str | None) -> None:
    """Read the labels you gave in your mail client: learn_folders and $Triage* keywords."""
    from triage import service
    from triage.config import load_settings

    n = 0
    for item in service.learn(load_settings(config_path), account_name=account_name):
        n += 1
        note = ""
        if item.replaced and item.replaced["verdict"] != item.verdict:
            note = f"; replaces your earlier label {item.replaced['verdict']}"
        click.echo(f"message {item.row_id}: labelled {item.verdict} ({item.source}){note}")
    click.echo(f"learn: {n} label(s) recorded", err=True)


@main.command()
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--model", "model_dir", default=None, help="Model folder (default: models/default).")
def doctor(config_path: str | None, model_dir: str | None) -> None:
    """Check config, store, model, server reachability, login and folders: one line each."""
    from triage import service

    worst = EXIT_OK
    for check in service.doctor(config_path, model_dir):
        click.echo(f"{'OK  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        if not check.ok:
            worst = max(worst, check.status or EXIT_PARTIAL)
    sys.exit(worst)


def _progress():
    from rich.progress import Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}: {task.completed} messages"),
                    transient=True)


@main.command()
@click.option("--data", "data_dirs", multiple=True, default=[str(_DATA)], show_default="data/labelled",
              help="Folders or .jsonl files of labelled messages (repeatable).")
@click.option("--out", "out_dir", default=None, help="Model folder (default: models/default).")
@click.option("--force", is_flag=True, help="Replace the model even if the new one is worse.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds (0 skips CV).")
@click.option("--config", "config_path", default=None,
              help="Also train on your labels stored by `label`/`learn` (weighted higher); the model "
                   "goes to [model] path and serves scan and watch once it is not worse.")
@click.option("--schedule", is_flag=True,
              help="For cron/systemd: no cross-validation, nothing done when no label changed since "
                   "the last training, a short summary.")
def train(data_dirs: tuple[str, ...], out_dir: str | None, force: bool, folds: int,
          config_path: str | None, schedule: bool) -> None:
    """Train on labelled emails; replace the model only if the new one is not worse."""
    from triage.training import ensure_model_dir
    from triage.training import train as run_train

    folds = 0 if schedule else folds
    if config_path:
        from triage.config import load_settings
        from triage.retrain import retrain

        settings = load_settings(config_path)
        res = retrain(settings, list(data_dirs), out=ensure_model_dir(out_dir) if out_dir else None,
                      force=force, folds=folds, skip_unchanged=schedule)
        if res.status == "too_few":
            click.echo(f"train: {res.labels} of your labels stored; retraining starts at {res.needed} "
                       "([model] min_user_labels); the shipped model serves")
            return
        if res.status == "unchanged":
            click.echo(f"train: no label changed since the last training; kept {res.out}")
            return
        rep, target = res.report, res.out
    else:
        target = ensure_model_dir(out_dir)
        rep = run_train(list(data_dirs), target, force=force, folds=folds)
    m = rep.card["metrics"]
    if m["cv"] and not schedule:
        click.echo(f"cross-validated ({m['cv_folds']} folds, grouped by sender):")
        _echo_metrics(m["cv"], m["keyword_baseline"])
    if not schedule:
        click.echo("held-out split:")
        _echo_metrics(m["holdout"], None)
    for line in rep.comparison:
        click.echo("  " + line)
    click.echo(f"{'replaced' if rep.replaced else 'kept'} {target}: {rep.reason}")


@main.command(name="eval")
@click.option("--model", "model_dir", default=None, help="Model folder (default: models/default).")
@click.option("--data", "data_dirs", multiple=True, default=[str(_DATA)], show_default="data/labelled")
@click.option("--errors", "n_errors", default=10, show_default=True, help="How many worst errors to show.")
def eval_(model_dir: str | None, data_dirs: tuple[str, ...], n_errors: int) -> None:
    """Metrics of a model on labelled emails, its confusion matrix and worst errors."""
    from triage.taxonomy import VERDICTS
    from triage.training import evaluate_model

    m, errors = evaluate_model(Path(model_dir) if model_dir else None, list(data_dirs))
    _echo_metrics(m, None)
    click.echo("confusion (rows true, columns predicted):")
    click.echo("            " + "".join(f"{v:>10s}" for v in VERDICTS))
    for t in VERDICTS:
        click.echo(f"  {t:10s}" + "".join(f"{m['confusion'][t][p]:10d}" for p in VERDICTS))
    click.echo(f"worst errors ({len(errors)} in all):")
    for e in errors[:n_errors]:
        text = " ".join(e["text"].split())[:160]
        click.echo(f"  {e['id']} [{e['lang']}] {e['true']} -> {e['predicted']} ({e['score']:.2f}): {text}")


def _echo_metrics(m: dict, baseline: dict | None) -> None:
    def row(name: str, key: str) -> str:
        base = f"   (keyword baseline {baseline[key]:.3f})" if baseline else ""
        return f"  {name:28s} {m[key]:.3f}{base}"

    click.echo(row("verdict macro-F1", "verdict_macro_f1"))
    click.echo(row("flags micro-F1", "flags_micro_f1"))
    click.echo(row("missing details micro-F1", "missing_micro_f1"))
    click.echo(row("warm leads judged toxic", "warm_as_toxic"))
    for lang, v in m["per_language"].items():
        click.echo(f"  {lang}: n={v['n']:4d} verdict {v['verdict_macro_f1']:.3f}  flags "
                   f"{v['flags_micro_f1']:.3f}  missing {v['missing_micro_f1']:.3f}")
    click.echo("  per flag: " + ", ".join(f"{k} {v:.2f}" for k, v in m["per_flag_f1"].items()))
    click.echo("  per detail: " + ", ".join(f"{k} {v:.2f}" for k, v in m["per_detail_f1"].items()))


_VERDICT_STYLE = {"warm": "green", "toxic": "red", "not_lead": "dim"}


def _print_table(rows: list[dict[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
    table = Table(show_lines=False, header_style="bold")
    rates = any(r.get("rates") for r in rows)  # the column shows only when [rates] gave a note
    for col, kw in (("#", {"justify": "right"}), ("verdict", {}), ("score", {"justify": "right"}),
                    ("lang", {}), ("from", {"max_width": 28}), ("subject", {"max_width": 36}),
                    ("flags", {"max_width": 30}), ("missing", {"max_width": 26}),
                    ("evidence", {"max_width": 40})) + ((("rates", {"max_width": 34}),) if rates else ()):
        table.add_column(col, overflow="fold", **kw)
    for r in rows:
        style = _VERDICT_STYLE.get(r["verdict"], "")
        table.add_row(r["rank"], f"[{style}]{r['verdict']}[/]" if style else r["verdict"],
                      r["score"], r["lang"], _esc(r["from"]), _esc(r["subject"]),
                      r["flags"], r["missing"], _esc(r["evidence"]), *((_esc(r["rates"]),) if rates else ()))
    console.print(table)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    console.print(f"{len(rows)} messages: " + ", ".join(
        f"{counts.get(v, 0)} {v}" for v in ("warm", "toxic", "not_lead")), highlight=False)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text.replace("\n", " "))


if __name__ == "__main__":
    main()
