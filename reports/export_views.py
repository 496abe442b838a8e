"""Pages of the exported lists: the "Xuất Excel" link of a list (its filters in the query), the
page of a long export with its progress (htmx polls a fragment; no inline script) and the
download, for its owner only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from dossiers.files import XLSX, file_response

from . import list_exports
from .models import ExportState


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def export_list(request, name):
    """The list `name` with the filters of the query: the file, or the page of its job."""
    result = list_exports.export_start(
        user=request.user, name=name, params=list_exports.clean_params(request.GET)
    )
    if isinstance(result, tuple):
        return xlsx_response(*result)
    return redirect("export-job", pk=result.pk)


@login_required
def export_job(request, pk):
    job = list_exports.access_job(user=request.user, pk=pk)
    spec = list_exports.EXPORTS.get(job.list_name)
    return render(request, "reports/export_job.html", {"job": job, "spec": spec})


@login_required
def export_job_progress(request, pk):
    """The progress bar (an htmx fragment that polls itself until the job has finished)."""
    job = list_exports.access_job(user=request.user, pk=pk)
    return render(request, "reports/_export_job.html", {"job": job})


@login_required
def export_job_download(request, pk):
    job = list_exports.access_job(user=request.user, pk=pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404
    return file_response(job.file.open("rb"), filename=job.download_name, content_type=XLSX)
