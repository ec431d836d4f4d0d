"""Cleaning folders on a dask.distributed cluster, reading and writing through fsspec.

``clean_folder(IN, OUT, client=client)`` and ``classifier clean --engine dask`` run the local
engine's job on a cluster. The client lists the inputs and works out what a rerun can skip; each
worker reads, labels and writes its own chunk of files, so no page passes through the client,
and sends back the same rows as a local worker; the client keeps the manifest, the errors file and
the segment table exactly as the local engine does, so both engines leave the same ``OUT``.

``IN``, ``OUT`` and the segment table may be local paths or fsspec URLs (``file://…``,
``s3://bucket/pages`` with s3fs installed, …); on a cluster of several machines they must be
places every worker can reach. Each worker process loads the model itself, once, from its own
installation (or from the model path given), and checks it is the client's model by its sha256. dask and fsspec are optional:
``pip install 'scrape-comment-classifier[dask]'``.
"""

from __future__ import annotations

import io
import itertools
import os
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .batch import _LOCAL, _OWN_FILES, Chunks, SegmentTable, _check_apart, _inside, _run_chunk, _Task, _worker_model
from .errors import DependencyError, InputError, ModelError
from .model import default_model_path, file_sha256
from .reading import read_bytes

__all__ = ["require_dask", "open_client", "fsspec_folders", "fsspec_segment_table", "cluster_chunks", "FsspecStore"]

INSTALL_HINT = "pip install 'scrape-comment-classifier[dask]'"
#: Chunks in flight per worker thread: enough that no worker waits for the client, few enough that
#: a run of a million files never holds more than a handful of futures.
CHUNKS_PER_THREAD = 3
#: On an object store the manifest cannot be appended to; it is put whole at most this often.
MANIFEST_PUT_SECONDS = 30.0
#: Filesystems where one put of a whole object is atomic and a rename is a copy.
_OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss", "oci", "r2"})


def require_dask() -> None:
    """Raise :class:`~classifier.errors.DependencyError` unless dask.distributed and fsspec are installed."""
    try:
        import distributed  # noqa: F401
        import fsspec  # noqa: F401
    except ImportError as exc:
        raise DependencyError(f"the dask engine needs dask.distributed and fsspec ({exc.name} is missing): {INSTALL_HINT}") from None


@contextmanager
def open_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``dask.distributed.Client`` of the scheduler at ``scheduler`` (``tcp://host:8786``).

    Without ``scheduler``, a ``LocalCluster`` of ``workers`` single-threaded worker processes (one
    per core by default) is started for the run and closed after it.
    """
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler)
        except (OSError, ValueError) as exc:  # unreachable, or not an address
            raise InputError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    n = max(1, workers or os.cpu_count() or 1)
    with warnings.catch_warnings():
        # Without a dashboard the scheduler still serves its health checks, on another port if 8787 is taken.
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        yield client


# -- fsspec as a store ----------------------------------------------------------------------------


def _mtime_ns(info: dict[str, Any]) -> int | None:
    """The modification time in an fsspec listing entry, in nanoseconds, whatever the backend calls it."""
    for name in ("mtime", "LastModified", "last_modified", "updated", "modified"):
        value = info.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, datetime):
            return round(value.timestamp() * 1_000_000) * 1000
        if isinstance(value, (int, float)):
            return round(value * 1_000_000) * 1000
    return None


def _walk_key(rel: str) -> tuple[tuple[int, str], ...]:
    """Sorts relative paths as :func:`~classifier.batch.iter_inputs` walks: a folder's files, then its subfolders."""
    parts = rel.split("/")
    return tuple((1, d) for d in parts[:-1]) + ((0, parts[-1]),)


class FsspecStore:
    """A :class:`~classifier.batch.Store` over an fsspec filesystem; it travels to the workers with each chunk.

    On the local filesystem the inputs are listed as the local engine lists them (fsspec's own
    walk would follow links to folders, and a link loop with them) and times come from ``os.stat``
    in nanoseconds, so a run with either engine can resume the other's.
    """

    def __init__(self, fs: Any) -> None:
        self.fs = fs
        protocols = fs.protocol if isinstance(fs.protocol, (tuple, list)) else (fs.protocol,)
        self.local = "file" in protocols
        self.object_store = bool(_OBJECT_STORES.intersection(protocols))

    def join(self, root: str, rel: str) -> str:
        return os.path.join(root, rel) if self.local else f"{root.rstrip('/')}/{rel}"

    def inputs(self, root: str, pattern: str) -> Iterator[tuple[str, str, tuple[int, int | None] | None]]:
        if self.local:
            yield from _LOCAL.inputs(root, pattern)
            return
        prefix = root.rstrip("/") + "/"
        found = []
        for path, info in self.fs.find(root, detail=True, withdirs=False).items():
            rel = path[len(prefix) :] if path.startswith(prefix) else PurePosixPath(path).name
            parts = rel.split("/")
            if any(p.startswith(".") for p in parts) or parts[-1] in _OWN_FILES or not PurePosixPath(path).match(pattern):
                continue
            found.append((path, rel, (info.get("size"), _mtime_ns(info))))
        found.sort(key=lambda f: _walk_key(f[1]))
        yield from found

    def stat(self, path: str) -> tuple[int, int | None]:
        if self.local:
            return _LOCAL.stat(path)
        info = self.fs.info(path)
        return info["size"], _mtime_ns(info)

    def read(self, path: str, max_bytes: int) -> bytes:
        return read_bytes(path, max_bytes=max_bytes, fs=self.fs)

    def _parent(self, path: str) -> str:
        return os.path.dirname(path) if self.local else path.rstrip("/").rsplit("/", 1)[0]

    def _put(self, path: str, put: Any) -> None:
        """Write through ``put(target)``: straight to ``path`` on an object store, where a single put is
        already atomic (readers see the old object or the new one); elsewhere to a temporary name in
        the same folder, then a rename into place."""
        if self.object_store:
            put(path)
            return
        folder = self._parent(path)
        self.fs.makedirs(folder, exist_ok=True)
        tmp = self.join(folder, f".tmp-{uuid.uuid4().hex}.part")
        try:
            put(tmp)
            self.fs.mv(tmp, path)
        except BaseException:
            try:
                self.fs.rm(tmp)
            except (OSError, ValueError):
                pass
            raise

    def write(self, path: str, data: bytes) -> None:
        self._put(path, lambda target: self.fs.pipe_file(target, data))

    def publish(self, local_file: str, path: str) -> None:
        self._put(path, lambda target: self.fs.put_file(local_file, target))

    def temp_dir(self, path: str) -> str | None:
        return None  # a local temporary file, published to the store when the table is complete

    def is_file(self, path: str) -> bool:
        return bool(self.fs.isfile(path))

    def outputs(self, root: str) -> Any:
        if self.local:
            return _LOCAL.outputs(root)
        prefix = root.rstrip("/") + "/"
        return {p[len(prefix) :] for p in self.fs.find(root) if p.startswith(prefix)}

    def makedirs(self, path: str) -> None:
        self.fs.makedirs(path, exist_ok=True)

    def open_text(self, path: str, mode: str) -> Any:
        if mode == "a" and self.object_store:
            return _WholeText(self, path)
        return self.fs.open(path, mode, encoding="utf-8", errors="replace" if mode == "r" else "backslashreplace")

    def remove(self, path: str) -> None:
        if self.fs.exists(path):
            self.fs.rm(path)


class _WholeText:
    """A text file to append to on an object store, which cannot append: kept in memory and put whole,
    at most every :data:`MANIFEST_PUT_SECONDS` and when closed, so a killed client loses little."""

    def __init__(self, store: FsspecStore, path: str) -> None:
        self.store, self.path = store, path
        self.buf = io.StringIO()
        if store.fs.exists(path):
            self.buf.write(store.fs.cat_file(path).decode("utf-8", "replace"))
        self.last = time.monotonic()

    def write(self, text: str) -> int:
        return self.buf.write(text)

    def flush(self) -> None:
        if time.monotonic() - self.last >= MANIFEST_PUT_SECONDS:
            self.close()

    def close(self) -> None:
        self.store.write(self.path, self.buf.getvalue().encode("utf-8", "backslashreplace"))
        self.last = time.monotonic()

    def __enter__(self) -> _WholeText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _url_to_store(url: str | Path) -> tuple[FsspecStore, str]:
    require_dask()
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(str(url))
    store = FsspecStore(fs)
    if store.local:
        path = str(Path(path).resolve())
    return store, path


def fsspec_folders(in_dir: str | Path, out_dir: str | Path) -> tuple[FsspecStore, FsspecStore, str, str]:
    """The stores and paths of a run's input and output folders, checked as the local engine checks them."""
    reader, src = _url_to_store(in_dir)
    writer, dst = _url_to_store(out_dir)
    if not reader.fs.isdir(src):
        raise InputError(f"{in_dir}: not a folder")
    if reader.local and writer.local:
        _check_apart(in_dir, out_dir, _inside(Path(dst), Path(src)), _inside(Path(src), Path(dst)))
    elif type(reader.fs) is type(writer.fs):
        a, b = src.rstrip("/") + "/", dst.rstrip("/") + "/"
        _check_apart(in_dir, out_dir, b.startswith(a), a.startswith(b))
    return reader, writer, src, dst


def fsspec_segment_table(segments: str | Path) -> SegmentTable:
    """A :class:`~classifier.batch.SegmentTable` at a local path or an fsspec URL."""
    store, path = _url_to_store(segments)
    return SegmentTable(Path(path)) if store.local else SegmentTable(path, store)


# -- the chunks on the cluster -------------------------------------------------------------------

_MODEL_SHA: dict[tuple[str | None, bool], str] = {}


def _clean_chunk(task: _Task, model_path: str | None, trusted: bool, model_sha: str) -> list[dict[str, Any]]:
    """On a worker: clean one chunk with this process's model, after checking it is the client's."""
    model = _worker_model(model_path, trusted)
    key = (model_path, trusted)
    if key not in _MODEL_SHA:
        _MODEL_SHA[key] = file_sha256(Path(model_path) if model_path else default_model_path())
    if _MODEL_SHA[key] != model_sha:
        raise ModelError(
            f"this worker's model (sha256 {_MODEL_SHA[key][:12]}…) is not the client's ({model_sha[:12]}…): install the same classifier and model on every worker"
        )
    return _run_chunk(task, model)


def cluster_chunks(client: Any, tasks: list[_Task], model_path: str | Path | None, trusted: bool, model_sha: str) -> Chunks:
    """Run the chunks on the client's cluster, a few per worker thread at a time; yield (index, rows) as they finish.

    A chunk whose task failed (its worker died, the model could not be loaded) comes back as one
    error row per file, and the run goes on.
    """
    from distributed import as_completed

    path = str(Path(model_path).resolve()) if model_path else None  # the workers' own path to the same file
    window = CHUNKS_PER_THREAD * max(1, sum(client.nthreads().values()))
    run = uuid.uuid4().hex[:12]
    queue = iter(enumerate(tasks))
    running: dict[Any, tuple[int, _Task]] = {}
    finished = as_completed()

    def submit(n: int) -> None:
        for index, task in itertools.islice(queue, n):
            future = client.submit(_clean_chunk, task, path, trusted, model_sha, key=f"classifier-chunk-{run}-{index}", pure=False)
            running[future] = (index, task)
            finished.add(future)

    submit(window)
    try:
        for future in finished:
            index, task = running.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # the chunk's worker died or its task raised: its files fail, the run goes on
                rows = [{"rel": rel, "error": f"the worker cleaning this file failed: {type(exc).__name__}: {exc}"} for _, rel in task.files]
            finally:
                future.release()
            submit(1)
            yield index, rows
    finally:
        if running:
            client.cancel(list(running))
