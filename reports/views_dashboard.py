"""The dashboard page: the reader's figures drawn as bars (reports.dashboard)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .dashboard import dashboard_for


@login_required
def dashboard(request):
    return render(request, "reports/dashboard.html", {"dashboard": dashboard_for(user=request.user)})
