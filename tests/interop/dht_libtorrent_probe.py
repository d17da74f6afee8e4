#!/usr/bin/python3
"""A libtorrent session (Debian's python3-libtorrent) joins the DHT through one p2plab bt-dht node.

Usage: dht_libtorrent_probe.py DHT_PORT LT_PORT SECONDS

It bootstraps libtorrent's DHT from 127.0.0.1:DHT_PORT, runs a get_peers through it, then asks the p2plab
node itself (raw KRPC find_node over UDP) whom it knows: the libtorrent node must be among the answer's
nodes. Prints one line per finding; exits 0 when both sides saw each other, 1 otherwise. Every wait is
bounded by SECONDS.
"""
import socket
import sys
import time

import libtorrent as lt
from libtorrent_loopback import loopback_dht_settings


def p2plab_knows(dht_port, lt_port):
    """Sends find_node to the p2plab node; true if its answer lists 127.0.0.1:LT_PORT."""
    query = lt.bencode({b't': b'pb', b'y': b'q', b'q': b'find_node',
                        b'a': {b'id': b'p' * 20, b'target': b'\x00' * 20}})
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(1)
        probe.sendto(query, ('127.0.0.1', dht_port))
        # The node may ping the prober, a newcomer to its table, before or after it answers.
        answer = {}
        while answer.get(b't') != b'pb' or answer.get(b'y') != b'r':
            try:
                answer = lt.bdecode(probe.recv(2048)) or {}
            except socket.timeout:
                print('probe: no answer from the p2plab node')
                return False
    nodes = answer.get(b'r', {}).get(b'nodes', b'')
    wanted = socket.inet_aton('127.0.0.1') + lt_port.to_bytes(2, 'big')
    entries = [nodes[i + 20:i + 26] for i in range(0, len(nodes), 26)]
    print('probe: the p2plab node answers find_node with %d nodes' % len(entries))
    return wanted in entries


def main():
    dht_port, lt_port, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    deadline = time.monotonic() + seconds
    session = lt.session(loopback_dht_settings(
        dht_port, lt_port, lt.alert.category_t.dht_notification | lt.alert.category_t.status_notification))
    bootstrapped = False
    while time.monotonic() < deadline and not bootstrapped:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_bootstrap_alert):
                bootstrapped = True
    print('libtorrent: DHT bootstrap %s' % ('done' if bootstrapped else 'not done'))

    # A get_peers lookup through the p2plab node, so that it answers more than the bootstrap find_node.
    session.dht_get_peers(lt.sha1_hash(b'\x42' * 20))
    replied = False
    while time.monotonic() < deadline and not replied:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert) or 'get_peers' in alert.message():
                replied = True
        # The p2plab node pings a newcomer before it hands it out, so it may take a moment to list it.
        if p2plab_knows(dht_port, lt_port):
            print('probe: the p2plab node lists the libtorrent node')
            return 0 if bootstrapped else 1
    print('libtorrent: get_peers %s' % ('answered' if replied else 'not answered'))
    return 1


if __name__ == '__main__':
    sys.exit(main())
