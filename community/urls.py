from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/data/", views.my_data, name="my-data"),
    path("accounts/notifications/", views.email_preferences, name="email-preferences"),
    path("accounts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("accounts/data/export.json", views.my_data_export, name="my-data-export"),
    path("accounts/data/delete/", views.my_data_delete, name="my-data-delete"),
    path("community/", views.index, name="index"),
    path("community/people/", views.directory, name="directory"),
    path("community/people/<slug:handle>/", views.person, name="person"),
    path("community/people/<slug:handle>/advice/", views.advice_new, name="advice-new"),
    path("community/advice/", views.advice_list, name="advice-list"),
    path("community/advice/<int:pk>/", views.advice_detail, name="advice-detail"),
    path("community/advice/<int:pk>/close/", views.advice_close, name="advice-close"),
    path("community/change-agent/", views.change_agent, name="spread-log"),
    path(
        "community/change-agent/activities/<int:pk>/edit/",
        views.activity_edit,
        name="activity-edit",
    ),
    path("community/reach/", views.reach, name="reach"),
    path("community/forums/", views.forum_index, name="forums"),
    path("community/forums/<slug:slug>/", views.space_detail, name="space"),
    path("community/forums/<slug:slug>/new/", views.topic_new, name="topic-new"),
    path("community/topics/<int:pk>/", views.topic_detail, name="topic"),
    path("community/topics/<int:pk>/moderate/", views.moderate_topic, name="topic-moderate"),
    path("community/posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("community/posts/<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("community/posts/<int:pk>/helpful/", views.post_helpful, name="post-helpful"),
    path("community/posts/<int:pk>/accept/", views.post_accept, name="post-accept"),
    path("community/posts/<int:pk>/flag/", views.post_flag, name="post-flag"),
    path(
        "community/posts/<int:pk>/moderate/<str:action>/",
        views.moderate_post,
        name="post-moderate",
    ),
    path("community/moderation/", views.moderation_queue, name="moderation"),
    path("community/topics/<int:pk>/follow/", views.follow_topic, name="topic-follow"),
    path("community/forums/<slug:slug>/follow/", views.follow_space, name="space-follow"),
    path("community/notifications/", views.notifications, name="notifications"),
    path("community/search/", views.forum_search, name="search"),
    path("community/meetings/", views.meeting_list, name="meeting-list"),
    path("community/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("community/meetings/<int:pk>/calendar.ics", views.meeting_calendar, name="meeting-ics"),
    path("community/meetings/feed/reset/", views.calendar_feed_reset, name="calendar-feed-reset"),
    path(
        "community/meetings/feed/revoke/", views.calendar_feed_revoke, name="calendar-feed-revoke"
    ),
    path("community/meetings/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
