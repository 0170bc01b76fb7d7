"""Reads a JWT's `exp` without verifying it: only to know when the saved login ends."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone


def jwt_expiry(token: str) -> datetime | None:
    """The UTC expiry a JWT claims, or None when the text is no JWT or has no `exp`."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
        return datetime.fromtimestamp(float(claims["exp"]), tz=timezone.utc)
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, OverflowError):
        return None
