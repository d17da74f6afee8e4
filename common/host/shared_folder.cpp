// Writing a node's share of the catalogue into its folder on disk.
#include "common/host/shared_folder.h"

#include <fstream>
#include <system_error>

#include "common/content/content_bytes.h"
#include "common/content/safe_name.h"

namespace p2p::content {
namespace {

Status write_file(const std::filesystem::path& path, const FileEntry& file) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for_each_chunk(file, [&](ByteView chunk) {
    out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
  });
  out.close();
  if (!out) return make_error("cannot write " + path.string());
  return Ok{};
}

bool has_size(const std::filesystem::path& path, std::uint64_t size) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == size && !ec;
}

}  // namespace

Status materialise(const std::filesystem::path& folder, const Catalogue& catalogue,
                   std::span<const std::size_t> indices) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return make_error("cannot create folder " + folder.string() + ": " + ec.message());
  for (std::size_t index : indices) {
    if (index >= catalogue.size()) {
      return make_error("file index " + std::to_string(index) + " is outside the catalogue of " +
                        std::to_string(catalogue.size()) + " files");
    }
    const FileEntry& file = catalogue.file(index);
    if (Status safe = check_safe_name(file.name); !safe) return safe;
    const std::filesystem::path path = folder / file.name;
    if (has_size(path, file.size)) continue;
    if (Status written = write_file(path, file); !written) return written;
  }
  return Ok{};
}

}  // namespace p2p::content
