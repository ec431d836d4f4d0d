"""Check .page files: python data/check_pages.py data/pages/GROUP (run from the repository root).

Every file is read with the project's own loader (classifier.data.read_page), so a file that
passes here loads in training; this script only adds that a page needs a few pieces at least.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.data import read_page  # noqa: E402
from classifier.errors import DataError  # noqa: E402

#: A page with fewer labelled pieces than this is a stub, not a page.
MIN_PIECES = 5


def check(path: Path) -> list[str]:
    try:
        page = read_page(path)
    except DataError as exc:
        return [str(exc)]
    return [f"{path}: fewer than {MIN_PIECES} pieces"] if len(page.pieces) < MIN_PIECES else []


if __name__ == "__main__":
    files = [p for a in sys.argv[1:] for p in (sorted(Path(a).rglob("*.page")) if Path(a).is_dir() else [Path(a)])]
    bad = [msg for f in files for msg in check(f)]
    print("\n".join(bad) or f"{len(files)} files OK")
    sys.exit(1 if bad else 0)
