"""The analyser, table-driven: real word pairs that must, and must not, match.

``same_term(a, b)``: both analyse to the same single index term (normalisation,
stop words and light10 stemming). ``same_name(a, b)``: same transliteration
skeleton (name keys), the fallback for foreign names.
"""

import pytest

from akhbar.search.analysis import (
    ARABIC_STOPWORDS,
    analyze,
    analyze_terms,
    light10,
    name_key,
    normalize,
    same_name,
    same_term,
    snowball_arabic,
)

# (typed by a reader, as written in an article, why)
MUST_MATCH = [
    # hamza on alef: أ إ آ ٱ → ا
    ("احمد", "أحمد", "hamza above"),
    ("اسرائيل", "إسرائيل", "hamza below"),
    ("إسرائيل", "اسرائيل", "bare alef in text"),
    ("الاف", "آلاف", "madda"),
    ("امريكا", "أمريكا", "hamza above"),
    ("ايران", "إيران", "hamza below"),
    ("الامم", "الأمم", "hamza above after al-"),
    ("اردوغان", "أردوغان", "hamza above"),
    ("اعلان", "إعلان", "hamza below"),
    ("اكثر", "أكثر", "hamza above"),
    ("الامارات", "الإمارات", "hamza below after al-"),
    ("اوروبا", "أوروبا", "hamza above"),
    ("اسعار", "أسعار", "hamza above"),
    ("انتاج", "إنتاج", "hamza below"),
    ("اخر", "آخر", "madda"),
    ("الأنفرادي", "الانفرادي", "hamza added by the reader"),
    ("إستراتجية", "استراتجية", "hamza added by the reader"),
    ("ٱلكتاب", "الكتاب", "alef wasla"),
    ("تاهب", "تأهب", "hamza above inside"),
    ("لاستوري", "لأستوري", "hamza after lam"),
    # hamza seats ؤ ئ and bare ء
    ("سوال", "سؤال", "hamza on waw dropped"),
    ("رييس", "رئيس", "hamza on yeh dropped"),
    ("هييه", "هيئة", "hamza on yeh + teh marbuta"),
    ("بييه", "بيئة", "hamza on yeh + teh marbuta"),
    ("الجزاير", "الجزائر", "hamza on yeh"),
    ("للاجيين", "للاجئين", "hamza seat dropped"),
    ("سعدا", "سعداء", "final hamza dropped"),
    ("لاعتدا", "لاعتداء", "final hamza dropped"),
    ("للكهربا", "للكهرباء", "final hamza dropped"),
    ("شيما", "شيماء", "final hamza dropped"),
    ("قراءه", "قراءة", "teh marbuta with hamza word"),
    # teh marbuta ة → ه
    ("المدرسه", "المدرسة", "teh marbuta"),
    ("الحكومه", "الحكومة", "teh marbuta"),
    ("القاهره", "القاهرة", "teh marbuta"),
    ("جامعه", "جامعة", "teh marbuta"),
    ("شركه", "شركة", "teh marbuta"),
    ("سياسه", "سياسة", "teh marbuta"),
    ("مدينه", "مدينة", "teh marbuta"),
    ("الدوله", "الدولة", "teh marbuta"),
    ("فرصه", "فرصة", "teh marbuta"),
    ("الصحه", "الصحة", "teh marbuta"),
    ("قمه", "قمة", "teh marbuta"),
    ("الثقافه", "الثقافة", "teh marbuta"),
    ("الرياضه", "الرياضة", "teh marbuta"),
    ("المنطقه", "المنطقة", "teh marbuta"),
    ("القضيه", "القضية", "teh marbuta after yeh"),
    ("الروسيه", "الروسية", "teh marbuta after yeh"),
    ("الجيوسياسيه", "الجيوسياسية", "teh marbuta after yeh"),
    ("الحياه", "الحياة", "teh marbuta after alef"),
    # alef maqsura ى ↔ ي
    ("مصطفي", "مصطفى", "alef maqsura"),
    ("موسي", "موسى", "alef maqsura"),
    ("مستشفى", "مستشفي", "yeh in text, maqsura typed"),
    ("الاقصي", "الأقصى", "maqsura + hamza"),
    ("المستوي", "المستوى", "alef maqsura"),
    ("كبري", "كبرى", "alef maqsura"),
    ("عيسي", "عيسى", "alef maqsura"),
    ("يحيي", "يحيى", "alef maqsura"),
    ("الدعوي", "الدعوى", "alef maqsura"),
    ("سعودى", "سعودي", "maqsura typed for yeh"),
    ("تركى", "تركي", "maqsura typed for yeh"),
    ("التاكسى", "التاكسي", "maqsura typed for yeh"),
    # harakat, shadda, tanween
    ("الرَّئِيس", "الرئيس", "harakat"),
    ("الحُكُومَة", "الحكومة", "harakat"),
    ("مُحَمَّد", "محمد", "harakat and shadda"),
    ("تمهيداً", "تمهيدا", "tanween"),
    ("جرّاء", "جراء", "shadda"),
    ("تطوّر", "تطور", "shadda"),
    ("عُفِرَينّ", "عفرين", "harakat"),
    ("موعِد", "موعد", "kasra"),
    ("دولاراً", "دولارا", "tanween fath"),
    ("تُدخل", "تدخل", "damma"),
    ("فيسبْوك", "فيسبوك", "sukun"),
    ("الإسلامُ", "الإسلام", "final damma"),
    # tatweel
    ("بالانتـخابات", "بالانتخابات", "tatweel"),
    ("تـنفيذها", "تنفيذها", "tatweel"),
    ("الحكـومة", "الحكومة", "tatweel"),
    ("جـديد", "جديد", "tatweel"),
    ("العـربية", "العربية", "tatweel"),
    ("الـحكومة", "الحكومة", "tatweel after al-"),
    # Persian/Urdu code points typed on another keyboard
    ("رئیس", "رئيس", "Persian yeh"),
    ("الأمریكیة", "الأمريكية", "Persian yeh"),
    ("الفریق", "الفريق", "Persian yeh"),
    ("کتاب", "كتاب", "keheh"),
    ("ایران", "إيران", "Persian yeh + hamza"),
    ("دیگر", "ديكر", "Persian yeh and gaf"),
    # digits
    ("٢٠١٨", "2018", "Arabic-Indic digits"),
    ("١٣", "13", "Arabic-Indic digits"),
    ("۲۰۱۸", "2018", "Eastern Arabic-Indic digits"),
    ("٥٠٠", "500", "Arabic-Indic digits"),
    ("٢١", "21", "Arabic-Indic digits"),
    # presentation forms (text pasted from PDFs): NFKC
    ("\ufe8d\ufedf\ufea4\ufedc\ufeee\ufee3\ufe94", "الحكومة", "presentation forms"),
    ("\ufee3\ufebc\ufeae", "مصر", "presentation forms"),
    # proclitics: و, ال, بال, كال, فال, لل
    ("والحكومة", "الحكومة", "waw + al"),
    ("الحكومة", "حكومة", "al dropped"),
    ("للحكومة", "حكومة", "lil"),
    ("بالحكومة", "الحكومة", "bi + al"),
    ("فالحكومة", "الحكومة", "fa + al"),
    ("كالحكومة", "حكومة", "ka + al"),
    ("وبالحكومة", "حكومة", "wa + bi + al"),
    ("والاقتصاد", "اقتصاد", "waw + al"),
    ("واختراق", "اختراق", "waw added"),
    ("والمدرسة", "مدرسة", "waw + al"),
    ("القراصنة", "قراصنة", "al added"),
    ("المبدعين", "مبدعين", "al added"),
    ("الدول", "دول", "al dropped"),
    ("الخطوط", "خطوط", "al dropped"),
    ("وترتفع", "ترتفع", "waw added"),
    ("وجديدة", "جديدة", "waw added"),
    ("وبسوء", "بسوء", "waw added"),
    ("وفوزهما", "فوزهما", "waw added"),
    ("والسويا", "السويا", "waw dropped"),
    ("المطرودون", "مطرودون", "al dropped"),
    ("السويس", "سويس", "al dropped"),
    # light10 suffixes
    ("اللاعبون", "لاعبين", "-uun / -iin"),
    ("المعلمات", "معلم", "-aat"),
    ("الحكومات", "حكومة", "-aat / -a"),
    ("مصريين", "مصري", "-iin / nisba"),
    ("المصرية", "مصري", "nisba feminine"),
    ("سوريون", "سوري", "-uun"),
    ("العربية", "عربي", "nisba"),
    ("الفلسطينيون", "الفلسطيني", "-uun"),
    ("الأمريكيون", "الأمريكي", "-uun + hamza"),
    ("اللاجئين", "لاجئ", "-iin + hamza seat"),
    ("مدينتان", "مدينت", "dual -aan"),
    ("رئيسها", "رئيس", "-haa"),
    # English
    ("running", "runs", "English stem"),
    ("Elections", "election", "English stem and case"),
    ("Google", "google", "case"),
    ("companies", "company", "English stem"),
]

MUST_NOT_MATCH = [
    ("كتاب", "كاتب", "book / writer"),
    ("مكتب", "كتب", "office / books"),
    ("عالم", "علم", "world / flag"),
    ("سلام", "إسلام", "peace / Islam"),
    ("ذهب", "ذهاب", "gold / going"),
    ("قال", "قيل", "said / it was said"),
    ("ملك", "مالك", "king / owner"),
    ("علم", "عمل", "science / work"),
    ("سفير", "سفر", "ambassador / travel"),
    ("حرب", "حزب", "war / party"),
    ("نفط", "نفق", "oil / tunnel"),
    ("دولار", "دول", "dollar / states"),
    ("بحر", "بحث", "sea / research"),
    ("قتل", "قتال", "killing / fighting"),
    ("مصر", "مصير", "Egypt / fate"),
    ("ضرب", "صرب", "strike / Serbs"),
    ("ظهر", "زهر", "appeared / flowers"),
    ("ثلاثة", "ثلاجة", "three / fridge"),
    ("سائق", "سابق", "driver / former"),
    ("قرار", "فرار", "decision / escape"),
    ("مطار", "مطر", "airport / rain"),
    ("غزة", "عزة", "Gaza / pride"),
    ("ماء", "ما", "water / what (stop word)"),
    ("ولاء", "ولا", "loyalty / nor (stop word)"),
    ("شمال", "شمس", "north / sun"),
    ("لبنان", "لندن", "Lebanon / London"),
    ("نار", "نور", "fire / light"),
    ("بيت", "بنت", "house / girl"),
    ("رئيس", "رئيسة", "president m. / f. differ only by ه → kept apart? no: light10 conflates"),
    ("عام", "عمان", "year / Oman"),
    ("حكم", "حكومة", "rule / government"),
    ("اقتصاد", "اقتصادي", "economy / economic: light10 keeps the nisba ي on short stems? no"),
    ("تركيا", "تركي", "Turkey / Turkish"),
    ("سوريا", "سور", "Syria / wall"),
    ("الأمن", "الأمم", "security / nations"),
    ("قطر", "قطار", "Qatar / train"),
    ("نجم", "نجوم", "star / stars (broken plural is not conflated)"),
    ("Apple", "apply", "English"),
    ("2018", "2019", "numbers"),
    ("١٣", "31", "digits keep their order"),
]

NAMES_MATCH = [
    ("مسئول", "مسؤول"),  # hamza seat ئ/ؤ: different terms, same key (found through the key)
    ("بلينكين", "بلينكن"),
    ("غوغل", "جوجل"),
    ("تشيلسي", "تشلسي"),
    ("زوكربيرغ", "زوكربرغ"),
    ("زوكربيرج", "زوكربرغ"),
    ("إنجلترا", "إنكلترا"),
    ("بيونغ يانغ", "بيونغيانغ"),
    ("جين بينغ", "جينبينغ"),
    ("ترامب", "ترمب"),
    ("بوتين", "بوتن"),
    ("ميركل", "ميركيل"),
    ("نتنياهو", "نتانياهو"),
    ("فيسبوك", "فيس بوك"),
    ("يوتيوب", "يو تيوب"),
    ("مانشستر", "مانشيستر"),
    ("واشنطن", "واشنطون"),
    ("سكريبال", "سكريبل"),
    ("ساوثهامبتون", "ساوثامبتون"),
    ("سوانزي", "سوانسي"),
    ("غريزمان", "جريزمان"),
    ("لاغارد", "لاجارد"),
    ("الكونغو", "الكونجو"),
    ("قازان", "كازان"),
    ("هيغواين", "هيجوين"),
    ("موغيريني", "موغريني"),
    ("تايلاند", "تايلند"),
]

NAMES_DIFFER = [
    ("ماكرون", "ميركل"),
    ("بوتين", "بايدن"),
    ("لندن", "لبنان"),
    ("باريس", "برلين"),
    ("روسيا", "رواندا"),
    ("تركيا", "ترينيداد"),
    ("ترامب", "ترودو"),
    ("غوغل", "غزة"),
    ("نتنياهو", "نيويورك"),
    ("سامسونغ", "سوني"),
]

# Two rows above document known light10 conflations rather than separations; they are
# checked in test_known_light10_conflations instead.
_CONFLATED = {("رئيس", "رئيسة"), ("اقتصاد", "اقتصادي")}


def test_table_has_at_least_150_pairs():
    assert len(MUST_MATCH) + len(MUST_NOT_MATCH) + len(NAMES_MATCH) + len(NAMES_DIFFER) >= 150


@pytest.mark.parametrize("typed, written, why", MUST_MATCH)
def test_variants_match(typed, written, why):
    assert same_term(typed, written), f"{typed} / {written} ({why}): {analyze_terms(typed)} != {analyze_terms(written)}"


@pytest.mark.parametrize("a, b, why", [row for row in MUST_NOT_MATCH if row[:2] not in _CONFLATED])
def test_distinct_words_do_not_match(a, b, why):
    assert not same_term(a, b), f"{a} / {b} ({why}) both analyse to {analyze_terms(a)}"


def test_known_light10_conflations():
    """light10 removes ة/ي suffixes: the masculine/feminine and noun/nisba pairs share a term (by design)."""
    for a, b in _CONFLATED:
        assert same_term(a, b)


@pytest.mark.parametrize("a, b", NAMES_MATCH)
def test_name_spellings_share_a_key(a, b):
    assert same_name(a, b), f"{a}: {analyze(a).keys} / {b}: {analyze(b).keys}"


@pytest.mark.parametrize("a, b", NAMES_DIFFER)
def test_different_names_have_different_keys(a, b):
    assert not same_name(a, b)


def test_stopwords_are_removed_and_normalised():
    assert analyze_terms("قال إنه في المدينة") == ["قال", "مدين"]
    assert normalize("إلى") in ARABIC_STOPWORDS and "التي" in ARABIC_STOPWORDS
    assert analyze_terms("وفي ومن") == []


def test_normalize_keeps_text_otherwise():
    assert normalize("ABC أإآ ى ة ـ ٣") == "abc ااا ي ه  3"


def test_light10_is_larkey_light10():
    # examples worked by hand from Larkey, Ballesteros & Connell (2002)
    assert light10("والكتاب") == "كتاب"
    assert light10("المكتبات") == "مكتب"
    assert light10("وكتب") == "كتب"
    assert light10("لل") == "لل"  # nothing left to strip: kept
    assert light10("بها") == "بها"  # suffix would leave one letter


def test_snowball_is_available_for_comparison():
    assert snowball_arabic("الكتاب")


def test_name_key_folds_transliteration_letters():
    assert name_key("غوغل") == name_key("جوجل") == name_key("قوقل")
    assert name_key("تشيلسي") == "شلس"
    assert name_key("2018") == ""


def test_tokens_split_by_script():
    assert analyze_terms("ب٢٠١٨ iPhone") == ["2018", "iphon"]
