"""IP addresses given to servers when they are created."""

from collections import deque
from ipaddress import IPv4Address, IPv4Network

PUBLIC_NETWORKS = ("203.0.113.0/24", "198.51.100.0/24")
PRIVATE_FIRST = IPv4Address("10.0.0.1")


class AddressPool:
    """Public addresses are unique and come back when a server is deleted; once the two
    documentation /24 networks (508 addresses) are in use, new servers get no public address.
    Private addresses count up through 10.0.0.0/8 and are not reused.
    """

    def __init__(self):
        self.free_public = deque(str(host) for network in PUBLIC_NETWORKS for host in IPv4Network(network).hosts())
        self.private_count = 0

    def allocate(self):
        public = self.free_public.popleft() if self.free_public else None
        private = str(PRIVATE_FIRST + self.private_count)
        self.private_count += 1
        return public, private

    def release(self, public):
        if public is not None:
            self.free_public.append(public)
