"""Pure helpers for uploaded files: safe names, type sniffing, sizes, download headers."""

from __future__ import annotations

import codecs
import re
import unicodedata
from urllib.parse import quote

import filetype

_WHITESPACE = re.compile(r"\s+")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()\-+,@&\[\]]")


def sanitize_filename(raw: str) -> str:
    """The name a user sees and gets back: no directories, control or format characters,
    no leading dots; never empty. It is metadata only, never a path in storage."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _WHITESPACE.sub(" ", name).strip().lstrip(".").strip()
    return name or "file"


def ascii_fallback(name: str) -> str:
    """An ASCII-only version for old clients that ignore ``filename*``."""
    decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = _UNSAFE_ASCII.sub("_", decomposed).strip(" .") or "download"
    return safe


def attachment_disposition(name: str) -> str:
    """``Content-Disposition`` forcing a download, with an RFC 6266 / 5987 UTF-8 name."""
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def sniff_content_type(head: bytes) -> str:
    """Decide the type from the bytes, never from the name or the browser's claim."""
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return str(kind.mime)
    if head and b"\x00" not in head:
        try:
            # Incremental: the sample may end inside a multi-byte character.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def human_size(n: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def display_name(name: str, limit: int = 80) -> str:
    """Shorten a name for an error message."""
    return name if len(name) <= limit else name[: limit - 1] + "…"
