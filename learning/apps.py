from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        # Imports in ready(): models can only be imported once the app registry is loaded.
        from community.accounts import data_rights
        from innolab import pagecache
        from learning import data, models

        data_rights.register_exporter("learning", data.export)
        data_rights.register_eraser(data.erase)

        for model in [models.Programme, models.Offering, models.Session, models.Cohort,
                      models.EnrolmentStatusChange, models.Attendance,
                      models.CohortInvitation, models.CohortMessage]:  # fmt: skip
            pagecache.watch(model, "learning")
        pagecache.watch(models.Enrolment, "learning", person="user_id")
        pagecache.unshown(models.CohortDigest, models.DigestRecord)
