"""The command line: the only module that prints, reads the terminal or exits.

Heavy libraries (spaCy, scikit-learn, rich) are imported inside commands so
that ``triage --help`` starts fast.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from triage import __version__
from triage.errors import TriageError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_AUTH = 0, 1, 2, 3


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
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True, help="table: ranked for people; jsonl/csv: input order, for scripts.")
@click.argument("paths", nargs=-1, required=True)
def score(fmt: str, paths: tuple[str, ...]) -> None:
    """Score emails: .eml files, folders of them, mbox, Maildir, .jsonl, or - for stdin."""
    from triage import report, service

    failures = 0
    kept = []
    out = sys.stdout
    if fmt == "csv":
        out.write(report.csv_header())
    for item in service.score_paths(paths):
        if isinstance(item, service.Failure):
            failures += 1
            click.echo(f"Error: {item.reason}", err=True)
            continue
        if fmt == "jsonl":
            out.write(report.to_json(item) + "\n")
        elif fmt == "csv":
            out.write(report.to_csv_row(item))
        else:
            kept.append(item)
    if fmt == "table":
        _print_table(report.table_rows(kept))
    out.flush()
    sys.exit(EXIT_PARTIAL if failures else EXIT_OK)


_VERDICT_STYLE = {"warm": "green", "toxic": "red", "not_lead": "dim"}


def _print_table(rows: list[dict[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    table = Table(show_lines=False, header_style="bold")
    for col, kw in (("#", {"justify": "right"}), ("verdict", {}), ("score", {"justify": "right"}),
                    ("lang", {}), ("from", {"max_width": 28}), ("subject", {"max_width": 36}),
                    ("flags", {"max_width": 30}), ("missing", {"max_width": 26}),
                    ("evidence", {"max_width": 40})):
        table.add_column(col, overflow="fold", **kw)
    for r in rows:
        style = _VERDICT_STYLE.get(r["verdict"], "")
        table.add_row(r["rank"], f"[{style}]{r['verdict']}[/]" if style else r["verdict"],
                      r["score"], r["lang"], _esc(r["from"]), _esc(r["subject"]),
                      r["flags"], r["missing"], _esc(r["evidence"]))
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
