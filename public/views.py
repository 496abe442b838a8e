"""The pages anyone reads without an account: the public home, the published decisions with
their PDFs, the nominee lists under public notice with the objection form and its receipt, and
the link to certificate verification (documents' /verify/). Views only parse, call and render;
what they may show is decided by public.selectors."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from approvals.notice_services import objection_by_receipt, objection_lodge_public
from documents.throttle import over_limit
from dossiers.files import file_response
from dossiers.forms import add_service_errors
from org.errors import TransitionNotAllowed

from . import selectors
from .forms import DecisionSearchForm, NoticeSearchForm, PublicObjectionForm, ReceiptForm

PAGE_SIZE = 20


def throttled(scope: str, rate_setting: str, *, methods=("POST",)):
    """Requests of `methods` per client address at the rate the setting names: past it, 429 with
    a page that says so in the user's language, and Retry-After. Reading the lists is not
    counted; lodging an objection and looking a receipt code up are."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = over_limit(request, scope, getattr(settings, rate_setting))
                if wait:
                    response = render(request, "public/too_many.html", {"retry_after": wait}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_GET
def home(request):
    return render(request, "public/home.html")


@require_GET
def decision_list(request):
    form = DecisionSearchForm(request.GET or None, years=selectors.published_years())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    decisions = selectors.published_decisions(
        year=filters.get("year"), number=filters.get("number"), name=filters.get("name", "")
    )
    if form.is_bound and not form.is_valid():  # a year with nothing published, a number too large
        decisions = decisions.none()
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/decision_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(filters and any(filters.values())),
        },
    )


@require_GET
def decision_detail(request, pk):
    return render(request, "public/decision_detail.html", selectors.published_decision(pk=pk))


@require_GET
def decision_pdf(request, pk):
    document, decision_id = selectors.published_document(decision_pk=pk)
    return file_response(
        document.file.open("rb"),
        filename=f"quyet-dinh-{decision_id}.pdf",
        content_type="application/pdf",
        inline=request.GET.get("inline") == "1",
    )


@require_GET
def notice_list(request):
    form = NoticeSearchForm(request.GET or None)
    name = form.cleaned_data.get("name", "") if form.is_bound and form.is_valid() else ""
    notices = list(selectors.open_notices(name=name))
    return render(request, "public/notice_list.html", {"form": form, "notices": notices})


@require_http_methods(["GET", "POST"])
@throttled("public-objection", "PUBLIC_OBJECTION_THROTTLE_RATE")
def notice_detail(request, pk):
    """GET: the list under notice and the form; POST: the objection, then its receipt. A form
    sent once the notice is over is refused with the dates it ran (409)."""
    if request.method == "POST":
        notice = selectors.notice_for_objection(pk=pk)
        if not selectors.is_open(notice):
            return _closed(request, notice)
    notice = selectors.open_notice(pk=pk)
    form = PublicObjectionForm(request.POST or None, nominees=notice.listed)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = objection_lodge_public(
                    notice=notice,
                    name=data["name"],
                    contact=data["contact"],
                    text=data["text"],
                    nominee=form.nominees.get(data["nominee"]),
                )
            except TransitionNotAllowed:
                return _closed(request, notice)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(reverse("public-receipt", args=[objection.receipt_code]))
    return render(request, "public/notice_detail.html", {"notice": notice, "form": form}, status=status)


def _closed(request, notice):
    return render(request, "public/notice_closed.html", {"notice": notice}, status=409)


@require_GET
@throttled("public-receipt", "VERIFY_THROTTLE_RATE", methods=("GET",))
def receipt(request, code):
    """The receipt right after lodging: the code to note, and what happens next."""
    objection = objection_by_receipt(code)
    if objection is None:
        return render(
            request, "public/receipt_lookup.html", {"form": ReceiptForm(), "missing": code}, status=404
        )
    return render(request, "public/receipt.html", {"objection": objection, "just_lodged": True})


@require_GET
@throttled("public-receipt", "VERIFY_THROTTLE_RATE", methods=("GET",))
def receipt_lookup(request):
    """Look up an objection by its receipt code: received, or resolved and how."""
    form = ReceiptForm(request.GET or None)
    if form.is_bound and form.is_valid():
        objection = objection_by_receipt(form.cleaned_data["code"])
        if objection is not None:
            return render(request, "public/receipt.html", {"objection": objection, "just_lodged": False})
        return render(
            request,
            "public/receipt_lookup.html",
            {"form": form, "missing": form.cleaned_data["code"]},
            status=404,
        )
    return render(request, "public/receipt_lookup.html", {"form": form})
