"""Fill Arabic translations into an app's django.po from a JSON dict and compile it.

Usage: python tools/fill_translations.py akhbar/<app> translations.json
Needs ``polib`` (development only). Existing translations are kept.
"""

import json
import sys
from pathlib import Path

import polib

app, table = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
po_path = app / "locale" / "ar" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(po_path))
po.metadata["Language"] = "ar"
po.metadata["Plural-Forms"] = "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
missing = []
for entry in po:
    if entry.msgid in table and not entry.msgstr:
        entry.msgstr = table[entry.msgid]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    if not entry.msgstr and not entry.msgstr_plural:
        missing.append(entry.msgid)
po.save()
po.save_as_mofile(str(po_path.with_suffix(".mo")))
print(f"{po_path}: {len(po) - len(missing)} translated, missing: {missing}")
