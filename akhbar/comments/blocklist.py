"""Matching comments against the editor-managed blocklist (``BlockedTerm``).

The compiled blocklist is kept per process and rebuilt when the version
stamp in the shared cache changes; ``bump_version`` writes a new random stamp
whenever an entry is saved or deleted (``signal_handlers``), so every worker
sees an edit on its next comment. A stamp missing from the cache (evicted,
flushed) also forces a reload.
"""

import ipaddress
import re
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache

from .text import fold

VERSION_KEY = "comments:blocklist:version"
#: Attached Arabic prefixes a blocked Arabic word may carry: و/ف, then ب/ل/ك, then ال.
ARABIC_PREFIXES = "(?:[\u0648\u0641]?(?:[\u0628\u0644\u0643]?\u0627\u0644|\u0644\u0644|[\u0628\u0644\u0643])?)"
_SEVERITY = {"hold": 1, "spam": 2, "reject": 3}


@dataclass
class Match:
    """The strongest blocklist action that applies (``hold`` < ``spam`` < ``reject``) and why."""

    action: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class CompiledBlocklist:
    words: list[tuple[re.Pattern, str, str]]  # (pattern, action, entry)
    emails: dict[str, str]  # address or "@domain" -> action
    networks: list[tuple[ipaddress._BaseNetwork, str]]


_compiled: tuple[str, CompiledBlocklist] | None = None


def word_pattern(value: str) -> re.Pattern:
    """A regular expression matching the blocked word or phrase ``value`` in folded text.

    Whole words by default; ``*`` at the start or end allows longer words on that
    side. Arabic words also match with attached prefixes (و، ف، ب، ل، ك، ال).
    """
    starred_start, starred_end = value.startswith("*"), value.endswith("*")
    term = fold(value.strip("*"))
    body = r"\s+".join(re.escape(part) for part in term.split())
    start = "" if starred_start else r"(?<!\w)"
    if not starred_start and term and "\u0600" <= term[0] <= "\u06ff":
        start += ARABIC_PREFIXES
    end = "" if starred_end else r"(?!\w)"
    return re.compile(start + body + end)


def bump_version() -> str:
    """Tell every process to reload the blocklist; returns the new stamp."""
    stamp = uuid.uuid4().hex
    cache.set(VERSION_KEY, stamp, timeout=None)
    return stamp


def _load() -> CompiledBlocklist:
    from .models import BlockedTerm

    words, emails, networks = [], {}, []
    for entry in BlockedTerm.objects.all().only("kind", "value", "action"):
        if entry.kind == BlockedTerm.Kind.WORD:
            if fold(entry.value.strip("*")):
                words.append((word_pattern(entry.value), entry.action, entry.value))
        elif entry.kind == BlockedTerm.Kind.EMAIL:
            emails[entry.value.strip().lower()] = entry.action
        elif entry.kind == BlockedTerm.Kind.IP:
            try:
                networks.append((ipaddress.ip_network(entry.value, strict=False), entry.action))
            except ValueError:
                continue
    return CompiledBlocklist(words, emails, networks)


def compiled() -> CompiledBlocklist:
    """The current blocklist, reloaded from the database when its version changed."""
    global _compiled
    version = cache.get(VERSION_KEY) or bump_version()
    if _compiled is None or _compiled[0] != version:
        _compiled = (version, _load())
    return _compiled[1]


def check(*, name: str, body: str, email: str, ip: str | None) -> Match | None:
    """The blocklist verdict for a comment, or ``None`` when nothing matches.

    Reasons name the kind of entry that matched (``word``, ``email``, ``ip``)
    and, for moderators, the entry itself.
    """
    blocklist = compiled()
    found: list[tuple[str, str]] = []
    text = fold(name) + "\n" + fold(body)
    for pattern, action, entry in blocklist.words:
        if pattern.search(text):
            found.append((action, f"word:{entry}"))
    email = (email or "").lower()
    domain = "@" + email.rpartition("@")[2] if "@" in email else None
    for key in (email, domain):
        if key and key in blocklist.emails:
            found.append((blocklist.emails[key], f"email:{key}"))
    if ip:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            address = None
        for network, action in blocklist.networks:
            if address is not None and address.version == network.version and address in network:
                found.append((action, f"ip:{network}"))
    if not found:
        return None
    action = max((a for a, _ in found), key=_SEVERITY.__getitem__)
    return Match(action, [reason for _, reason in found])
