"""Reports: the four registers (administrators), the de-identified summary
(administrators and supervisors) and the export record (administrators).

Pages are GET with the filters in the query string (ids, choices and dates only).
A download is a POST, because it writes an export record; its filters come in the
form body. Bad filters re-render the page with the messages and status 400, no file.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from desk.models import AccessRequest
from plans.models import Restriction, Youth
from policies.models import PolicyVersion
from reports.exports import (
    Column,
    Register,
    RowCounter,
    csv_stream,
    make_register,
    xlsx_file,
)
from reports.filters import (
    PlanRegisterFilter,
    PolicyVersionRegisterFilter,
    RequestRegisterFilter,
    RestrictionRegisterFilter,
    filters_as_json,
)
from reports.forms import DownloadForm, SummaryRangeForm
from reports.models import ExportFormat, ExportRecord, Report
from reports.services import export_record_create
from reports.summary import build_summary
from shelter.access import role_required
from shelter.roles import Role

PREVIEW_ROWS = 50
RECORD_PAGE_SIZE = 50


@dataclass(frozen=True)
class RegisterSpec:
    report: Report
    filter_class: type
    deidentifiable: bool
    template_title: str

    def queryset(self, request: HttpRequest) -> QuerySet:
        if self.report == Report.PLANS:
            return Youth.objects.visible_to(request.user).for_list(timezone.now())
        if self.report == Report.RESTRICTIONS:
            return Restriction.objects.visible_to(request.user)
        if self.report == Report.REQUESTS:
            return AccessRequest.objects.visible_to(request.user)
        return PolicyVersion.objects.visible_to(request.user)


REGISTERS = {
    Report.PLANS: RegisterSpec(
        Report.PLANS, PlanRegisterFilter, True, gettext_lazy("Plans register")
    ),
    Report.RESTRICTIONS: RegisterSpec(
        Report.RESTRICTIONS, RestrictionRegisterFilter, True, gettext_lazy("Restrictions register")
    ),
    Report.REQUESTS: RegisterSpec(
        Report.REQUESTS, RequestRegisterFilter, True, gettext_lazy("Youth requests register")
    ),
    Report.POLICIES: RegisterSpec(
        Report.POLICIES,
        PolicyVersionRegisterFilter,
        False,
        gettext_lazy("Policy versions register"),
    ),
}


def _filter_data(spec: RegisterSpec, data: QueryDict) -> QueryDict:
    data = data.copy()
    if spec.report == Report.PLANS:
        data.setdefault("status", PlanRegisterFilter.CURRENT)
    return data


def _hidden_filters(filterset: Any) -> list[tuple[str, str]]:
    """The applied filters again, as hidden fields of the download form."""
    data = filterset.form.data
    fields = filterset.form.fields
    return [(name, value) for name in fields for value in data.getlist(name) if value]


def _register_page(
    request: HttpRequest,
    spec: RegisterSpec,
    filterset: Any,
    download_form: DownloadForm,
    status: int = 200,
) -> HttpResponse:
    valid = filterset.is_valid() and (not download_form.is_bound or download_form.is_valid())
    register: Register | None = None
    rows: list[list[Any]] = []
    total = 0
    if valid:
        total = filterset.qs.count()
        register = make_register(
            spec.report,
            filterset.qs,
            deidentified=False,
            chunk_size=PREVIEW_ROWS,
            limit=PREVIEW_ROWS,
        )
        rows = list(register.rows)
    context = {
        "spec": spec,
        "filter": filterset,
        "download_form": download_form,
        "valid": valid,
        "columns": register.columns if register else [],
        "rows": rows,
        "total": total,
        "preview_rows": PREVIEW_ROWS,
        "hidden_filters": _hidden_filters(filterset),
        "page_url": f"reports:{spec.report}",
    }
    return render(request, "reports/register.html", context, status=status)


def _register_view(request: HttpRequest, report: Report) -> HttpResponse:
    spec = REGISTERS[report]
    filterset = spec.filter_class(
        _filter_data(spec, request.GET), queryset=spec.queryset(request), request=request
    )
    return _register_page(request, spec, filterset, DownloadForm())


def _download(request: HttpRequest, report: Report, export_format: ExportFormat) -> HttpResponse:
    spec = REGISTERS[report]
    filterset = spec.filter_class(
        _filter_data(spec, request.POST), queryset=spec.queryset(request), request=request
    )
    download_form = DownloadForm(request.POST)
    if not (filterset.is_valid() and download_form.is_valid()):
        return _register_page(request, spec, filterset, download_form, status=400)
    deidentified = spec.deidentifiable and download_form.cleaned_data["deidentified"]
    register = make_register(spec.report, filterset.qs, deidentified=deidentified)
    filename = f"{register.slug}{'-deidentified' if deidentified else ''}-{timezone.localdate()}"
    record = {
        "by": request.user,
        "report": report,
        "filters": filters_as_json(filterset),
        "deidentified": deidentified,
    }
    if export_format == ExportFormat.XLSX:
        counter = RowCounter()
        handle = xlsx_file(register, on_row=counter)
        export_record_create(export_format=export_format, row_count=counter.count, **record)
        return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx")
    # The count comes first: once the CSV streams, the response has begun.
    export_record_create(export_format=export_format, row_count=filterset.qs.count(), **record)
    response = StreamingHttpResponse(csv_stream(register), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@require_GET
@role_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def index(request: HttpRequest) -> HttpResponse:
    """Administrators choose a report; supervisors only have the summary."""
    if request.user.role == Role.SUPERVISOR:
        return redirect("reports:summary")
    return render(request, "reports/index.html", {"registers": REGISTERS.values()})


@require_GET
@role_required(Role.ADMINISTRATOR)
def plans_register(request: HttpRequest) -> HttpResponse:
    return _register_view(request, Report.PLANS)


@require_GET
@role_required(Role.ADMINISTRATOR)
def restrictions_register(request: HttpRequest) -> HttpResponse:
    return _register_view(request, Report.RESTRICTIONS)


@require_GET
@role_required(Role.ADMINISTRATOR)
def requests_register(request: HttpRequest) -> HttpResponse:
    return _register_view(request, Report.REQUESTS)


@require_GET
@role_required(Role.ADMINISTRATOR)
def policies_register(request: HttpRequest) -> HttpResponse:
    return _register_view(request, Report.POLICIES)


@require_POST
@role_required(Role.ADMINISTRATOR)
def register_download(request: HttpRequest, report: str, export_format: str) -> HttpResponse:
    """`report` and `export_format` are constrained by the URL patterns."""
    return _download(request, Report(report), ExportFormat(export_format))


# The de-identified summary


def _summary_form(data: QueryDict) -> SummaryRangeForm:
    data = data.copy()
    today = timezone.localdate()
    data.setdefault("start", (today - timedelta(days=90)).isoformat())
    data.setdefault("end", today.isoformat())
    return SummaryRangeForm(data)


def _summary_page(request: HttpRequest, form: SummaryRangeForm, status: int = 200) -> HttpResponse:
    summary = build_summary(**form.cleaned_data) if form.is_valid() else None
    context = {
        "form": form,
        "summary": summary,
        "charts": summary.charts() if summary else [],
        "rows": summary.rows() if summary else [],
    }
    return render(request, "reports/summary.html", context, status=status)


@require_GET
@role_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def summary(request: HttpRequest) -> HttpResponse:
    return _summary_page(request, _summary_form(request.GET))


@require_POST
@role_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def summary_download(request: HttpRequest) -> HttpResponse:
    form = _summary_form(request.POST)
    if not form.is_valid():
        return _summary_page(request, form, status=400)
    start: date = form.cleaned_data["start"]
    end: date = form.cleaned_data["end"]
    # The file stays in English whoever downloads it: other systems read it.
    with translation.override("en"):
        rows = build_summary(start=start, end=end).rows()
    export_record_create(
        by=request.user,
        report=Report.SUMMARY,
        export_format=ExportFormat.CSV,
        filters={"start": start.isoformat(), "end": end.isoformat()},
        row_count=len(rows),
        deidentified=True,
    )
    register = Register(
        "Summary",
        "summary",
        [
            Column(gettext_noop("Section")),
            Column(gettext_noop("Measure")),
            Column(gettext_noop("Value")),
        ],
        ([section, measure, value] for section, measure, value in rows),
    )
    response = StreamingHttpResponse(csv_stream(register), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="summary-{start}-to-{end}.csv"'
    return response


# The export record


@require_GET
@role_required(Role.ADMINISTRATOR)
def export_list(request: HttpRequest) -> HttpResponse:
    records = ExportRecord.objects.visible_to(request.user)
    page = Paginator(records, RECORD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/export_list.html", {"page": page})
