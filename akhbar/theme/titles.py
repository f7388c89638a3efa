"""Compose the HTML ``<title>``: headline · section · site, never duplicated."""


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def compose_title(*parts: str, separator: str = " | ") -> str:
    """Join non-empty ``parts`` with ``separator``, dropping repeats.

    A part is dropped when it is empty, equal to an earlier part, or already
    ends an earlier part (a headline that already says "| أخبار السياسة").
    Returns ``str``.
    """
    kept: list[str] = []
    for part in parts:
        part = " ".join((part or "").split())
        if not part:
            continue
        n = _norm(part)
        if any(_norm(k) == n or _norm(k).endswith(n) for k in kept):
            continue
        kept.append(part)
    return separator.join(kept)
