"""A deterministic known-item query set made from the corpus, with a spelling-variant twin each.

For the first ``n`` corpus records in sha1(id) order: take 2–4 consecutive
content words (Arabic, not stop words, 3+ letters) from the headline (70%) or
the first paragraph (30%): the run of that length whose words are rarest in
the corpus (highest summed IDF of the words as written, harakat removed), as a
reader recalls a story by its distinctive words; the twin applies 1–2
variant rules a reader produces (hamza dropped or added, ة→ه, ى↔ي, harakat
added, ال added/dropped, و added, digits in the other script). Generated at
run time (no corpus text is stored in the repository).
"""

from __future__ import annotations

import hashlib
import re

from common import read_corpus

_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{3,}$")
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]
STOP = set(
    "في من على إلى الى عن مع أن إن ما لا لم لن قد كان كانت هذا هذه ذلك التي الذي بعد قبل خلال بين حتى أو ثم كل بعض غير".split()
)


def _h(*parts) -> int:
    return int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest(), 16)


def _content(words):
    return [i for i, w in enumerate(words) if _ARABIC_WORD.match(w) and w not in STOP]


def _rules(word: str, seed: int):
    """Applicable (name, new word) variants of ``word``."""
    out = []
    if re.search("[أإآ]", word):
        out.append(("hamza_drop", re.sub("[أإآ]", "ا", word)))
    elif word.startswith("ا") and len(word) > 3 and not word.startswith("ال"):
        out.append(("hamza_add", "أ" + word[1:]))
    if word.endswith("ة"):
        out.append(("taa_marbuta", word[:-1] + "ه"))
    if word.endswith("ى"):
        out.append(("alef_maqsura", word[:-1] + "ي"))
    elif word.endswith("ي"):
        out.append(("alef_maqsura", word[:-1] + "ى"))
    pos = 1 + seed % max(1, len(word) - 1)
    out.append(("diacritics_add", word[:pos] + HARAKAT[seed % len(HARAKAT)] + word[pos:]))
    if word.startswith("ال") and len(word) > 4:
        out.append(("article_drop", word[2:]))
    elif not word.startswith(("ال", "و", "ب", "ل", "ف", "ك")):
        out.append(("article_add", "ال" + word))
    if not word.startswith("و"):
        out.append(("waw_add", "و" + word))
    return out


def _plain(word: str) -> str:
    return re.sub("[\u064b-\u0652\u0640]", "", word)


def make_queries(n: int = 300, max_line: int | None = None) -> list[dict]:
    """``[{"qid", "query", "variant_query", "target_id", "rules_applied", "field"}]``, targets
    drawn from the first ``max_line`` corpus records (all when None)."""
    import math
    from collections import Counter

    everything = [(line, r) for line, r in read_corpus()]
    df = Counter()
    for _line, r in everything:
        df.update({_plain(w) for w in re.findall(r"[\w\u064b-\u0652]+", r.title + " " + " ".join(r.paragraphs))})
    total = len(everything)
    records = sorted(
        (r for line, r in everything if max_line is None or line <= max_line),
        key=lambda r: hashlib.sha1(r.id.encode()).hexdigest(),
    )
    out = []
    for record in records:
        if len(out) >= n:
            break
        seed = _h(record.id)
        field = "title" if seed % 10 < 7 else "lead"
        text = record.title if field == "title" else record.paragraphs[0]
        words = re.findall(r"[\w\u064b-\u0652]+", text)
        content = _content(words)
        if len(content) < 2:
            continue
        size = 2 + seed % 3
        # runs of consecutive content words
        runs, run = [], [content[0]]
        for i in content[1:]:
            if i == run[-1] + 1:
                run.append(i)
            else:
                runs.append(run)
                run = [i]
        runs.append(run)
        runs = [r for r in runs if len(r) >= 2]
        if not runs:
            continue
        size = min(size, max(len(r) for r in runs))
        best = None
        for r in runs:
            for k in range(len(r) - size + 1):
                window = r[k : k + size]
                weight = sum(math.log(total / max(1, df[_plain(words[i])])) for i in window)
                if best is None or weight > best[0]:
                    best = (weight, window[0])
        start = best[1]
        query_words = words[start : start + size]
        digits = [i for i, w in enumerate(words) if w.isdigit() and start <= i < start + size]
        variant = list(query_words)
        applied = []
        picks = min(1 + seed % 2, len(variant))
        first = _h(record.id, "w") % len(variant)
        for k in range(picks):
            j = (first + k) % len(variant)  # a different word for each rule
            options = _rules(variant[j], _h(record.id, "r", k))
            name, new = options[_h(record.id, "o", k) % len(options)]
            applied.append(f"{name}:{variant[j]}→{new}")
            variant[j] = new
        for i in digits:
            trans = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
            variant[i - start] = variant[i - start].translate(trans)
            applied.append("digits")
        out.append(
            {
                "qid": f"own{len(out)}",
                "query": " ".join(query_words),
                "variant_query": " ".join(variant),
                "target_id": record.id,
                "equivalent_ids": [],
                "rules_applied": applied,
                "field": field,
            }
        )
    return out


if __name__ == "__main__":
    import json

    from common import setup_django

    setup_django()
    for row in make_queries(20):
        print(json.dumps(row, ensure_ascii=False))
