"""One normal form each for phone numbers and websites, so a search matches however they were typed.

Invariants:
- ``phone_digits`` keeps digits only and drops the North American country code 1 of an
  eleven-digit number, so "+1 (410) 555-0100", "410.555.0100" and "4105550100" are equal.
- ``website_host`` is the lower-case host name without scheme, user, port, path, query, a
  trailing dot or one leading "www.", so "HTTPS://www.Example.com/about" is "example.com".
- Both return "" for input that holds no phone number or host; "" never matches anything.
"""

from __future__ import annotations

import re

MIN_PHONE_DIGITS = 7
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def phone_digits(value: str | None) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isascii() and ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def website_host(value: str | None) -> str:
    text = (value or "").strip().lower()
    text = _SCHEME.sub("", text).lstrip("/")
    host = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1]
    # Drop the port; an IPv6 literal keeps its colons.
    host = host.split("]", 1)[0] + "]" if host.startswith("[") else host.split(":", 1)[0]
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if "." in host or host.startswith("[") else ""
