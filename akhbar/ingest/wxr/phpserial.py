"""A safe reader for PHP ``serialize()`` output (WordPress post meta).

WordPress stores arrays such as ``_wp_attachment_metadata`` serialised. This
reader understands null, booleans, integers, floats, strings (whose length is
counted in *bytes* of UTF-8, as PHP does) and arrays; it never instantiates
anything: serialised objects (``O:``/``C:``, the vector of PHP object
injection) and references raise :class:`PhpSerialError`. Depth and size are
bounded.
"""

import re

MAX_DEPTH = 32
MAX_ITEMS = 100_000


class PhpSerialError(ValueError):
    """Not a (supported) PHP serialised value."""


_NUM = re.compile(rb"-?\d+(\.\d+)?([eE][-+]?\d+)?|-?INF|NAN")


def loads(data: str | bytes):
    """Decode ``data``; arrays become ``dict`` (keys ``int`` or ``str``). Raises :class:`PhpSerialError`."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    value, end = _read(raw, 0, 0, [0])
    if raw[end:].strip():
        raise PhpSerialError("trailing data")
    return value


def maybe_loads(data: str):
    """``loads(data)`` when it looks serialised and parses; otherwise ``data`` unchanged."""
    if isinstance(data, str) and re.match(r"^(a|s|i|d|b|N)[:;]", data.strip()):
        try:
            return loads(data.strip())
        except PhpSerialError:
            return data
    return data


def _expect(raw: bytes, pos: int, token: bytes) -> int:
    if raw[pos : pos + len(token)] != token:
        raise PhpSerialError(f"expected {token!r} at byte {pos}")
    return pos + len(token)


def _until(raw: bytes, pos: int, stop: bytes) -> tuple[bytes, int]:
    end = raw.find(stop, pos)
    if end < 0:
        raise PhpSerialError(f"unterminated value at byte {pos}")
    return raw[pos:end], end + 1


def _read(raw: bytes, pos: int, depth: int, count: list[int]):
    if depth > MAX_DEPTH:
        raise PhpSerialError("nested too deeply")
    count[0] += 1
    if count[0] > MAX_ITEMS:
        raise PhpSerialError("too many values")
    kind = raw[pos : pos + 2]
    if kind == b"N;":
        return None, pos + 2
    if kind == b"b:":
        text, pos = _until(raw, pos + 2, b";")
        if text not in (b"0", b"1"):
            raise PhpSerialError("bad boolean")
        return text == b"1", pos
    if kind == b"i:":
        text, pos = _until(raw, pos + 2, b";")
        if not re.fullmatch(rb"-?\d+", text):
            raise PhpSerialError("bad integer")
        return int(text), pos
    if kind == b"d:":
        text, pos = _until(raw, pos + 2, b";")
        if not _NUM.fullmatch(text):
            raise PhpSerialError("bad float")
        return float(text.replace(b"INF", b"inf").replace(b"NAN", b"nan")), pos
    if kind == b"s:":
        text, pos = _until(raw, pos + 2, b":")
        if not text.isdigit():
            raise PhpSerialError("bad string length")
        length = int(text)
        pos = _expect(raw, pos, b'"')
        value = raw[pos : pos + length]
        if len(value) != length:
            raise PhpSerialError("string shorter than its length")
        pos = _expect(raw, pos + length, b'";')
        return value.decode("utf-8", errors="replace"), pos
    if kind == b"a:":
        text, pos = _until(raw, pos + 2, b":")
        if not text.isdigit():
            raise PhpSerialError("bad array length")
        size = int(text)
        pos = _expect(raw, pos, b"{")
        result = {}
        for _ in range(size):
            key, pos = _read(raw, pos, depth + 1, count)
            if not isinstance(key, (int, str)):
                raise PhpSerialError("bad array key")
            value, pos = _read(raw, pos, depth + 1, count)
            result[key] = value
        pos = _expect(raw, pos, b"}")
        return result, pos
    raise PhpSerialError(f"unsupported type {kind[:1]!r} at byte {pos}")
