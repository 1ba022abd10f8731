from django.urls import path, re_path

from aireport.page_cache import shared_page

from . import views
from .feeds import ReportFeed
from .models import Report

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("berichte/<slug:slug>/", views.report_detail, name="detail"),
    path("berichte/<slug:slug>/aenderungen/", views.report_changes, name="changes"),
    path(
        "berichte/<slug:slug>/aenderungen/seite/<int:page>/",
        views.report_changes,
        name="changes_page",
    ),
    path(
        "berichte/<slug:slug>/aenderungen/<int:publication_id>/",
        views.report_change,
        name="change",
    ),
    path("berichte/<slug:slug>/zitieren/", views.cite_report, name="cite"),
    re_path(
        r"^berichte/(?P<slug>[-\w]+)/zitieren/zitat\.(?P<extension>bib|ris|json|txt)$",
        views.cite_file,
        name="cite_file",
    ),
    path("berichte/<slug:slug>/zitieren/<slug:anchor>/", views.cite_report, name="cite_section"),
    re_path(
        r"^berichte/(?P<slug>[-\w]+)/zitieren/(?P<anchor>[-\w]+)/zitat\.(?P<extension>bib|ris|json|txt)$",
        views.cite_file,
        name="cite_section_file",
    ),
    path("berichte/<slug:slug>/CITATION.cff", views.citation_cff, name="citation_cff"),
    path(
        "berichte/<slug:slug>/fassungen/<int:publication_id>/",
        views.report_version,
        name="version",
    ),
    # A version's citation pages: the same views, citing that version.
    path(
        "berichte/<slug:slug>/fassungen/<int:publication_id>/zitieren/",
        views.cite_report,
        name="version_cite",
    ),
    re_path(
        r"^berichte/(?P<slug>[-\w]+)/fassungen/(?P<publication_id>[0-9]+)/zitieren/"
        r"zitat\.(?P<extension>bib|ris|json|txt)$",
        views.cite_file,
        name="version_cite_file",
    ),
    path(
        "berichte/<slug:slug>/fassungen/<int:publication_id>/zitieren/<slug:anchor>/",
        views.cite_report,
        name="version_cite_section",
    ),
    re_path(
        r"^berichte/(?P<slug>[-\w]+)/fassungen/(?P<publication_id>[0-9]+)/zitieren/"
        r"(?P<anchor>[-\w]+)/zitat\.(?P<extension>bib|ris|json|txt)$",
        views.cite_file,
        name="version_cite_section_file",
    ),
    re_path(r"^media/(?P<name>cards/[^/]+\.png)$", views.card_image, name="card"),
    path("feed/", shared_page(version=Report.objects.feed_version)(ReportFeed()), name="feed"),
]
