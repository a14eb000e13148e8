"""Benchmark data at scale (`seed_bench`): each part of innolab seeds its own tables, in
dependency order, bulk-loaded with PostgreSQL's COPY. Never load it into a real site:
every benchmark person's password is PASSWORD."""

import resource
import time

from django.db import connection, transaction
from django.utils.module_loading import import_string

from community.accounts.models import User

# members, offerings, cohorts, enrolments, posts
SCALES = {
    # XS: for the test suite only.
    "XS": {"members": 200, "offerings": 30, "cohorts": 3, "enrolments": 600, "posts": 1_000},
    "S": {"members": 5_000, "offerings": 300, "cohorts": 30, "enrolments": 20_000, "posts": 50_000},
    "M": {
        "members": 20_000,
        "offerings": 1_000,
        "cohorts": 100,
        "enrolments": 100_000,
        "posts": 300_000,
    },
    "L": {
        "members": 50_000,
        "offerings": 3_000,
        "cohorts": 300,
        "enrolments": 300_000,
        "posts": 1_000_000,
    },
}
PASSWORD = "bench-password"
# The person benchmark sessions are made for (an alumna, so every page is open to her).
BENCH_USER_HANDLE = "member-1"
BENCH_EMAIL_DOMAIN = "@bench.innolab.test"

SEEDERS = [
    "bench.seed.community.seed_people",
    "bench.seed.learning.seed",
    "bench.seed.toolkits.seed",
    "bench.seed.community.seed_activity",
]


class AlreadySeeded(Exception):
    """The database already holds benchmark data."""


def seed_bench(*, scale, if_empty=False, log=print):
    """Fills an empty PostgreSQL database with scale `scale`, with progress on `log`.

    Returns False (and does nothing) when benchmark data is there and `if_empty` is set;
    raises AlreadySeeded when it is there otherwise, and RuntimeError on SQLite.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_bench loads with PostgreSQL's COPY: set DATABASE_URL.")
    seeded = User.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN).count()
    if seeded:
        if if_empty:
            log(f"Benchmark data already there ({seeded} members): kept.")
            return False
        raise AlreadySeeded(
            f"This database already holds benchmark data ({seeded} members). "
            "Use a fresh database (createdb) for another scale."
        )
    started = time.perf_counter()
    sizes = ", ".join(f"{k} {v:,}" for k, v in SCALES[scale].items())
    log(f"Seeding scale {scale} ({sizes}) ...")
    for path in SEEDERS:
        step = time.perf_counter()
        log(f"{path} ...")
        with transaction.atomic():
            import_string(path)(scale=scale, log=log)
        log(f"  done in {time.perf_counter() - step:.1f} s")
    # VACUUM as autovacuum would soon after a bulk load: the planner's statistics, and the
    # visibility map that index-only scans (the directory's count) rely on.
    # (VACUUM cannot run in a transaction, as in the tests: there, ANALYZE alone.)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    log(f"{command} ...")
    with connection.cursor() as cursor:
        cursor.execute(command)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"Scale {scale} seeded in {time.perf_counter() - started:.0f} s; peak RSS {rss:.0f} MiB.")
    return True
