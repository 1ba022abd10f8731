"""A test-only URLconf: the site's URLs plus views that fail in each way Django handles."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def bad_request(request):
    raise SuspiciousOperation("A tampered request")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("A bug")


urlpatterns = [
    path("kaputt/400/", bad_request),
    path("kaputt/403/", forbidden),
    path("kaputt/500/", broken),
    path("", include("aireport.urls")),
]

handler400 = "aireport.views.bad_request"
handler403 = "aireport.views.permission_denied"
handler404 = "aireport.views.page_not_found"
handler500 = "aireport.views.server_error"
