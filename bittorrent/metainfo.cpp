// Metainfo (BEP 3): reading a .torrent into typed fields with safe paths, and making one from content.
#include "bittorrent/metainfo.h"

#include <algorithm>
#include <bit>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>

#include "bittorrent/bencode.h"
#include "common/content/safe_name.h"

namespace p2p::bittorrent {
namespace {

Error refuse(const std::string& why) {
  return make_error("metainfo: " + why);
}

// --- Typed access to dictionary fields, naming the field in every refusal ---

template <typename T>
const T* as(const Value& value);
template <>
const std::int64_t* as(const Value& value) {
  return value.if_int();
}
template <>
const std::string* as(const Value& value) {
  return value.if_string();
}
template <>
const List* as(const Value& value) {
  return value.if_list();
}
template <>
const Dict* as(const Value& value) {
  return value.if_dict();
}

template <typename T>
constexpr const char* kTypeName = std::is_same_v<T, std::int64_t>  ? "an integer"
                                  : std::is_same_v<T, std::string> ? "a string"
                                  : std::is_same_v<T, List>        ? "a list"
                                                                   : "a dictionary";

// The field `key` of `dict` as a T; nullptr if it is absent, an error if it has another type.
template <typename T>
Expected<const T*> optional_field(const Dict& dict, std::string_view key) {
  auto it = dict.find(key);
  if (it == dict.end()) return static_cast<const T*>(nullptr);
  const T* typed = as<T>(it->second);
  if (typed == nullptr) return refuse("'" + std::string(key) + "' is not " + kTypeName<T>);
  return typed;
}

template <typename T>
Expected<const T*> required_field(const Dict& dict, std::string_view key) {
  auto field = optional_field<T>(dict, key);
  if (field && *field == nullptr) return refuse("missing '" + std::string(key) + "'");
  return field;
}

// --- Rules shared by parsing and making ---

// Each path component becomes one file or folder name inside the download folder, so it must pass the
// project-wide safe-name check: that is what stops "../../.bashrc" or "/etc/passwd" in a hostile torrent.
Status check_component(const std::string& component) {
  Status safe = content::check_safe_name(component);
  if (!safe) return refuse("unsafe path component: " + safe.reason());
  return Ok{};
}

// Two files on one path, or a file that is also another file's folder, cannot both be written.
Status check_distinct_paths(const std::vector<FileEntry>& files) {
  std::set<std::vector<std::string>> file_paths;
  std::set<std::vector<std::string>> folder_paths;
  for (const FileEntry& file : files) {
    if (file_paths.contains(file.path) || folder_paths.contains(file.path)) {
      return refuse("two files share the path '" + file.path.back() + "'");
    }
    file_paths.insert(file.path);
    for (std::size_t n = 1; n < file.path.size(); ++n) {
      std::vector<std::string> folder(file.path.begin(), file.path.begin() + static_cast<std::ptrdiff_t>(n));
      if (file_paths.contains(folder)) return refuse("'" + folder.back() + "' is both a file and a folder");
      folder_paths.insert(std::move(folder));
    }
  }
  return Ok{};
}

// Lays files end to end and checks the lengths: none negative, the total positive and below the cap.
Expected<std::int64_t> place_files(std::vector<FileEntry>& files) {
  std::int64_t offset = 0;
  for (FileEntry& file : files) {
    if (file.length < 0) return refuse("negative file length");
    if (file.length > kMaxTotalLength - offset) return refuse("total length over the 1 PiB cap");
    file.offset = offset;
    offset += file.length;
  }
  if (offset == 0) return refuse("the torrent holds no data");
  return offset;
}

Status check_piece_length(std::int64_t piece_length) {
  if (piece_length <= 0 || piece_length > kMaxPieceLength) {
    return refuse("piece length " + std::to_string(piece_length) + " is outside 1.." +
                  std::to_string(kMaxPieceLength));
  }
  return Ok{};
}

// --- Parsing ---

Expected<std::vector<std::vector<std::string>>> parse_announce_list(const List& tiers) {
  std::vector<std::vector<std::string>> out;
  for (const Value& tier : tiers) {
    const List* urls = tier.if_list();
    if (urls == nullptr) return refuse("an 'announce-list' tier is not a list");
    std::vector<std::string>& parsed = out.emplace_back();
    for (const Value& url : *urls) {
      if (url.if_string() == nullptr) return refuse("an 'announce-list' entry is not a string");
      parsed.push_back(*url.if_string());
    }
  }
  return out;
}

// BEP 5: "nodes": [["<host>", <port>], ["<host>", <port>], ...].
Expected<std::vector<Endpoint>> parse_nodes(const List& nodes) {
  std::vector<Endpoint> out;
  for (const Value& node : nodes) {
    const List* pair = node.if_list();
    if (pair == nullptr || pair->size() != 2 || (*pair)[0].if_string() == nullptr ||
        (*pair)[0].if_string()->empty() || (*pair)[1].if_int() == nullptr || *(*pair)[1].if_int() < 1 ||
        *(*pair)[1].if_int() > 65535)
      return refuse("a 'nodes' entry is not [host, port 1-65535]");
    out.push_back(Endpoint{*(*pair)[0].if_string(), static_cast<std::uint16_t>(*(*pair)[1].if_int())});
  }
  return out;
}

Expected<FileEntry> parse_file(const Value& entry) {
  const Dict* dict = entry.if_dict();
  if (dict == nullptr) return refuse("a 'files' entry is not a dictionary");
  auto length = required_field<std::int64_t>(*dict, "length");
  if (!length) return length.error();
  auto path = required_field<List>(*dict, "path");
  if (!path) return path.error();
  if ((*path)->empty()) return refuse("a file has an empty 'path'");
  FileEntry file;
  file.length = **length;
  for (const Value& component : **path) {
    const std::string* name = component.if_string();
    if (name == nullptr) return refuse("a 'path' component is not a string");
    if (Status safe = check_component(*name); !safe) return safe.error();
    file.path.push_back(*name);
  }
  return file;
}

// The file list of `info`: one file named like the torrent (`length`), or the `files` list.
Expected<std::vector<FileEntry>> parse_files(const Dict& info, const std::string& name, bool& multi_file) {
  auto length = optional_field<std::int64_t>(info, "length");
  if (!length) return length.error();
  auto files = optional_field<List>(info, "files");
  if (!files) return files.error();
  if ((*length == nullptr) == (*files == nullptr))
    return refuse("'info' needs exactly one of 'length' and 'files'");
  multi_file = *files != nullptr;
  if (!multi_file) return std::vector<FileEntry>{FileEntry{{name}, **length, 0}};
  if ((*files)->empty()) return refuse("'files' is empty");
  std::vector<FileEntry> out;
  out.reserve((*files)->size());
  for (const Value& entry : **files) {
    auto file = parse_file(entry);
    if (!file) return file.error();
    out.push_back(std::move(*file));
  }
  return out;
}

Status parse_info(const Dict& info, Metainfo& out) {
  auto name = required_field<std::string>(info, "name");
  if (!name) return name.error();
  if (Status safe = check_component(**name); !safe) return safe;
  out.name = **name;

  auto piece_length = required_field<std::int64_t>(info, "piece length");
  if (!piece_length) return piece_length.error();
  if (Status ok = check_piece_length(**piece_length); !ok) return ok;
  out.piece_length = **piece_length;

  auto files = parse_files(info, out.name, out.multi_file);
  if (!files) return files.error();
  out.files = std::move(*files);
  if (Status distinct = check_distinct_paths(out.files); !distinct) return distinct;
  auto total = place_files(out.files);
  if (!total) return total.error();
  out.total_length = *total;

  auto pieces = required_field<std::string>(info, "pieces");
  if (!pieces) return pieces.error();
  const std::string& hashes = **pieces;
  if (hashes.size() % 20 != 0) return refuse("'pieces' is not a multiple of 20 bytes");
  std::int64_t expected = (out.total_length + out.piece_length - 1) / out.piece_length;
  if (static_cast<std::int64_t>(hashes.size() / 20) != expected) {
    return refuse(std::to_string(hashes.size() / 20) + " piece hashes for " + std::to_string(expected) +
                  " pieces");
  }
  out.piece_hashes.resize(hashes.size() / 20);
  for (std::size_t i = 0; i < out.piece_hashes.size(); ++i) {
    std::copy_n(hashes.begin() + static_cast<std::ptrdiff_t>(20 * i), 20, out.piece_hashes[i].begin());
  }
  return Ok{};
}

}  // namespace

Expected<Metainfo> parse_metainfo(ByteView torrent) {
  auto decoded = decode_dict(torrent);
  if (!decoded) return refuse(decoded.reason());
  const Dict& root = decoded->dict;
  Metainfo out;

  auto announce = optional_field<std::string>(root, "announce");
  if (!announce) return announce.error();
  auto tiers = optional_field<List>(root, "announce-list");
  if (!tiers) return tiers.error();
  if (*tiers != nullptr) {
    auto parsed = parse_announce_list(**tiers);
    if (!parsed) return parsed.error();
    out.announce_list = std::move(*parsed);
  }
  if (*announce != nullptr) {
    out.announce = **announce;
  } else if (!out.announce_list.empty() && !out.announce_list.front().empty()) {
    out.announce = out.announce_list.front().front();  // BEP 12 clients use the list; keep a primary tracker
  }
  auto nodes = optional_field<List>(root, "nodes");
  if (!nodes) return nodes.error();
  if (*nodes != nullptr) {
    auto parsed = parse_nodes(**nodes);
    if (!parsed) return parsed.error();
    out.nodes = std::move(*parsed);
  }

  auto info = required_field<Dict>(root, "info");
  if (!info) return info.error();
  if (Status parsed = parse_info(**info, out); !parsed) return parsed.error();
  ByteView raw_info = decoded->raw.find("info")->second;
  out.info_hash = sha1(raw_info);
  out.info.assign(raw_info.begin(), raw_info.end());
  return out;
}

ContentReader memory_reader(std::vector<ByteView> contents) {
  return [contents = std::move(contents)](std::size_t file, std::int64_t offset,
                                          std::span<std::uint8_t> out) {
    if (file >= contents.size() || static_cast<std::size_t>(offset) + out.size() > contents[file].size()) {
      return Status(make_error("read past the end of file " + std::to_string(file)));
    }
    std::copy_n(contents[file].begin() + offset, out.size(), out.begin());
    return Status(Ok{});
  };
}

Expected<Bytes> make_metainfo(const TorrentSpec& spec, const ContentReader& read) {
  if (Status safe = check_component(spec.name); !safe) return safe.error();
  if (Status ok = check_piece_length(spec.piece_length); !ok) return ok.error();
  // BEP 3 leaves the piece length free ("almost always a power of two"); a torrent of ours is always one, as
  // mktorrent's and libtorrent's are, so that pieces split into whole 16 KiB blocks. Parsing stays lenient.
  if (!std::has_single_bit(static_cast<std::uint64_t>(spec.piece_length))) {
    return refuse("piece length " + std::to_string(spec.piece_length) + " is not a power of two");
  }
  if (spec.files.empty()) return refuse("no files");
  bool single_file = spec.files.size() == 1 && spec.files.front().path.empty();

  std::vector<FileEntry> files;
  for (const SourceFile& source : spec.files) {
    if (!single_file && source.path.empty()) return refuse("a file of a multi-file torrent has no path");
    for (const std::string& component : source.path) {
      if (Status safe = check_component(component); !safe) return safe.error();
    }
    files.push_back(FileEntry{source.path, source.length, 0});
  }
  if (Status distinct = check_distinct_paths(files); !distinct) return distinct.error();
  auto total = place_files(files);
  if (!total) return total.error();

  // Pieces run across file boundaries: fill one piece-sized buffer from consecutive files, hash it when full.
  std::string pieces;
  Bytes piece(static_cast<std::size_t>(std::min(spec.piece_length, *total)));
  std::size_t filled = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (std::int64_t offset = 0; offset < files[f].length;) {
      std::size_t chunk = std::min(piece.size() - filled, static_cast<std::size_t>(files[f].length - offset));
      if (Status ok = read(f, offset, std::span(piece).subspan(filled, chunk)); !ok) return ok.error();
      filled += chunk;
      offset += static_cast<std::int64_t>(chunk);
      if (filled == piece.size()) {
        Sha1Digest digest = sha1(piece);
        pieces.append(digest.begin(), digest.end());
        filled = 0;
      }
    }
  }
  if (filled > 0) {
    Sha1Digest digest = sha1(ByteView(piece).first(filled));
    pieces.append(digest.begin(), digest.end());
  }

  Dict info{{"name", spec.name}, {"piece length", spec.piece_length}, {"pieces", std::move(pieces)}};
  if (single_file) {
    info.emplace("length", files.front().length);
  } else {
    List list;
    for (const FileEntry& file : files) {
      List path(file.path.begin(), file.path.end());
      list.emplace_back(Dict{{"length", file.length}, {"path", std::move(path)}});
    }
    info.emplace("files", std::move(list));
  }
  if (spec.is_private) info.emplace("private", 1);

  Dict root{{"info", std::move(info)}};
  if (!spec.announce.empty()) root.emplace("announce", spec.announce);
  if (!spec.nodes.empty()) {
    List nodes;
    for (const Endpoint& node : spec.nodes) nodes.emplace_back(List{node.host, std::int64_t{node.port}});
    root.emplace("nodes", std::move(nodes));
  }
  if (!spec.announce_list.empty()) {
    List tiers;
    for (const auto& tier : spec.announce_list) tiers.emplace_back(List(tier.begin(), tier.end()));
    root.emplace("announce-list", std::move(tiers));
  }
  if (!spec.comment.empty()) root.emplace("comment", spec.comment);
  if (!spec.created_by.empty()) root.emplace("created by", spec.created_by);
  if (spec.creation_date) root.emplace("creation date", *spec.creation_date);
  return encode(Value(std::move(root)));
}

}  // namespace p2p::bittorrent
