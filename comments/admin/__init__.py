"""The comments' admin: the moderators' desk, its pages and filters, the moderation log, the
"Diskussion" settings with the ban list, and the subscriptions. Each module registers its own
admin class."""

from comments.admin import desk, moderation_log, settings, subscriptions

__all__ = ["desk", "moderation_log", "settings", "subscriptions"]
