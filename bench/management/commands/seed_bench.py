from django.core.management.base import BaseCommand, CommandError

from bench.seed import SCALES, AlreadySeeded, seed_bench


class Command(BaseCommand):
    help = (
        "Fills an empty PostgreSQL database with benchmark data: S = 5k members, 300 "
        "offerings, 20k enrolments, 50k posts; M; L = 50k members, 3k offerings, 300k "
        "enrolments, 1M posts. Bulk-loaded with COPY; one password for everyone. Run with "
        "DJANGO_SETTINGS_MODULE=bench.settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="S")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when benchmark data is already there.",
        )

    def handle(self, *args, scale, if_empty, **options):
        try:
            seed_bench(scale=scale, if_empty=if_empty, log=self.stdout.write)
        except (AlreadySeeded, RuntimeError) as error:
            raise CommandError(str(error)) from error
