"""WSGI entry point for `make bench` only: the site, plus two references measured in the
same server: /bench/hello (plain WSGI, no Django) and /bench/fortunes/ (bench.urls).

It refuses to load unless INNOLAB_BENCH=1, so a deployment cannot serve it by mistake.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("INNOLAB_BENCH") != "1":
    raise ImproperlyConfigured("bench.wsgi is for make bench only (INNOLAB_BENCH=1).")

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django
from django.core.handlers.wsgi import WSGIHandler

django.setup(set_prefix=False)

HELLO = b"Hello, World!"


django_app = WSGIHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/hello":
        start_response(
            "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HELLO)))]
        )
        return [HELLO]
    return django_app(environ, start_response)
