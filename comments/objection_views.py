"""The author's objection to a statement of reasons: the signed link from the statement's
email opens a short form; the objection reaches the moderators (comments/objections.py)."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from comments import email_links
from comments.models import StatementOfReasons
from comments.objections import submit_objection


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label="Warum hältst du die Entscheidung für falsch?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "maxlength": 5000}),
        error_messages={
            "required": "Bitte schreib uns kurz, warum du widersprichst.",
            "max_length": "Dein Widerspruch ist zu lang (höchstens 5000 Zeichen).",
        },
    )


def _statement(token) -> StatementOfReasons:
    pk = email_links.read_objection_token(token)
    statement = (
        StatementOfReasons.objects.select_related("comment__report").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if statement is None:
        raise Http404
    return statement


@never_cache
@require_http_methods(["GET", "POST"])
@csrf_protect
def object_to_statement(request, token):
    statement = _statement(token)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            submit_objection(statement=statement, text=form.cleaned_data["text"])
            response = render(request, "comments/objection_thanks.html", {"statement": statement})
            response["X-Robots-Tag"] = "noindex"
            return response
        status = 400
    context = {
        "statement": statement,
        "comment": statement.comment,
        "first_words": Truncator(" ".join(statement.comment.text.split())).words(12),
        "form": form,
        "open_objections": statement.objections.filter(decision="").count(),
    }
    response = render(request, "comments/objection_form.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
