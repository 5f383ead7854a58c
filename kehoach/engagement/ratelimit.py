"""Rate limits for public submissions, on Django's cache framework (no third-party service).

Fixed windows: the first hit creates a counter that expires after the window; each hit adds one.
Keys are hashed with the secret key, so the cache never holds an address or a phone number in
clear. Which cache is configurable (``ENGAGEMENT_CACHE``, default the ``default`` cache, which is
local memory unless ``CACHES`` says otherwise; use a shared cache when running several processes).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[getattr(settings, "ENGAGEMENT_CACHE", "default")]


def _key(kind: str, value: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()[:40]
    return f"kehoach:engagement:rl:{kind}:{digest}"


def address_key(ip: str) -> str:
    """An IPv4 address as is; an IPv6 address by its /64 (one household or phone gets a /64)."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hit(kind: str, value: str, *, limit: int, window: int) -> bool:
    """Count one hit; False when ``value`` has already used its ``limit`` in this window."""
    if not value or limit <= 0:
        return True
    cache = _cache()
    key = _key(kind, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def peek(kind: str, value: str, *, limit: int) -> bool:
    """True while ``value`` still has hits left (does not count)."""
    if not value or limit <= 0:
        return True
    return (_cache().get(_key(kind, value)) or 0) < limit
