from django.urls import path

from community.outbox import views as outbox_views
from community.views import account, forums, meetings, moderation, people

app_name = "community"

urlpatterns = [
    path("accounts/profile/", account.profile_edit, name="profile-edit"),
    path("accounts/data/", account.my_data, name="my-data"),
    path("accounts/notifications/", account.email_preferences, name="email-preferences"),
    path("accounts/unsubscribe/<str:token>/", outbox_views.unsubscribe, name="unsubscribe"),
    path("accounts/data/export.json", account.my_data_export, name="my-data-export"),
    path("accounts/data/delete/", account.my_data_delete, name="my-data-delete"),
    path("community/", people.index, name="index"),
    path("community/people/", people.directory, name="directory"),
    path("community/people/<slug:handle>/", people.person, name="person"),
    path("community/people/<slug:handle>/advice/", people.advice_new, name="advice-new"),
    path("community/advice/", people.advice_list, name="advice-list"),
    path("community/advice/<int:pk>/", people.advice_detail, name="advice-detail"),
    path("community/advice/<int:pk>/close/", people.advice_close, name="advice-close"),
    path("community/change-agent/", people.change_agent, name="spread-log"),
    path(
        "community/change-agent/activities/<int:pk>/edit/",
        people.activity_edit,
        name="activity-edit",
    ),
    path("community/reach/", people.reach, name="reach"),
    path("community/forums/", forums.forum_index, name="forums"),
    path("community/forums/<slug:slug>/", forums.space_detail, name="space"),
    path("community/forums/<slug:slug>/new/", forums.topic_new, name="topic-new"),
    path("community/topics/<int:pk>/", forums.topic_detail, name="topic"),
    path("community/topics/<int:pk>/moderate/", moderation.moderate_topic, name="topic-moderate"),
    path("community/posts/<int:pk>/edit/", forums.post_edit, name="post-edit"),
    path("community/posts/<int:pk>/delete/", forums.post_delete, name="post-delete"),
    path("community/posts/<int:pk>/helpful/", forums.post_helpful, name="post-helpful"),
    path("community/posts/<int:pk>/accept/", forums.post_accept, name="post-accept"),
    path("community/posts/<int:pk>/flag/", forums.post_flag, name="post-flag"),
    path(
        "community/posts/<int:pk>/moderate/<str:action>/",
        moderation.moderate_post,
        name="post-moderate",
    ),
    path("community/moderation/", moderation.moderation_queue, name="moderation"),
    path("community/topics/<int:pk>/follow/", forums.follow_topic, name="topic-follow"),
    path("community/forums/<slug:slug>/follow/", forums.follow_space, name="space-follow"),
    path("community/notifications/", forums.notifications, name="notifications"),
    path("community/search/", forums.forum_search, name="search"),
    path("community/meetings/", meetings.meeting_list, name="meeting-list"),
    path("community/meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("community/meetings/<int:pk>/calendar.ics", meetings.meeting_calendar, name="meeting-ics"),
    path(
        "community/meetings/feed/reset/", meetings.calendar_feed_reset, name="calendar-feed-reset"
    ),
    path(
        "community/meetings/feed/revoke/",
        meetings.calendar_feed_revoke,
        name="calendar-feed-revoke",
    ),
    path("community/meetings/feed/<str:token>.ics", meetings.calendar_feed, name="calendar-feed"),
]
