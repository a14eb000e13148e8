from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _accept_pending_invitation(sender, request, user, **kwargs):
    # allauth tells us someone signed up or logged in; if they came through a cohort
    # invitation link, place them in that cohort. (Loose coupling: community's account
    # code knows nothing of cohorts.)
    from learning.views import INVITATION_SESSION_KEY, invitation_accept_for

    if request is not None and INVITATION_SESSION_KEY in request.session:
        invitation_accept_for(request, user)


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from allauth.account.signals import user_logged_in, user_signed_up

        from community import data_rights
        from learning import data, digests  # noqa: F401 - digests registers its sections

        data_rights.register_exporter("learning", data.export)
        data_rights.register_exporter("cohort_digests", data.export_digests)
        data_rights.register_eraser(data.erase)
        user_signed_up.connect(_accept_pending_invitation, dispatch_uid="learning.invite.signup")
        user_logged_in.connect(_accept_pending_invitation, dispatch_uid="learning.invite.login")

        from innolab import pagecache

        for label in ["Programme", "Offering", "Session", "Cohort", "EnrolmentStatusChange",
                      "Attendance", "CohortInvitation", "CohortMessage"]:  # fmt: skip
            pagecache.watch(f"learning.{label}", "learning")
        pagecache.watch("learning.Enrolment", "learning", person="user_id")
        pagecache.unshown("learning.CohortDigest", "learning.DigestRecord")
