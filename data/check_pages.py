"""Check .page files for format errors: python data/check_pages.py data/pages/GROUP"""
import re
import sys
from pathlib import Path

LINE = re.compile(r"^([RON])([+>]?) (.*\S.*)$")
META = re.compile(r"^# ([a-z-]+): (.+)$")


def check(path: Path) -> list[str]:
    problems = []
    meta: dict[str, str] = {}
    pieces = 0
    comments = 0
    labels = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = META.match(line)
            if m and pieces == 0:
                meta[m.group(1)] = m.group(2)
            continue
        if line.strip() == "== comments":
            comments += 1
            continue
        m = LINE.match(line)
        if not m:
            problems.append(f"{path}:{n}: not 'CODE[JOIN] TEXT': {line[:60]!r}")
            continue
        if pieces == 0 and m.group(2):
            problems.append(f"{path}:{n}: the first piece cannot join a previous one")
        pieces += 1
        labels.add(m.group(1))
    for key in ("style", "lang", "blank-lines"):
        if key not in meta:
            problems.append(f"{path}: missing '# {key}: ...'")
    if meta.get("blank-lines") not in (None, "yes", "no"):
        problems.append(f"{path}: blank-lines must be yes or no")
    if comments > 1:
        problems.append(f"{path}: '== comments' more than once")
    if pieces < 5:
        problems.append(f"{path}: fewer than 5 pieces")
    return problems


if __name__ == "__main__":
    files = [p for a in sys.argv[1:] for p in (sorted(Path(a).rglob("*.page")) if Path(a).is_dir() else [Path(a)])]
    bad = [msg for f in files for msg in check(f)]
    print("\n".join(bad) or f"{len(files)} files OK")
    sys.exit(1 if bad else 0)
