from django.core.management.base import BaseCommand

from community.accounts.roles import LAB_STAFF_GROUP, lab_staff_group_sync


class Command(BaseCommand):
    help = (
        f"Creates the “{LAB_STAFF_GROUP}” group and sets its permissions (also runs after migrate)."
    )

    def handle(self, *args, **options):
        group = lab_staff_group_sync()
        self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
