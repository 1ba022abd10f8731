"""The pages of "Meine Kommentare" (comments/own_page.py): private, never cached, not indexed."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from aireport.proxies import client_ip
from comments import email_links, own_page, readers
from comments.flood import claim_posting_slot
from comments.forms import OwnPageRequestForm
from comments.views import flood_message

#: What the page says after an action (?erledigt=…).
DONE_MESSAGES = {
    "subscribed": "Du bekommst jetzt eine E-Mail, wenn jemand auf diesen Kommentar antwortet.",
    "confirm": "Wir haben dir eine E-Mail geschickt: Bitte bestätige darin die Benachrichtigung.",
    "stopped": "Du bekommst keine E-Mails mehr über Antworten auf diesen Kommentar.",
    "unavailable": "Das geht für diesen Kommentar leider nicht.",
    "export": "Deine Anfrage auf Auskunft ist angekommen. Wir antworten dir per E-Mail, "
    "spätestens in einem Monat.",
    "erase": "Deine Anfrage auf Löschung ist angekommen. Wir antworten dir per E-Mail, "
    "spätestens in einem Monat.",
    "sent": "Wenn es zu dieser Adresse Kommentare gibt, haben wir dir gerade einen Link "
    "geschickt. Er gilt {days} Tage.",
}
DONE_PARAMETER = "erledigt"


def _private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response


def _render(request, page, *, form=None, token="", status=200):
    done = DONE_MESSAGES.get(request.GET.get(DONE_PARAMETER, ""), "")
    context = {
        "page": page,
        "token": token,
        "form": form or OwnPageRequestForm(),
        "done": done.format(days=email_links.OWN_PAGE_MAX_AGE.days),
        "valid_days": email_links.OWN_PAGE_MAX_AGE.days,
    }
    return _private(render(request, "comments/own_page.html", context, status=status))


def _act(request, page, token):
    """One action of the page's forms; then back to the page (POST, redirect, GET)."""
    action = request.POST.get("action", "")
    proven = bool(page.email)
    if action in ("export", "erase"):
        outcome = own_page.request_privacy(page, action)
    else:
        item = page.find(request.POST.get("comment", ""))
        if item is None:
            outcome = "unavailable"
        elif action == "subscribe":
            outcome = own_page.subscribe_to_replies(
                item, proven=proven, ip_address=client_ip(request)
            )
        elif action == "stop":
            outcome = own_page.stop_replies(item)
        else:
            outcome = "unavailable"
    url = reverse("comments:mine_link", args=[token]) if token else reverse("comments:mine")
    return _private(
        HttpResponseRedirect(f"{url}?{urlencode({DONE_PARAMETER: outcome})}", status=303)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
def own_comments(request):
    """In the browser that wrote them (the signed cookie), with the form that mails the link."""
    page = own_page.OwnPage.load(comment_ids=readers.own_comment_ids(request))
    if request.method != "POST":
        return _render(request, page)
    if request.POST.get("action"):
        return _act(request, page, "")
    form = OwnPageRequestForm(request.POST)
    if not form.is_valid():
        return _render(request, page, form=form, status=400)
    email = form.cleaned_data["email"]
    claim = claim_posting_slot(ip_address=client_ip(request), email=email, scope="own-page")
    if not claim:
        form.add_error("email", flood_message(claim, "deine Anfragen"))
        return _render(request, page, form=form, status=429)
    own_page.request_page_link(email)
    return _private(
        HttpResponseRedirect(f"{reverse('comments:mine')}?{DONE_PARAMETER}=sent", status=303)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
def own_comments_by_link(request, token):
    """The signed link from the email: the address's comments, from any device."""
    email = email_links.read_own_page_token(token)
    if email is None:
        response = render(
            request,
            "comments/own_page_invalid.html",
            {"form": OwnPageRequestForm(), "valid_days": email_links.OWN_PAGE_MAX_AGE.days},
            status=400,
        )
        return _private(response)
    page = own_page.OwnPage.load(email=email)
    if request.method == "POST":
        return _act(request, page, token)
    return _render(request, page, token=token)
