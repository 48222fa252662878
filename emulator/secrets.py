"""Secrets as they may be shown or stored: masked, with a short hash to tell two apart.

AuthKeys, SignKeys and the secret in ``mns://ID:SECRET@host/queue`` never appear in
output, reports or API answers; ``***sha256:1a2b3c4d`` does instead (the same key always
gives the same hash, so two configurations can be compared without revealing either).
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"


def fingerprint(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:8]


def mask(secret: str | None) -> str | None:
    """``***sha256:xxxxxxxx`` for a secret; None/empty stays as is."""
    return f"{MASK}{fingerprint(secret)}" if secret else secret


def mask_url(url: str) -> str:
    """A URL with the password of its user-info masked (``mns://ID:***sha256:…@host/q``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    user, _, rest = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:{mask(unquote(parts.password))}@{rest}"))
