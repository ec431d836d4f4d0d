"""Cleaning whole folders: in parallel, resumable, atomic, and never stopped by one bad file.

``clean_folder(IN, OUT)`` writes the cleaned text of every file under ``IN`` to the same relative
path under ``OUT``. Each output is written to a temporary file and renamed into place; nothing is
written inside ``IN``. A manifest in ``OUT`` records each finished input (size, mtime, sha256)
with the model's sha256 and the options, so a rerun skips what is already done and a killed run
loses only the pages in flight. Files that cannot be cleaned become rows of an errors file in
``OUT``; the run goes on.

The chunks of files run in local worker processes, or, given a ``dask.distributed`` client, on
its cluster with ``IN`` and ``OUT`` as fsspec URLs (:mod:`classifier.cluster`). Both engines
share this module's work: listing and resume, the work of one chunk, the manifest, the errors
file and the segment table; what differs is where the files are (a :class:`_LocalStore` here, an
fsspec store there) and who runs the chunks.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from threading import Lock
from typing import Any, Protocol

from .clean import CleanConfig, label_split, segment_row, select
from .errors import ClassifierError, InputError
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
#: Chunks submitted ahead per local worker process.
LOCAL_CHUNKS_IN_FLIGHT = 4
#: With several workers, the run's last files go in chunks this many times smaller, so that the
#: workers finish at about the same time instead of one cleaning a whole last chunk alone.
TAIL_SPLIT = 4
_OWN_FILES = frozenset({MANIFEST_NAME, ERRORS_NAME})
#: The name of an output's temporary file (see write_atomic): eight random characters.
_TEMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\.part")


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


def _create_temp(folder: Path | str | None, suffix: str) -> tuple[int, str]:
    """A new empty file ``.tmp-<8 random characters><suffix>`` in ``folder`` (None: the system's
    temporary folder), open for writing.

    As :func:`tempfile.mkstemp` makes one, but with the permissions any new file of the user
    gets (0666 less the umask) instead of 0600: renamed into place, an output must read like
    the other files of its folder, not be readable by its owner alone.
    """
    folder = tempfile.gettempdir() if folder is None else folder
    for _ in range(100):
        tmp = os.path.join(folder, f".tmp-{os.urandom(4).hex()}{suffix}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free name for a temporary file")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path.parent, ".part")
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


def _claim_output(dst: Path) -> int | None:
    """Hold ``dst`` for this run and clear what a killed run left in it.

    The folder is locked (``flock`` on the folder itself) for as long as the returned descriptor
    stays open, so a second run into the same folder at the same time is refused instead of
    interleaving with this one. Holding it, the temporary files of outputs whose worker was killed
    mid-write are removed: no run can still be writing them. Where ``fcntl`` is missing (not
    POSIX) there is no lock and leftovers stay.
    """
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(dst, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise InputError(f"{dst}: another classifier run is writing to this folder; let it finish, then run again") from None
    for folder, _dirs, files in os.walk(dst):
        for name in files:
            if _TEMP_NAME.fullmatch(name):
                try:
                    os.remove(os.path.join(folder, name))
                except OSError:
                    pass
    return fd


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def _check_apart(in_dir: object, out_dir: object, out_in_in: bool, in_in_out: bool) -> None:
    """Refuse an output folder that is the input folder, inside it, or around it."""
    if out_in_in:
        raise InputError(f"{out_dir}: the output folder must not be the input folder or inside it (nothing is ever written inside {in_dir})")
    if in_in_out:
        raise InputError(f"{out_dir}: the output folder must not contain the input folder")


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


# -- where the files are -------------------------------------------------------------------------


class Store(Protocol):
    """Where a run's files are: the local disk (:class:`_LocalStore`) or an fsspec filesystem.

    Paths are the store's own strings; ``rel`` is a file's path relative to its folder.
    """

    def join(self, root: str, rel: str) -> str: ...

    def inputs(self, root: str, pattern: str) -> Iterator[tuple[str, str, tuple[int, int | None] | None]]:
        """(path, rel, (size, mtime) if the listing already knows them) for every input under ``root``."""
        ...

    def stat(self, path: str) -> tuple[int, int | None]:
        """Size and modification time in nanoseconds (None where the store does not keep one)."""
        ...

    def read(self, path: str, max_bytes: int) -> bytes: ...

    def write(self, path: str, data: bytes) -> None:
        """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one, never a part."""
        ...

    def is_file(self, path: str) -> bool: ...

    def outputs(self, root: str) -> Any:
        """Something that answers ``rel in it`` for the files already under ``root``."""
        ...

    def makedirs(self, path: str) -> None: ...

    def open_text(self, path: str, mode: str) -> Any:
        """A text file: ``"r"`` to read, ``"a"`` to append lines flushed as they come."""
        ...

    def remove(self, path: str) -> None: ...

    def temp_dir(self, path: str) -> str | None:
        """A local folder for the temporary file of a table to be published at ``path``."""
        ...

    def publish(self, local_file: str, path: str) -> None:
        """Move a finished local file to ``path``, atomically."""
        ...


class _ExistingFiles:
    """``rel in outputs`` for a store that answers one file at a time."""

    def __init__(self, store: Store, root: str) -> None:
        self.store, self.root = store, root

    def __contains__(self, rel: object) -> bool:
        return isinstance(rel, str) and self.store.is_file(self.store.join(self.root, rel))


class _LocalStore:
    """The local disk: what the local engine reads and writes."""

    def join(self, root: str, rel: str) -> str:
        return os.path.join(root, rel)

    def inputs(self, root: str, pattern: str) -> Iterator[tuple[str, str, None]]:
        for p in iter_inputs(Path(root), pattern):
            yield str(p), str(p.relative_to(root)), None

    def stat(self, path: str) -> tuple[int, int]:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns

    def read(self, path: str, max_bytes: int) -> bytes:
        return read_bytes(path, max_bytes=max_bytes)

    def write(self, path: str, data: bytes) -> None:
        write_atomic(Path(path), data)

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)

    def outputs(self, root: str) -> _ExistingFiles:
        return _ExistingFiles(self, root)

    def makedirs(self, path: str) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def open_text(self, path: str, mode: str) -> Any:
        return open(path, mode, encoding="utf-8", errors="replace" if mode == "r" else "backslashreplace")

    def remove(self, path: str) -> None:
        if os.path.exists(path):
            os.unlink(path)

    def temp_dir(self, path: str) -> str:
        folder = Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)

    def publish(self, local_file: str, path: str) -> None:
        os.replace(local_file, path)


_LOCAL = _LocalStore()


# -- the work of one chunk, in a worker process or in this one -----------------------------------

_WORKER: dict[str, Any] = {}
_WORKER_LOCK = Lock()


def _worker_model(model_path: str | None, trusted: bool) -> SegmentModel:
    """The model of this worker process, loaded once (load_model keeps it)."""
    with _WORKER_LOCK:
        _WORKER["model"] = load_model(model_path, trusted=trusted) if model_path else load_model()
        return _WORKER["model"]


def _init_worker(model_path: str | None, trusted: bool) -> None:
    _worker_model(model_path, trusted)


@dataclass(frozen=True)
class _Task:
    out_dir: str
    files: list[tuple[str, str]]  # (input path, relative path)
    config: CleanConfig
    max_bytes: int
    want_segments: bool
    stores: tuple[Store, Store] | None = None  # where the inputs and the outputs are; None: the local disk


def _run_chunk(task: _Task, model: SegmentModel | None = None) -> list[dict[str, Any]]:
    model = model or _WORKER["model"]
    reader, writer = task.stores or (_LOCAL, _LOCAL)
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    ok: list[dict[str, Any]] = []
    for src, rel in task.files:
        row: dict[str, Any] = {"rel": rel}
        try:
            row["size"], row["mtime"] = reader.stat(src)
            data = reader.read(src, task.max_bytes)
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
                writer.write(writer.join(task.out_dir, row["rel"]), select(segs, task.config, text).encode("utf-8"))
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
    """Streams segment rows to ``.parquet``, ``.csv`` or ``.jsonl`` (by extension), atomically.

    The rows go to a temporary file, which ``close`` moves into place: beside ``path`` on the
    local disk, or, with ``store`` (an fsspec store, :mod:`classifier.cluster`), a local
    temporary file that is then published to the store.
    """

    SUFFIXES = (".parquet", ".csv", ".jsonl")

    def __init__(self, path: Path | str, store: Store | None = None) -> None:
        self.suffix = Path(path).suffix if store is None else PurePosixPath(str(path)).suffix
        if self.suffix not in self.SUFFIXES:
            raise InputError(f"{path}: the segment table must end in {', '.join(self.SUFFIXES)}")
        self.path = path
        self._store = store or _LOCAL
        fd, tmp = _create_temp(self._store.temp_dir(str(path)), self.suffix)
        os.close(fd)
        self.tmp = Path(tmp)
        self._writer: Any = None
        self._fh: io.TextIOWrapper | None = None
        if self.suffix != ".parquet":
            self._fh = open(self.tmp, "w", encoding="utf-8", errors="backslashreplace", newline="")
            if self.suffix == ".csv":
                self._csv = csv.writer(self._fh)
                self._csv.writerow(SEGMENT_COLUMNS)

    def add(self, file: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.suffix == ".csv":
            self._csv.writerows((file, *r) for r in rows)
        elif self.suffix == ".jsonl":
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
        if self.suffix == ".parquet":
            if self._writer is None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                schema = pa.schema([(c, pa.string() if c in ("file", "part", "label", "text") else pa.float64() if c.startswith("p_") else pa.int64()) for c in SEGMENT_COLUMNS])
                pq.write_table(schema.empty_table(), self.tmp)
            else:
                self._writer.close()
        try:
            self._store.publish(str(self.tmp), str(self.path))
        finally:
            self.tmp.unlink(missing_ok=True)

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self._writer is not None:
            self._writer.close()
        self.tmp.unlink(missing_ok=True)


# -- the folder run ------------------------------------------------------------------------------


def _manifest_key(config: CleanConfig, model_sha: str) -> str:
    return json.dumps({"model": model_sha, "keep": sorted(k.value for k in config.keep), "comments": config.comments, "separator": config.separator, "repeats": config.repeats}, sort_keys=True)


def _read_manifest(store: Store, path: str, key: str) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    if not store.is_file(path):
        return done
    with store.open_text(path, "r") as fh:
        for line in fh:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a killed run
            if row.get("key") == key:
                done[row["rel"]] = row
    return done


def _todo(reader: Store, writer: Store, src: str, dst: str, pattern: str, done: dict[str, dict[str, Any]], summary: BatchSummary) -> list[tuple[str, str]]:
    """The inputs to clean: all of them but those the manifest says are done and unchanged."""
    outputs = writer.outputs(dst) if done else ()
    todo: list[tuple[str, str]] = []
    for path, rel, known in reader.inputs(src, pattern):
        summary.files += 1
        prev = done.get(rel)
        if prev is not None and rel in outputs:
            try:
                now: tuple[int, int | None] | None = known or reader.stat(path)
            except OSError:
                now = None
            if now is not None and now[1] is not None and prev.get("size") == now[0] and prev.get("mtime") == now[1]:
                summary.skipped += 1
                continue
        todo.append((path, rel))
    return todo


def _chunked(todo: list[tuple[str, str]], size: int, split_tail: bool) -> list[list[tuple[str, str]]]:
    """The files in chunks of ``size``, in order. With ``split_tail`` (several workers) and more
    than two chunks' worth of files, the last ``2 * size`` files go in chunks :data:`TAIL_SPLIT`
    times smaller."""
    tail = 2 * size if split_tail and len(todo) > 2 * size else 0
    head = len(todo) - tail
    small = max(1, size // TAIL_SPLIT)
    return [todo[i : min(i + size, head)] for i in range(0, head, size)] + [todo[i : i + small] for i in range(head, len(todo), small)]


#: What an engine yields as each chunk finishes: the chunk's index among the run's chunks, and its rows.
Chunks = Generator[tuple[int, list[dict[str, Any]]], None, None]


def _collect(
    results: Chunks,
    summary: BatchSummary,
    manifest: Any,
    key: str,
    table: SegmentTable | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Take in each finished chunk (its index among the chunks, its rows): summary, manifest, table, progress.

    Chunks may finish in any order; the failures are listed in the order of the inputs all the same.
    """
    failures: list[tuple[int, int, str, str]] = []
    finished = summary.skipped
    for index, chunk in results:
        for position, row in enumerate(chunk):
            if "error" in row:
                summary.failed += 1
                failures.append((index, position, row["rel"], row["error"]))
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
    summary.errors.extend((rel, error) for _, _, rel, error in sorted(failures))


def _local_chunks(tasks: list[_Task], model: SegmentModel, model_path: str | Path | None, trusted: bool, jobs: int) -> Chunks:
    """Run the chunks in this process (one job) or in a pool of local worker processes, in order.

    A worker process that dies (killed for memory, a crash in a library) breaks the pool and every
    chunk in flight with it. Those chunks are then run again file by file in a worker of their own,
    so that a file that kills its worker again becomes an error row and the others are cleaned;
    the rest of the run goes on in a new pool.
    """
    if jobs == 1 or len(tasks) <= 1:
        yield from enumerate(_run_chunk(t, model) for t in tasks)
        return
    following = iter(enumerate(tasks))
    while True:
        pool = _local_pool(min(jobs, len(tasks)), model_path, trusted)
        # A few chunks in flight per worker, submitted as earlier ones finish: the futures of a
        # run of a million files would otherwise all sit in this process's memory at once.
        pending: deque[tuple[int, _Task, Future[list[dict[str, Any]]]]] = deque()
        try:
            for index, task in itertools.islice(following, jobs * LOCAL_CHUNKS_IN_FLIGHT):
                pending.append((index, task, _submit(pool, task)))
            while pending:
                try:
                    rows = pending[0][2].result()
                except BrokenProcessPool:
                    break
                index = pending.popleft()[0]
                for more, task in itertools.islice(following, 1):
                    pending.append((more, task, _submit(pool, task)))
                yield index, rows
        finally:
            pool.shutdown(cancel_futures=True)
        if not pending:
            return
        alone = _OneByOne(model_path, trusted)
        try:
            for index, task, future in pending:
                finished = future.done() and not future.cancelled() and future.exception() is None
                yield index, future.result() if finished else alone.run(task)
        finally:
            alone.close()


def _submit(pool: ProcessPoolExecutor, task: _Task) -> Future[list[dict[str, Any]]]:
    """The chunk submitted to the pool; on a pool already broken, a future that says so."""
    try:
        return pool.submit(_run_chunk, task)
    except BrokenProcessPool as exc:
        broken: Future[list[dict[str, Any]]] = Future()
        broken.set_exception(exc)
        return broken


@functools.cache
def _forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server told to import this package before it forks workers.

    Each worker then starts with NumPy and the package already imported, instead of importing
    them itself (about 0.3 s of CPU a worker). The modules a caller asked to preload stay in the
    list. It takes effect only if the server is not yet running (hence once, cached).
    """
    ctx = multiprocessing.get_context("forkserver")
    from multiprocessing import forkserver

    preload = list(getattr(forkserver._forkserver, "_preload_modules", None) or ["__main__"])
    if __name__ not in preload:
        ctx.set_forkserver_preload(preload + [__name__])
    return ctx


def _local_pool(workers: int, model_path: str | Path | None, trusted: bool) -> ProcessPoolExecutor:
    # forkserver, not fork: a forked child of a process that runs other threads (a caller's, a
    # progress display's) can deadlock on a lock one of them held.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_forkserver(),
        initializer=_init_worker,
        initargs=(str(model_path) if model_path else None, trusted),
    )


#: The error of a file whose worker process died while cleaning it: in the pool, then again alone.
WORKER_DIED = "the worker process died while cleaning this file (out of memory, or a crash); the run went on without it"
#: Files in a row whose worker died, each alone, that end the run: then it is not the files.
WORKER_DEATHS_TO_STOP = 3


class _OneByOne:
    """Runs chunks file by file in a worker process of their own, replaced when a file kills it.

    Raises ClassifierError when the workers die on :data:`WORKER_DEATHS_TO_STOP` files in a row
    (a worker that cannot start, a machine out of memory): the run stops rather than fail every
    file; the manifest keeps what finished, so a rerun resumes.
    """

    def __init__(self, model_path: str | Path | None, trusted: bool) -> None:
        self.model_path, self.trusted = model_path, trusted
        self.pool: ProcessPoolExecutor | None = None
        self.deaths = 0

    def run(self, task: _Task) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for file in task.files:
            if self.pool is None:
                self.pool = _local_pool(1, self.model_path, self.trusted)
            try:
                rows.extend(self.pool.submit(_run_chunk, replace(task, files=[file])).result())
                self.deaths = 0
            except BrokenProcessPool as exc:
                self.close()
                self.deaths += 1
                if self.deaths == WORKER_DEATHS_TO_STOP:
                    raise ClassifierError(
                        f"worker processes died on {self.deaths} files in a row, each cleaned alone (last: {file[1]}); stopping. "
                        "Files finished so far are kept: run the same command again to go on."
                    ) from exc
                rows.append({"rel": file[1], "error": WORKER_DIED})
        return rows

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


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
    client: Any = None,
) -> BatchSummary:
    """Clean every file under ``in_dir`` into the same relative path under ``out_dir``.

    Returns a :class:`BatchSummary`; files that could not be cleaned are in its ``errors`` and in
    ``out_dir/classifier-errors.csv``. ``progress(done, total)`` is called as files finish.

    With ``client``, a ``dask.distributed.Client``, the chunks of files run on its cluster instead
    of in ``jobs`` local processes, and ``in_dir``, ``out_dir`` and ``segments`` may be fsspec
    URLs such as ``s3://bucket/pages`` (see :mod:`classifier.cluster`); the outputs, manifest,
    errors file and segment table are the same as the local run's.
    """
    t0 = time.perf_counter()
    config = config or CleanConfig()
    reader: Store
    writer: Store
    if client is None:
        src_path, dst_path = Path(in_dir).resolve(), Path(out_dir).resolve()
        if not src_path.is_dir():
            raise InputError(f"{in_dir}: not a folder")
        _check_apart(in_dir, out_dir, _inside(dst_path, src_path), _inside(src_path, dst_path))
        reader = writer = _LOCAL
        src, dst = str(src_path), str(dst_path)
        held = True
    else:
        from .cluster import fsspec_folders

        reader, writer, src, dst = fsspec_folders(in_dir, out_dir)
        held = writer.local  # a folder on this machine is held as the local engine holds it; an object store has no lock
    model = load_model(model_path, trusted=trusted) if model_path else load_model()
    model_file = Path(model_path) if model_path else default_model_path()
    model_sha = file_sha256(model_file)
    key = _manifest_key(config, model_sha)
    writer.makedirs(dst)
    claim = _claim_output(Path(dst)) if held else None
    try:
        manifest_path = writer.join(dst, MANIFEST_NAME)
        done = {} if force else _read_manifest(writer, manifest_path, key)

        summary = BatchSummary()
        todo = _todo(reader, writer, src, dst, pattern, done, summary)
        if summary.files == 0:
            raise InputError(f"{in_dir}: no files to clean (pattern {pattern!r})")

        table: SegmentTable | None = None
        if segments and client is None:
            table = SegmentTable(Path(segments))
        elif segments:
            from .cluster import fsspec_segment_table

            table = fsspec_segment_table(segments)
        stores = None if client is None else (reader, writer)
        split_tail = client is not None or (jobs or os.cpu_count() or 1) > 1
        tasks = [_Task(dst, files, config, max_bytes, table is not None, stores) for files in _chunked(todo, CHUNK_FILES, split_tail)]
        if progress:
            progress(summary.skipped, summary.files)
        try:
            with writer.open_text(manifest_path, "a") as manifest:
                chunks: Chunks
                if client is None:
                    chunks = _local_chunks(tasks, model, model_path, trusted, max(1, jobs or os.cpu_count() or 1))
                else:
                    from .cluster import cluster_chunks

                    chunks = cluster_chunks(client, tasks, model_path, trusted, model_sha)
                try:
                    _collect(chunks, summary, manifest, key, table, progress)
                finally:
                    chunks.close()
        except BaseException:
            if table is not None:
                table.abort()
            raise
        if table is not None:
            table.close()
        errors_path = writer.join(dst, ERRORS_NAME)
        if summary.errors:
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["file", "error"])
            w.writerows(summary.errors)
            writer.write(errors_path, buf.getvalue().encode("utf-8", "backslashreplace"))
        else:
            writer.remove(errors_path)
        summary.seconds = time.perf_counter() - t0
        return summary
    finally:
        if claim is not None:
            os.close(claim)


def label_counts_line(summary: BatchSummary) -> str:
    return ", ".join(f"{summary.segments.get(label.value, 0):,} {label.value}" for label in LABELS)

