"""Aggregates the databases do not share: the median is percentile_cont on PostgreSQL and a function
registered on each SQLite connection, so the same query runs in the database on both."""

import statistics

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField

SQLITE_MEDIAN = "portal_median"


class Median(Aggregate):
    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        clone = self.copy()
        clone.function, clone.template = SQLITE_MEDIAN, "%(function)s(%(expressions)s)"
        return super(Median, clone).as_sql(compiler, connection, **extra)


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_MEDIAN, 1, _SQLiteMedian)


connection_created.connect(register_sqlite_functions, dispatch_uid="portal_sqlite_functions")
