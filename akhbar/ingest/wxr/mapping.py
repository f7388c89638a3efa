"""The mapping file: how WordPress categories, authors and media map to akhbar.

A JSON file given with ``--mapping FILE``; every key is optional::

    {
      "default_section": "منوعات",
      "child_categories": "tags",
      "categories": {
        "أخبار-دولية": {"section": "العالم"},
        "كرة-القدم": {"section": "رياضة"},
        "gulf": {"tag": "الخليج"},
        "spam-category": {"skip": true}
      },
      "authors": {"admin": {"skip": true}, "skynews": {"name": "سكاي نيوز عربية"}},
      "default_credit": "",
      "credit_meta_keys": ["_media_credit"],
      "timezone": "Asia/Riyadh",
      "redirect_site": null
    }

* ``categories`` keys are WordPress category slugs, decoded (``كرة-القدم``,
  not ``%d9%83...``) or as exported; values send the category to a
  ``section`` (slug or title of an existing section, created when missing),
  to a ``tag`` (the category's posts get that tag) or nowhere (``skip``).
* Without a rule: a top-level category becomes a section (an existing one
  with the same slug or title is reused); a child category becomes a tag and
  its posts go to the top-level ancestor's section (``"child_categories":
  "sections"`` makes children sections of their own instead, as nested
  sections are not part of the news model). WordPress's "Uncategorized"
  goes to ``default_section``.
* ``authors`` keys are WordPress logins; ``name`` renames, ``skip`` leaves the
  posts without that byline.
* ``default_credit`` is put on figures whose image has no credit (empty: none
  is invented and the report lists them).
* ``timezone`` is the old site's zone for dates WordPress stored only in local
  time (drafts); by default it is inferred from posts that carry both.
* ``redirect_site`` is the hostname of the Wagtail site the old-URL redirects
  belong to (default: all sites).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

UNCATEGORIZED = {"uncategorized", "غير-مصنف", "غير-مصنفة", "بدون-تصنيف"}
CREDIT_META_KEYS = ["_media_credit", "media_credit", "_wp_attachment_credit", "credit", "photo_credit", "_photo_credit", "_credit"]


class MappingError(ValueError):
    """The mapping file is unreadable or has a wrong value; the message says which key."""


@dataclass
class CategoryRule:
    section: str = ""
    tag: str = ""
    skip: bool = False


@dataclass
class Mapping:
    default_section: str = "منوعات"
    child_categories: str = "tags"
    categories: dict[str, CategoryRule] = field(default_factory=dict)
    authors: dict[str, dict] = field(default_factory=dict)
    default_credit: str = ""
    credit_meta_keys: list[str] = field(default_factory=lambda: list(CREDIT_META_KEYS))
    timezone: str = ""
    redirect_site: str | None = None
    digest: str = ""

    def rule_for(self, slug: str, name: str = "") -> CategoryRule | None:
        """The rule for a category, looked up by exported slug, decoded slug, then name."""
        for key in (slug, unquote(slug), name):
            if key and key in self.categories:
                return self.categories[key]
        return None

    def author_rule(self, login: str) -> dict:
        return self.authors.get(login, {})


def load_mapping(path: str | Path | None) -> Mapping:
    """Read and validate a mapping file; ``None`` gives the defaults. Raises :class:`MappingError`."""
    if path is None:
        mapping = Mapping()
        mapping.digest = hashlib.sha1(b"{}").hexdigest()
        return mapping
    try:
        raw = Path(path).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(f"cannot read mapping file {path}: {exc}") from None
    return mapping_from_dict(data, digest=hashlib.sha1(raw).hexdigest())


def mapping_from_dict(data: dict, digest: str = "") -> Mapping:
    if not isinstance(data, dict):
        raise MappingError("the mapping file must hold a JSON object")
    known = {"default_section", "child_categories", "categories", "authors", "default_credit", "credit_meta_keys", "timezone", "redirect_site"}
    unknown = set(data) - known
    if unknown:
        raise MappingError(f"unknown keys in mapping file: {', '.join(sorted(unknown))}")
    mapping = Mapping(digest=digest or hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest())
    for key in ("default_section", "default_credit", "timezone"):
        if key in data:
            if not isinstance(data[key], str):
                raise MappingError(f"{key} must be a string")
            setattr(mapping, key, data[key].strip())
    if "redirect_site" in data:
        if data["redirect_site"] is not None and not isinstance(data["redirect_site"], str):
            raise MappingError("redirect_site must be a hostname or null")
        mapping.redirect_site = data["redirect_site"]
    if "child_categories" in data:
        if data["child_categories"] not in ("tags", "sections"):
            raise MappingError('child_categories must be "tags" or "sections"')
        mapping.child_categories = data["child_categories"]
    if "credit_meta_keys" in data:
        keys = data["credit_meta_keys"]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise MappingError("credit_meta_keys must be a list of strings")
        mapping.credit_meta_keys = keys
    for slug, rule in (data.get("categories") or {}).items():
        if not isinstance(rule, dict) or not set(rule) <= {"section", "tag", "skip"} or len(rule) != 1:
            raise MappingError(f'categories["{slug}"] must be one of {{"section": ...}}, {{"tag": ...}}, {{"skip": true}}')
        mapping.categories[slug] = CategoryRule(
            section=str(rule.get("section") or "").strip(), tag=str(rule.get("tag") or "").strip(), skip=bool(rule.get("skip"))
        )
    for login, rule in (data.get("authors") or {}).items():
        if not isinstance(rule, dict) or not set(rule) <= {"name", "skip"}:
            raise MappingError(f'authors["{login}"] must be {{"name": ...}} or {{"skip": true}}')
        mapping.authors[login] = rule
    if mapping.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(mapping.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(f"unknown timezone {mapping.timezone!r}") from None
    return mapping
