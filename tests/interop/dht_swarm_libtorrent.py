#!/usr/bin/python3
"""A libtorrent session (Debian's python3-libtorrent) in a swarm with no tracker: it joins the DHT through a
p2plab bt-dht node and seeds or downloads one torrent whose peers it finds there (BEP 5).

Usage: dht_swarm_libtorrent.py seed|leech TORRENT SAVE_DIR DHT_PORT LT_PORT SECONDS

leech: exits 0 once the download is complete (libtorrent has checked every piece), 1 if SECONDS pass first.
seed: prints 'announced' once a DHT announce of the torrent got its answers, then seeds until SECONDS pass
or it is stopped (exit 0).
Both re-announce every 2 s (force_dht_announce) instead of libtorrent's 15 minutes, so that a peer that comes
later is found at once. Every wait is bounded by SECONDS.
"""
import sys
import time

import libtorrent as lt
from libtorrent_loopback import loopback_dht_settings

ANNOUNCE_EVERY = 2.0


def make_session(dht_port, lt_port):
    settings = loopback_dht_settings(dht_port, lt_port, lt.alert.category_t.all_categories)
    # Every peer is on 127.0.0.1, and p2plab peers speak TCP only.
    settings.update({
        'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
    })
    return lt.session(settings)


def main():
    mode, torrent, save_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    dht_port, lt_port, seconds = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    deadline = time.monotonic() + seconds
    session = make_session(dht_port, lt_port)
    handle = session.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save_dir})
    announced_at = 0.0
    told_announced = False
    while time.monotonic() < deadline:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_reply_alert):
                print('libtorrent: DHT get_peers answered, %d peers' % alert.num_peers, file=sys.stderr)
                if mode == 'seed' and not told_announced:
                    told_announced = True
                    print('announced', flush=True)
            elif isinstance(alert, (lt.peer_connect_alert, lt.peer_disconnected_alert, lt.peer_error_alert,
                                    lt.dht_bootstrap_alert, lt.torrent_error_alert)):
                print('libtorrent: ' + alert.message(), file=sys.stderr)
        status = handle.status()
        if mode == 'leech' and status.is_seeding:
            print('complete after %.1f s' % (seconds - (deadline - time.monotonic())), flush=True)
            return 0
        if time.monotonic() - announced_at >= ANNOUNCE_EVERY:
            announced_at = time.monotonic()
            handle.force_dht_announce()
            print('libtorrent: %s, %.0f %% of %d bytes, %d peers' %
                  (status.state, 100 * status.progress, status.total_wanted, status.num_peers),
                  file=sys.stderr)
    return 0 if mode == 'seed' else 1


if __name__ == '__main__':
    sys.exit(main())
