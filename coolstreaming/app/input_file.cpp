// The --input file, read whole and served by segment.
#include "coolstreaming/app/input_file.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace p2p::coolstreaming {

Expected<std::function<Bytes(SegmentId, std::size_t)>> input_segments(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path.string());
  auto bytes =
      std::make_shared<const Bytes>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (bytes->empty()) return make_error(path.string() + " is empty");
  return std::function<Bytes(SegmentId, std::size_t)>([bytes](SegmentId segment, std::size_t size) {
    const std::uint64_t begin = std::uint64_t{segment} * size;
    if (begin >= bytes->size()) return Bytes{};
    const std::uint64_t end = std::min<std::uint64_t>(begin + size, bytes->size());
    return Bytes(bytes->begin() + static_cast<std::ptrdiff_t>(begin),
                 bytes->begin() + static_cast<std::ptrdiff_t>(end));
  });
}

}  // namespace p2p::coolstreaming
