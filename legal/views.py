from django.shortcuts import get_object_or_404, render

from aireport.page_cache import shared_page

from .models import LegalPage


@shared_page(version=LegalPage.objects.page_version)
def legal_page(request, slug):
    page = get_object_or_404(LegalPage, slug=slug)
    return render(request, "legal/page.html", {"page": page})
