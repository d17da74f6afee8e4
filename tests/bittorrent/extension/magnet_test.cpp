// Magnet links (BEP 9): hex and base32 info-hashes, percent-decoded names and trackers, several trackers and
// peers, round trips, and a reason for each broken link.
#include "bittorrent/extension/magnet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "bittorrent/bencode.h"
#include "bittorrent/metainfo.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent::extension {
namespace {

const std::string kHex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

Sha1Digest digest_of(const std::string& hex) {
  Sha1Digest out;
  std::ranges::copy(*from_hex(hex), out.begin());
  return out;
}

TEST(MagnetTest, ReadsTheInfoHashNameAndEveryTracker) {
  auto link = parse_magnet("magnet:?xt=urn:btih:" + kHex +
                           "&dn=Big+Buck%20Bunny.mkv"
                           "&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce"
                           "&tr=udp://tracker.example:80"
                           "&x.pe=10.0.0.7:51413");
  ASSERT_TRUE(link) << link.reason();
  EXPECT_EQ(link->info_hash, digest_of(kHex));
  EXPECT_EQ(link->display_name, "Big Buck Bunny.mkv");  // '+' and %20 are both a space
  EXPECT_EQ(link->trackers,
            (std::vector<std::string>{"http://127.0.0.1:6969/announce", "udp://tracker.example:80"}));
  EXPECT_EQ(link->peers, (std::vector<Endpoint>{Endpoint{"10.0.0.7", 51413}}));
}

TEST(MagnetTest, ReadsAHexInfoHashInEitherCaseAndABase32One) {
  auto from_upper = parse_magnet("magnet:?xt=urn:btih:C12FE1C06BBA254A9DC9F519B335AA7C1367A88A");
  ASSERT_TRUE(from_upper) << from_upper.reason();
  EXPECT_EQ(from_upper->info_hash, digest_of(kHex));

  // The same 20 bytes in base32: 32 characters.
  auto from_base32 = parse_magnet("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK");
  ASSERT_TRUE(from_base32) << from_base32.reason();
  EXPECT_EQ(from_base32->info_hash, digest_of(kHex));
}

TEST(MagnetTest, OnlyTheInfoHashIsRequired) {
  auto link = parse_magnet("magnet:?xl=10826029&xt=urn:btmh:1220abcd&xt=urn:btih:" + kHex + "&&ws=http://x/");
  ASSERT_TRUE(link) << link.reason();
  EXPECT_EQ(link->info_hash, digest_of(kHex));
  EXPECT_TRUE(link->display_name.empty());
  EXPECT_TRUE(link->trackers.empty());
  EXPECT_TRUE(link->peers.empty());
}

TEST(MagnetTest, FormatsALinkItParsesBackToTheSame) {
  MagnetLink link;
  link.info_hash = digest_of(kHex);
  link.display_name = "a name & more=100%";
  link.trackers = {"http://127.0.0.1:6969/announce?key=1&x=2", "http://127.0.0.1:6970/announce"};
  link.peers = {Endpoint{"127.0.0.1", 6881}};
  std::string uri = format_magnet(link);
  EXPECT_TRUE(uri.starts_with("magnet:?xt=urn:btih:" + kHex + "&dn=a%20name%20%26%20more%3d100%25&tr="))
      << uri;
  EXPECT_TRUE(uri.ends_with("&x.pe=127.0.0.1:6881")) << uri;
  auto parsed = parse_magnet(uri);
  ASSERT_TRUE(parsed) << parsed.reason();
  EXPECT_EQ(*parsed, link);
}

TEST(MagnetTest, MakesTheTorrentFileOfTheLinkAndItsMetadata) {
  // The info dictionary of a one-piece file, as MetadataAssembler hands it over once verified.
  Bytes info = encode(Dict{{"length", 5},
                           {"name", "hello.txt"},
                           {"piece length", 16384},
                           {"pieces", std::string(as_chars(sha1(as_bytes("hello"))))}});
  MagnetLink link;
  link.info_hash = sha1(info);
  link.trackers = {"http://127.0.0.1:6969/announce", "http://127.0.0.1:6970/announce"};

  auto torrent = parse_metainfo(torrent_file(link, info));
  ASSERT_TRUE(torrent) << torrent.reason();
  EXPECT_EQ(torrent->info_hash, link.info_hash);  // the info bytes are the ones hashed
  EXPECT_EQ(torrent->name, "hello.txt");
  EXPECT_EQ(torrent->announce, link.trackers[0]);
  EXPECT_EQ(torrent->announce_list, (std::vector<std::vector<std::string>>{link.trackers}));

  // Without trackers there is only the info dictionary.
  link.trackers.clear();
  EXPECT_EQ(as_chars(torrent_file(link, info)), "d4:info" + std::string(as_chars(info)) + "e");
}

TEST(MagnetTest, RefusesEachBrokenLinkWithAReason) {
  struct Case {
    std::string uri;
    std::string reason;
  };
  const Case cases[] = {
      {"http://example.com/?xt=urn:btih:" + kHex, "does not start with 'magnet:?'"},
      {"magnet:?dn=name", "no xt=urn:btih: info-hash"},
      {"magnet:?xt=urn:btih:" + kHex + "&tr", "parameter 'tr' has no '='"},
      {"magnet:?xt=urn:btih:" + kHex + "&dn=%zz", "a broken %-escape in 'dn'"},
      {"magnet:?xt=urn:btih:" + kHex.substr(2), "neither 40 hex digits nor 32 base32"},
      {"magnet:?xt=urn:btih:" + kHex.substr(2) + "zz", "neither 40 hex digits nor 32 base32"},
      {"magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1", "neither 40 hex digits nor 32 base32"},
      {"magnet:?xt=urn:btih:" + kHex + "&xt=urn:btih:" + kHex, "more than one urn:btih"},
      {"magnet:?xt=urn:btih:" + kHex + "&x.pe=peer.example:6881", "peer 'peer.example:6881'"},
      {"magnet:?xt=urn:btih:" + kHex + "&x.pe=10.0.0.1:0", "peer '10.0.0.1:0' has port 0"},
  };
  for (const Case& c : cases) {
    auto parsed = parse_magnet(c.uri);
    ASSERT_FALSE(parsed) << c.uri;
    EXPECT_NE(parsed.reason().find(c.reason), std::string::npos) << c.uri << ": " << parsed.reason();
    EXPECT_EQ(parsed.reason().rfind("magnet link: ", 0), 0u) << parsed.reason();
  }
}

}  // namespace
}  // namespace p2p::bittorrent::extension
