from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_learning, name="mine"),
    path("mine/calendar.ics", views.my_calendar, name="mine-calendar"),
    path("mine/<int:pk>/rate/", views.outcome_rate, name="outcome-rate"),
    path("mine/<int:pk>/feedback/", views.outcome_feedback, name="feedback"),
    path("mine/<int:pk>/follow-up/", views.outcome_follow_up, name="follow-up"),
    path("staff/", views.staff_overview, name="staff-overview"),
    path("staff/outcomes.csv", views.staff_outcomes_csv, name="staff-outcomes-csv"),
    path(
        "staff/outcome-comments.csv",
        views.staff_outcome_comments_csv,
        name="staff-outcome-comments-csv",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("offerings/<slug:slug>/", views.offering_detail, name="offering-detail"),
    path("offerings/<slug:slug>/enrol/", views.offering_enrol, name="offering-enrol"),
    path("offerings/<slug:slug>/withdraw/", views.offering_withdraw, name="offering-withdraw"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("programmes/<slug:slug>/enrol/", views.programme_enrol, name="programme-enrol"),
    path("programmes/<slug:slug>/withdraw/", views.programme_withdraw, name="programme-withdraw"),
]
