from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        # Imports in ready(): models can only be imported once the app registry is loaded.
        from community.accounts import data_rights
        from learning import data

        data_rights.register_exporter("learning", data.export)
        data_rights.register_exporter("learning_outcomes", data.export_outcomes)
        data_rights.register_eraser(data.erase)
