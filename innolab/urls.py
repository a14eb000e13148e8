from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from community.views import account as account_views
from innolab import views

# The admin login goes through allauth, so it has the same rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("innolab administration")
admin.site.site_title = _("innolab admin")
admin.site.index_title = _("Run the lab")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    # Django's set_language, which also keeps a signed-in person's choice in their profile.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("", include("community.urls")),
    path("learning/", include("learning.urls")),
    path("toolkits/", include("toolkits.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
