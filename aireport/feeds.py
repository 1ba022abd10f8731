"""What the site's Atom feeds share: the full text in <content>, the publisher as author."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class FullContentAtomFeed(Atom1Feed):
    """Atom with each entry's whole text as <content type="html"> beside its <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class SiteFeed(Feed):
    feed_type = FullContentAtomFeed

    def author_name(self):
        return settings.SITE_PUBLISHER

    def author_email(self):
        return settings.SITE_CONTACT_EMAIL or None

    def feed_copyright(self):
        return settings.SITE_PUBLISHER
