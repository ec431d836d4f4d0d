"""The dask engine: a real LocalCluster of two worker processes must leave the same OUT as the local engine."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install '.[dask]'): the dask engine is not tested")
pytest.importorskip("fsspec", reason="fsspec is not installed (pip install '.[dask]'): the dask engine is not tested")

from classifier import InputError, clean_folder, label_frame, label_frame_meta, label_partition  # noqa: E402
from classifier import batch as batch_module  # noqa: E402
from classifier.batch import ERRORS_NAME, MANIFEST_NAME, _Task  # noqa: E402
from classifier.clean import CleanConfig  # noqa: E402
from classifier.cli import app  # noqa: E402
from classifier.errors import DependencyError  # noqa: E402

runner = CliRunner()
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

PAGE = (
    "News | Local | Weather | Sport\n"
    "Town library reopens after flood repairs\n"
    "The central library reopened on Monday after eight months of repairs to its flooded basement, the council said.\n"
    "Workers replaced the heating system and moved the local history archive to the first floor, according to the head librarian.\n"
    "The building will open until 8 pm on weekdays, two hours later than before the flood.\n"
    "Follow us on Twitter\n"
    "3 comments\n"
    "bookworm42\n"
    "5 hours ago\n"
    "About time. We waited far too long for this and nobody at the council ever explained the delay.\n"
    "Reply\n"
)
OPINION = (
    "Menu | Opinion | Columnists\n"
    "The council's plan for the harbour is a mistake, and residents deserve better than another delay.\n"
    "I think the money would be far better spent on the schools, which have waited a decade for repairs.\n"
    "We should not accept excuses any longer; the pier was neglected for years.\n"
    "Subscribe to our newsletter\n"
)


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture
def client(cluster):
    from distributed import Client

    with Client(cluster) as c:
        yield c


@pytest.fixture
def pages(tmp_path, monkeypatch) -> Path:
    """Good pages (the shared examples where present), one in a subfolder, a binary file and an empty one."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    examples = sorted((SHARED / "examples").glob("*")) if (SHARED / "examples").is_dir() else []
    for p in examples:
        shutil.copy(p, src / p.name)
    for i in range(8):
        (src / f"page-{i}.txt").write_text(PAGE.replace("Monday", f"day {i}") if i % 2 else OPINION.replace("decade", f"{i + 2} years"), encoding="utf-8")
    (src / "sub" / "deep.txt").write_text(PAGE.replace("Monday", "Tuesday"), encoding="utf-8")
    (src / "cp1251.txt").write_bytes("Министерство финансов сообщило во вторник о новых правилах для банков, заявил представитель ведомства.\n".encode("cp1251"))
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (src / "empty.txt").write_text("")
    # Small chunks, so that the files make several chunks and both workers get some.
    monkeypatch.setattr(batch_module, "CHUNK_FILES", 3)
    return src


def outputs(folder: Path) -> dict[str, bytes]:
    own = {MANIFEST_NAME, ERRORS_NAME}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name not in own}


def manifest_rows(folder: Path) -> list[dict]:
    return sorted((json.loads(line) for line in (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()), key=lambda r: r["rel"])


def table_rows(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path).sort_values(["file", "index"]).reset_index(drop=True)


def test_dask_run_leaves_the_same_output_as_the_local_run(tmp_path, pages, client):
    local, remote = tmp_path / "local", tmp_path / "dask"
    want = clean_folder(pages, local, jobs=1, segments=tmp_path / "local.parquet")
    seen = []
    got = clean_folder(pages, remote.as_uri(), client=client, segments=(tmp_path / "dask.parquet").as_uri(), progress=lambda done, total: seen.append((done, total)))

    assert (got.files, got.cleaned, got.failed, got.segments) == (want.files, want.cleaned, want.failed, want.segments)
    assert want.failed == 2 and want.cleaned == want.files - 2 >= 10
    assert got.errors == want.errors
    assert seen[0] == (0, got.files) and seen[-1] == (got.files, got.files) and len(seen) > 2
    cleaned = outputs(local)
    assert "reopened on Tuesday" in cleaned["sub/deep.txt"].decode() and "bookworm42" not in cleaned["sub/deep.txt"].decode()
    assert "image.png" not in cleaned and "empty.txt" not in cleaned
    assert outputs(remote) == cleaned
    assert (remote / ERRORS_NAME).read_bytes() == (local / ERRORS_NAME).read_bytes()
    with open(local / ERRORS_NAME, encoding="utf-8") as fh:
        errors = {row["file"]: row["error"] for row in csv.DictReader(fh)}
    assert set(errors) == {"image.png", "empty.txt"} and "binary" in errors["image.png"]
    assert manifest_rows(remote) == manifest_rows(local) and len(manifest_rows(local)) == want.cleaned
    pd.testing.assert_frame_equal(table_rows(tmp_path / "dask.parquet"), table_rows(tmp_path / "local.parquet"))
    assert not list(remote.rglob(".tmp-*")) and not list(tmp_path.glob(".tmp-*"))


def test_dask_rerun_skips_what_is_done_by_either_engine(tmp_path, pages, client):
    local, remote = tmp_path / "local", tmp_path / "dask"
    first = clean_folder(pages, remote, client=client)
    before = {p: p.stat().st_mtime_ns for p in remote.rglob("*.txt")}
    again = clean_folder(pages, remote, client=client)
    assert (again.skipped, again.cleaned, again.failed) == (first.cleaned, 0, 2)
    assert {p: p.stat().st_mtime_ns for p in remote.rglob("*.txt")} == before

    clean_folder(pages, local, jobs=1)
    (pages / "page-1.txt").write_text(PAGE.replace("Monday", "Friday"), encoding="utf-8")
    changed = clean_folder(pages, local.as_uri(), client=client)
    assert (changed.skipped, changed.cleaned) == (first.cleaned - 1, 1)
    assert "Friday" in (local / "page-1.txt").read_text(encoding="utf-8")


def test_cli_on_a_scheduler(tmp_path, pages, cluster):
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", "--engine", "dask", "--scheduler", cluster.scheduler_address, str(pages), out.as_uri(), "--segments", str(tmp_path / "seg.csv")])
    assert result.exit_code == 1, result.output  # the binary and the empty file failed
    assert "2 failed" in result.output and "image.png" in result.output
    assert "reopened on day 1" in (out / "page-1.txt").read_text(encoding="utf-8")
    assert set(pd.read_csv(tmp_path / "seg.csv")["file"]) == {str(p.relative_to(pages)) for p in pages.rglob("*") if p.is_file()} - {"image.png", "empty.txt"}


def test_cli_starts_a_local_cluster_without_a_scheduler(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["clean", "--engine", "dask", "-j", "1", str(src), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 cleaned" in result.output and "library reopened on Monday" in (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")


def test_a_failed_chunk_becomes_error_rows(tmp_path, client):
    from classifier.cluster import FsspecStore, cluster_chunks, fsspec_folders

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    reader, writer, _, dst = fsspec_folders(tmp_path / "in", tmp_path / "out")
    assert isinstance(writer, FsspecStore)
    task = _Task(dst, [(str(tmp_path / "in" / "a.txt"), "a.txt")], CleanConfig(), 10_000, False, (reader, writer))
    [(index, rows)] = list(cluster_chunks(client, [task], None, False, "0" * 64))  # a model the workers do not have
    assert index == 0 and rows[0]["rel"] == "a.txt" and "ModelError" in rows[0]["error"] and "not the client's" in rows[0]["error"]
    assert not (tmp_path / "out" / "a.txt").exists()


def test_label_partition_under_map_partitions_equals_label_frame(client):
    import dask.dataframe as dd

    texts = [PAGE, OPINION, PAGE.replace("Monday", "Sunday"), "Home\nShare", OPINION.replace("schools", "roads")]
    frame = pd.DataFrame({"url": [f"https://example.org/{i}" for i in range(len(texts))], "text": texts})
    pages = dd.from_pandas(frame, npartitions=3)
    meta = label_frame_meta(pages, "url")
    got = pages.map_partitions(label_partition, "text", "url", meta=meta).compute()
    want = label_frame(texts, names=list(frame["url"]))
    assert got.dtypes.equals(meta.dtypes)
    # the page column keeps the type dask gave the url column; everything else is label_frame's, value for value
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.astype({"page": got["page"].dtype}))
    by_index = pages.map_partitions(label_partition, meta=label_frame_meta(pages)).compute()
    assert by_index["page"].tolist() == want["page"].map({url: i for i, url in enumerate(frame["url"])}).tolist()


def test_scheduler_needs_the_dask_engine(tmp_path, pages):
    result = runner.invoke(app, ["clean", "--scheduler", "tcp://127.0.0.1:8786", str(pages), str(tmp_path / "out")])
    assert result.exit_code == 2 and "--scheduler goes with --engine dask" in result.output
    assert not (tmp_path / "out").exists()
    result = runner.invoke(app, ["clean", "--engine", "dask", str(pages / "page-1.txt")])
    assert result.exit_code == 2 and "cleans folders" in result.output


def test_output_inside_input_is_refused_for_urls(pages, client):
    with pytest.raises(InputError, match="must not be the input folder or inside it"):
        clean_folder(pages.as_uri(), (pages / "out").as_uri(), client=client)


def test_missing_dask_is_a_clear_error(monkeypatch):
    from classifier.cluster import require_dask

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DependencyError, match=r"pip install 'scrape-comment-classifier\[dask\]'"):
        require_dask()


def test_a_dask_run_into_a_local_folder_is_refused_while_another_run_holds_it(held_folder, pages, client):
    with pytest.raises(InputError, match="another classifier run is writing to this folder"):
        clean_folder(pages, held_folder.path.as_uri(), client=client)
    assert not list(held_folder.path.iterdir())
    held_folder.release()
    assert clean_folder(pages, held_folder.path.as_uri(), client=client).cleaned > 0
