from django.conf import settings


def site(request):
    """Who publishes the site, for titles, footer, feeds and structured data."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_PUBLISHER": settings.SITE_PUBLISHER,
        "SITE_CONTACT_EMAIL": settings.SITE_CONTACT_EMAIL,
    }
