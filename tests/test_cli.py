from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from classifier.batch import ERRORS_NAME, MANIFEST_NAME, _LocalStore
from classifier.cli import app

runner = CliRunner()

PAGE = (
    "Home | World | Business\n"
    "Harbour closed after storm damages pier\n"
    "The port authority closed the harbour on Monday after waves damaged the outer pier, a spokesman said.\n"
    "Repairs are expected to take two weeks, according to the authority's chief engineer.\n"
    "Fishing boats were moved to the marina at Kellby, where the council opened four temporary berths on Sunday night.\n"
    "Share on Facebook\n"
)
RUSSIAN = "Министерство финансов сообщило во вторник о новых правилах для банков, заявил представитель ведомства.\nПодписывайтесь на Telegram\n"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def pages(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    (src / "sub" / "b.txt").write_text(PAGE.replace("Monday", "Tuesday"), encoding="utf-8")
    (src / "cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (src / "utf16.txt").write_text(PAGE, encoding="utf-16")
    return src


def test_every_command_has_help_with_an_example():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("clean", "show", "train", "evaluate"):
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Example" in sub.output, command


def test_clean_one_file_to_stdout(tmp_path, model):
    f = tmp_path / "page.txt"
    f.write_text(PAGE)
    result = runner.invoke(app, ["clean", str(f)])
    assert result.exit_code == 0, result.output
    assert "closed the harbour" in result.stdout and "Share on Facebook" not in result.stdout


def test_one_file_does_not_load_the_folder_engine(tmp_path):
    # The cold start of 'classifier clean FILE' is mostly imports: the folder engine's
    # (multiprocessing, concurrent.futures, csv) are left to the folder runs that use them.
    import subprocess
    import sys

    f = tmp_path / "page.txt"
    f.write_text(PAGE)
    probe = (
        "import sys\n"
        "from classifier.cli import app\n"
        "try:\n"
        f"    app(['clean', {str(f)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in ('classifier.batch', 'multiprocessing', 'concurrent.futures', 'csv') if m in sys.modules)\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "import classifier\n"
        "assert classifier.clean_folder is classifier.batch.clean_folder and 'clean_folder' in dir(classifier)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "closed the harbour" in run.stdout
    assert "LOADED []" in run.stderr, run.stderr


def test_clean_stdin(model):
    result = runner.invoke(app, ["clean", "-", "--keep", "noise"], input=PAGE)
    assert result.exit_code == 0, result.output
    assert "Share on Facebook" in result.stdout and "closed the harbour" not in result.stdout


def test_clean_folder_recursively_with_segment_tables(tmp_path, pages, model):
    before = snapshot(pages)
    for suffix in (".parquet", ".csv", ".jsonl"):
        out = tmp_path / f"out{suffix}"
        table = tmp_path / f"segments{suffix}"
        result = runner.invoke(app, ["clean", str(pages), str(out), "--segments", str(table), "-j", "1"])
        assert result.exit_code == 0, result.output
        assert (out / "sub" / "b.txt").read_text().count("Tuesday") == 1
        assert (out / "cp1251.txt").is_file()
        assert "closed the harbour" in (out / "utf16.txt").read_text(encoding="utf-8")
        if suffix == ".parquet":
            df = pd.read_parquet(table)
        elif suffix == ".csv":
            df = pd.read_csv(table)
        else:
            df = pd.read_json(table, lines=True)
        assert list(df.columns) == ["file", "index", "start", "end", "block", "part", "label", "p_reporting", "p_opinion", "p_noise", "text"]
        assert set(df["file"]) == {"a.txt", os.path.join("sub", "b.txt"), "cp1251.txt", "utf16.txt"}
        assert "заявил представитель" in " ".join(df[df["file"] == "cp1251.txt"]["text"])
        assert "4 cleaned" in result.output
    assert snapshot(pages) == before  # inputs never modified, nothing written inside IN_DIR


def test_bad_files_are_reported_and_skipped(tmp_path, pages, model):
    (pages / "empty.txt").write_text("")
    (pages / "blank.txt").write_text("  \n\n")
    (pages / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (pages / "huge.txt").write_text("word " * 5000)
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(pages), str(out), "--max-bytes", "20000", "-j", "1"])
    assert result.exit_code == 1
    assert (out / "a.txt").is_file() and (out / "cp1251.txt").is_file()
    with open(out / ERRORS_NAME, encoding="utf-8") as fh:
        errors = {row["file"]: row["error"] for row in csv.DictReader(fh)}
    assert set(errors) == {"empty.txt", "blank.txt", "image.png", "huge.txt"}
    assert "binary" in errors["image.png"] and "over the limit" in errors["huge.txt"] and "empty" in errors["empty.txt"]
    assert "4 failed" in result.output
    assert not (out / "image.png").exists()


def test_rerun_skips_what_is_done_and_force_redoes_it(tmp_path, pages, model):
    out = tmp_path / "out"
    assert runner.invoke(app, ["clean", str(pages), str(out), "-j", "1"]).exit_code == 0
    first = snapshot(out)
    again = runner.invoke(app, ["clean", str(pages), str(out), "-j", "1"])
    assert again.exit_code == 0 and "4 already done" in again.output
    (pages / "a.txt").write_text(PAGE.replace("Monday", "Friday"))
    changed = runner.invoke(app, ["clean", str(pages), str(out), "-j", "1"])
    assert "1 cleaned" in changed.output and "Friday" in (out / "a.txt").read_text()
    forced = runner.invoke(app, ["clean", str(pages), str(out), "--force", "-j", "1"])
    assert "4 cleaned" in forced.output
    assert snapshot(out)["sub/b.txt"][0] == first["sub/b.txt"][0]
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    assert all("sha256" in json.loads(line) for line in lines)


def test_repeats_keeps_every_copy_and_is_part_of_what_a_rerun_checks(tmp_path, model):
    lead, second = PAGE.splitlines()[2:4]
    previewed = "\n".join(["Harbour closed after storm damages pier | Gazette", *PAGE.splitlines()[:4], "Article", "Comments", *PAGE.splitlines()[1:]])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(previewed)
    out = tmp_path / "out"
    assert runner.invoke(app, ["clean", str(tmp_path / "in"), str(out), "-j", "1"]).exit_code == 0
    once = (out / "a.txt").read_text()
    assert once.count(lead) == 1 and once.count(second) == 1
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), str(out), "--repeats", "-j", "1"])
    assert result.exit_code == 0 and "1 cleaned" in result.output  # not "already done": another output
    every = (out / "a.txt").read_text()
    assert every.count(lead) == 2 and every.count(second) == 2


def test_killed_run_is_completed_by_a_rerun(tmp_path, pages, model):
    from classifier import clean_folder

    for i in range(80):
        (pages / f"many-{i:03d}.txt").write_text(PAGE.replace("Monday", f"day {i}"))
    reference = tmp_path / "reference"
    clean_folder(pages, reference, jobs=1)

    out = tmp_path / "out"
    calls = []

    def kill_after_first_chunk(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        clean_folder(pages, out, jobs=1, progress=kill_after_first_chunk)
    partial = len([p for p in out.rglob("*.txt")])
    assert 0 < partial < 84
    summary = clean_folder(pages, out, jobs=1)
    assert summary.skipped == partial and summary.cleaned == 84 - partial
    got = {k: v[0] for k, v in snapshot(out).items() if k.endswith(".txt")}
    want = {k: v[0] for k, v in snapshot(reference).items() if k.endswith(".txt")}
    assert got == want


def test_a_rerun_clears_the_temporary_files_a_killed_run_left(tmp_path, pages, model):
    from classifier import clean_folder

    out = tmp_path / "out"
    clean_folder(pages, out, jobs=1)
    # what a worker killed between writing an output's temporary file and renaming it leaves
    (out / "sub" / ".tmp-k3x_9q0z.part").write_bytes(b"half an output")
    (out / "notes.tmp-keep.part").write_bytes(b"not ours")
    summary = clean_folder(pages, out, jobs=1)
    assert summary.skipped == 4
    assert not (out / "sub" / ".tmp-k3x_9q0z.part").exists()
    assert (out / "notes.tmp-keep.part").read_bytes() == b"not ours"


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX's")
def test_outputs_get_the_permissions_of_any_new_file(tmp_path, pages, model):
    # written through temporary files and renamed, the outputs and the segment table must not
    # keep a temporary file's owner-only mode (0600): under a umask of 022, 0644 like the rest
    old = os.umask(0o022)
    try:
        out, table = tmp_path / "out", tmp_path / "segments.csv"
        result = runner.invoke(app, ["clean", str(pages), str(out), "--segments", str(table), "-j", "1"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*.txt")] + [table]
    assert len(written) == 5
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(0o644)}


def test_a_second_run_into_the_same_folder_is_refused_while_one_runs(held_folder, pages, model):
    from classifier import InputError, clean_folder

    with pytest.raises(InputError, match="another classifier run is writing to this folder"):
        clean_folder(pages, held_folder.path, jobs=1)
    assert not list(held_folder.path.iterdir())
    held_folder.release()
    assert clean_folder(pages, held_folder.path, jobs=1).cleaned == 4


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, pages, model):
    psutil = pytest.importorskip("psutil", reason="psutil finds the worker processes to kill (it comes with the test extra's dask[distributed])")
    from classifier import clean_folder

    for i in range(400):
        (pages / f"many-{i:03d}.txt").write_text(PAGE.replace("Monday", f"day {i}"))
    reference = tmp_path / "reference"
    clean_folder(pages, reference, jobs=1)

    killed = []

    def kill_a_worker(done, total):
        if done and not killed:
            # the pool's workers are the children of the forkserver, itself a child of this process
            workers = [p for p in psutil.Process().children(recursive=True) if p.ppid() != os.getpid()]
            workers[0].kill()
            killed.append(done)

    out = tmp_path / "out"
    summary = clean_folder(pages, out, jobs=2, progress=kill_a_worker)
    assert killed and killed[0] < 404  # killed while chunks were still to run
    assert summary.failed == 0 and summary.cleaned == 404
    got = {k: v[0] for k, v in snapshot(out).items() if k.endswith(".txt")}
    want = {k: v[0] for k, v in snapshot(reference).items() if k.endswith(".txt")}
    assert got == want


class _DeadlyStore(_LocalStore):
    """The local disk, but reading the file named ``poison`` (any file when None) ends the process that reads it."""

    def __init__(self, poison: str | None = "poison.txt") -> None:
        self.poison = poison

    def read(self, path: str, max_bytes: int) -> bytes:
        if self.poison is None or os.path.basename(path) == self.poison:
            os._exit(1)
        return super().read(path, max_bytes)


def test_a_file_that_kills_its_worker_is_an_error_and_the_rest_is_cleaned(tmp_path, pages, model):
    from classifier.batch import _LOCAL, WORKER_DIED, _local_chunks, _Task
    from classifier.clean import CleanConfig

    (pages / "poison.txt").write_text(PAGE)
    for i in range(12):
        (pages / f"many-{i:03d}.txt").write_text(PAGE.replace("Monday", f"day {i}"))
    files = sorted((str(p), str(p.relative_to(pages))) for p in pages.rglob("*.txt"))
    out = tmp_path / "out"
    tasks = [_Task(str(out), files[i : i + 3], CleanConfig(), 1 << 20, False, (_DeadlyStore(), _LOCAL)) for i in range(0, len(files), 3)]
    rows = [row for _, chunk in sorted(_local_chunks(tasks, model, None, False, 2), key=lambda c: c[0]) for row in chunk]
    assert [r["rel"] for r in rows] == [rel for _, rel in files]
    assert {r["rel"]: r["error"] for r in rows if "error" in r} == {"poison.txt": WORKER_DIED}
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.txt")) == sorted(rel for _, rel in files if rel != "poison.txt")


def test_workers_that_die_on_every_file_stop_the_run(tmp_path, pages, model):
    from classifier import ClassifierError
    from classifier.batch import _LOCAL, WORKER_DEATHS_TO_STOP, _local_chunks, _Task
    from classifier.clean import CleanConfig

    files = sorted((str(p), str(p.relative_to(pages))) for p in pages.rglob("*.txt"))
    tasks = [_Task(str(tmp_path / "out"), files[i : i + 2], CleanConfig(), 1 << 20, False, (_DeadlyStore(poison=None), _LOCAL)) for i in range(0, len(files), 2)]
    with pytest.raises(ClassifierError, match=f"died on {WORKER_DEATHS_TO_STOP} files in a row"):
        list(_local_chunks(tasks, model, None, False, 2))


def test_output_inside_input_is_refused(pages):
    result = runner.invoke(app, ["clean", str(pages), str(pages / "out")])
    assert result.exit_code == 2 and "must not be the input folder or inside it" in result.output
    result = runner.invoke(app, ["clean", str(pages), str(pages)])
    assert result.exit_code == 2


def test_folder_with_no_files(tmp_path):
    (tmp_path / "in").mkdir()
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), str(tmp_path / "out")])
    assert result.exit_code == 2 and "no files to clean" in result.output


def test_folder_needs_an_output(pages):
    result = runner.invoke(app, ["clean", str(pages)])
    assert result.exit_code == 2 and "give an output folder" in result.output


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["clean", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_binary_single_file(tmp_path):
    f = tmp_path / "x.bin"
    f.write_bytes(bytes(100))
    result = runner.invoke(app, ["clean", str(f)])
    assert result.exit_code == 2 and "binary" in result.output


def test_parallel_run_matches_single_process(tmp_path, pages, model):
    for i in range(70):
        (pages / f"p{i:03d}.txt").write_text(PAGE.replace("Monday", f"day {i}"))
    one, two = tmp_path / "one", tmp_path / "two"
    assert runner.invoke(app, ["clean", str(pages), str(one), "-j", "1"]).exit_code == 0
    assert runner.invoke(app, ["clean", str(pages), str(two), "-j", "2"]).exit_code == 0
    strip = lambda snap: {k: v[0] for k, v in snap.items() if k.endswith(".txt")}  # noqa: E731
    assert strip(snapshot(one)) == strip(snapshot(two))


def test_show_colours_a_page(tmp_path, model):
    f = tmp_path / "page.txt"
    f.write_text(PAGE + "2 comments\nJo Pratt\nMarch 3, 2024 at 8:14 pm\nNonsense, the pier was fine.\nReply\n")
    result = runner.invoke(app, ["show", str(f), "-p"])
    assert result.exit_code == 0
    assert "Harbour closed" in result.output and "reader comments" in result.output


def test_model_option_refuses_untrusted_file(tmp_path):
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a model")
    f = tmp_path / "page.txt"
    f.write_text(PAGE)
    result = runner.invoke(app, ["clean", str(f), "--model", str(bad)])
    assert result.exit_code == 2 and "no model card" in result.output


def test_symlink_loops_and_odd_names_do_not_stop_the_run(tmp_path, pages, model):
    (pages / "loop").symlink_to(pages, target_is_directory=True)  # a folder link back to the top
    (pages / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    odd = "página – ñ 日本 #1 (copy).txt"
    (pages / odd).write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(pages), str(out), "-j", "1"])
    assert result.exit_code == 1  # the broken link is a failure, reported
    assert (out / odd).read_text(encoding="utf-8").count("closed the harbour") == 1
    with open(out / ERRORS_NAME, encoding="utf-8") as fh:
        errors = {row["file"]: row["error"] for row in csv.DictReader(fh)}
    assert list(errors) == ["broken.txt"] and "cannot read" in errors["broken.txt"]
    assert not (out / "loop").exists()


def test_learning_curve_is_drawn(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is an optional extra ('plot'): learning-curve drawing not tested")
    from classifier.train import plot_learning_curve

    points = [{"project_pages": n, "dragnet_f1": f, "dragnet_leak": 0.1, "checkthat_macro_f1": 0.6} for n, f in ((75, 0.8), (150, 0.85), (300, 0.87))]
    out = tmp_path / "curve.png"
    plot_learning_curve(points, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
