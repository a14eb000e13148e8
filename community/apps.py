from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, app_config=None, using="default", **kwargs):
    # Django creates permissions in post_migrate, after every migration has run, so a
    # data migration cannot give the group its permissions on a fresh database. This
    # receiver runs after auth's (community comes later in INSTALLED_APPS) and creates
    # any permission still missing before it syncs the group. (Imported here: apps.py is
    # loaded before the models these modules need.)
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from community.accounts.roles import lab_staff_group_sync

    if app_config is None or app_config.label != "community":
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    lab_staff_group_sync()


class CommunityConfig(AppConfig):
    """The floor (community.accounts, community.outbox) and the roof (people, meetings,
    forums, reach, digests) share this app and its label; docs/architecture.md."""

    name = "community"
    verbose_name = _("Community")

    def ready(self):
        # Imports in ready(): models can only be imported once the app registry is loaded.
        from community.accounts import data_rights
        from community.services import data, digests

        post_migrate.connect(_sync_roles, dispatch_uid="community.sync_roles")
        data_rights.register_exporter("change_agent", data.export_change_agent)
        data_rights.register_exporter("advice_requests", data.export_advice)
        data_rights.register_exporter("meetings", data.export_meetings)
        data_rights.register_exporter("forum_posts", data.export_posts)
        data_rights.register_exporter("cohort_digests", digests.export)
        data_rights.register_eraser(data.erase)
