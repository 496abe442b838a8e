"""Pages of the award register (tra cứu khen thưởng): the search over every awardee's awards and
one awardee's page. Thin: parse the filters, call the selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .register_forms import RegisterFilterForm
from .register_search import awardee_page_for, register_for

PAGE_SIZE = 25


@login_required
def register_list(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    rows = register_for(user=request.user, filters=form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/register_list.html", {"filter_form": form, "page": page})


@login_required
def awardee_detail(request, ref):
    awardee = awardee_page_for(user=request.user, ref=ref)
    # An inspector's read of a person's awards is audited as a read of that nominee or record.
    request.audit_read = {"object_type": awardee.subject[0], "object_id": awardee.subject[1]}
    return render(request, "reports/awardee.html", {"awardee": awardee})
