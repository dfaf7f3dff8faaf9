"""The laptop's own network addresses, and whether phones can reach it.

Nothing here sends a packet anywhere but to the laptop itself: addresses are read from the
kernel (ioctl, /proc), never found by "connecting" a socket to an outside address.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from workshopkit.join.links import host_for_url

REACHABILITY_HELP = (
    "If phones cannot open the page, the Wi-Fi is probably keeping devices apart from each "
    "other (guest and public Wi-Fi networks often do). Two ways round it: turn on your own "
    "phone's hotspot, join the laptop to it and ask everyone to join it too; or bring a small "
    "travel router, plug it in, and have the laptop and the phones join its network. No "
    "internet connection is needed either way: the page comes from this laptop. Check also "
    "that the laptop's firewall lets other devices reach the port shown."
)

_SIOCGIFADDR = 0x8915
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "lxc", "lxd", "tun", "tap", "zt",
                     "tailscale", "wg", "vmnet", "vboxnet", "cni", "flannel", "podman")


@dataclass(frozen=True)
class Interface:
    """One address of one network interface, as the facilitator chooses it."""

    name: str
    address: str

    @property
    def is_loopback(self) -> bool:
        return ipaddress.ip_address(self.address).is_loopback

    @property
    def version(self) -> int:
        return ipaddress.ip_address(self.address).version

    @property
    def label(self) -> str:
        return f"{self.address} ({self.name})" if self.name else self.address


def _ipv4_by_ioctl() -> list[Interface]:
    if not sys.platform.startswith("linux"):
        return []
    import fcntl

    found: list[Interface] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(Interface(name, socket.inet_ntoa(answer[20:24])))
    return found


def _ipv6_from_proc() -> list[Interface]:
    path = Path("/proc/net/if_inet6")
    found: list[Interface] = []
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            fields = line.split()
            if len(fields) < 6:
                continue
            raw, name = fields[0], fields[5]
            address = ipaddress.IPv6Address(int(raw, 16))
            if address.is_link_local:
                continue  # needs a zone id in URLs; phones can't use it
            found.append(Interface(name, str(address)))
    return found


def _by_hostname() -> list[Interface]:
    found: list[Interface] = []
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP):
            address = str(info[4][0]).split("%", 1)[0]
            with contextlib.suppress(ValueError):
                if not ipaddress.ip_address(address).is_link_local:
                    found.append(Interface("", address))
    return found


def _rank(interface: Interface) -> tuple[bool, int, int, int]:
    address = ipaddress.ip_address(interface.address)
    name = interface.name.lower()
    if address.is_loopback:
        kind = 9
    elif name.startswith(("wl", "wifi", "wlan")):
        kind = 0
    elif name.startswith(("en", "eth")):
        kind = 1
    elif name.startswith(_VIRTUAL_PREFIXES):
        kind = 5
    else:
        kind = 2
    return (address.is_loopback, address.version, kind, 0 if address.is_private else 1)


def lan_addresses() -> list[Interface]:
    """Addresses phones might reach this laptop on: IPv4 first, Wi-Fi before cable, loopback last."""
    found = _ipv4_by_ioctl() + _ipv6_from_proc()
    if not [i for i in found if not i.is_loopback]:
        found += _by_hostname()
    unique: dict[str, Interface] = {}
    for interface in found:
        unique.setdefault(interface.address, interface)
    return sorted(unique.values(), key=_rank)


def default_address() -> str:
    """The first LAN address (what the QR code shows by default), or 127.0.0.1 when offline."""
    for interface in lan_addresses():
        if not interface.is_loopback and interface.version == 4:
            return interface.address
    return "127.0.0.1"


def check_reachable(address: str, port: int, *, timeout: float = 2.0) -> bool:
    """Can the join server be reached at this address of the laptop? (GET /healthz)

    Only ever asks the laptop itself. ``True`` means the server answers on that address; phones
    may still be kept apart by the Wi-Fi (see :data:`REACHABILITY_HELP`).
    """
    url = f"http://{host_for_url(address)}:{int(port)}/healthz"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return bool(response.status == 200 and response.read(16).strip() == b"ok")
    except (urllib.error.URLError, OSError, ValueError):
        return False
