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

    def delete_expired(self, *, now, dry_run: bool = False, batch: int = 1000) -> int:
        """Remove entries past their expiry, `batch` rows per short transaction; return
        how many went (or would). Django culls expired rows only once the table holds
        MAX_ENTRIES, so without this a quiet site would keep them for ever."""
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        key, expires = connection.ops.quote_name("cache_key"), connection.ops.quote_name("expires")
        before = connection.ops.adapt_datetimefield_value(now.replace(microsecond=0))
        if dry_run:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE {expires} < %s",  # noqa: S608 - names
                    [before],
                )
                return cursor.fetchone()[0]
        removed = 0
        while True:
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {key} FROM {table} WHERE {expires} < %s",  # noqa: S608 - names
                    [before],
                )
                keys = [row[0] for row in cursor.fetchmany(batch)]
                if not keys:
                    return removed
                marks = ", ".join(["%s"] * len(keys))
                cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", keys)  # noqa: S608
            removed += len(keys)
