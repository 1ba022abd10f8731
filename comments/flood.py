"""Flood control: one post (comment or reader's report) per sender within the administrator's
"Sperrzeit", and one confirmation email per address within it, at most
`confirmation_emails_per_day` a day.

A sender is two keys, the normalised email and the network (`flood_network`). Both are
claimed in one decision: in a fixed order, stopping at the first key that is taken and
giving back the keys claimed before it. Two identical requests of one double click therefore
try the same key first; one of them gets every key and the other none, so exactly one post
goes through (before, each could win one key and lose the other, and both were refused).

The store is shared by all workers (settings.COMMENTS_FLOOD_CACHE: the database, or Redis when
configured); `add` is atomic in both. Only hashes go into it, and only for those seconds. The
value kept is the moment the key expires, so a refusal can say how long to wait.
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from comments.rules import discussion_rules
from comments.text import normalise_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """The decision on one post: true when it may go ahead, else how many seconds are left."""

    allowed: bool
    seconds_left: int = 0

    def __bool__(self):
        return self.allowed


ALLOWED = Claim(True)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"comments:flood:{kind}:{digest}"


def flood_network(ip_address: str) -> str:
    """Whom flood control counts as one sender: an IPv4 address, or an IPv6 /64.

    One IPv6 connection usually gets a whole /64, so a client could rotate within it."""
    try:
        address = ipaddress.ip_address(ip_address.strip())
    except ValueError:
        return ip_address.strip()
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _claim(keys: list[str]) -> Claim:
    """Claim every key or none, in a fixed order (see the module's docstring)."""
    seconds = discussion_rules().flood_seconds
    if seconds <= 0 or not keys:
        return ALLOWED
    try:
        store = caches[settings.COMMENTS_FLOOD_CACHE]
        until = time.time() + seconds
        claimed = []
        for key in sorted(keys):
            if store.add(key, until, timeout=seconds):
                claimed.append(key)
                continue
            store.delete_many(claimed)
            held_until = store.get(key)
            left = math.ceil(held_until - time.time()) if isinstance(held_until, float) else 0
            return Claim(False, max(1, min(left, seconds)))
    except Exception as error:
        # A store outage must not cost a reader their comment: let it through (the duplicate
        # check runs in the database anyway) and tell the operator.
        logger.warning("Flood control unavailable, post let through: %s", error)
        return ALLOWED
    return ALLOWED


def claim_posting_slot(*, ip_address: str | None, email: str, scope: str = "comment") -> Claim:
    """A refusal when the same network or email posted within the "Sperrzeit".

    `scope` keeps comments and readers' reports apart."""
    keys = [_key(f"{scope}:email", normalise_email(email))] if email.strip() else []
    if ip_address:
        keys.append(_key(f"{scope}:ip", flood_network(ip_address)))
    return _claim(keys)


#: How long the daily count of confirmation emails to one address is kept.
DAY_SECONDS = 60 * 60 * 24


def _within_daily_confirmations(email: str) -> bool:
    """Count one more confirmation email to `email` today; false once the administrator's
    daily limit is reached (counted in the shared store, so across all servers)."""
    limit = discussion_rules().confirmation_emails_per_day
    key = _key("confirm-day", normalise_email(email))
    try:
        store = caches[settings.COMMENTS_FLOOD_CACHE]
        store.add(key, 0, timeout=DAY_SECONDS)
        try:
            count = store.incr(key)
        except ValueError:  # expired between add and incr
            store.add(key, 1, timeout=DAY_SECONDS)
            count = 1
    except Exception as error:
        logger.warning("Flood control unavailable, daily confirmation limit not checked: %s", error)
        return True
    return count <= limit


def claim_confirmation_slot(email: str) -> Claim:
    """A refusal when this address was sent a confirmation email within the "Sperrzeit", or
    was sent the day's last allowed one (`confirmation_emails_per_day`)."""
    claim = _claim([_key("confirm", normalise_email(email))])
    if claim and not _within_daily_confirmations(email):
        return Claim(False, DAY_SECONDS)
    return claim
