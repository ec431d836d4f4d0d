#!/usr/bin/env python3
"""Speed (and optionally quality) of classifier against jusText, trafilatura and boilerpy3.

Run by hand from the repository root, with the project's environment and the peers installed
(``.venv/bin/pip install -r benchmarks/requirements.txt``)::

    .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --pages ../shared/corpora/dragnet-train --out /tmp/bench \\
        --score --scale 5000 --json /tmp/bench.json

Everything is measured in this run; nothing is hard-coded. What is measured:

* ``classifier clean IN OUT -q --force -j 2`` and ``-j 1``: the whole command as a subprocess
  (interpreter start, model load, reading and writing), wall time, into a fresh output folder;
* cold start: ``classifier clean ONE_FILE`` as a subprocess, the median wall time of several runs
  after an untimed one, with the modules' bytecode cached as an installed package has it;
* the peers, in this process, each page given to them as HTML, one ``<p>`` per non-blank line;
* peak memory: for a classifier subprocess, the process tree (the command, its forkserver and its
  workers) is sampled from /proc every ``--sample`` seconds: "peak MB" is the largest sum of the
  tree's PSS seen (shared pages counted once), "largest proc MB" the largest single process's own
  high-water mark (VmHWM, exact for every process seen at least once). For a peer, the high-water
  mark of this process is reset (/proc/self/clear_refs) before its run and read after it, so it is
  the peak of the whole benchmark process (interpreter and the three peers' libraries) during it;
* how much CPU other processes used meanwhile ("other load", in cores, from /proc/stat minus our
  own processes), so a noisy measurement shows as one.

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import importlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEFAULT_PAGES = SHARED / "corpora" / "dragnet-train"
DEFAULT_SCORER = SHARED / "tools" / "score_clean.py"
MODEL_FILE = REPO / "models" / "classifier.npz"
PACKAGE = "scrape-comment-classifier"
MARKER = ".classifier-bench"
INSTALL_HINT = f"{sys.executable} -m pip install -r {REPO / 'benchmarks' / 'requirements.txt'}"

#: The peers: display name -> (module to import, distribution name, pinned version).
PEERS: dict[str, tuple[str, str, str]] = {
    "jusText": ("justext", "jusText", "3.0.2"),
    "trafilatura": ("trafilatura", "trafilatura", "2.3.1"),
    "boilerpy3": ("boilerpy3.extractors", "boilerpy3", "1.0.7"),
}

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


def die(message: str, code: int = 2) -> None:
    print(f"bench: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# -- /proc ---------------------------------------------------------------------------------------


def _stat_fields(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [state, ppid, ...]; None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    return raw[raw.rfind(b")") + 2 :].decode().split()


def _cpu_ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime + stime


def _status_kb(pid: int, keys: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in keys:
                    out[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cmdline(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _proc_table() -> dict[int, tuple[int, int, int]]:
    """Every process: pid -> (ppid, start time, utime + stime ticks)."""
    table: dict[int, tuple[int, int, int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            f = _stat_fields(name)
            if f is not None:
                table[int(name)] = (int(f[1]), int(f[19]), _cpu_ticks(f))
    return table


def _descendants(root: int, table: dict[int, tuple[int, int, int]]) -> list[int]:
    """root and every process below it."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


class LoadMeter:
    """CPU used by the machine's other processes between start() and stop(), in cores.

    From each process's own utime + stime (/proc/PID/stat), not from /proc/stat: on this kind of
    virtual machine /proc/stat counts a core busy while one thread keeps the other busy. Processes
    that start and end within the window are missed.
    """

    def start(self) -> None:
        self.t0 = time.perf_counter()
        self.before = {(pid, start): ticks for pid, (_, start, ticks) in _proc_table().items()}

    def stop(self, ours: set[int] = frozenset()) -> float:  # type: ignore[assignment]
        after = _proc_table()
        wall = max(time.perf_counter() - self.t0, 1e-9)
        ours = set(ours) | {os.getpid()}
        other = sum(ticks - self.before.get((pid, start), 0) for pid, (_, start, ticks) in after.items() if pid not in ours)
        return max(0, other) / CLK_TCK / wall


#: --wait-quiet: before each measured run, wait up to this many seconds for the other processes to
#: use less than QUIET_CORES; 0 does not wait.
WAIT_QUIET = 0.0
QUIET_CORES = 0.1


def settle() -> None:
    """Wait, up to WAIT_QUIET seconds, until the machine's other processes are quiet for 2 s."""
    if WAIT_QUIET <= 0:
        return
    deadline = time.monotonic() + WAIT_QUIET
    waited = False
    while True:
        meter = LoadMeter()
        meter.start()
        time.sleep(2)
        load = meter.stop()
        if load < QUIET_CORES:
            if waited:
                log("  the machine is quiet again")
            return
        if time.monotonic() > deadline:
            log(f"  still {load:.2f} cores busy elsewhere after waiting {WAIT_QUIET:g} s; measuring anyway")
            return
        if not waited:
            log(f"  waiting for other processes to settle ({load:.2f} cores busy elsewhere) …")
            waited = True


# -- running and watching a subprocess -----------------------------------------------------------


@dataclass
class Run:
    argv: list[str]
    seconds: float
    returncode: int
    peak_pss_mb: float | None
    largest_process_mb: float | None
    peak_rss_sum_mb: float | None
    max_processes: int
    process_peaks_mb: list[float]
    cpu_seconds: float
    other_load_cores: float
    stderr_tail: str = ""


def run_watched(argv: list[str], *, stdout: Any = subprocess.DEVNULL, stderr_path: Path | None = None, interval: float = 0.05, env: dict[str, str] | None = None) -> Run:
    """Run argv, timing it (wall) and sampling its process tree's memory and CPU from /proc."""
    hwm: dict[int, int] = {}  # pid -> largest VmHWM seen, kB
    ticks: dict[int, int] = {}  # pid -> largest utime+stime seen
    peak = {"pss": 0, "rss": 0, "procs": 0, "pss_ok": True}
    stop = threading.Event()
    own_cmdline = _cmdline(os.getpid())
    err_fh = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    meter = LoadMeter()
    meter.start()
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=err_fh, stdin=subprocess.DEVNULL, env=env)

    def sample() -> None:
        # Until the child has exec'd it is a (v)fork of this process and /proc shows our memory.
        while _cmdline(proc.pid) == own_cmdline and not stop.wait(0.001):
            pass
        while True:
            table = _proc_table()
            pids = _descendants(proc.pid, table)
            pss_sum = rss_sum = 0
            alive = 0
            for pid in pids:
                st = _status_kb(pid, ("VmHWM", "VmRSS"))
                if "VmRSS" not in st:
                    continue  # gone, or a zombie
                alive += 1
                hwm[pid] = max(hwm.get(pid, 0), st.get("VmHWM", 0))
                rss_sum += st["VmRSS"]
                pss = _pss_kb(pid)
                if pss is None:
                    peak["pss_ok"] = False
                else:
                    pss_sum += pss
                if pid in table:
                    ticks[pid] = max(ticks.get(pid, 0), table[pid][2])
            peak["pss"] = max(peak["pss"], pss_sum)
            peak["rss"] = max(peak["rss"], rss_sum)
            peak["procs"] = max(peak["procs"], alive)
            if stop.wait(interval):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    if stderr_path:
        err_fh.close()  # type: ignore[union-attr]
    # The command's own CPU (exact, from wait4) plus what was sampled of the processes below it
    # (its forkserver's workers are not reaped by it, so wait4 alone would miss them).
    children_ticks = sum(t for pid, t in ticks.items() if pid != proc.pid)
    own_ticks = round((usage.ru_utime + usage.ru_stime) * CLK_TCK)
    cpu_ticks = max(own_ticks, ticks.get(proc.pid, 0)) + children_ticks
    other_load = meter.stop(set(ticks) | set(hwm) | {proc.pid})
    tail = ""
    if stderr_path and stderr_path.exists():
        tail = "\n".join(stderr_path.read_text(errors="replace").splitlines()[-15:])
    return Run(
        argv=argv,
        seconds=seconds,
        returncode=proc.returncode,
        peak_pss_mb=peak["pss"] * 1024 / MB if peak["pss_ok"] and peak["pss"] else None,
        largest_process_mb=max(hwm.values()) * 1024 / MB if hwm else None,
        peak_rss_sum_mb=peak["rss"] * 1024 / MB if peak["rss"] else None,
        max_processes=peak["procs"],
        process_peaks_mb=sorted((round(v / 1024, 1) for v in hwm.values()), reverse=True),
        cpu_seconds=cpu_ticks / CLK_TCK,
        other_load_cores=other_load,
        stderr_tail=tail,
    )


# -- results -------------------------------------------------------------------------------------


@dataclass
class Result:
    tool: str
    kind: str  # "classifier" or "peer"
    pages: int
    seconds: float
    pages_per_s: float
    peak_mb: float | None
    largest_process_mb: float | None = None
    cpu_seconds: float | None = None
    other_load_cores: float | None = None
    runs: int = 1
    all_seconds: list[float] = field(default_factory=list)
    command: str = ""
    errors: int = 0
    note: str = ""
    score: dict[str, Any] | None = None
    ratio_j2: float | None = None  # classifier -j 2 pages/s divided by this tool's
    ratio_j1: float | None = None
    ratio_api: float | None = None  # classifier clean() page by page, in process: pages/s divided by this tool's
    detail: dict[str, Any] = field(default_factory=dict)


def _fmt(x: float | None, spec: str = ".1f") -> str:
    return "—" if x is None else format(x, spec)


def markdown_table(results: list[Result], with_score: bool) -> str:
    head = ["tool", "pages", "seconds", "pages/s", "peak MB", "largest proc MB", "CPU s", "other load", "-j2 ÷ this", "-j1 ÷ this", "clean() ÷ this"]
    if with_score:
        head += ["F1", "F1 ≥ 0.9", "comment leak"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for r in results:
        row = [
            r.tool,
            f"{r.pages:,}" if r.pages else "—",
            _fmt(r.seconds, ".2f") if r.seconds else "—",
            _fmt(r.pages_per_s, ".1f") if r.pages_per_s else "—",
            _fmt(r.peak_mb, ".0f"),
            _fmt(r.largest_process_mb, ".0f"),
            _fmt(r.cpu_seconds, ".1f"),
            _fmt(r.other_load_cores, ".2f"),
            _fmt(r.ratio_j2, ".2f") + ("×" if r.ratio_j2 is not None else ""),
            _fmt(r.ratio_j1, ".2f") + ("×" if r.ratio_j1 is not None else ""),
            _fmt(r.ratio_api, ".2f") + ("×" if r.ratio_api is not None else ""),
        ]
        if with_score:
            s = r.score or {}
            row += [_fmt(s.get("f1"), ".3f"), _fmt(s.get("good_pages"), ".3f"), _fmt(s.get("comment_leak"), ".3f")]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


# -- the pieces ----------------------------------------------------------------------------------


def classifier_argv() -> list[str]:
    exe = Path(sys.executable).parent / "classifier"
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    found = shutil.which("classifier")
    if found:
        return [found]
    return [sys.executable, "-m", "classifier"]


def prepare_workdir(out: Path | None) -> tuple[Path, bool]:
    """The folder everything is written to, and whether to remove it at the end."""
    if out is None:
        return Path(tempfile.mkdtemp(prefix="classifier-bench-")), True
    out = out.resolve()
    if out.exists():
        if not out.is_dir():
            die(f"--out {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            die(f"--out {out} is not empty and was not made by this benchmark; give an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("work folder of benchmarks/bench.py; safe to delete\n")
    return out, False


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def stage_pages(src: Path, dst: Path) -> list[Path]:
    """Copy the pages (<id>.txt) into dst, so the input folder holds pages only."""
    fresh(dst)
    pages = sorted(p for p in src.iterdir() if p.is_file() and p.suffix == ".txt" and not p.name.startswith("."))
    for p in pages:
        shutil.copyfile(p, dst / p.name)
    return sorted(dst.iterdir())


def build_scale(base: list[Path], n: int, dst: Path) -> str:
    """n pages in dst, the base set repeated under new names: hard links to the staged copies, or copies."""
    fresh(dst)
    how = "hard links"
    for i in range(n):
        src = base[i % len(base)]
        target = dst / f"r{i // len(base):04d}-{src.name}"
        if how == "hard links":
            try:
                os.link(src, target)
                continue
            except OSError:
                how = "copies"
        shutil.copyfile(src, target)
    return how


def choose_runs(secs: list[float], loads: list[float]) -> tuple[list[int], float, int, str]:
    """Which runs the figure comes from: the quiet ones (other load under QUIET_CORES), or all if
    none was quiet. Returns their indices, their median time, the index of the run nearest that
    median, and a note saying so."""
    quiet = [i for i, load in enumerate(loads) if load < QUIET_CORES]
    use = quiet or list(range(len(secs)))
    med = statistics.median(secs[i] for i in use)
    mid = min(use, key=lambda i: abs(secs[i] - med))
    note = ""
    if len(secs) > 1:
        which = "the quiet ones" if quiet and len(quiet) < len(secs) else "all quiet" if quiet else "none was quiet"
        runs = ", ".join(f"{t:.2f} s (other load {load:.2f})" for t, load in zip(secs, loads))
        note = f"median of {len(use)} of {len(secs)} runs ({which}); all runs: {runs}"
    return use, med, mid, note


def count_outputs(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.is_file() and p.suffix == ".txt" and not p.name.startswith("."))


def folder_run(name: str, cli: list[str], in_dir: Path, out_dir: Path, jobs: int, repeat: int, interval: float, pages: int, work: Path) -> Result:
    runs: list[Run] = []
    for i in range(repeat):
        fresh(out_dir)
        settle()
        argv = [*cli, "clean", str(in_dir), str(out_dir), "-q", "--force", "-j", str(jobs)]
        log(f"{name}: {' '.join(argv)}" + (f" (run {i + 1}/{repeat})" if repeat > 1 else ""))
        run = run_watched(argv, stderr_path=work / f"{out_dir.name}.stderr", interval=interval)
        written = count_outputs(out_dir)
        peak = _fmt(run.peak_pss_mb, ".0f")
        log(f"  {run.seconds:.2f} s, rc {run.returncode}, {written:,} outputs, peak {peak} MB, other load {run.other_load_cores:.2f} cores")
        if run.returncode != 0:
            log(f"  classifier exited with {run.returncode}; its stderr ends:\n{run.stderr_tail}")
            if run.returncode not in (0, 1):
                die(f"{name} failed (exit {run.returncode}); see above")
        runs.append(run)
    secs = [r.seconds for r in runs]
    use, med, m, choice = choose_runs(secs, [r.other_load_cores for r in runs])
    mid = runs[m]
    failed = pages - written
    return Result(
        tool=name,
        kind="classifier",
        pages=pages,
        seconds=med,
        pages_per_s=pages / med,
        peak_mb=max((r.peak_pss_mb for r in runs if r.peak_pss_mb is not None), default=None),
        largest_process_mb=max((r.largest_process_mb for r in runs if r.largest_process_mb is not None), default=None),
        cpu_seconds=mid.cpu_seconds,
        other_load_cores=max(runs[i].other_load_cores for i in use),
        runs=repeat,
        all_seconds=secs,
        command=" ".join(runs[-1].argv),
        errors=failed,
        note="; ".join(x for x in (f"{failed} pages not written (exit {runs[-1].returncode})" if failed else "", choice) if x),
        detail={
            "other_load_per_run": [r.other_load_cores for r in runs],
            "cpu_seconds_per_run": [r.cpu_seconds for r in runs],
            "peak_rss_sum_mb": max((r.peak_rss_sum_mb or 0) for r in runs),
            "max_processes": max(r.max_processes for r in runs),
            "process_peaks_mb": mid.process_peaks_mb,
            "returncodes": [r.returncode for r in runs],
        },
    )


def cold_start(cli: list[str], page: Path, n: int, interval: float, work: Path) -> Result:
    # As an installed package runs: with its modules' bytecode cached. An environment that says
    # PYTHONDONTWRITEBYTECODE would make every run compile the project's sources again; the
    # first, untimed run writes the cache (and reads the model file into the page cache).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argv = [*cli, "clean", str(page)]
    runs: list[Run] = []
    for i in range(n + 1):
        settle()
        with open(work / "cold-start.out", "wb") as out:
            run = run_watched(argv, stdout=out, stderr_path=work / "cold-start.stderr", interval=interval, env=env)
        if run.returncode != 0:
            log(f"cold start exited with {run.returncode}; its stderr ends:\n{run.stderr_tail}")
            die("classifier clean ONE_FILE failed")
        if i:
            runs.append(run)
    secs = [r.seconds for r in runs]
    use, med, m, choice = choose_runs(secs, [r.other_load_cores for r in runs])
    log(f"cold start: {', '.join(f'{s:.2f}' for s in secs)} s -> median {med:.2f} s")
    return Result(
        tool="classifier cold start (1 page)",
        kind="classifier",
        pages=1,
        seconds=med,
        pages_per_s=1 / med,
        peak_mb=max((r.peak_pss_mb for r in runs if r.peak_pss_mb is not None), default=None),
        largest_process_mb=max((r.largest_process_mb for r in runs if r.largest_process_mb is not None), default=None),
        cpu_seconds=runs[m].cpu_seconds,
        other_load_cores=max(runs[i].other_load_cores for i in use),
        runs=n,
        all_seconds=secs,
        command=" ".join(runs[-1].argv),
        note=f"page {page.name}, {page.stat().st_size:,} bytes; bytecode cached, after one untimed run" + (f"; {choice}" if choice else ""),
        detail={"other_load_per_run": [r.other_load_cores for r in runs]},
    )


def load_peers(names: list[str], skip_missing: bool) -> tuple[dict[str, Callable[[str], str]], list[str]]:
    """The peers' extract functions (page HTML -> text), and notes on what was skipped or differs."""
    fns: dict[str, Callable[[str], str]] = {}
    notes: list[str] = []
    missing: list[str] = []
    for name in names:
        module, dist, pinned = PEERS[name]
        try:
            importlib.import_module(module)
            version = importlib.metadata.version(dist)
        except ImportError as exc:
            missing.append(f"{name} ({dist}=={pinned}): {exc}")
            continue
        if version != pinned:
            notes.append(f"{name} is version {version}, not the pinned {pinned}")
        if name == "jusText":
            import justext

            stoplist = justext.get_stoplist("English")  # loaded once, outside the timing

            def run_justext(page: str, _j: Any = justext, _s: Any = stoplist) -> str:
                return "\n".join(p.text for p in _j.justext(page, _s) if not p.is_boilerplate)

            fns[name] = run_justext
        elif name == "trafilatura":
            import trafilatura

            def run_trafilatura(page: str, _t: Any = trafilatura) -> str:
                return _t.extract(page) or ""

            fns[name] = run_trafilatura
        elif name == "boilerpy3":
            from boilerpy3 import extractors

            def run_boilerpy3(page: str, _e: Any = extractors) -> str:
                return _e.ArticleExtractor().get_content(page) or ""

            fns[name] = run_boilerpy3
    if missing:
        if not skip_missing:
            die(
                "these peers are not installed: "
                + "; ".join(missing)
                + f"\ninstall them into the environment running this script: {INSTALL_HINT}"
                + "\n(usually, from the repository root: .venv/bin/pip install -r benchmarks/requirements.txt, then run .venv/bin/python benchmarks/bench.py)"
                + "\nor pass --skip-missing to leave them out with a note, or --peers none"
            )
        notes += [f"skipped, not installed: {m}" for m in missing]
    return fns, notes


def page_html(text: str) -> str:
    """Every non-blank line of a scraped page as one HTML paragraph."""
    paras = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paras}</body></html>"


def _vm_hwm_mb() -> float | None:
    kb = _status_kb(os.getpid(), ("VmHWM",)).get("VmHWM")
    return kb / 1024 if kb else None


def _reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _clear_caches(package: str) -> None:
    """Empty the functools caches of a package's loaded modules (the model, kept elsewhere, stays)."""
    for name, module in list(sys.modules.items()):
        if name == package or name.startswith(package + "."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                    value.cache_clear()


def peer_run(
    name: str,
    fn: Callable[[str], str],
    docs: list[tuple[str, str]],
    repeat: int,
    out_dir: Path | None,
    batch: Callable[[list[str]], list[str]] | None = None,
    before_each: Callable[[], None] | None = None,
) -> Result:
    """Time ``fn`` on each document in this process (or ``batch`` on all of them at once);
    ``before_each`` runs before each timed run, outside the timing."""
    secs: list[float] = []
    peaks: list[float] = []
    loads: list[float] = []
    cpu: list[float] = []
    errors = 0
    outputs: dict[str, str] = {}
    reset_ok = True
    for i in range(repeat):
        log(f"{name}: {len(docs):,} pages" + (f" (run {i + 1}/{repeat})" if repeat > 1 else ""))
        outputs = {}
        errors = 0
        if before_each is not None:
            before_each()
        settle()
        reset_ok = _reset_hwm() and reset_ok
        before = _status_kb(os.getpid(), ("VmRSS",)).get("VmRSS", 0) / 1024
        meter = LoadMeter()
        meter.start()
        c0 = time.process_time()
        t0 = time.perf_counter()
        if batch is not None:
            outputs = dict(zip((pid for pid, _ in docs), batch([doc for _, doc in docs])))
        else:
            for pid, doc in docs:
                try:
                    outputs[pid] = fn(doc)
                except Exception:  # a peer that fails on a page gives it empty output, and is counted
                    errors += 1
                    outputs[pid] = ""
        secs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        loads.append(meter.stop())
        peak = _vm_hwm_mb()
        if peak is not None:
            peaks.append(peak)
        log(f"  {secs[-1]:.2f} s, {errors} pages raised, process peak {_fmt(peak, '.0f')} MB, other load {loads[-1]:.2f} cores")
    if out_dir is not None:
        fresh(out_dir)
        for pid, text in outputs.items():
            (out_dir / f"{pid}.txt").write_text(text, encoding="utf-8")
    use, med, m, choice = choose_runs(secs, loads)
    note = "in-process; peak = this benchmark process's high-water mark during the run"
    if not reset_ok:
        note = "in-process; peak = this process's high-water mark since it started (could not reset it)"
    if errors:
        note += f"; {errors} pages raised an exception (scored as empty)"
    if choice:
        note += f"; {choice}"
    return Result(
        tool=name,
        kind="peer",
        pages=len(docs),
        seconds=med,
        pages_per_s=len(docs) / med,
        peak_mb=max(peaks) if peaks else None,
        cpu_seconds=cpu[m],
        other_load_cores=max(loads[i] for i in use),
        runs=repeat,
        all_seconds=secs,
        command=f"{name} on <p>-per-line HTML, in process",
        errors=errors,
        note=note,
        detail={"rss_before_mb": before, "other_load_per_run": loads, "cpu_seconds_per_run": cpu},
    )


def score(scorer: Path, set_dir: Path, out_dir: Path) -> dict[str, Any] | None:
    proc = subprocess.run([sys.executable, str(scorer), str(set_dir), str(out_dir), "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        log(f"scoring {out_dir} failed: {proc.stderr.strip()[-500:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def model_info() -> dict[str, Any]:
    if not MODEL_FILE.is_file():
        return {"path": str(MODEL_FILE), "missing": True}
    data = MODEL_FILE.read_bytes()
    return {"path": str(MODEL_FILE.relative_to(REPO)), "bytes": len(data), "mb": len(data) / MB, "sha256": hashlib.sha256(data).hexdigest()}


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "loadavg_at_start": os.getloadavg(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    try:
        info["classifier_version"] = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        info["classifier_version"] = None
    for name, (_, dist, _) in PEERS.items():
        try:
            info[f"{name}_version"] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            info[f"{name}_version"] = None
    return info


# -- main ----------------------------------------------------------------------------------------


def profile_classifier(pages: list[Path], top: int) -> str:
    """Profile classifier labelling ``pages`` in this process, in chunks as a folder run's worker
    does (split, features, model, selection; no file writing), and return the ``top`` lines by
    cumulative time."""
    import cProfile
    import io
    import pstats

    from classifier.clean import CleanConfig, label_split, select
    from classifier.model import load_model
    from classifier.split import split

    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in pages]
    model, config = load_model(), CleanConfig()
    log(f"profiling classifier on {len(texts):,} pages …")

    def work() -> None:
        for i in range(0, len(texts), 32):
            chunk = texts[i : i + 32]
            for text, segs in zip(chunk, label_split([split(t) for t in chunk], model)):
                select(segs, config, text)

    prof = cProfile.Profile()
    prof.runcall(work)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue().strip()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Pages/s and peak memory of classifier against jusText, trafilatura and boilerpy3, measured now.")
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help=f"folder of scraped pages, <id>.txt (default: {DEFAULT_PAGES})")
    ap.add_argument("--out", type=Path, default=None, help="work folder for staged inputs and outputs (default: a temporary folder, removed at the end)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    ap.add_argument("--score", action="store_true", help="also score every tool's output with ../shared/tools/score_clean.py (needs gold.jsonl in --pages)")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="the scoring script (default: %(default)s)")
    ap.add_argument("--scale", type=int, default=0, metavar="N", help="also clean N pages (the set repeated under new names) with -j 2")
    ap.add_argument("--scale-jobs", type=int, default=2, metavar="J", help="-j for the --scale run (default: 2)")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated peers to run, or 'none' (default: {','.join(PEERS)})")
    ap.add_argument("--skip-missing", action="store_true", help="leave out peers that are not installed, with a note, instead of stopping")
    ap.add_argument("--repeat", type=int, default=1, metavar="R", help="run each folder run and each peer R times and report the median time (default: 1)")
    ap.add_argument("--cold-runs", type=int, default=5, metavar="R", help="runs of the one-file cold start; the median is reported (default: 5)")
    ap.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="S",
        help=f"before each measured run, wait up to S seconds until other processes use under {QUIET_CORES} cores (default: 0, no wait)",
    )
    ap.add_argument("--sample", type=float, default=0.05, metavar="S", help="memory sampling interval in seconds (default: 0.05)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also profile classifier labelling the pages in this process (cProfile) and print the N top lines")
    ap.add_argument("--no-api", action="store_true", help="leave out the in-process rows of classifier's Python API (clean() a page a call, clean_pages())")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work folder (it is always kept with --out)")
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.cold_runs < 1:
        ap.error("--repeat and --cold-runs must be at least 1")
    if args.scale < 0:
        ap.error("--scale must be positive")
    peers = [] if args.peers.strip().lower() == "none" else [p.strip() for p in args.peers.split(",") if p.strip()]
    lookup = {p.lower(): p for p in PEERS}
    unknown = [p for p in peers if p.lower() not in lookup]
    if unknown:
        ap.error(f"unknown peer(s) {', '.join(unknown)}: choose from {', '.join(PEERS)}, or 'none'")
    args.peer_list = [lookup[p.lower()] for p in peers]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global WAIT_QUIET
    WAIT_QUIET = args.wait_quiet
    if sys.platform != "linux" or not Path("/proc/self/status").exists():
        die("this benchmark reads memory and CPU from /proc, so it runs on Linux only")
    pages_dir = args.pages.resolve()
    if not pages_dir.is_dir():
        die(f"no page folder at {args.pages}: give one with --pages (the default is ../shared/corpora/dragnet-train beside the repository)")
    if not any(p.suffix == ".txt" for p in pages_dir.iterdir()):
        die(f"{pages_dir} holds no <id>.txt pages")
    if args.score:
        if not args.scorer.is_file():
            die(f"--score needs the scorer, not found at {args.scorer}")
        if not (pages_dir / "gold.jsonl").is_file():
            die(f"--score needs {pages_dir / 'gold.jsonl'}, which is missing")
    peer_fns, notes = load_peers(args.peer_list, args.skip_missing)
    cli = classifier_argv()
    probe = subprocess.run([*cli, "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        die(
            f"cannot run the classifier command ({' '.join(cli)}): {probe.stderr.strip()[-300:]}"
            "\ninstall the project into this environment (pip install -e .), or run the benchmark with the project's .venv/bin/python"
        )

    work, remove = prepare_workdir(args.out)
    remove = remove and not args.keep
    log(f"work folder: {work}" + (" (removed at the end)" if remove else ""))
    info = machine_info()
    model_at_start = model_info()
    try:
        staged = stage_pages(pages_dir, work / "pages")
        n = len(staged)
        total_bytes = sum(p.stat().st_size for p in staged)
        log(f"{n:,} pages ({total_bytes / MB:.1f} MB) from {pages_dir}")
        if info["cpus_usable"] < 2:
            notes.append(f"only {info['cpus_usable']} CPU usable: -j 2 cannot run in parallel here")

        results: list[Result] = []
        # Cold start: the page of median size.
        by_size = sorted(staged, key=lambda p: p.stat().st_size)
        results.append(cold_start(cli, by_size[len(by_size) // 2], args.cold_runs, args.sample, work))
        j2 = folder_run("classifier -j 2", cli, work / "pages", work / "out-classifier-j2", 2, args.repeat, args.sample, n, work)
        j1 = folder_run("classifier -j 1", cli, work / "pages", work / "out-classifier-j1", 1, args.repeat, args.sample, n, work)
        results[:0] = [j2, j1]

        if peer_fns:
            docs = []
            for p in staged:  # read and turn into HTML before any timing
                docs.append((p.stem, page_html(p.read_bytes().decode("utf-8", errors="replace"))))
            for name, fn in peer_fns.items():
                r = peer_run(name, fn, docs, args.repeat, work / f"out-{name}" if args.score else None)
                r.ratio_j2 = j2.pages_per_s / r.pages_per_s
                r.ratio_j1 = j1.pages_per_s / r.pages_per_s
                results.append(r)
            del docs

        # classifier's Python API in this process, as the peers run: clean() a page at a time, and
        # clean_pages() on all of them. After the peers, so that its model is not in their peaks.
        api: list[Result] = []
        if not args.no_api:
            from classifier import clean, clean_pages

            texts = [(p.stem, p.read_bytes().decode("utf-8", errors="replace")) for p in staged]

            def cold(first: str = texts[0][1]) -> None:
                """Before each run: empty caches, none kept from another run; the model loaded (by
                the first call), outside the timing as the peers' stoplists are."""
                _clear_caches("classifier")
                clean(first)

            for name, out, batch in (("classifier clean(), a page a call", "out-api-clean", None), ("classifier clean_pages()", "out-api-clean-pages", clean_pages)):
                r = peer_run(name, clean, texts, args.repeat, work / out if args.score else None, batch=batch, before_each=cold)
                r.kind, r.command, r.detail["out"] = "classifier-api", name + ", in process", out
                r.note = r.note.replace("in-process;", "in-process, model loaded before;")
                api.append(r)
            del texts
            for r in results:
                if r.kind == "peer":
                    r.ratio_api = api[0].pages_per_s / r.pages_per_s
            results[2:2] = api

        profile_lines = profile_classifier(staged, args.profile) if args.profile else ""

        scale: Result | None = None
        if args.scale:
            how = build_scale(staged, args.scale, work / f"scale-{args.scale}")
            log(f"scale: {args.scale:,} pages ({how} of the {n:,})")
            scale = folder_run(
                f"classifier -j {args.scale_jobs}, {args.scale:,} pages",
                cli,
                work / f"scale-{args.scale}",
                work / f"out-scale-{args.scale}",
                args.scale_jobs,
                1,
                args.sample,
                args.scale,
                work,
            )
            scale.note = (scale.note + "; " if scale.note else "") + f"the {n:,} pages repeated ({how})"
            results.append(scale)
            shutil.rmtree(work / f"scale-{args.scale}")
            shutil.rmtree(work / f"out-scale-{args.scale}")

        baseline: Result | None = None
        if args.score:
            log("scoring …")
            j2.score = score(args.scorer, pages_dir, work / "out-classifier-j2")
            j1.score = score(args.scorer, pages_dir, work / "out-classifier-j1")
            for r in results:
                if r.kind == "peer":
                    r.score = score(args.scorer, pages_dir, work / f"out-{r.tool}")
                elif r.kind == "classifier-api":
                    r.score = score(args.scorer, pages_dir, work / r.detail["out"])
            baseline = Result(tool="keep everything (the input)", kind="baseline", pages=0, seconds=0, pages_per_s=0, peak_mb=None)
            baseline.score = score(args.scorer, pages_dir, work / "pages")
            results.append(baseline)

        model = model_at_start
        model_at_end = model_info()
        if model_at_end.get("sha256") != model.get("sha256"):
            notes.append(
                f"{model['path']} changed during the run (sha256 {str(model.get('sha256'))[:12]}… at the start, "
                f"{str(model_at_end.get('sha256'))[:12]}… at the end): the classifier rows may have used different models"
            )
        info["loadavg_at_end"] = os.getloadavg()
        table = markdown_table(results, args.score)
        print()
        print(
            f"classifier {info['classifier_version']} on {n:,} pages from {pages_dir.name} ({total_bytes / MB:.1f} MB); "
            f"{info['cpus_usable']} CPUs; Python {info['python']}"
        )
        print()
        print(table)
        print()
        if "missing" in model:
            print(f"model: {model['path']} is missing")
        else:
            print(f"model: {model['path']}, {model['mb']:.2f} MB ({model['bytes']:,} bytes), sha256 {model['sha256'][:12]}…")
        print()
        print(
            "peak MB: classifier rows, the largest sum of PSS over the command's process tree (sampled every "
            f"{args.sample:g} s); largest proc MB, the largest single process's VmHWM. Peer rows: this process's VmHWM during the run."
        )
        print("other load: average cores used by other processes during the run; above ~0.1 the timing was disturbed.")
        print("-j2 ÷ this: classifier -j 2 pages/s divided by the tool's (above 1: classifier faster).")
        print("clean() ÷ this: classifier's clean() a page a call in this process, pages/s divided by the tool's.")
        print("The peers run on one core, a page a call in this process: -j1 ÷ this and clean() ÷ this are the like-for-like figures.")
        noisy = [r.tool for r in results if (r.other_load_cores or 0) > 0.1]
        if noisy:
            notes.append("timings disturbed by other processes (other load > 0.1 cores): " + ", ".join(noisy))
        for r in results:
            if r.note:
                notes.append(f"{r.tool}: {r.note}")
            if r.detail.get("process_peaks_mb"):
                peaks = ", ".join(f"{mb:.0f}" for mb in r.detail["process_peaks_mb"])
                notes.append(f"{r.tool}: each process's own peak (VmHWM), MB: {peaks}")
        for note in notes:
            print(f"note: {note}")
        if profile_lines:
            print()
            print(profile_lines)
        if args.json:
            payload = {
                "machine": info,
                "pages_dir": str(pages_dir),
                "pages": n,
                "pages_bytes": total_bytes,
                "model": model,
                "model_at_end": model_at_end,
                "sample_interval_s": args.sample,
                "results": [asdict(r) for r in results],
                "notes": notes,
                "table_markdown": table,
                "profile": profile_lines,
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(payload, indent=2) + "\n")
            log(f"wrote {args.json}")
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
