"""How allauth fits innolab: e-mails through the outbox, handles from names, and the
page a person continues to once signed in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from community.accounts.models import handle_for
from community.outbox.services import email_queue

# Where a person goes once signed in or signed up, when a page asked for an account first
# (a cohort invitation, say). Kept in the session, so it survives e-mail verification in
# the same browser.
CONTINUE_SESSION_KEY = "innolab_continue_to"


def continue_after_login(request, url):
    """Sends the person to `url` (a path on this site) once they sign in or sign up."""
    request.session[CONTINUE_SESSION_KEY] = url


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, reset, codes) go through our outbox.

        allauth renders its own templates; we record the result as a sensitive e-mail,
        so its links and codes are hidden from staff and blanked once sent.
        """
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        user = context.get("user")
        email_queue(
            to=email,
            kind=template_prefix.rsplit("/", 1)[-1],
            user=user if getattr(user, "pk", None) else None,
            subject=message.subject,
            body_text=message.body,
            body_html=html or None,
            sensitive=True,
        )

    def _continue_url(self, request):
        url = request.session.pop(CONTINUE_SESSION_KEY, None)
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return None

    def get_login_redirect_url(self, request):
        return self._continue_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._continue_url(request) or super().get_signup_redirect_url(request)

    def populate_username(self, request, user):
        # There is no username: people log in by e-mail. The public handle is made from
        # the display name the sign-up form asked for.
        if not user.handle:
            user.handle = handle_for(user.display_name or user.email.split("@")[0])

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "") or user.display_name
        # The language the person signed up in (their browser's, or the one they chose)
        # is their profile's from now on: pages and every e-mail.
        language = translation.get_language()
        if language in {code for code, _name in settings.LANGUAGES}:
            user.preferred_language = language
        if not user.handle:
            user.handle = handle_for(user.display_name or user.email.split("@")[0])
        return super().save_user(request, user, form, commit=commit)
