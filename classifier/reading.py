"""Reading scraped files as text: size limit, binary detection and encoding detection.

UTF-8 is tried first (with or without a byte-order mark), then UTF-16 and UTF-32 by their marks,
then charset-normalizer guesses the legacy encoding (cp1251 from Russian sites, latin-1, …).
Every refusal is an :class:`~classifier.errors.InputError` that says what was wrong.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["decode", "decode_page", "read_bytes", "read_text_file", "DEFAULT_MAX_BYTES"]

#: Files larger than this are refused unless the caller raises the limit: a scraped page is
#: rarely over a megabyte, and a 20 MB "page" is usually a dump or a binary.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: How much of a file is looked at for NUL bytes and control characters to call it binary.
_SNIFF = 8192
#: A share of control characters above this in the sniffed part means binary, not text.
_CONTROL_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def decode(data: bytes, name: str = "input") -> str:
    """Decode a scraped page's bytes into text, or raise :class:`InputError` saying why not."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but does not decode as {encoding}: {exc.reason}") from None
    head = data[:_SNIFF]
    if b"\x00" in head:
        raise InputError(f"{name}: binary file (it contains NUL bytes), not scraped text")
    if head and sum(head.count(c) for c in _CONTROL) / len(head) > _CONTROL_SHARE:
        raise InputError(f"{name}: binary file (too many control characters), not scraped text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: not UTF-8, and no other text encoding fits; convert it to UTF-8 first")
    return str(best)


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fs: Any = None) -> bytes:
    """A file's bytes, or :class:`InputError` when it is over ``max_bytes`` or cannot be read.

    ``fs``, an fsspec filesystem, reads ``path`` from it instead of from the local disk.
    """
    try:
        size = os.stat(path).st_size if fs is None else fs.size(path)
        if size is not None and size > max_bytes:
            raise InputError(f"{path}: {size:,} bytes, over the limit of {max_bytes:,}; raise it with --max-bytes if this really is one page")
        with open(path, "rb") if fs is None else fs.open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: over the limit of {max_bytes:,} bytes")
    return data


def decode_page(data: bytes, name: str) -> str:
    """:func:`decode`, refusing a page with nothing but white space in it."""
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty file (nothing but white space), nothing to clean")
    return text


def read_text_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read one scraped page from disk as text; refuse empty, oversized, binary or unreadable files."""
    return decode_page(read_bytes(path, max_bytes=max_bytes), str(path))
