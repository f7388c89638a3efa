""""Did you mean": the nearest spelling that is actually in the index.

For each query word whose stem is not indexed, the suggestion is, in order:
the commonest indexed word with the same name key (another spelling of a
name), else the indexed word with the same first two letters that is most
similar (Levenshtein similarity ≥ ``MIN_SIMILARITY``), the more frequent one
on ties. Suggestions are shown as a word seen in an article (``surface``),
not as a stem.
"""

from __future__ import annotations

from .models import SearchTerm
from .query import Plan
from .ranking import similarity

MIN_SIMILARITY = 0.6
MAX_CANDIDATES = 3000


def _nearest(term: str, key: str, using: str) -> str | None:
    terms = SearchTerm.objects.using(using)
    if key:
        row = terms.filter(term="~" + key, df__gt=0).first()
        if row and row.surface:
            return row.surface
    if len(term) < 3:
        return None
    prefix = term[:2]
    candidates = (
        terms.filter(term__gte=prefix, term__lt=prefix + "\uffff", df__gt=0)
        .exclude(term__startswith="~")
        .order_by("-df")
        .values_list("term", "df", "surface")[:MAX_CANDIDATES]
    )
    best = None
    for candidate, df, surface in candidates:
        if abs(len(candidate) - len(term)) > 2 or not surface:
            continue
        sim = similarity(term, candidate)
        if sim >= MIN_SIMILARITY and (best is None or (sim, df) > best[:2]):
            best = (sim, df, surface)
    return best[2] if best else None


def suggest(plan: Plan, using: str = "default") -> str | None:
    """A corrected query string, or None when every word is indexed or nothing is near."""
    if plan.empty:
        return None
    known = set(SearchTerm.objects.using(using).filter(term__in=[g.term for g in plan.groups], df__gt=0).values_list("term", flat=True))
    replacements = {}
    for g in plan.groups:
        if g.term in known:
            continue
        nearest = _nearest(g.term, g.key, using)
        if nearest and nearest != g.surface:
            replacements[g.surface] = nearest
    if not replacements:
        return None
    words = plan.raw.split()
    return " ".join(replacements.get(w, w) for w in words)
