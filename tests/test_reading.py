from __future__ import annotations

import pytest

from classifier import InputError
from classifier.reading import decode, read_text_file

RUSSIAN = "Подписывайтесь на Telegram РБК. Министерство финансов сообщило о новых правилах для банков и компаний."


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Café au lait".encode(), "Café au lait"),
        ("\ufeffCafé".encode("utf-8"), "Café"),
        ("Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
    ],
)
def test_decode_finds_the_encoding(data, expected):
    assert decode(data) == expected


def test_latin1_text_decodes_to_readable_text():
    text = "Le café de la gare a fermé ses portes après quarante années de service, selon le maire."
    assert "fermé" in decode(text.encode("latin-1"))


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(0, 32)) * 10])
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode(data, "x.bin")


def test_read_text_file_refuses_empty_and_oversized(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ")
    with pytest.raises(InputError, match="empty"):
        read_text_file(empty)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(InputError, match="over the limit"):
        read_text_file(big, max_bytes=100)
    with pytest.raises(InputError, match="cannot read"):
        read_text_file(tmp_path / "missing.txt")
