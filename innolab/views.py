from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from innolab import health, storage


def home(request):
    return render(request, "home.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


def privacy(request):
    return render(request, "pages/privacy.html")


@require_GET
@never_cache
def healthz(request):
    """200 when the database, the broker and (when files are on a bucket) the storage
    answer; 503 naming what does not."""
    checks = {"database": health.database_check(), "broker": health.broker_check()}
    if (bucket := storage.storage_check()) is not None:  # only when files are on a bucket
        checks["storage"] = bucket
    body = {name: "ok" if ok else f"unreachable ({why})" for name, (ok, why) in checks.items()}
    healthy = all(ok for ok, _ in checks.values())
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)
