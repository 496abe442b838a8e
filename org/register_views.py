"""The register of outgoing documents, for its records clerk: the numbers of a year (given by the
system and recorded from paper) and the form to record a number issued on paper."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .register_forms import OutsideNumberForm
from .register_selectors import access_register_unit, register_entries, register_units_for, register_years
from .register_services import may_record_outside, register_record_outside
from .registers import RegisterSeries


@login_required
@require_GET
def register_list(request):
    """The bodies whose register the user keeps or may read; straight to it when there is one."""
    units = list(register_units_for(request.user))
    if len(units) == 1:
        return redirect("register-detail", unit_id=units[0].pk, year=timezone.localdate().year)
    if not units:
        raise PermissionDenied(_("You keep no register of outgoing documents."))
    return render(request, "org/register_list.html", {"units": units, "year": timezone.localdate().year})


@login_required
@require_http_methods(["GET", "POST"])
def register_detail(request, unit_id, year):
    unit = access_register_unit(request.user, unit_id)
    may_record = may_record_outside(request.user, unit)
    form = OutsideNumberForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(
                _("Only the records clerk of %(unit)s may record numbers in its register.") % {"unit": unit}
            )
        if form.is_valid():
            try:
                entry = register_record_outside(actor=request.user, unit=unit, year=year, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request,
                    _("Number %(number)s is recorded: the system will not give it again.")
                    % {"number": entry.document_number},
                )
                return redirect("register-detail", unit_id=unit.pk, year=year)
    entries = list(register_entries(unit, year))
    series = [
        {"label": label, "entries": [e for e in entries if e.register.series == value]}
        for value, label in RegisterSeries.choices
    ]
    return render(
        request,
        "org/register.html",
        {
            "unit": unit,
            "year": year,
            "years": register_years(unit),
            "series": [s for s in series if s["entries"]],
            "form": form if may_record else None,
        },
        status=400 if request.method == "POST" else 200,
    )
