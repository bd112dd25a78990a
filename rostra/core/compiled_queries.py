"""Querysets compiled to SQL once per process and run again with other values.

Turning a queryset into SQL costs far more than running it when the lookup is by key
and the conditions are large: the readers' access rule joins Wagtail's page tree and
its view restrictions, and compiling it took about 1 ms against 0.05 ms for SQLite to
answer. A vote, a reply and every API call naming a comment ask it once.

`CompiledQuery(build, shape)` calls `build(*values)` twice with different sample values
and compares the parameters of the two compilations: the positions that changed are
where each value goes, everything else (the SQL, the constant parameters) is kept.
Values must reach the database as they are (ints and strings; no dates, which the
backend adapts): anything time-dependent belongs in SQL (`Now()`), not in a value.
The rows come back as the queryset would give them: model instances with their
`select_related` objects and annotations, through Django's own converters and populators.
"""

import threading
from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

_SAMPLES = {int: (1_000_000_001, 1_000_000_002), str: ("rostra-sample-a", "rostra-sample-b")}


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[type]):
        """`build(*values)` returns the queryset for those values; `kinds` are their
        types, each int or str."""
        self._build = build
        self._kinds = tuple(kinds)
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def first(self, *values):
        """The first object the queryset built for `values` gives, or None."""
        found = self.objects(*values)
        return found[0] if found else None

    def objects(self, *values) -> list:
        alias = DEFAULT_DB_ALIAS
        compiled = self._compiled.get(alias) or self._compile(alias)
        sql, params, positions, rows_to_objects = compiled
        params = list(params)
        for position, index in positions:
            params[position] = values[index]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return rows_to_objects(rows) if rows else []

    def _compile(self, alias: str) -> tuple:
        with self._lock:
            if alias in self._compiled:
                return self._compiled[alias]
            first = [_SAMPLES[kind][0] for kind in self._kinds]
            second = [_SAMPLES[kind][1] for kind in self._kinds]
            compiler = self._build(*first).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            other_sql, other_params = self._build(*second).query.get_compiler(alias).as_sql()
            if sql != other_sql or len(params) != len(other_params):
                raise ValueError("the query's SQL depends on its values; it cannot be kept")
            positions = []
            for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
                if one == two:
                    continue
                index = next((i for i, value in enumerate(first) if value == one), None)
                if index is None or second[index] != two:
                    raise ValueError(f"parameter {position} is not one of the values as given")
                positions.append((position, index))
            if sorted({index for _, index in positions}) != list(range(len(first))):
                raise ValueError("a value does not reach the query's parameters as given")
            rows_to_objects = _instance_maker(compiler, alias)
            self._compiled[alias] = (sql, tuple(params), tuple(positions), rows_to_objects)
            return self._compiled[alias]


def _instance_maker(compiler, alias: str) -> Callable[[list], list]:
    """A function making model instances from rows of `compiler`'s SQL, as Django's
    ModelIterable makes them (converters applied, select_related objects and
    annotations attached),
    with what does not depend on the rows worked out once."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    annotations = tuple(compiler.annotation_col_map.items())
    converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def instances(rows: list) -> list:
        if converters:
            rows = compiler.apply_converters(rows, converters)
        found = []
        for row in rows:
            instance = model.from_db(alias, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    return instances
