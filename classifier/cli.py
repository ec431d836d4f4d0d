"""The ``classifier`` command: thin typer commands over the library.

Every :class:`~classifier.errors.ClassifierError` becomes one line on stderr and exit code 2;
a folder run whose files partly failed exits with 1.
"""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .errors import ClassifierError, InputError
from .segment import LABELS, Label, Part

app = typer.Typer(
    help="Split scraped pages into segments, label them reporting / opinion / noise, and clean them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

KeepOption = Annotated[
    Optional[list[Label]],
    typer.Option("--keep", "-k", help="A label to keep; repeat for several. Default: reporting and opinion.", case_sensitive=False),
]
CommentsOption = Annotated[bool, typer.Option("--comments/--no-comments", help="Keep the reader-comment thread too.")]
ModelOption = Annotated[Optional[Path], typer.Option("--model", help="A model file of your own instead of the shipped one (needs its .json card, or --trust-model).", dir_okay=False)]
TrustOption = Annotated[bool, typer.Option("--trust-model", help="Load --model without checking it against its card's sha256 (for a file you trust that has no card).")]


class Engine(StrEnum):
    """Where a folder's pages are cleaned."""

    LOCAL = "local"
    DASK = "dask"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"classifier: error: {message}", err=True)
    return typer.Exit(code)


def _model(path: Optional[Path], trusted: bool):  # type: ignore[no-untyped-def]
    from .model import load_model

    return load_model(path, trusted=trusted) if path else load_model()


def _config(keep: Optional[list[Label]], comments: bool, repeats: bool = False):  # type: ignore[no-untyped-def]
    from .clean import DEFAULT_KEEP, CleanConfig

    return CleanConfig(keep=frozenset(keep) if keep else DEFAULT_KEEP, comments=comments, repeats=repeats)


@app.command("clean")
def clean_command(
    source: Annotated[str, typer.Argument(help="A folder of scraped pages, one file, or - for standard input.", show_default=False)],
    out_dir: Annotated[Optional[str], typer.Argument(help="Where to write the cleaned pages (for a folder). Without it, one file's clean text goes to stdout.", show_default=False)] = None,
    keep: KeepOption = None,
    comments: CommentsOption = False,
    repeats: Annotated[bool, typer.Option("--repeats", help="Keep a passage as often as the page shows it (default: a passage shown twice, as a preview and the article, is kept once).")] = False,
    segments: Annotated[Optional[str], typer.Option("--segments", help="Also write the segment table here: .parquet, .csv or .jsonl.", show_default=False)] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for a folder (0: one per core); with --engine dask, the workers of the local cluster it starts.", min=0)] = 0,
    force: Annotated[bool, typer.Option("--force", help="Redo every page, even those a previous run into OUT_DIR finished.")] = False,
    pattern: Annotated[str, typer.Option("--pattern", help="Only files whose name matches this glob, e.g. '*.txt'.")] = "*",
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse files larger than this.", min=1)] = 20 * 1024 * 1024,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    model: ModelOption = None,
    trust_model: TrustOption = False,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="Clean a folder in local worker processes, or on a dask.distributed cluster (IN and OUT may then be fsspec URLs, e.g. s3://bucket/pages).", case_sensitive=False),
    ] = Engine.LOCAL,
    scheduler: Annotated[
        Optional[str],
        typer.Option("--scheduler", help="With --engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786 (default: a local cluster of -j workers).", show_default=False),
    ] = None,
) -> None:
    """Clean scraped pages: keep the article's reporting and opinion, drop furniture and comments.

    Examples:

        classifier clean pages/ cleaned/ --segments segments.parquet

        classifier clean page.txt > page.clean.txt

        curl -s https://example.org/page.txt | classifier clean - --keep reporting

        classifier clean --engine dask --scheduler tcp://10.0.0.5:8786 s3://bucket/pages s3://bucket/cleaned
    """
    try:
        config = _config(keep, comments, repeats)
        if scheduler and engine is not Engine.DASK:
            raise _fail("--scheduler goes with --engine dask")
        if segments and engine is Engine.LOCAL and Path(segments).is_dir():
            raise _fail(f"--segments {segments} is a folder; give a file name ending in .parquet, .csv or .jsonl")
        if engine is Engine.DASK:
            if source == "-" or out_dir is None:
                raise _fail(f"--engine dask cleans folders: give an input and an output folder, e.g. 'classifier clean --engine dask {source} cleaned/'")
            _clean_folder(source, out_dir, config, segments, jobs, force, pattern, max_bytes, quiet, model, trust_model, scheduler=scheduler, dask=True)
            return
        if any("://" in (arg or "") for arg in (source, out_dir, segments)):
            raise _fail("URLs (s3://…, file://…) are for the dask engine: add --engine dask")
        if source != "-" and Path(source).is_dir():
            if out_dir is None:
                raise _fail(f"{source} is a folder: give an output folder too, e.g. 'classifier clean {source} cleaned/'")
            _clean_folder(Path(source), Path(out_dir), config, segments, jobs, force, pattern, max_bytes, quiet, model, trust_model)
            return
        if out_dir is not None:
            raise _fail(f"{source} is not a folder; for one file the clean text goes to stdout (use > to save it)")
        _clean_one(source, config, segments, max_bytes, model, trust_model)
    except ClassifierError as exc:
        raise _fail(str(exc)) from None


def _clean_one(source: str, config, segments: Optional[str], max_bytes: int, model_path: Optional[Path], trusted: bool) -> None:  # type: ignore[no-untyped-def]
    from .clean import label, segment_row, select
    from .reading import decode_page, read_text_file

    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"standard input: over the limit of {max_bytes:,} bytes")
        text = decode_page(data, "standard input")
    else:
        if not Path(source).exists():
            raise InputError(f"{source}: no such file or folder")
        text = read_text_file(source, max_bytes=max_bytes)
    segs = label(text, model=_model(model_path, trusted))
    out = select(segs, config, text)
    sys.stdout.write(out + ("\n" if out and not out.endswith("\n") else ""))
    if segments:
        from .batch import SegmentTable

        table = SegmentTable(Path(segments))
        table.add(source, [segment_row(i, s) for i, s in enumerate(segs)])
        table.close()


def _clean_folder(src, dst, config, segments, jobs, force, pattern, max_bytes, quiet, model_path, trusted, scheduler=None, dask=False) -> None:  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import ERRORS_NAME, clean_folder, label_counts_line

    cluster: AbstractContextManager[Any]
    if dask:
        from .cluster import open_client

        cluster = open_client(scheduler, jobs or None)
    else:
        cluster = nullcontext()
    progress = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True, disable=quiet, console=_stderr_console())
    with cluster as client, progress:
        task = progress.add_task("clean", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        summary = clean_folder(
            src, dst, config=config, segments=segments, model_path=model_path, trusted=trusted, max_bytes=max_bytes, jobs=jobs or None, force=force, pattern=pattern, progress=update, client=client
        )
    for rel, error in summary.errors:
        typer.echo(f"classifier: {rel}: {error}", err=True)
    if not quiet:
        rate = summary.cleaned / summary.seconds if summary.seconds else 0.0
        typer.echo(
            f"{summary.files:,} files: {summary.cleaned:,} cleaned, {summary.skipped:,} already done, {summary.failed:,} failed"
            f" in {summary.seconds:.1f} s ({rate:,.0f} pages/s); segments: {label_counts_line(summary)}",
            err=True,
        )
        if summary.failed:
            typer.echo(f"the failures are listed in {str(dst).rstrip('/')}/{ERRORS_NAME}" if dask else f"the failures are listed in {dst / ERRORS_NAME}", err=True)
    if not summary.ok:
        raise typer.Exit(1)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


_COLOURS = {Label.REPORTING: "green", Label.OPINION: "yellow", Label.NOISE: "bright_black"}


@app.command("show")
def show_command(
    file: Annotated[Path, typer.Argument(help="A scraped page.", exists=True, dir_okay=False, readable=True)],
    probabilities: Annotated[bool, typer.Option("--probabilities", "-p", help="Print each segment's probability.")] = False,
    model: ModelOption = None,
    trust_model: TrustOption = False,
) -> None:
    """Show a page in the terminal, each segment coloured by its label, the comment thread set apart.

    Green is reporting, yellow opinion, grey noise.

    Example:

        classifier show page.txt
    """
    from rich.console import Console
    from rich.text import Text

    from .clean import label
    from .reading import read_text_file

    try:
        segs = label(read_text_file(file), model=_model(model, trust_model))
    except ClassifierError as exc:
        raise _fail(str(exc)) from None
    console = Console()
    legend = Text()
    for lab in LABELS:
        legend.append(f" {lab.value} ", style=f"reverse {_COLOURS[lab]}")
        legend.append(" ")
    console.print(legend)
    line = Text()
    block = -1
    in_comments = False
    for s in segs:
        if s.block != block and block >= 0:
            console.print(line)
            line = Text()
        if s.part is Part.COMMENTS and not in_comments:
            in_comments = True
            console.rule("reader comments")
        if s.block == block:
            line.append(" ")
        block = s.block
        line.append(s.text, style=_COLOURS[s.label])
        if probabilities:
            line.append(f" [{s.label.value[0]}{s.probability:.2f}]", style="dim")
    console.print(line)


@app.command("train")
def train_command(
    data: Annotated[Path, typer.Option("--data", help="The project's labelled data folder.", exists=True, file_okay=False)] = Path("data"),
    corpora: Annotated[Optional[Path], typer.Option("--corpora", help="The public corpora folder (default: ../shared/corpora if present).", file_okay=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to save the model; its .json card goes beside it.", dir_okay=False)] = Path("models/classifier.npz"),
    metrics: Annotated[bool, typer.Option("--metrics/--no-metrics", help="Measure the model and put the figures in its card.")] = True,
) -> None:
    """Fit the model on data/ and the corpora that allow training, measure it, and save it with its card.

    Example:

        classifier train --output models/classifier.npz
    """
    import sklearn

    from .data import corpora_dir
    from .model import save_model
    from .train import CORPUS_PAGE_WEIGHT, TRAIN_PAGE_SETS, TRAIN_SENTENCE_SETS, build_training_set, evaluate, fit_model, write_card_markdown

    corpora = corpora or corpora_dir()
    log = lambda msg: typer.echo(msg, err=True)  # noqa: E731
    try:
        log("reading training data …")
        ts = build_training_set(data, corpora, corpus_weight=CORPUS_PAGE_WEIGHT, log=log)
        log("fitting …")
        model = fit_model(ts)
        results = evaluate(data, corpora, model=model, log=log) if metrics else {}
    except ClassifierError as exc:
        raise _fail(str(exc)) from None
    card = {
        "name": "classifier segment model",
        "trained_on": {
            "project_pages": sum(1 for s in ts.sources if s.endswith(".page")),
            "page_sets": [s for s in TRAIN_PAGE_SETS if corpora and (corpora / s).is_dir()],
            "corpus_page_weight": CORPUS_PAGE_WEIGHT,
            "sentence_sets": [s for s in TRAIN_SENTENCE_SETS if corpora and (corpora / s).is_file()],
            "segments": sum(len(p) for p in ts.pages),
        },
        "licences": {
            "data/pages": "written by this project, same licence as the code",
            "scrapinghub": "MIT (../shared/corpora/scrapinghub/LICENSE)",
            "newssd-eng": "CC BY 4.0 (../shared/corpora/newssd-eng/LICENSE)",
        },
        "metrics": results,
        "params": model.get_params(),
        "python_sklearn": sklearn.__version__,
        "command": f"classifier train --data {data} --output {output}",
    }
    saved = save_model(model, output, card)
    write_card_markdown(output.with_name("MODEL_CARD.md"), saved)
    log(f"saved {output} (sha256 {saved['sha256'][:12]}…) and its card")


@app.command("evaluate")
def evaluate_command(
    data: Annotated[Path, typer.Option("--data", help="The project's labelled data folder.", exists=True, file_okay=False)] = Path("data"),
    corpora: Annotated[Optional[Path], typer.Option("--corpora", help="The public corpora folder (default: ../shared/corpora if present).", file_okay=False)] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write every figure to this JSON file.", dir_okay=False)] = None,
    curve: Annotated[
        Optional[Path], typer.Option("--learning-curve", help="Also fit on growing shares of data/ and draw quality against it to this PNG (slow; needs matplotlib).", dir_okay=False)
    ] = None,
    seeds: Annotated[
        int,
        typer.Option(
            "--seeds",
            min=0,
            metavar="N",
            help="Also refit with seeds 0..N-1 and give each figure's mean and range across them: how much the fit alone moves the figures (slow: each seed is up to six fits).",
        ),
    ] = 0,
    model: ModelOption = None,
    trust_model: TrustOption = False,
) -> None:
    """Measure: per-label figures on held-out project pages, score_clean figures on each page set,
    reporting-vs-opinion macro-F1 on the sentence sets.

    Example:

        classifier evaluate --json figures.json --learning-curve curve.png --seeds 4
    """
    from .data import corpora_dir
    from .train import evaluate, format_results

    corpora = corpora or corpora_dir()
    try:
        results = evaluate(data, corpora, model=_model(model, trust_model), log=lambda m: typer.echo(m, err=True))
    except ClassifierError as exc:
        raise _fail(str(exc)) from None
    typer.echo(format_results(results))
    if curve is not None:
        from .train import learning_curve, plot_learning_curve

        if corpora is None:
            raise _fail("the learning curve is measured on ../shared/corpora, which was not found (give --corpora)")
        try:
            results["learning_curve"] = learning_curve(data, corpora, log=lambda m: typer.echo(m, err=True))
            plot_learning_curve(results["learning_curve"], curve)
        except ClassifierError as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"learning curve: {curve}")
    if seeds:
        from .train import fit_spread, format_spread

        try:
            results["fit_spread"] = fit_spread(data, corpora, seeds=seeds, log=lambda m: typer.echo(m, err=True))
        except ClassifierError as exc:
            raise _fail(str(exc)) from None
        typer.echo(format_spread(results["fit_spread"]))
    if json_out:
        from .batch import write_atomic

        write_atomic(json_out, (json.dumps(results, indent=2, default=float) + "\n").encode())


def main() -> None:
    app()
