from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

# Each app adds its own seeder; they run in order and are all idempotent.
SEEDERS = [
    "community.demo.seed",
    "learning.demo.seed",
    "toolkits.demo.seed",
    "community.demo.seed_network",
    "community.demo.seed_meetings",
    "community.demo.seed_forums",
]


class Command(BaseCommand):
    help = "Fills the database with demo organisations, people and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it refuses to run when "
                "DEBUG is off. Pass --force if this really is a demo site."
            )
        for path in SEEDERS:
            self.stdout.write(f"Seeding {path.rsplit('.', 2)[0]} ...")
            import_string(path)(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
