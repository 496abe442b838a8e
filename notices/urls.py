from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/unread/", views.unread_count, name="notice-unread"),
    path("notices/read/", views.mark_all_read, name="notice-read-all"),
    path("notices/preferences/", views.preferences, name="notice-preferences"),
]
