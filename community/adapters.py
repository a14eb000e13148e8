from allauth.account.adapter import DefaultAccountAdapter

from community.models import handle_for
from community.services import email_queue


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

    def populate_username(self, request, user):
        # There is no username: people log in by e-mail. The public handle is made from
        # the display name the sign-up form asked for.
        if not user.handle:
            user.handle = handle_for(user.display_name or user.email.split("@")[0])

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "") or user.display_name
        if not user.handle:
            user.handle = handle_for(user.display_name or user.email.split("@")[0])
        return super().save_user(request, user, form, commit=commit)
