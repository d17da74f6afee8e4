// Metainfo: torrents made here and by mktorrent parse, the info-hash is over the raw bytes, unsafe torrents
// fail.
#include "bittorrent/metainfo.h"

#include <gtest/gtest.h>

#include <string>

#include "bittorrent/bencode.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

// Made with `mktorrent -a http://127.0.0.1:6969/announce -l 15 -d album`, where album/ holds big.bin (40000
// 'x') and cd1/track.txt ("hello p2plab\n"). `aria2c -S` reports the info-hash a932230a...985f.
constexpr std::string_view kMktorrentAlbum =
    "64383a616e6e6f756e636533303a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e636531303a6372656174"
    "6564"
    "20627931333a6d6b746f7272656e7420312e31343a696e666f64353a66696c65736c64363a6c656e67746869343030303065343a"
    "7061"
    "74686c373a6269672e62696e656564363a6c656e67746869313365343a706174686c333a636431393a747261636b2e7478746565"
    "6534"
    "3a6e616d65353a616c62756d31323a7069656365206c656e67746869333237363865363a70696563657334303a84767bd58aee2f"
    "e4d4"
    "0e8d2acdc3268641d5e1760a35b1830044797081b7135be61da4f07dba1c856565";
constexpr std::string_view kMktorrentAlbumHash = "a932230ab5dc6d5dae71e4e032ed23f63781985f";

const std::string big_bin(40000, 'x');
constexpr std::string_view kTrack = "hello p2plab\n";

TorrentSpec album_spec() {
  TorrentSpec spec;
  spec.announce = "http://127.0.0.1:6969/announce";
  spec.name = "album";
  spec.piece_length = 32768;
  spec.files = {{{"big.bin"}, 40000}, {{"cd1", "track.txt"}, 13}};
  return spec;
}

Bytes make_album(const TorrentSpec& spec) {
  auto torrent = make_metainfo(spec, memory_reader({as_bytes(big_bin), as_bytes(kTrack)}));
  EXPECT_TRUE(torrent) << torrent.reason();
  return torrent ? *torrent : Bytes{};
}

// A torrent around `info`, for the refusal tests below.
Bytes torrent_with(Dict info) {
  return encode(Dict{{"announce", "http://t/announce"}, {"info", std::move(info)}});
}

Dict single_file_info(std::int64_t length = 10) {
  return Dict{{"name", "f"}, {"piece length", 16384}, {"pieces", std::string(20, 'h')}, {"length", length}};
}

Dict multi_file_info(List paths) {
  List files;
  for (Value& path : paths) files.emplace_back(Dict{{"length", 1}, {"path", std::move(path)}});
  std::string pieces(20, 'h');
  return Dict{{"name", "top"}, {"piece length", 16384}, {"pieces", pieces}, {"files", std::move(files)}};
}

std::string refusal(const Bytes& torrent) {
  auto parsed = parse_metainfo(torrent);
  return parsed ? "accepted" : parsed.reason();
}

TEST(MetainfoTest, ReadsAMultiFileTorrentMadeByMktorrent) {
  Bytes torrent = *from_hex(kMktorrentAlbum);
  auto meta = parse_metainfo(torrent);
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_EQ(meta->announce, "http://127.0.0.1:6969/announce");
  EXPECT_EQ(meta->name, "album");
  EXPECT_TRUE(meta->multi_file);
  EXPECT_EQ(meta->piece_length, 32768);
  EXPECT_EQ(meta->total_length, 40013);
  EXPECT_EQ(meta->piece_count(), 2u);
  EXPECT_EQ(meta->piece_size(PieceIndex(1)), 40013u - 32768u);  // the last piece holds the rest
  ASSERT_EQ(meta->files.size(), 2u);
  EXPECT_EQ(meta->files[1].path, (std::vector<std::string>{"cd1", "track.txt"}));
  EXPECT_EQ(meta->files[1].offset, 40000);
  EXPECT_EQ(to_hex(meta->info_hash), kMktorrentAlbumHash);
}

TEST(MetainfoTest, MakesTheSameInfoHashAsMktorrentFromTheSameFiles) {
  // Same files, order and piece length: the info dictionary comes out byte for byte as mktorrent's.
  auto meta = parse_metainfo(make_album(album_spec()));
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_EQ(to_hex(meta->info_hash), kMktorrentAlbumHash);
  // The second piece runs across the file boundary: the end of big.bin, then all of track.txt.
  std::string second = big_bin.substr(32768) + std::string(kTrack);
  EXPECT_EQ(meta->piece_hashes[1], sha1(as_bytes(second)));
}

TEST(MetainfoTest, MakesAndReadsASingleFileTorrent) {
  TorrentSpec spec;
  spec.announce = "http://127.0.0.1:6969/announce";
  spec.announce_list = {{"http://a/announce"}, {"http://b/announce", "http://c/announce"}};
  spec.name = "movie.bin";
  spec.piece_length = 16384;
  spec.files = {{{}, 40000}};
  spec.creation_date = 1700000000;
  spec.comment = "a lab file";
  auto torrent = make_metainfo(spec, memory_reader({as_bytes(big_bin)}));
  ASSERT_TRUE(torrent) << torrent.reason();

  auto meta = parse_metainfo(*torrent);
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_FALSE(meta->multi_file);
  EXPECT_EQ(meta->files.size(), 1u);
  EXPECT_EQ(meta->files[0].path, std::vector<std::string>{"movie.bin"});
  EXPECT_EQ(meta->announce_list, spec.announce_list);
  EXPECT_EQ(meta->piece_count(), 3u);
  EXPECT_EQ(meta->piece_size(PieceIndex(2)), 40000u - 2 * 16384);
  EXPECT_EQ(meta->piece_hashes[2], sha1(as_bytes(std::string_view(big_bin).substr(32768))));
}

TEST(MetainfoTest, HashesTheInfoBytesAsTheyAppearInTheFile) {
  // An info dictionary with a key p2plab does not know: it is not dropped from the hash.
  std::string info = "d6:lengthi10e4:name1:f12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') +
                     "7:privatei1e7:unknown3:abce";
  std::string torrent = "d8:announce3:url4:info" + info + "e";
  auto meta = parse_metainfo(as_bytes(torrent));
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_EQ(meta->info_hash, sha1(as_bytes(info)));
}

TEST(MetainfoTest, RefusesUnsafePaths) {
  // Each of these, written under the download folder, would escape it or name something odd.
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"..", "etc"}}))).find("unsafe path"),
            std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"."}}))).find("unsafe path"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"a", ""}}))).find("unsafe path"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"/etc/passwd"}}))).find("unsafe path"),
            std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"a/b"}}))).find("separator"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"a\\b"}}))).find("separator"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{std::string("a\0b", 3)}}))).find("NUL"),
            std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{}}))).find("empty 'path'"), std::string::npos);
  Dict bad_name = single_file_info();
  bad_name["name"] = "..";
  EXPECT_NE(refusal(torrent_with(bad_name)).find("unsafe path"), std::string::npos);
}

TEST(MetainfoTest, RefusesFilesThatCollide) {
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"a"}, List{"a"}}))).find("share the path"),
            std::string::npos);
  EXPECT_NE(
      refusal(torrent_with(multi_file_info({List{"a"}, List{"a", "b"}}))).find("both a file and a folder"),
      std::string::npos);
  EXPECT_NE(refusal(torrent_with(multi_file_info({List{"a", "b"}, List{"a"}}))).find("share the path"),
            std::string::npos);
  EXPECT_EQ(refusal(torrent_with(multi_file_info({List{"a", "b"}, List{"a", "c"}}))), "accepted");
}

TEST(MetainfoTest, RefusesPiecesThatDoNotMatchTheLength) {
  Dict info = single_file_info();
  info["pieces"] = std::string(19, 'h');
  EXPECT_NE(refusal(torrent_with(info)).find("multiple of 20"), std::string::npos);
  info["pieces"] = std::string(40, 'h');
  EXPECT_NE(refusal(torrent_with(info)).find("2 piece hashes for 1 pieces"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(single_file_info(0))).find("no data"), std::string::npos);
  EXPECT_NE(refusal(torrent_with(single_file_info(-1))).find("negative"), std::string::npos);
  info = single_file_info();
  info["piece length"] = 0;
  EXPECT_NE(refusal(torrent_with(info)).find("piece length 0"), std::string::npos);
}

TEST(MetainfoTest, RefusesMissingOrMistypedFields) {
  Dict info = single_file_info();
  info["files"] = List{};
  EXPECT_NE(refusal(torrent_with(info)).find("exactly one of"), std::string::npos);
  info = single_file_info();
  info.erase("length");
  EXPECT_NE(refusal(torrent_with(info)).find("exactly one of"), std::string::npos);
  info = single_file_info();
  info["name"] = 5;
  EXPECT_NE(refusal(torrent_with(info)).find("'name' is not a string"), std::string::npos);
  info = single_file_info();
  info.erase("pieces");
  EXPECT_NE(refusal(torrent_with(info)).find("missing 'pieces'"), std::string::npos);
  EXPECT_NE(refusal(encode(Dict{{"announce", "x"}})).find("missing 'info'"), std::string::npos);
  EXPECT_NE(refusal(to_bytes("d8:announce")).find("bencode"), std::string::npos);
}

TEST(MetainfoTest, TakesTheTrackerFromTheAnnounceListWhenAnnounceIsAbsent) {
  auto meta =
      parse_metainfo(encode(Dict{{"announce-list", List{List{"http://a/"}}}, {"info", single_file_info()}}));
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_EQ(meta->announce, "http://a/");
}

TEST(MetainfoTest, MakerRefusesWhatTheParserWouldRefuse) {
  TorrentSpec spec = album_spec();
  spec.files[1].path = {"..", "x"};
  EXPECT_FALSE(make_metainfo(spec, memory_reader({as_bytes(big_bin), as_bytes(kTrack)})));
  spec = album_spec();
  spec.files[1].path = {};
  EXPECT_NE(make_metainfo(spec, memory_reader({})).reason().find("has no path"), std::string::npos);
}

TEST(MetainfoTest, ATrackerlessTorrentHasNoAnnounceButNodes) {
  // BEP 5: "a trackerless torrent dictionary does not have an "announce" key. Instead, a trackerless
  // torrent has a "nodes" key ... nodes = [["<host>", <port>], ["<host>", <port>], ...]".
  TorrentSpec spec = album_spec();
  spec.announce.clear();
  spec.nodes = {Endpoint{"127.0.0.1", 6881}, Endpoint{"router.example", 6882}};
  Bytes torrent = make_album(spec);
  std::string text(as_chars(torrent));
  EXPECT_EQ(text.find("announce"), std::string::npos);
  EXPECT_NE(text.find("5:nodesll9:127.0.0.1i6881eel14:router.examplei6882eee"), std::string::npos);
  auto meta = parse_metainfo(torrent);
  ASSERT_TRUE(meta) << meta.reason();
  EXPECT_EQ(meta->announce, "");
  EXPECT_EQ(meta->nodes, spec.nodes);

  // Neither announce nor nodes: still a torrent, whose peers a DHT node of the client's own finds.
  auto bare = parse_metainfo(encode(Dict{{"info", single_file_info()}}));
  ASSERT_TRUE(bare) << bare.reason();
  EXPECT_TRUE(bare->announce.empty());
  EXPECT_TRUE(bare->nodes.empty());
}

TEST(MetainfoTest, RefusesANodesEntryThatIsNotAHostAndAPort) {
  for (Value node : {Value("127.0.0.1"), Value(List{"127.0.0.1"}), Value(List{"127.0.0.1", 0}),
                     Value(List{"127.0.0.1", 65536}), Value(List{6881, "127.0.0.1"}), Value(List{"", 6881}),
                     Value(List{"127.0.0.1", 6881, 1})}) {
    Bytes torrent = encode(Dict{{"info", single_file_info()}, {"nodes", List{std::move(node)}}});
    EXPECT_NE(refusal(torrent).find("'nodes' entry"), std::string::npos);
  }
  EXPECT_NE(refusal(encode(Dict{{"info", single_file_info()}, {"nodes", 5}})).find("'nodes' is not a list"),
            std::string::npos);
}

TEST(MetainfoTest, MakerRefusesAPieceLengthThatIsNotAPowerOfTwo) {
  // bt-maketorrent -l 3 once wrote a torrent, though its help promises a power of two.
  for (std::int64_t length : {3, 1000, 16385, 3 << 14}) {
    TorrentSpec spec = album_spec();
    spec.piece_length = length;
    auto torrent = make_metainfo(spec, memory_reader({as_bytes(big_bin), as_bytes(kTrack)}));
    ASSERT_FALSE(torrent) << length;
    EXPECT_NE(torrent.reason().find("not a power of two"), std::string::npos) << torrent.reason();
  }
}

TEST(MetainfoTest, MakerPassesOnAReadError) {
  // The reader stands for the file system in bt-maketorrent: its failure becomes the maker's.
  auto failing = [](std::size_t, std::int64_t, std::span<std::uint8_t>) {
    return Status(make_error("disk on fire"));
  };
  auto torrent = make_metainfo(album_spec(), failing);
  ASSERT_FALSE(torrent);
  EXPECT_EQ(torrent.reason(), "disk on fire");
}

}  // namespace
}  // namespace p2p::bittorrent
