"""The person's own API token: see it, issue a new one (password again), revoke it."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import ApiToken
from .services import api_token_issue, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """GET: the token held (its first characters, when issued, until when). POST `issue` with
    the password: a new token, its key shown on this answer only. POST `revoke`: none any more."""
    context = {"issued_key": None, "password_error": None}
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                api_token_revoke(actor=request.user, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your API token is revoked: it no longer works."))
            return redirect("api-token")
        # A session is not enough to mint a lasting credential: the password again, through
        # the same lockout as the login page.
        user = authenticate(
            request, username=request.user.get_username(), password=request.POST.get("password", "")
        )
        if user is None or user.pk != request.user.pk:
            if getattr(request, "axes_locked_out", False):
                return render(request, "org/api_token.html", context, status=429)
            context["password_error"] = _("The password is not right.")
        else:
            context["issued_key"] = api_token_issue(actor=user).key
    context["token"] = ApiToken.objects.filter(user=request.user).first()
    return render(
        request, "org/api_token.html", context, status=200 if not context["password_error"] else 400
    )
