"""akhbar's text analyser: one pipeline, applied identically at index and query time.

Pipeline for a piece of text (:func:`analyze`):

1. **Normalise** (:func:`normalize`): Unicode NFKC (folds presentation forms
   pasted from PDFs); remove tatweel (U+0640), harakat and Quranic marks
   (U+0610–U+061A, U+064B–U+065F, U+0670, U+06D6–U+06ED) and invisible
   format characters (ZWNJ, ZWJ, bidi controls); fold alef forms
   (أ إ آ ٱ → ا), ى → ي, ة → ه, ؤ → و, ئ → ي; fold Persian/Urdu letters typed on other keyboards
   (ی ي → ي, ک → ك, ە ۀ → ه, گ → ك, پ → ب, چ → ج, ڤ → ف); fold Arabic-Indic
   (٠–٩) and Eastern Arabic-Indic (۰–۹) digits to ASCII; lower-case Latin.
   These are the standard conflations of Arabic IR (Larkey et al. 2002;
   Lucene's ``ArabicNormalizer``).
2. **Tokenise**: maximal runs of one script: Arabic letters, Latin letters or
   digits (``ب2018`` → ``ب``, ``2018``).
3. **Stop words**: a list of Arabic function words (also with a leading و)
   and common English ones are dropped (:data:`ARABIC_STOPWORDS`).
4. **Stem**: the bare hamza ء is dropped (so ``سعداء`` = ``سعدا``, while the
   stop-word test still tells ``ولاء`` from ``ولا``), then Arabic words with the *light10* light stemmer of Larkey,
   Ballesteros and Connell ("Improving Stemming for Arabic Information
   Retrieval: Light Stemming and Co-occurrence Analysis", SIGIR 2002; and
   "Light Stemming for Arabic Information Retrieval", in *Arabic
   Computational Morphology*, Springer 2007): strip a leading و when three
   or more letters remain, one definite article (ال وال بال كال فال لل) when
   two or more remain, then each of the suffixes ها ان ات ون ين يه ية ه ة ي
   once, right to left, when two or more remain. The benchmark
   (``bench/search``) measured light10 against Snowball Arabic (PyStemmer)
   and light10 retrieves better on news queries; :data:`STEMMER` selects it.
   Latin words are stemmed with Snowball English (PyStemmer).
5. **Name keys** (:func:`name_key`): a consonant *skeleton* of each Arabic
   word, tolerant of the way foreign names are transliterated (vowel letters
   dropped, hamza seats dropped, letters that render the same foreign sound
   folded: غ ج ق ك, ت ط, س ص ث ز ذ ظ, د ض, تش → ش, final ه dropped). It is
   indexed beside the stems and matched with a lower weight, so
   ``بلينكين`` finds ``بلينكن`` and ``غوغل`` finds ``جوجل`` while an exact
   spelling still ranks first.

All functions are pure and cached per word; they are safe to call from any
thread.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

# --- 1. normalisation ---------------------------------------------------------

TATWEEL = "\u0640"
#: Harakat, Quranic annotation marks, superscript alef and format characters to delete.
_DELETE = (
    [TATWEEL]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"]
    + ["\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad"]
)
_FOLD = {
    # alef forms
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", "\u0672": "\u0627", "\u0673": "\u0627",
    # alef maqsura, yeh with hamza, Persian/Urdu yeh
    "\u0649": "\u064a", "\u0626": "\u064a", "\u06cc": "\u064a", "\u06d0": "\u064a", "\u06d2": "\u064a",
    # teh marbuta, Persian heh forms
    "\u0629": "\u0647", "\u06d5": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06be": "\u0647",
    # waw with hamza
    "\u0624": "\u0648",
    # keheh, gaf -> kaf; peh -> beh; tcheh -> jeem; veh -> feh
    "\u06a9": "\u0643", "\u06af": "\u0643", "\u067e": "\u0628", "\u0686": "\u062c", "\u06a4": "\u0641",
}
_DIGITS = {ord("\u0660") + i: str(i) for i in range(10)} | {ord("\u06f0") + i: str(i) for i in range(10)}
_TABLE = {ord(c): None for c in _DELETE} | {ord(k): v for k, v in _FOLD.items()} | _DIGITS


def normalize(text: str) -> str:
    """Return ``text`` normalised for matching (step 1 above); lengths may change.

    >>> normalize("إِسْرائيل")
    'اسراييل'
    """
    return unicodedata.normalize("NFKC", text).translate(_TABLE).lower()


# --- 2. tokenisation ----------------------------------------------------------

#: After normalisation: runs of Arabic letters, of Latin (incl. accented) letters, or of digits.
_TOKEN = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]+|[a-z\u00df-\u024f]+|[0-9]+")
_ARABIC_LETTER = re.compile(r"[\u0620-\u06ff]")


def tokenize(normalized: str) -> list[str]:
    """Split normalised text into word tokens (step 2)."""
    return _TOKEN.findall(normalized)


# --- 3. stop words ------------------------------------------------------------

_ARABIC_STOP_SOURCE = """
في من على الى إلى عن مع عند عندما منذ حتى خلال بين بعد قبل ضد نحو لدى حول دون تحت فوق أمام امام وراء
ان أن إن إنه انه أنه إنها انها أنها لأن لان كأن لكن لكنه ولكن بل أو او أم ام ثم إذ اذ إذا اذا لو لولا كي لكي
ما ماذا لماذا كيف أين اين متى هل لا لم لن ليس ليست قد لقد سوف كان كانت كانوا يكون تكون يكونون أصبح اصبح
هو هي هم هما هن أنا انا نحن أنت انت أنتم انتم
هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك اولئك الذي التي الذين اللذين اللتين اللواتي اللاتي هنا هناك
كل بعض غير أي اي أيضا ايضا فقط جدا كما مثل عبر وفق وفقا إلا الا سوى كذلك حيث بينما فيما مما ممن عما
به بها بهم له لها لهم لهما فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه اليه إليها اليها عنه عنها
التى الذى هى
"""
_ENGLISH_STOP = frozenset(
    "a an and are as at be by for from has have he in is it its of on or that the this to was were will with".split()
)


def _stop_forms(words: str) -> frozenset[str]:
    out: set[str] = set()
    for word in words.split():
        for token in tokenize(normalize(word)):
            out.add(token)
    return frozenset(out)


#: Arabic stop words in normalised form (a leading و is also accepted: ``وفي``).
ARABIC_STOPWORDS = _stop_forms(_ARABIC_STOP_SOURCE)


def is_stopword(token: str) -> bool:
    """True for a normalised token that is a function word (Arabic or English)."""
    if token in ARABIC_STOPWORDS or token in _ENGLISH_STOP:
        return True
    if len(token) == 1 and not token.isdigit() and is_arabic(token):
        return True  # a stray proclitic (ب in ب2018) or letter
    return len(token) > 2 and token[0] == "و" and token[1:] in ARABIC_STOPWORDS


# --- 4. stemming ---------------------------------------------------------------

_LIGHT10_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_LIGHT10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")  # ية/ة appear as يه/ه after normalisation


def strip_proclitics(word: str) -> str:
    """light10's prefix step: a leading و (≥ 3 letters left), then one definite article (≥ 2 left)."""
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for article in _LIGHT10_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article):]
    return word


def light10(word: str) -> str:
    """Larkey et al.'s light10 stem of a *normalised* Arabic word (see module docstring)."""
    word = strip_proclitics(word)
    for suffix in _LIGHT10_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


_snowball_ar = Stemmer.Stemmer("arabic")
_snowball_en = Stemmer.Stemmer("english")


def snowball_arabic(word: str) -> str:
    """Snowball Arabic stem (PyStemmer) of a normalised word, renormalised (it may emit ة/ى)."""
    return normalize(_snowball_ar.stemWord(word))


#: Which Arabic stemmer the site uses: "light10" (measured better, see docs/benchmarks.md) or "snowball".
STEMMER = "light10"
_STEMMERS = {"light10": light10, "snowball": snowball_arabic}


def is_arabic(token: str) -> bool:
    return bool(_ARABIC_LETTER.match(token))


@lru_cache(maxsize=500_000)
def stem(token: str, stemmer: str | None = None) -> str:
    """Stem of a normalised, non-stop token: Arabic via :data:`STEMMER`, Latin via Snowball English, digits as is."""
    if token[0].isdigit():
        return token
    if is_arabic(token):
        # the bare hamza is dropped here, after the stop-word test (ولاء is not ولا)
        return _STEMMERS[stemmer or STEMMER](token.replace("\u0621", "") or token)
    return _snowball_en.stemWord(token)


# --- 5. name keys ----------------------------------------------------------------

_KEY_DROP = "اويىء"
_KEY_FOLD = str.maketrans(
    {
        "غ": "ك", "ج": "ك", "ق": "ك", "ك": "ك",
        "ط": "ت",
        "ص": "س", "ث": "س", "ز": "س", "ذ": "س", "ظ": "س",
        "ض": "د",
    }
)
#: The folds and, in the same pass, the vowel letters and hamza dropped (what a key keeps).
_KEY_TABLE = {**_KEY_FOLD, **{ord(ch): None for ch in _KEY_DROP}}
#: Shortest skeleton used to match a whole word (shorter ones collide with too many words).
MIN_KEY_LENGTH = 3


@lru_cache(maxsize=500_000)
def name_key(token: str) -> str:
    """The transliteration-tolerant skeleton of a normalised Arabic token ('' for other tokens).

    Proclitics are stripped as in light10; then تش → ش, ته/ثه → ت/ث (English
    "th"), a final ه (teh marbuta) and the vowel letters ا و ي are dropped and
    look-alike foreign sounds folded (غ ج ق ك → ك; ط → ت; ص ث ز ذ ظ → س; ض → د):
    ``بلينكين`` and ``بلينكن`` → ``بلنكن``; ``تشيلسي`` and ``تشلسي`` → ``شلس``.
    """
    if not is_arabic(token):
        return ""
    word = strip_proclitics(token).replace("تش", "ش").replace("ثه", "ث").replace("ته", "ت")
    if len(word) > 2 and word.endswith("ه"):
        word = word[:-1]
    return word.translate(_KEY_TABLE)


@lru_cache(maxsize=200_000)
def sound_fold(word: str) -> str:
    """A word with the name-key letter folds applied but its vowels kept
    (``غوغل`` and ``جوجل`` → ``كوكل``): what :func:`akhbar.search.ranking.similarity` compares."""
    return word.replace("تش", "ش").translate(_KEY_FOLD)


def join_keys(*keys: str) -> str:
    """Skeleton of words written together (``بيونغ يانغ`` → that of ``بيونغيانغ``)."""
    return "".join(keys)


# --- the whole pipeline ------------------------------------------------------------

#: A word of the *original* text: letters, digits, and the marks/tatweel/joiners inside it.
WORD = _WORD = re.compile(r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u200c\u200d]+")


@lru_cache(maxsize=1_000_000)
def analyze_word(word: str, stemmer: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """Analyse one original word: ``((term, key, token), ...)``, usually one triple
    (none for a stop word, two for ``ب2018``). ``key`` is '' for non-Arabic tokens."""
    out = []
    for token in tokenize(normalize(word)):
        if not is_stopword(token):
            out.append((stem(token, stemmer), name_key(token), token))
    return tuple(out)


@dataclass
class Analysed:
    """Analysed text: ``terms`` are stems in order (stop words removed); ``keys`` the
    name skeletons of the same words ('' when a word has none), aligned with ``terms``;
    ``surfaces`` the original words the terms came from (harakat and tatweel removed)."""

    terms: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)


_SURFACE_DELETE = {ord(c): None for c in _DELETE}


def analyze(text: str, stemmer: str | None = None) -> Analysed:
    """Run the whole pipeline over ``text`` (any length; ``''`` gives empty lists)."""
    out = Analysed()
    if not text:
        return out
    pairs = [(word, triple) for word in _WORD.findall(text) for triple in analyze_word(word, stemmer)]
    out.terms = [triple[0] for _w, triple in pairs]
    out.keys = [triple[1] for _w, triple in pairs]
    out.surfaces = [word for word, _t in pairs]
    return out


def surface_form(word: str) -> str:
    """An original word with harakat, tatweel and invisible marks removed (hamza kept)."""
    return unicodedata.normalize("NFC", word).translate(_SURFACE_DELETE)


def analyze_terms(text: str, stemmer: str | None = None) -> list[str]:
    """Only the stems of :func:`analyze` (what is indexed and what a query is matched on)."""
    return analyze(text, stemmer).terms


def same_term(a: str, b: str) -> bool:
    """True when two words analyse to the same single stem (used by the analyser test table)."""
    ta, tb = analyze_terms(a), analyze_terms(b)
    return bool(ta) and ta == tb


def same_name(a: str, b: str) -> bool:
    """True when two (possibly multi-word) names have the same skeleton key."""
    ka = join_keys(*analyze(a).keys)
    kb = join_keys(*analyze(b).keys)
    return bool(ka) and ka == kb


#: The per-word caches above; :func:`trim_word_caches` empties them.
_WORD_CACHES = (analyze_word, stem, name_key, sound_fold)


def trim_word_caches(max_entries: int = 100_000) -> bool:
    """Empty the per-word caches when one holds more than ``max_entries`` words; True when emptied.

    The caches make repeated words cheap, but over a long bulk run (a large
    import indexes the vocabulary of the whole archive) they would keep
    growing up to their limits (millions of words, hundreds of MB). Bulk
    writers call this between batches so memory stays bounded; a web process
    never needs to.
    """
    if max(cache.cache_info().currsize for cache in _WORD_CACHES) <= max_entries:
        return False
    for cache in _WORD_CACHES:
        cache.cache_clear()
    return True
