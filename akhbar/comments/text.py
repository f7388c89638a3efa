"""Hostile-input handling for comment text: cleaning, folding for matching, links and rendering.

Comments are plain text. What a reader typed is cleaned once, when it is
stored (``clean_name``, ``clean_body``), and escaped every time it is shown
(``render_body``): no markup ever survives, and the only HTML produced is
``<p>``, ``<br>`` and ``<a rel="nofollow ugc noopener">`` for http(s) links.

Cleaning follows these sources:

* Unicode Standard Annex #15: text is stored in Normalization Form C.
* Unicode TR9 (bidi): the embedding, override and isolate controls
  U+202A–U+202E and U+2066–U+2069 are removed everywhere, so a comment cannot
  reorder the page around it; marks (LRM, RLM, ALM) stay in comment bodies,
  where writers of mixed Arabic/Latin text need them, but not in names.
* Zero-width and invisible characters (ZWSP, word joiner, BOM, soft hyphen,
  invisible operators, Hangul fillers, braille blank...) are removed; ZWJ is
  kept only inside emoji sequences (UTS #51) and ZWNJ only between letters
  (Persian orthography).
* UTS #39 (confusables), loosely: ``fold`` maps look-alike Cyrillic/Greek
  letters, fullwidth and mathematical letters, Arabic letter variants and
  digits to one form for blocklist and duplicate matching (never for display).
"""

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
ZWJ = "\u200d"
ZWNJ = "\u200c"
#: Characters of a letter or symbol category that render as nothing.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
LINE_BREAKS = frozenset("\n\x0b\x0c\x85\u2028\u2029")
BLACK_FLAG = "\U0001f3f4"
#: More combining marks than this on one character are dropped ("Zalgo" text);
#: fully vowelled Arabic needs at most three (shadda + vowel + dagger alef).
MAX_COMBINING = 4

URL_RE = re.compile(r"(?i)(?:https?://|www\.)[^\s<>\"'\u00ab\u00bb\u201c\u201d\u2018\u2019]+")
_TRAILING = ".,;:!?\u060c\u061b\u061f\u2026)]}*_~'\"\u00bb"
LINK_REL = "nofollow ugc noopener"
LINK_TEXT_MAX = 60


class UnreadableText(ValueError):
    """The submitted text contains NUL bytes or bytes that were not valid UTF-8.

    ``code`` is ``"nul"`` or ``"invalid_utf8"``.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_readable(value: str) -> None:
    """Raise ``UnreadableText`` for NUL characters or U+FFFD.

    Django decodes form data as UTF-8 with ``errors="replace"``, so bytes that
    are not valid UTF-8 arrive as U+FFFD REPLACEMENT CHARACTER.
    """
    if "\x00" in value:
        raise UnreadableText("nul")
    if "\ufffd" in value:
        raise UnreadableText("invalid_utf8")


def _is_tag(ch: str) -> bool:
    return "\U000e0020" <= ch <= "\U000e007f"


def _is_emoji_part(ch: str) -> bool:
    if not ch:
        return False
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _is_letter(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "LM"


def scrub(text: str, *, multiline: bool) -> str:
    """NFC-normalise ``text`` and drop controls, bidi embeddings/overrides/isolates and invisibles.

    ``multiline=False`` (names) also drops bidi marks and turns line breaks into
    spaces. NUL is dropped here too; call ``check_readable`` first to report it.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    combining = 0
    for index, ch in enumerate(text):
        if ch in LINE_BREAKS:
            out.append("\n" if multiline else " ")
            combining = 0
            continue
        category = unicodedata.category(ch)
        if ch == "\t" or category == "Zs":
            out.append(" ")
            combining = 0
            continue
        if category in ("Cc", "Cs", "Co", "Cn") or ch in INVISIBLE:
            continue
        if category == "Cf":
            previous = out[-1] if out else ""
            following = text[index + 1] if index + 1 < len(text) else ""
            keep = (
                (ch == ZWJ and _is_emoji_part(previous) and _is_emoji_part(following))
                or (ch == ZWNJ and _is_letter(previous) and _is_letter(following))
                or (multiline and ch in BIDI_MARKS)
                or (_is_tag(ch) and (previous == BLACK_FLAG or _is_tag(previous)))
            )
            if keep:
                out.append(ch)
            continue
        if category in ("Mn", "Me"):
            if not out or out[-1] in " \n" or combining >= MAX_COMBINING:
                continue
            combining += 1
        else:
            combining = 0
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def clean_name(raw: str) -> str:
    """A commenter's name as stored: one line, NFC, no invisible or bidi characters, single spaces."""
    return " ".join(scrub(raw, multiline=False).split())


def clean_body(raw: str) -> str:
    """A comment as stored: NFC, no controls or bidi embeddings, ``\\n`` line ends, at most one blank line in a row."""
    text = scrub(raw, multiline=True)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_email(raw: str) -> str:
    """An email address as stored and compared: stripped and lower-cased."""
    return scrub(raw, multiline=False).strip().lower()


def has_letter_or_digit(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


_FOLD = str.maketrans(
    {
        "\u0649": "\u064a",  # alef maksura → yeh
        "\u06cc": "\u064a",  # Farsi yeh → yeh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u0671": "\u0627",  # alef wasla → alef
        "\u06a9": "\u0643",  # keheh → kaf
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
        # Cyrillic and Greek letters that look Latin (after casefold).
        "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
        "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d",
        "\u03bf": "o", "\u03b1": "a", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03c1": "p",
        "\u03c4": "t", "\u03c5": "u",
    }
)


def fold(text: str) -> str:
    """A matching key for ``text``: compatibility-decomposed, without marks, tatweel or format characters,
    case-folded, look-alikes unified, whitespace collapsed. Never shown to anyone."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf", "Cc") and ch != "\u0640")
    text = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return " ".join(text.split())


def fingerprint(body: str) -> str:
    """SHA-256 (hex) of the folded letters and digits of ``body``: equal for copies that differ only in
    spacing, punctuation, case, diacritics or invisible characters."""
    key = "".join(ch for ch in fold(body) if ch.isalnum())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def find_links(text: str) -> list[str]:
    """The http(s) and ``www.`` links in ``text``, as they would be made clickable."""
    return [link for link, _ in _link_spans(text)]


def _link_spans(text: str):
    for match in URL_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        href = url if "://" in url else "https://" + url
        try:
            parts = urlsplit(href)
        except ValueError:
            continue
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
            continue
        yield url, match.start()


def _linkify(line: str) -> str:
    html, position = [], 0
    for url, start in _link_spans(line):
        html.append(escape(line[position:start]))
        href = url if "://" in url else "https://" + url
        label = url if len(url) <= LINK_TEXT_MAX else url[: LINK_TEXT_MAX - 1] + "\u2026"
        html.append(f'<a href="{escape(href)}" rel="{LINK_REL}" dir="ltr">{escape(label)}</a>')
        position = start + len(url)
    html.append(escape(line[position:]))
    return "".join(html)


def render_body(text: str) -> SafeString:
    """HTML for a stored comment: paragraphs at blank lines, ``<br>`` at line breaks, links clickable.

    Everything else is escaped, so the result contains no markup from the reader.
    """
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return mark_safe(
        "".join("<p>" + "<br>".join(_linkify(line) for line in p.split("\n")) + "</p>" for p in paragraphs)
    )
