// bt-maketorrent: makes a .torrent from a file or a folder (reads the files, then calls make_metainfo).
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bittorrent/metainfo.h"
#include "common/host/cli.h"

namespace {

namespace fs = std::filesystem;
using namespace p2p;
using namespace p2p::bittorrent;

constexpr const char* kProgram = "bt-maketorrent";
// Inputs above this size report their hashing progress on stderr.
constexpr std::int64_t kProgressThreshold = std::int64_t{64} << 20;

// The files of the torrent, in the order their bytes are concatenated: one file, or every regular file under
// a folder sorted by path (as mktorrent does), each with its path relative to the folder.
std::vector<fs::path> list_files(const fs::path& input, TorrentSpec& spec) {
  std::vector<fs::path> paths;
  if (fs::is_regular_file(input)) {
    spec.files = {SourceFile{{}, static_cast<std::int64_t>(fs::file_size(input))}};
    return {input};
  }
  for (const auto& entry : fs::recursive_directory_iterator(input)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::ranges::sort(paths);
  for (const fs::path& path : paths) {
    SourceFile file;
    for (const fs::path& component : fs::relative(path, input)) file.path.push_back(component.string());
    file.length = static_cast<std::int64_t>(fs::file_size(path));
    spec.files.push_back(std::move(file));
  }
  return paths;
}

// Reads the files in order, keeping the current one open, and prints a progress line every 5 %.
ContentReader file_reader(std::vector<fs::path> paths, std::int64_t total) {
  struct State {
    std::vector<fs::path> paths;
    std::size_t open_index = SIZE_MAX;
    std::ifstream file;
    std::int64_t done = 0;
    int last_percent = -1;
  };
  auto state = std::make_shared<State>();
  state->paths = std::move(paths);
  return [state, total](std::size_t index, std::int64_t offset, std::span<std::uint8_t> out) -> Status {
    if (index != state->open_index) {
      state->file = std::ifstream(state->paths.at(index), std::ios::binary);
      state->open_index = index;
    }
    state->file.seekg(offset);
    state->file.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
    if (!state->file) return make_error("cannot read " + state->paths[index].string());
    state->done += static_cast<std::int64_t>(out.size());
    int percent = static_cast<int>(100 * state->done / std::max<std::int64_t>(total, 1));
    if (total >= kProgressThreshold && percent / 5 != state->last_percent / 5) {
      state->last_percent = percent;
      std::cerr << kProgram << ": hashed " << percent << "% of " << (total >> 20) << " MiB\n";
    }
    return Ok{};
  };
}

// --node HOST:PORT: a DHT node a trackerless torrent names (BEP 5's `nodes`); HOST may be a name.
Endpoint node_of(const std::string& text) {
  auto colon = text.rfind(':');
  unsigned port = 0;
  const char* end = text.data() + text.size();
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(text.data() + colon + 1, end, port) != std::from_chars_result{end, std::errc{}} ||
      port == 0 || port > 65535)
    fail_setup(kProgram, "--node: expected HOST:PORT, got '" + text + "'");
  return Endpoint{text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

}  // namespace

int main(int argc, char** argv) {
  CliSpec spec;
  spec.program = kProgram;
  spec.usage = "bt-maketorrent [options] FILE_OR_FOLDER";
  spec.summary =
      "Makes a BitTorrent metainfo (.torrent) file for a file or a folder (BEP 3), with a tracker or, "
      "trackerless, with DHT nodes (BEP 5).";
  spec.options.add_options()("input", po::value<std::string>()->value_name("PATH"),
                             "the file or folder to share")("announce,a",
                                                            po::value<std::string>()->value_name("URL"),
                                                            "the tracker's announce URL (or give --node)")(
      "node", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
      "instead of (or beside) --announce: a DHT node to join through (BEP 5 `nodes`; repeatable); with no "
      "--announce the torrent is trackerless")(
      "piece-length,l", po::value<std::int64_t>()->default_value(256 * 1024),
      "bytes per piece (a power of two)")("output,o", po::value<std::string>()->value_name("FILE"),
                                          "where to write the torrent (default: NAME.torrent)")(
      "name,n", po::value<std::string>(), "the torrent's name (default: the input's file name)")(
      "comment,c", po::value<std::string>(), "a comment stored in the torrent")(
      "private,p", po::bool_switch(), "mark the torrent private (BEP 27)");
  spec.positional.add("input", 1);
  po::variables_map vm = parse_cli(argc, argv, spec);
  if (!vm.count("input")) fail_setup(kProgram, "name the file or folder to share");
  if (!vm.count("announce") && !vm.count("node"))
    fail_setup(kProgram, "give --announce URL, or --node HOST:PORT for a trackerless torrent");

  fs::path input = fs::path(vm["input"].as<std::string>()).lexically_normal();
  if (input.has_filename() == false) input = input.parent_path();
  std::error_code ec;
  if (!fs::exists(input, ec)) fail_setup(kProgram, "no such file or folder: " + input.string());

  TorrentSpec torrent;
  if (vm.count("announce")) torrent.announce = vm["announce"].as<std::string>();
  if (vm.count("node")) {
    for (const std::string& text : vm["node"].as<std::vector<std::string>>())
      torrent.nodes.push_back(node_of(text));
  }
  torrent.piece_length = vm["piece-length"].as<std::int64_t>();
  torrent.name = vm.count("name") ? vm["name"].as<std::string>() : fs::absolute(input).filename().string();
  if (vm.count("comment")) torrent.comment = vm["comment"].as<std::string>();
  torrent.is_private = vm["private"].as<bool>();
  std::vector<fs::path> paths;
  try {
    paths = list_files(input, torrent);
  } catch (const fs::filesystem_error& e) {
    fail_setup(kProgram, e.what());
  }
  if (torrent.files.empty()) fail_setup(kProgram, "no files under " + input.string());
  std::int64_t total = 0;
  for (const SourceFile& file : torrent.files) total += file.length;

  auto bytes = make_metainfo(torrent, file_reader(std::move(paths), total));
  if (!bytes) fail_setup(kProgram, bytes.reason());
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : torrent.name + ".torrent";
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  if (!out) fail_setup(kProgram, "cannot write " + output);
  return 0;
}
