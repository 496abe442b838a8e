from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Notice, NoticeKind, NoticePreference

PAGE = 100


@login_required
def notice_list(request):
    notices = list(Notice.objects.filter(recipient=request.user)[:PAGE])
    unread = [n.pk for n in notices if n.read_at is None]
    response = render(request, "notices/notice_list.html", {"notices": notices, "unread": set(unread)})
    # Seen on this page: read from now on (the page still marks which were new).
    services.notices_mark_read(user=request.user, ids=unread)
    return response


@login_required
def unread_count(request):
    """The bell's number (static/notices/bell.js), so pages pay no query for it."""
    count = Notice.objects.filter(recipient=request.user, read_at=None).count()
    return JsonResponse({"unread": count})


@login_required
def preferences(request):
    if request.method == "POST":
        services.preferences_set(user=request.user, email_kinds=set(request.POST.getlist("email")))
        return redirect("notice-preferences")
    off = set(NoticePreference.objects.filter(user=request.user, email=False).values_list("kind", flat=True))
    kinds = [(kind, label, kind not in off) for kind, label in NoticeKind.choices]
    return render(request, "notices/preferences.html", {"kinds": kinds})


@require_POST
@login_required
def mark_all_read(request):
    services.notices_mark_read(user=request.user)
    return redirect("notice-list")
