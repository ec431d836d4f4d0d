"""Cleaning whole folders: in parallel, resumable, atomic, and never stopped by one bad file.

``clean_folder(IN, OUT)`` writes the cleaned text of every file under ``IN`` to the same relative
path under ``OUT``. Each output is written to a temporary file and renamed into place; nothing is
written inside ``IN``. A manifest in ``OUT`` records each finished input (size, mtime, sha256)
with the model's sha256 and the options, so a rerun skips what is already done and a killed run
loses only the pages in flight. Files that cannot be cleaned become rows of an errors file in
``OUT``; the run goes on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import CleanConfig, label_split, segment_row, select
from .errors import InputError
from .model import SegmentModel, default_model_path, file_sha256, load_model
from .reading import DEFAULT_MAX_BYTES, decode_page, read_bytes
from .segment import LABELS
from .split import split

__all__ = ["clean_folder", "BatchSummary", "MANIFEST_NAME", "ERRORS_NAME", "iter_inputs", "write_atomic", "SegmentTable"]

MANIFEST_NAME = "classifier-manifest.jsonl"
ERRORS_NAME = "classifier-errors.csv"
#: Files handed to a worker at a time: large enough to batch the model's work, small enough that a
#: killed run loses little.
CHUNK_FILES = 32
_OWN_FILES = frozenset({MANIFEST_NAME, ERRORS_NAME})


@dataclass
class BatchSummary:
    """What a folder run did."""

    files: int = 0
    cleaned: int = 0
    skipped: int = 0
    failed: int = 0
    segments: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def iter_inputs(in_dir: Path, pattern: str = "*") -> Iterator[Path]:
    """Every file under ``in_dir`` matching ``pattern``, recursively, in sorted order.

    Hidden files and folders are passed over; symbolic links to folders are not followed, so a
    link loop cannot trap the walk.
    """
    for root, dirs, files in os.walk(in_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name in _OWN_FILES:
                continue
            p = Path(root) / name
            if p.match(pattern):
                yield p


# -- the work of one chunk, in a worker process or in this one -----------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(model_path: str | None, trusted: bool) -> None:
    from threadpoolctl import threadpool_limits

    # One thread per worker: the workers already use the cores, more threads would only contend.
    _WORKER["limits"] = threadpool_limits(1)
    _WORKER["model"] = load_model(model_path, trusted=trusted) if model_path else load_model()


@dataclass(frozen=True)
class _Task:
    out_dir: str
    files: list[tuple[str, str]]  # (input path, relative path)
    config: CleanConfig
    max_bytes: int
    want_segments: bool


def _run_chunk(task: _Task, model: SegmentModel | None = None) -> list[dict[str, Any]]:
    model = model or _WORKER["model"]
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    ok: list[dict[str, Any]] = []
    for src, rel in task.files:
        row: dict[str, Any] = {"rel": rel}
        try:
            st = os.stat(src)
            row.update(size=st.st_size, mtime=st.st_mtime_ns)
            data = read_bytes(src, max_bytes=task.max_bytes)
            row["sha256"] = hashlib.sha256(data).hexdigest()
            text = decode_page(data, rel)
        except InputError as exc:
            row["error"] = str(exc).removeprefix(f"{src}: ").removeprefix(f"{rel}: ")
            results.append(row)
            continue
        except OSError as exc:
            row["error"] = f"cannot read: {exc.strerror or exc}"
            results.append(row)
            continue
        texts.append(text)
        ok.append(row)
        results.append(row)
    if texts:
        try:
            labelled = label_split([split(t) for t in texts], model)
        except Exception as exc:  # keep the batch going; the row says what broke
            for row in ok:
                row["error"] = f"internal error while labelling: {type(exc).__name__}: {exc}"
            return results
        for row, text, segs in zip(ok, texts, labelled):
            try:
                write_atomic(Path(task.out_dir) / row["rel"], select(segs, task.config, text).encode("utf-8"))
            except OSError as exc:
                row["error"] = f"cannot write the output: {exc.strerror or exc}"
                continue
            row["labels"] = dict(Counter(s.label.value for s in segs))
            if task.want_segments:
                row["segments"] = [segment_row(i, s) for i, s in enumerate(segs)]
    return results


# -- the segment table ---------------------------------------------------------------------------

SEGMENT_COLUMNS = ["file", "index", "start", "end", "block", "part", "label"] + [f"p_{label.value}" for label in LABELS] + ["text"]


class SegmentTable:
    """Streams segment rows to ``.parquet``, ``.csv`` or ``.jsonl`` (by extension), atomically."""

    SUFFIXES = (".parquet", ".csv", ".jsonl")

    def __init__(self, path: Path) -> None:
        if path.suffix not in self.SUFFIXES:
            raise InputError(f"{path}: the segment table must end in {', '.join(self.SUFFIXES)}")
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        os.close(fd)
        self.tmp = Path(tmp)
        self._writer: Any = None
        self._fh: io.TextIOWrapper | None = None
        if path.suffix != ".parquet":
            self._fh = open(self.tmp, "w", encoding="utf-8", errors="backslashreplace", newline="")
            if path.suffix == ".csv":
                self._csv = csv.writer(self._fh)
                self._csv.writerow(SEGMENT_COLUMNS)

    def add(self, file: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.path.suffix == ".csv":
            self._csv.writerows((file, *r) for r in rows)
        elif self.path.suffix == ".jsonl":
            assert self._fh is not None
            for r in rows:
                self._fh.write(json.dumps(dict(zip(SEGMENT_COLUMNS, (file, *r))), ensure_ascii=False) + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            cols = list(zip(*((file, *r) for r in rows)))
            table = pa.table({name: list(col) for name, col in zip(SEGMENT_COLUMNS, cols)})
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.tmp, table.schema)
            self._writer.write_table(table.cast(self._writer.schema))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self.path.suffix == ".parquet":
            if self._writer is None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                schema = pa.schema([(c, pa.string() if c in ("file", "part", "label", "text") else pa.float64() if c.startswith("p_") else pa.int64()) for c in SEGMENT_COLUMNS])
                pq.write_table(schema.empty_table(), self.tmp)
            else:
                self._writer.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self._writer is not None:
            self._writer.close()
        self.tmp.unlink(missing_ok=True)


# -- the folder run ------------------------------------------------------------------------------


def _manifest_key(config: CleanConfig, model_sha: str) -> str:
    return json.dumps({"model": model_sha, "keep": sorted(k.value for k in config.keep), "comments": config.comments, "separator": config.separator}, sort_keys=True)


def _read_manifest(path: Path, key: str) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return done
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a killed run
            if row.get("key") == key:
                done[row["rel"]] = row
    return done


def clean_folder(
    in_dir: str | Path,
    out_dir: str | Path,
    *,
    config: CleanConfig | None = None,
    segments: str | Path | None = None,
    model_path: str | Path | None = None,
    trusted: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    force: bool = False,
    pattern: str = "*",
    progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Clean every file under ``in_dir`` into the same relative path under ``out_dir``.

    Returns a :class:`BatchSummary`; files that could not be cleaned are in its ``errors`` and in
    ``out_dir/classifier-errors.csv``. ``progress(done, total)`` is called as files finish.
    """
    t0 = time.perf_counter()
    config = config or CleanConfig()
    src, dst = Path(in_dir).resolve(), Path(out_dir).resolve()
    if not src.is_dir():
        raise InputError(f"{in_dir}: not a folder")
    if _inside(dst, src):
        raise InputError(f"{out_dir}: the output folder must not be the input folder or inside it (nothing is ever written inside {in_dir})")
    if _inside(src, dst):
        raise InputError(f"{out_dir}: the output folder must not contain the input folder")
    model = load_model(model_path, trusted=trusted) if model_path else load_model()
    model_file = Path(model_path) if model_path else default_model_path()
    key = _manifest_key(config, file_sha256(model_file))
    dst.mkdir(parents=True, exist_ok=True)
    manifest_path = dst / MANIFEST_NAME
    done = {} if force else _read_manifest(manifest_path, key)

    summary = BatchSummary()
    todo: list[tuple[str, str]] = []
    for p in iter_inputs(src, pattern):
        rel = str(p.relative_to(src))
        summary.files += 1
        prev = done.get(rel)
        if prev is not None and (dst / rel).is_file():
            try:
                st = p.stat()
            except OSError:
                st = None
            if st is not None and prev.get("size") == st.st_size and prev.get("mtime") == st.st_mtime_ns:
                summary.skipped += 1
                continue
        todo.append((str(p), rel))
    if summary.files == 0:
        raise InputError(f"{in_dir}: no files to clean (pattern {pattern!r})")

    table = SegmentTable(Path(segments)) if segments else None
    jobs = max(1, jobs or os.cpu_count() or 1)
    tasks = [_Task(str(dst), todo[i : i + CHUNK_FILES], config, max_bytes, table is not None) for i in range(0, len(todo), CHUNK_FILES)]
    finished = summary.skipped
    if progress:
        progress(finished, summary.files)
    try:
        with open(manifest_path, "a", encoding="utf-8", errors="backslashreplace") as manifest:
            if jobs == 1 or len(tasks) <= 1:
                results: Iterator[list[dict[str, Any]]] = (_run_chunk(t, model) for t in tasks)
                pool = None
            else:
                # forkserver, not fork: a forked child of a process whose OpenMP pool (used by the
                # model's trees) is running can deadlock.
                pool = ProcessPoolExecutor(
                    max_workers=min(jobs, len(tasks)),
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=_init_worker,
                    initargs=(str(model_path) if model_path else None, trusted),
                )
                results = pool.map(_run_chunk, tasks)
            try:
                for chunk in results:
                    for row in chunk:
                        if "error" in row:
                            summary.failed += 1
                            summary.errors.append((row["rel"], row["error"]))
                        else:
                            summary.cleaned += 1
                            summary.segments.update(row.get("labels", {}))
                            if table is not None:
                                table.add(row["rel"], row.get("segments", []))
                            manifest.write(json.dumps({"rel": row["rel"], "size": row["size"], "mtime": row["mtime"], "sha256": row["sha256"], "key": key}) + "\n")
                    manifest.flush()
                    finished += len(chunk)
                    if progress:
                        progress(finished, summary.files)
            finally:
                if pool is not None:
                    pool.shutdown(cancel_futures=True)
    except BaseException:
        if table is not None:
            table.abort()
        raise
    if table is not None:
        table.close()
    errors_path = dst / ERRORS_NAME
    if summary.errors:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["file", "error"])
        w.writerows(summary.errors)
        write_atomic(errors_path, buf.getvalue().encode("utf-8", "backslashreplace"))
    elif errors_path.exists():
        errors_path.unlink()
    summary.seconds = time.perf_counter() - t0
    return summary


def label_counts_line(summary: BatchSummary) -> str:
    return ", ".join(f"{summary.segments.get(label.value, 0):,} {label.value}" for label in LABELS)

