// Magnet links: a query string cut at '&' and '=', its values percent-decoded; and the .torrent a link
// makes with its metadata.
#include "bittorrent/extension/magnet.h"

#include <algorithm>
#include <optional>

#include "bittorrent/bencode.h"
#include "common/util/bytes.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent::extension {
namespace {

constexpr std::string_view kScheme = "magnet:?";
constexpr std::string_view kBtih = "urn:btih:";

Error refuse(const std::string& why) {
  return make_error("magnet link: " + why);
}

// BEP 9: the info-hash "hex encoded, for a total of 40 characters. For compatibility with existing links in
// the wild, clients should also support the 32 character base32 encoded info-hash."
Expected<Sha1Digest> info_hash_of(std::string_view text) {
  std::optional<Bytes> raw;
  if (text.size() == 40) raw = from_hex(text);
  if (text.size() == 32) raw = from_base32(text);
  if (!raw || raw->size() != Sha1Digest().size()) {
    return refuse("info-hash '" + std::string(text) + "' is neither 40 hex digits nor 32 base32 characters");
  }
  Sha1Digest out;
  std::ranges::copy(*raw, out.begin());
  return out;
}

}  // namespace

Expected<MagnetLink> parse_magnet(std::string_view uri) {
  if (!uri.starts_with(kScheme)) return refuse("does not start with 'magnet:?'");
  std::string_view query = uri.substr(kScheme.size());

  MagnetLink out;
  bool has_info_hash = false;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) continue;  // "&&"

    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) return refuse("parameter '" + std::string(param) + "' has no '='");
    std::string_view key = param.substr(0, eq);
    auto decoded = percent_decode(param.substr(eq + 1), true);
    if (!decoded) return refuse("a broken %-escape in '" + std::string(key) + "'");
    std::string value(as_chars(*decoded));

    if (key == "xt" && value.starts_with(kBtih)) {
      if (has_info_hash) return refuse("more than one urn:btih info-hash");
      auto hash = info_hash_of(std::string_view(value).substr(kBtih.size()));
      if (!hash) return hash.error();
      out.info_hash = *hash;
      has_info_hash = true;
    } else if (key == "dn") {
      out.display_name = std::move(value);
    } else if (key == "tr") {
      out.trackers.push_back(std::move(value));
    } else if (key == "x.pe") {
      auto peer = Endpoint::parse(value);
      if (!peer) return refuse("peer '" + value + "': " + peer.reason());
      if (peer->port == 0) return refuse("peer '" + value + "' has port 0");
      out.peers.push_back(std::move(peer).value());
    }
  }
  if (!has_info_hash) return refuse("no xt=urn:btih: info-hash");
  return out;
}

std::string format_magnet(const MagnetLink& link) {
  std::string out = std::string(kScheme) + "xt=" + std::string(kBtih) + to_hex(link.info_hash);
  if (!link.display_name.empty()) out += "&dn=" + percent_encode(as_bytes(link.display_name));
  for (const std::string& tracker : link.trackers) out += "&tr=" + percent_encode(as_bytes(tracker));
  // IPv4:port holds no character a query must escape.
  for (const Endpoint& peer : link.peers) out += "&x.pe=" + peer.str();
  return out;
}

Bytes torrent_file(const MagnetLink& link, ByteView info) {
  Dict dict;
  if (!link.trackers.empty()) {
    dict.emplace("announce", link.trackers.front());
    dict.emplace("announce-list", List{List(link.trackers.begin(), link.trackers.end())});
  }
  // "info" sorts after both announce keys, so it goes last, spliced in as it was hashed.
  Bytes out = encode(dict);
  out.pop_back();  // the dictionary's 'e'
  encode_to("info", out);
  out.insert(out.end(), info.begin(), info.end());
  out.push_back('e');
  return out;
}

}  // namespace p2p::bittorrent::extension
