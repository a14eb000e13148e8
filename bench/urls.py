"""The benchmark's URLconf (bench.settings): the site plus a reference page. Never the
site's own URLconf."""

from django.db import connection
from django.shortcuts import render
from django.urls import path

from innolab.urls import urlpatterns as site_urlpatterns


def fortunes(request):
    """The "cheapest real page": one query of 12 rows through a Django template (after
    TechEmpower's Fortunes). The table is made by bench/run.py in the bench database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, message FROM bench_fortune")
        rows = cursor.fetchall()
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return render(request, "bench/fortunes.html", {"fortunes": rows})


urlpatterns = [path("bench/fortunes/", fortunes), *site_urlpatterns]
