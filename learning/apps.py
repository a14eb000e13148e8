from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CATALOGUE = "catalogue"


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        # Imports in ready(): models can only be imported once the app registry is loaded.
        from taggit.models import Tag, TaggedItem

        from community.accounts import data_rights
        from community.accounts.models import Organisation
        from innolab import versions
        from learning import data
        from learning.models import Capability, CapabilityArea, Offering, Programme, Session

        data_rights.register_exporter("learning", data.export)
        data_rights.register_exporter("learning_outcomes", data.export_outcomes)
        data_rights.register_eraser(data.erase)
        # What the catalogue and an offering's page show a visitor: a write to any of
        # these tables gives the pages kept for visitors a new key (innolab.versions).
        # tests/learning/test_visitor_pages.py checks that those pages read no other table.
        versions.watch(
            CATALOGUE,
            Offering, Programme, Session, Offering.capabilities.through,
            Programme.capabilities.through, Capability, CapabilityArea, Organisation, Tag,
            TaggedItem,
        )  # fmt: skip
