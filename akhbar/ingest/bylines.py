"""Split what an outlet prints above a story into dateline and byline.

Arabic outlets print ``place - name`` (``القاهرة - أحمد الريدي``), ``place -
agency`` (``لندن - رويترز``), ``outlet - name`` (``العربية.نت - إسلام سيف``) or
a name or outlet alone, with varying dashes (``-``, ``–``, ``—``, a spaced
tatweel ``ـ``) and spacing. This module turns such a line into a
:class:`Credit`. Agencies and outlets are recognised from a list of common
Arabic credits, which editors can extend at ``AKHBAR_EXTRA_AGENCIES``.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

#: Wire agencies as Arabic newsrooms credit them (spelling variants included).
AGENCIES = {
    "رويترز", "فرانس برس", "فراني برس", "أ ف ب", "ا ف ب", "أ.ف.ب", "د ب أ", "د.ب.أ", "أسوشيتد برس", "أسوشيتدبرس",
    "أسوشييتد برس", "اسوشيتد برس", "أ ب", "الأناضول", "الاناضول", "واس", "وام", "قنا", "كونا", "بنا", "سانا", "شينخوا",
    "سبوتنيك", "تاس", "إرنا", "ارنا", "وكالات", "وكالة الأنباء الفرنسية", "وكالة الصحافة الفرنسية", "بلومبرغ", "بلومبيرغ",
    "إفي", "آكي", "كيودو", "يونهاب", "رويترز وفرانس برس",
}
#: Outlets (including the corpus's five) whose name can stand in a byline.
OUTLETS = {
    "العربية.نت", "العربية نت", "العربية", "قناة العربية", "سكاي نيوز عربية", "فرانس 24", "فرانس24", "بي بي سي",
    "بي بي سي عربي", "سي إن إن", "سي ان ان", "CNN", "البوابة العربية للأخبار التقنية", "الحدث", "الجزيرة", "الجزيرة نت",
}

_SEPARATORS = re.compile(r"\s*[-–—]\s*|\s+ـ\s*|\s*ـ\s+|\s*/\s*")
_LIST_SEPARATORS = re.compile(r"\s*[،,]\s*|\s+و(?=\S)")
_LETTERS = re.compile(r"[A-Za-z\u0621-\u064a]")
_UUIDISH = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass
class Credit:
    """Parsed credit line: ``dateline`` (place or ""), ``reporters`` (person names),
    ``agencies`` and ``outlets`` (credited organisations)."""

    dateline: str = ""
    reporters: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    @property
    def byline(self) -> str:
        """Organisations credited, as printed text (``رويترز``, ``العربية.نت، وكالات``)."""
        return "، ".join(self.outlets + self.agencies)

    @property
    def is_wire(self) -> bool:
        return bool(self.agencies) and not self.reporters


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return " ".join(text.replace("\u00a0", " ").split()).strip(" .:*")


def _fold(text: str) -> str:
    return re.sub("[أإآ]", "ا", text.replace("ـ", "")).replace(" ", "")


_AGENCY_KEYS = {_fold(a) for a in AGENCIES}
_OUTLET_KEYS = {_fold(o) for o in OUTLETS}


def _extra(name: str) -> set[str]:
    return {_fold(x) for x in getattr(settings, name, [])}


def classify(part: str) -> str:
    """Return ``"agency"``, ``"outlet"`` or ``"other"`` (a person or a place) for one credit part."""
    key = _fold(part)
    if key in _AGENCY_KEYS or key in _extra("AKHBAR_EXTRA_AGENCIES"):
        return "agency"
    if key in _OUTLET_KEYS or key in _extra("AKHBAR_EXTRA_OUTLETS"):
        return "outlet"
    return "other"


def _classify_list(text: str, credit: Credit, default: str) -> None:
    """File each comma/«و»-joined organisation in ``text``; ``default`` decides what an unknown part is."""
    items = [_clean(x) for x in _LIST_SEPARATORS.split(text)] if "،" in text or "," in text else [text]
    if len(items) > 1 and all(classify(i) != "other" for i in items if i):
        for item in items:
            (credit.agencies if classify(item) == "agency" else credit.outlets).append(item)
        return
    kind = classify(text)
    if kind == "agency":
        credit.agencies.append(text)
    elif kind == "outlet":
        credit.outlets.append(text)
    elif default == "reporter":
        credit.reporters.append(text)
    else:
        credit.dateline = text


def parse_credit(text: str | None) -> Credit:
    """Parse a credit line into a :class:`Credit`.

    ``None``, empty text and junk (identifiers with no letters, UUIDs) give an
    empty ``Credit``. Never raises.

    >>> c = parse_credit("القاهرة - أحمد الريدي"); (c.dateline, c.reporters)
    ('القاهرة', ['أحمد الريدي'])
    """
    credit = Credit()
    text = _clean(text or "")
    if not text or _UUIDISH.match(text) or not _LETTERS.search(text):
        return credit
    parts = [p for p in (_clean(x) for x in _SEPARATORS.split(text)) if p]
    if not parts:
        return credit
    if len(parts) == 1:
        _classify_list(parts[0], credit, default="reporter")
        return credit
    first, rest = parts[0], parts[1:]
    if classify(first) != "other" or ("،" in first and all(classify(x) != "other" for x in _LIST_SEPARATORS.split(first))):
        _classify_list(first, credit, default="reporter")
    else:
        credit.dateline = first
    for part in rest:
        _classify_list(part, credit, default="reporter")
    return credit
