from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

# Each part seeds its own data through the services; they run in this order (people, the
# catalogue, cohorts and places, toolkits, then what alumni do and say) and are all idempotent.
SEEDERS = [
    "community.demo.people.seed",
    "learning.demo.seed",
    "community.demo.cohorts.seed",
    "toolkits.demo.seed",
    "community.demo.network.seed",
    "community.demo.meetings.seed",
    "community.demo.forums.seed",
    "community.demo.outcomes.seed",
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
            self.stdout.write(f"Seeding {path.rsplit('.', 1)[0]} ...")
            import_string(path)(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
