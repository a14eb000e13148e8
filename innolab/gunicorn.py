"""Gunicorn's settings (Procfile: `gunicorn innolab.wsgi -c python:innolab.gunicorn`): an
access log to standard output with the secrets in addresses cut out (innolab.logs)."""

from gunicorn.glogging import Logger

from innolab.logs import redact

accesslog = "-"


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every text a log format may name: the request line, path, query, the page it
        # came from (a referer can be an invitation's own address), headers, environ.
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
