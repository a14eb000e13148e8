import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from community.bench import SCALES
from community.models import User

# Each app seeds its own tables, in dependency order (as seed_demo does).
SEEDERS = [
    "community.bench.seed_people",
    "learning.bench.seed",
    "toolkits.bench.seed",
    "community.bench.seed_activity",
]


class Command(BaseCommand):
    help = (
        "Fills an empty PostgreSQL database with benchmark data: S = 5k members, 300 "
        "offerings, 20k enrolments, 50k posts; M; L = 50k members, 3k offerings, 300k "
        "enrolments, 1M posts. Bulk-loaded with COPY; one password for everyone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="S")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when benchmark data is already there.",
        )

    def handle(self, *args, scale, if_empty, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench loads with PostgreSQL's COPY: set DATABASE_URL.")
        seeded = User.objects.filter(email__endswith="@bench.innolab.test").count()
        if seeded:
            if if_empty:
                self.stdout.write(f"Benchmark data already there ({seeded} members): kept.")
                return
            raise CommandError(
                f"This database already holds benchmark data ({seeded} members). "
                "Use a fresh database (createdb) for another scale."
            )
        started = time.perf_counter()
        sizes = ", ".join(f"{k} {v:,}" for k, v in SCALES[scale].items())
        self.stdout.write(f"Seeding scale {scale} ({sizes}) ...")
        for path in SEEDERS:
            step = time.perf_counter()
            self.stdout.write(f"{path} ...")
            with transaction.atomic():
                import_string(path)(scale=scale, log=self.stdout.write)
            self.stdout.write(f"  done in {time.perf_counter() - step:.1f} s")
        self.stdout.write("ANALYZE ...")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} seeded in {time.perf_counter() - started:.0f} s; "
                f"peak RSS {rss:.0f} MiB."
            )
        )
