"""The research and training library, for every staff role. Administrators
curate it in the admin (library/admin.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from library.filters import ResourceFilter
from library.models import Resource
from shelter.access import any_role


@require_GET
@any_role
def resource_list(request: HttpRequest) -> HttpResponse:
    queryset = Resource.objects.visible_to(request.user).prefetch_related("topics")
    resource_filter = ResourceFilter(request.GET, queryset=queryset, request=request)
    # A filter on topics joins them: one resource tagged twice would be listed twice.
    # An invalid filter (a topic id that is not one) lists nothing, its error shown.
    resources = list(resource_filter.qs.distinct()) if resource_filter.is_valid() else []
    context = {"filter": resource_filter, "resources": resources}
    return render(request, "library/resource_list.html", context)
