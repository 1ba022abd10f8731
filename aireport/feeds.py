"""What the site's Atom feeds share: the full text in <content>, the publisher as author, and
links to the site's public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class FullContentAtomFeed(Atom1Feed):
    """Atom with each entry's whole text as <content type="html"> beside its <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PublicAddress:
    """The request as the feed framework sees it, with the host and scheme of SITE_URL.

    Django's Feed builds every link from the request's Host header (RequestSite). A feed is a
    shared page, cached for everyone, so one request with another allowed host name would make
    the cached copy point there."""

    def __init__(self, request):
        self._request = request
        address = urlsplit(settings.SITE_URL)
        self._host, self._secure = address.netloc, address.scheme == "https"

    def get_host(self):
        return self._host

    def is_secure(self):
        return self._secure

    def __getattr__(self, name):
        return getattr(self._request, name)


class SiteFeed(Feed):
    feed_type = FullContentAtomFeed

    def get_feed(self, obj, request):
        return super().get_feed(obj, PublicAddress(request))

    def author_name(self):
        return settings.SITE_PUBLISHER

    def author_email(self):
        return settings.SITE_CONTACT_EMAIL or None

    def feed_copyright(self):
        return settings.SITE_PUBLISHER
