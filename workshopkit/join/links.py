"""Join links and join codes: what the QR code, the poster and the projected screen show."""

from __future__ import annotations

import ipaddress
import re

from workshopkit.store import JOIN_TOKEN_LENGTH, JOIN_TOKEN_PATTERN

DEFAULT_PORT = 8765
_CODE_GROUPS = (4, 4, JOIN_TOKEN_LENGTH - 8)
_CODE_SEPARATORS = re.compile(r"[\s\-_.]+")


def host_for_url(address: str) -> str:
    """An address as it goes in a URL: IPv6 in brackets, anything else as it is."""
    try:
        if ipaddress.ip_address(address.strip("[]")).version == 6:
            return f"[{address.strip('[]')}]"
    except ValueError:
        pass
    return address


def join_url(address: str, port: int, token: str) -> str:
    """``http://<address>:<port>/j/<token>``: the link a phone opens (the QR code's text)."""
    return f"http://{host_for_url(address)}:{int(port)}/j/{token}"


def format_join_code(token: str) -> str:
    """The token grouped for reading aloud and typing: ``abcd-efgh-jkmnp``."""
    parts, start = [], 0
    for size in _CODE_GROUPS:
        parts.append(token[start:start + size])
        start += size
    if start < len(token):
        parts.append(token[start:])
    return "-".join(part for part in parts if part)


def parse_join_code(text: str) -> str | None:
    """A typed join code back to a token (any case, spaces or dashes), or None if it can't be one."""
    candidate = _CODE_SEPARATORS.sub("", text or "").lower()
    candidate = candidate.rsplit("/j/", 1)[-1].strip("/")
    return candidate if JOIN_TOKEN_PATTERN.fullmatch(candidate) else None
