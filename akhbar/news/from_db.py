"""Model instances for database rows without ``Model.__init__`` (pages and comment switches).

Django builds every row of a queryset with ``Model.from_db``: it pads the row with ``DEFERRED``
for the columns not selected (a membership test in the selected names for each of the model's
~50 fields), then calls ``cls(*values)``, which sends ``pre_init``, sets each value through the
class attribute of its field (a ``ForeignKey``'s descriptor compares the old value, a
``StreamField``'s converts again what ``from_db_value`` converted) and sends ``post_init``; then
Wagtail's two ``__init__`` overrides test ``if not self.id`` (a new page) and find an id. For the
31 cards of the front page that is ~60 instances and ~1 ms of CPU.

:func:`fast_from_db` gives the same instance by writing the row's values straight into the
instance ``__dict__``, which is what those steps amount to for a row that has an id, when:

* no receiver listens to ``pre_init`` or ``post_init`` for the model (an ``ImageField`` with
  dimension fields does, so images keep Django's path);
* every selected field's class attribute is one whose assignment on a new instance is a plain
  ``__dict__`` write: Django's ``DeferredAttribute`` and ``ForeignKeyDeferredAttribute``, Django's
  ``FileDescriptor``, Wagtail's ``StreamField`` ``Creator`` (its ``to_python`` returns a
  ``StreamValue`` unchanged, and ``from_db_value`` already made one);
* the classes that define ``__init__`` in the model's MRO are the ones above (Django's ``Model``,
  modelcluster's ``ClusterableModel``, Wagtail's ``AbstractPage`` and ``ShowInMenusMixin``, whose
  extra work is only for instances without an id);
* the row's primary key (for a page, ``id``, which Wagtail's ``__init__`` reads) is selected and
  not ``None``.

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
    from django.db.models.fields.files import FileDescriptor
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
    from django.db.models.query_utils import DeferredAttribute
    from wagtail.fields import Creator

    # exact types: a subclass may add work on assignment (ImageFileDescriptor does)
    return (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, Creator)


def _allowed_inits() -> set:
    from modelcluster.models import ClusterableModel
    from wagtail.models.pages import AbstractPage, ShowInMenusMixin

    return {Model, ClusterableModel, AbstractPage, ShowInMenusMixin, object}


def _class_attribute(cls, name: str):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _plan(cls, field_names: tuple):
    """``(attnames aligned with the row, index of the id)`` or ``None`` (use Django's path)."""
    inits = {klass for klass in cls.__mro__ if "__init__" in klass.__dict__}
    if not inits <= _allowed_inits():
        return None
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
    return field_names, field_names.index(key)


def fast_from_db(cls, db, field_names, values):
    """``Model.from_db(db, field_names, values)`` (same arguments: the database alias, the selected
    columns' attribute names, the row), without ``__init__`` where that gives the same instance
    (see the module docstring); otherwise Django's own path."""
    if pre_init.has_listeners(cls) or post_init.has_listeners(cls):
        return Model.from_db.__func__(cls, db, field_names, values)
    key = (cls, tuple(field_names))
    plan = _PLANS.get(key, False)
    if plan is False:
        plan = _plan(cls, key[1])
        with _LOCK:
            if len(_PLANS) >= _MAX_PLANS:
                _PLANS.clear()
            _PLANS[key] = plan
    if plan is None or values[plan[1]] is None:
        return Model.from_db.__func__(cls, db, field_names, values)
    new = cls.__new__(cls)
    state = ModelState()
    state.adding = False
    state.db = db
    attributes = new.__dict__
    attributes["_state"] = state
    attributes.update(zip(plan[0], values))
    return new


def install() -> None:
    """Give Wagtail's ``Page`` (so every page model) and the comment switch ``Discussion`` the
    fast ``from_db`` (idempotent). A model that defines its own ``from_db`` keeps it."""
    from wagtail.models import Page

    from akhbar.comments.models import Discussion

    for model in (Page, Discussion):
        if "from_db" not in model.__dict__:  # installed already, or the model's own
            model.from_db = classmethod(fast_from_db)
