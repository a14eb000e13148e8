from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from community.accounts.roles import is_lab_staff


def lab_staff_required(view):
    """Anonymous visitors are sent to log in; signed-in people who are not lab staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_lab_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
