from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitsConfig(AppConfig):
    name = "toolkits"
    verbose_name = _("Toolkits")

    def ready(self):
        # Imports in ready(): models can only be imported once the app registry is loaded.
        from django.db.models.signals import post_delete

        from community.accounts import data_rights
        from innolab import versions
        from learning import registry
        from learning.apps import CATALOGUE
        from toolkits import data, services
        from toolkits.catalogue import toolkit_source
        from toolkits.models import MethodCard, Toolkit, ToolkitFile, ToolkitUse

        # Toolkits join the learning catalogue and the learning cycle as the fourth mode;
        # learning knows them only through this registration.
        registry.register(toolkit_source)
        # Toolkits are in the catalogue, and their pages are kept for visitors with it
        # (learning.visitors). Downloads are not watched: they are filled in live, so a
        # visitor's download never gives everyone's pages a new key.
        versions.watch(
            CATALOGUE, Toolkit, ToolkitFile, MethodCard, ToolkitUse,
            Toolkit.capabilities.through, Toolkit.related_offerings.through,
        )  # fmt: skip
        data_rights.register_exporter("toolkits", data.export)
        data_rights.register_eraser(data.erase)
        # Clean-up, not control flow: a deleted version's stored object is removed.
        post_delete.connect(
            services.stored_file_remove, sender=ToolkitFile, dispatch_uid="toolkit-file-remove"
        )
