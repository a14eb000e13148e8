"""Settings for `make bench` and `seed_bench`: the site's own, plus the benchmark app (the
seed_bench command, the fortunes template) and a URLconf with the reference page. The site
never uses this module."""

from innolab.settings import *  # noqa: F403 - the site's settings, extended below

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = [*MIDDLEWARE, "bench.middleware.FragmentCountMiddleware"]  # noqa: F405
