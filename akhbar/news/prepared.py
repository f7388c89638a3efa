"""Querysets compiled once per process and run again with new values (the hot read paths).

Building and compiling a Django queryset costs far more CPU than running it:
the article routing query (four joins, ~100 columns) takes ~1.9 ms to build
and compile and ~0.9 ms to execute and turn into objects. Its SQL never
changes between requests, only the values (a slug, a section id), so a
``PreparedQuery`` builds the queryset once with *sentinel* values, compiles
it, remembers where each sentinel sits in the SQL parameters, and for each
call clones that queryset with a compiler that returns the stored SQL with
the real values in those positions. Everything after compilation is
Django's own code: model instances, ``select_related`` objects,
``prefetch_related``, converters (``StreamField`` bodies, dates).

``PreparedQuery(build, sentinels)``: ``build(*static, *values)`` returns the
queryset; ``prepared(*values, static=(...))`` returns an unevaluated clone
for those values (do not chain further filters on it: they would be
ignored). ``static`` values (a home page's tree path, a list length) select
a separately compiled version. A sentinel must appear exactly once in the
parameters (``ValueError`` otherwise, at the first call), so a shape whose
SQL would depend on the value itself cannot be prepared by mistake.
Compiled SQL is kept per database alias and ``static`` key (bounded).
"""

from __future__ import annotations

import copy
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections

_MAX_SHAPES = 256


class PreparedQuery:
    """See the module docstring."""

    def __init__(self, build, sentinels):
        self._build = build
        self._sentinels = tuple(sentinels)
        self._shapes: dict = {}
        self._lock = threading.Lock()

    def _shape(self, static: tuple, alias_hint: str | None):
        key = (static, alias_hint)
        shape = self._shapes.get(key)
        if shape is None:
            template = self._build(*static, *self._sentinels)
            alias = template.db
            compiler = template.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            positions = []
            for sentinel in self._sentinels:
                found = [i for i, p in enumerate(params) if type(p) is type(sentinel) and p == sentinel]
                if len(found) != 1:
                    raise ValueError(f"sentinel {sentinel!r} appears {len(found)} times in the parameters of {sql[:120]}")
                positions.append(found[0])
            shape = (template, compiler, sql, tuple(params), tuple(positions))
            with self._lock:
                if len(self._shapes) >= _MAX_SHAPES:
                    self._shapes.clear()
                self._shapes[key] = shape
        return shape

    def sql(self, *values, static: tuple = ()) -> tuple[str, tuple, str]:
        """``(sql, params, database alias)`` of ``build(*static, *values)``, for wrapping in raw SQL
        (e.g. ``SELECT COUNT(*) FROM (sql)``); raises ``EmptyResultSet`` for a shape that can match nothing."""
        if len(values) != len(self._sentinels):
            raise TypeError(f"expected {len(self._sentinels)} values, got {len(values)}")
        template, _compiler, sql, params, positions = self._shape(tuple(static), None)
        filled = list(params)
        for position, value in zip(positions, values):
            filled[position] = value
        return sql, tuple(filled), template.db

    def __call__(self, *values, static: tuple = (), using: str | None = None):
        """An unevaluated queryset equal to ``build(*static, *values)``."""
        if len(values) != len(self._sentinels):
            raise TypeError(f"expected {len(self._sentinels)} values, got {len(values)}")
        try:
            template, compiler, sql, params, positions = self._shape(tuple(static), using)
        except EmptyResultSet:  # a shape that can match nothing (e.g. an empty slice): Django's own path
            queryset = self._build(*static, *values)
            return queryset.using(using) if using else queryset
        filled = list(params)
        for position, value in zip(positions, values):
            filled[position] = value
        filled = tuple(filled)
        queryset = template._chain()
        if using:
            queryset = queryset.using(using)

        def get_compiler(using=None, connection=None, elide_empty=True):
            prepared = copy.copy(compiler)
            prepared.connection = connections[using] if using else connection
            prepared.as_sql = lambda *args, **kwargs: (sql, filled)
            return prepared

        queryset.query.get_compiler = get_compiler
        return queryset
