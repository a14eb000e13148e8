"""Secrets that travel in addresses (calendar feed, unsubscribe, invitation, e-mail
confirmation and password reset keys) are cut out of every log line: gunicorn's access
log (innolab.gunicorn) and Django's own (the `redact_secrets` filter in settings)."""

import logging
import re

SECRET_IN_PATH = re.compile(
    r"(/community/meetings/feed/|/accounts/unsubscribe/|/learning/invitations/"
    r"|/accounts/confirm-email/|/accounts/password/reset/key/)[^/\s?\"']+"
)


def redact(text):
    return SECRET_IN_PATH.sub(r"\1[redacted]", text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        if isinstance(record.args, dict):  # logger.info("%(name)s", {"name": ...})
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        record.msg = _redacted(record.msg)
        return True
