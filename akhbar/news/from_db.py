"""Model instances for database rows without ``Model.__init__`` (pages, comment switches, images).

Django builds every row of a queryset with ``Model.from_db``: it pads the row with ``DEFERRED``
for the columns not selected (a membership test in the selected names for each of the model's
~50 fields), then calls ``cls(*values)``, which sends ``pre_init``, sets each value through the
class attribute of its field (a ``ForeignKey``'s descriptor compares the old value, a
``StreamField``'s converts again what ``from_db_value`` converted) and sends ``post_init``; then
Wagtail's two ``__init__`` overrides test ``if not self.id`` (a new page) and find an id. For the
31 cards of the front page that is ~60 instances and ~1 ms of CPU.

:func:`fast_from_db` gives the same instance by writing the row's values straight into the
instance ``__dict__``, which is what those steps amount to for a row that has an id, when:

* no receiver listens to ``pre_init`` for the model, and to ``post_init`` none but the
  ``update_dimension_fields`` of the model's own ``ImageField`` fields (images and renditions: it does
  nothing for a row whose file, width and height are set, and is called as Django calls it when
  one of them is empty or not selected);
* every selected field's class attribute is one whose assignment on a new instance is a plain
  ``__dict__`` write: Django's ``DeferredAttribute`` and ``ForeignKeyDeferredAttribute``, Django's
  ``FileDescriptor`` and ``ImageFileDescriptor`` (which recomputes dimensions only when replacing
  a file already set, never on a new instance), Wagtail's ``StreamField`` ``Creator`` (its
  ``to_python`` returns a ``StreamValue`` unchanged, and ``from_db_value`` already made one);
* the classes that define ``__init__`` in the model's MRO are the ones above (Django's ``Model``,
  modelcluster's ``ClusterableModel``, Wagtail's ``AbstractPage`` and ``ShowInMenusMixin``, whose
  extra work is only for instances without an id, and Wagtail's ``AbstractImage``, whose
  ``__init__`` sets ``decorative`` and ``contextual_alt_text``: set here too);
* the row's primary key (for a page, ``id``, which Wagtail's ``__init__`` reads) is selected and
  not ``None``.

A file field's value stays the stored name until it is first read (Django's path wraps it in a
``FieldFile`` while checking dimensions; the descriptor does the same on first access).

Anything else goes through Django's own ``from_db``. The check is made once per model and per
list of selected columns. ``tests/news/test_from_db.py`` compares instances built both ways.
"""

from __future__ import annotations

import threading

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

_PLANS: dict = {}
_LOCK = threading.Lock()
_MAX_PLANS = 512


def _plain_descriptor_types() -> tuple:
    from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
    from django.db.models.query_utils import DeferredAttribute
    from wagtail.fields import Creator

    # exact types: a subclass may add work on assignment
    return (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, ImageFileDescriptor, Creator)


def _allowed_inits() -> dict:
    """Classes whose ``__init__`` may be skipped → the attributes it sets on a row's instance."""
    from modelcluster.models import ClusterableModel
    from wagtail.images.models import AbstractImage
    from wagtail.models.pages import AbstractPage, ShowInMenusMixin

    return {
        Model: {}, ClusterableModel: {}, AbstractPage: {}, ShowInMenusMixin: {}, object: {},
        AbstractImage: {"decorative": False, "contextual_alt_text": None},
    }


def _dimension_fields(cls) -> list:
    """``(field, attname, width attname, height attname)`` of each ``ImageField`` of ``cls`` with
    dimension fields (those whose ``update_dimension_fields`` listens to ``post_init``)."""
    from django.db.models import ImageField

    out = []
    for field in cls._meta.concrete_fields:
        if isinstance(field, ImageField) and (field.width_field or field.height_field):
            out.append((field, field.attname, field.width_field, field.height_field))
    return out


def _only_dimension_listeners(cls, expected: list) -> bool:
    """True when the ``post_init`` receivers for ``cls`` are exactly ``expected`` (the
    ``update_dimension_fields`` of its image fields; Django's receiver cache; anything unexpected:
    False)."""
    try:
        live = post_init._live_receivers(cls)
    except Exception:  # pragma: no cover - Django changed its private API
        return False
    if isinstance(live, tuple) and len(live) == 2 and isinstance(live[0], list):  # Django >= 5.0: (sync, async)
        if live[1]:
            return False
        live = live[0]
    return len(live) == len(expected) and all(receiver in expected for receiver in live)


def _class_attribute(cls, name: str):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _plan(cls, field_names: tuple):
    """``(attnames aligned with the row, index of the id, attributes set by the skipped
    ``__init__`` methods, image fields with dimensions, their ``post_init`` receivers)`` or
    ``None`` (use Django's path)."""
    inits = {klass for klass in cls.__mro__ if "__init__" in klass.__dict__}
    allowed = _allowed_inits()
    if not inits <= allowed.keys():
        return None
    extra = {}
    for klass in inits:
        extra.update(allowed[klass])
    plain = _plain_descriptor_types()
    concrete = {f.attname for f in cls._meta.concrete_fields}
    if any(name not in concrete for name in field_names):
        return None
    if any(type(_class_attribute(cls, name)) not in plain for name in field_names):
        return None
    # the id that Wagtail's __init__ overrides read (``self.id``; on a page model the child's own
    # key is the parent link, ``id`` is the parent's column), else the primary key
    from wagtail.models.pages import AbstractPage

    key = "id" if issubclass(cls, AbstractPage) else cls._meta.pk.attname
    if key not in field_names:
        return None
    dimensions = _dimension_fields(cls)
    listeners = [field.update_dimension_fields for field, *_names in dimensions]
    return field_names, field_names.index(key), extra, dimensions, listeners


def _signal_state(cls, listeners: list):
    """``None`` when a ``pre_init`` receiver or an unexpected ``post_init`` receiver listens for
    ``cls`` (Django's path), ``False`` when no ``post_init`` receiver does, ``True`` when only
    ``listeners`` (its image fields' ``update_dimension_fields``) do."""
    if pre_init.has_listeners(cls):
        return None
    if not post_init.has_listeners(cls):
        return False
    return True if listeners and _only_dimension_listeners(cls, listeners) else None


def _receiver_entries(cls):
    """The two signals' cached receiver lists for ``cls`` (Django's ``sender_receivers_cache``:
    replaced by a new list, never changed in place, whenever a receiver connects or disconnects),
    or ``None`` when not cached or a weak receiver died."""
    try:
        if pre_init._dead_receivers or post_init._dead_receivers:
            return None
        pre, post = pre_init.sender_receivers_cache.get(cls), post_init.sender_receivers_cache.get(cls)
    except Exception:  # pragma: no cover - Django changed its private API
        return None
    return None if pre is None or post is None else (pre, post)


_STATES: dict = {}  # model -> (pre_init entry, post_init entry, _signal_state)


def _cached_signal_state(cls, listeners: list):
    """``_signal_state(cls, listeners)``, remembered while Django's receiver lists for ``cls`` are
    the same objects (a row costs two dictionary lookups instead of three receiver scans)."""
    before = _receiver_entries(cls)
    if before is not None:
        known = _STATES.get(cls)
        if known is not None and known[0] is before[0] and known[1] is before[1]:
            return known[2]
    state = _signal_state(cls, listeners)
    after = _receiver_entries(cls)
    if before is not None and after is not None and before[0] is after[0] and before[1] is after[1]:
        _STATES[cls] = (after[0], after[1], state)  # no receiver came or went meanwhile
    return state


_last_plan: tuple = (None, None, None)  # (field names list, model, plan) of the last row: a query's rows share the list


def fast_from_db(cls, db, field_names, values):
    """``Model.from_db(db, field_names, values)`` (same arguments: the database alias, the selected
    columns' attribute names, the row), without ``__init__`` where that gives the same instance
    (see the module docstring); otherwise Django's own path."""
    global _last_plan
    last_names, last_cls, plan = _last_plan
    if last_names is not field_names or last_cls is not cls:
        key = (cls, tuple(field_names))
        plan = _PLANS.get(key, False)
        if plan is False:
            plan = _plan(cls, key[1])
            with _LOCK:
                if len(_PLANS) >= _MAX_PLANS:
                    _PLANS.clear()
                _PLANS[key] = plan
        if type(field_names) is list:  # Django's ModelIterable: one list for all the rows of a query
            _last_plan = (field_names, cls, plan)
    if plan is None or values[plan[1]] is None:
        return Model.from_db.__func__(cls, db, field_names, values)
    names, _key, extra, dimensions, listeners = plan
    listening = _cached_signal_state(cls, listeners)
    if listening is None:
        return Model.from_db.__func__(cls, db, field_names, values)
    new = cls.__new__(cls)
    state = ModelState()
    state.adding = False
    state.db = db
    attributes = new.__dict__
    attributes["_state"] = state
    attributes.update(zip(names, values))
    if extra:
        attributes.update(extra)
    for field, name, width, height in dimensions if listening else ():
        # ImageField.update_dimension_fields(new) as post_init calls it: nothing when the file is
        # not selected or empty, or when both dimensions are set; else Django's own code
        if name not in attributes or not attributes[name]:
            continue
        if (width and not attributes.get(width)) or (height and not attributes.get(height)):
            field.update_dimension_fields(new)
    return new


def install() -> None:
    """Give Wagtail's ``Page`` (so every page model), the comment switch ``Discussion``, the image
    model and its renditions the fast ``from_db`` (idempotent). A model that defines its own ``from_db`` keeps it."""
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from akhbar.comments.models import Discussion

    image = get_image_model()
    for model in (Page, Discussion, image, image.get_rendition_model()):
        if "from_db" not in model.__dict__:  # installed already, or the model's own
            model.from_db = classmethod(fast_from_db)
