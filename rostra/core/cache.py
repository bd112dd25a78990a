"""Django's database cache, made safe for counting from several processes at once.

Django's `incr` reads the value and writes it back: two processes counting the same
rate limit at the same moment would both read 4 and both write 5. Here the read and
the write happen in one transaction holding the entry's row lock (PostgreSQL) or the
database's write lock (SQLite's IMMEDIATE transactions, see settings.py).
"""

from django.core.cache.backends import db
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        with transaction.atomic(using=alias):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
