"""The libtorrent settings every interop script shares: a DHT session on 127.0.0.1 bootstrapped from a
p2plab bt-dht node, with nothing else on (no local peer discovery, UPnP or NAT-PMP)."""
import libtorrent as lt


def loopback_dht_settings(dht_port, lt_port, alert_mask):
    return {
        'listen_interfaces': '127.0.0.1:%d' % lt_port,
        'enable_dht': True,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'dht_bootstrap_nodes': '127.0.0.1:%d' % dht_port,
        # libtorrent refuses loopback and private peers in its routing table and searches unless told not
        # to, and wants node ids derived from the address (BEP 42), which loopback nodes do not have.
        'dht_restrict_routing_ips': False,
        'dht_restrict_search_ips': False,
        'dht_prefer_verified_node_ids': False,
        'dht_enforce_node_id': False,
        'dht_ignore_dark_internet': False,
        'alert_mask': alert_mask,
    }
