from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_learning, name="mine"),
    path("mine/calendar.ics", views.my_calendar, name="mine-calendar"),
    path("staff/", views.staff_overview, name="staff-overview"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("offerings/<slug:slug>/", views.offering_detail, name="offering-detail"),
    path("offerings/<slug:slug>/enrol/", views.offering_enrol, name="offering-enrol"),
    path("offerings/<slug:slug>/withdraw/", views.offering_withdraw, name="offering-withdraw"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("programmes/<slug:slug>/enrol/", views.programme_enrol, name="programme-enrol"),
    path("programmes/<slug:slug>/withdraw/", views.programme_withdraw, name="programme-withdraw"),
]
