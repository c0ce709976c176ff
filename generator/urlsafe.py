"""Whether a URL, as a browser reads it, would run a script or carry a document of its own."""

from __future__ import annotations

import re

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme


def unsafe_url(value: str) -> str:
    """The scheme that makes a URL unsafe (`javascript:`), or ''. `value` as the browser reads it:
    entities decoded; whitespace and control characters inside the scheme do not count."""
    squeezed = _URL_NOISE.sub("", value).lower()
    return next((s for s in UNSAFE_SCHEMES if squeezed.startswith(s)), "")
