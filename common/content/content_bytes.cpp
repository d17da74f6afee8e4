// The bytes of every catalogue file, made on demand from its content id.
#include "common/content/content_bytes.h"

#include <algorithm>

namespace p2p::content {
namespace {

constexpr std::size_t kChunkBytes = 64 * std::size_t{1024};

// splitmix64 (Steele, Lea and Flood, OOPSLA 2014) evaluated at one counter: a stateless mix of the stream's
// id and the word's position.
std::uint64_t content_word(std::uint64_t content_id, std::uint64_t word_index) {
  std::uint64_t z = content_id + (word_index + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <typename Hasher>
auto hash_file(const FileEntry& file) {
  Hasher hasher;
  for_each_chunk(file, [&](ByteView chunk) { hasher.update(chunk); });
  return hasher.finish();
}

}  // namespace

void for_each_chunk(const FileEntry& file, const std::function<void(ByteView)>& consume) {
  Bytes chunk(kChunkBytes);
  for (std::uint64_t offset = 0; offset < file.size; offset += kChunkBytes) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, file.size - offset));
    content_bytes(file.content_id, offset, {chunk.data(), n});
    consume(ByteView(chunk.data(), n));
  }
}

// Byte `pos` of the stream is byte pos % 8 of word pos / 8, least significant first. The bytes before the
// first word boundary and after the last are taken one by one; the whole words between are stored eight bytes
// at a time, which is what a synthetic seed's uplink and a receiver's check spend their time on.
void content_bytes(std::uint64_t content_id, std::uint64_t offset, std::span<std::uint8_t> out) {
  std::size_t i = 0;
  auto byte_at = [&](std::uint64_t pos) {
    return static_cast<std::uint8_t>(content_word(content_id, pos / 8) >> (8 * (pos % 8)));
  };
  for (; i < out.size() && (offset + i) % 8 != 0; ++i) out[i] = byte_at(offset + i);
  for (; i + 8 <= out.size(); i += 8) {
    std::uint64_t word = content_word(content_id, (offset + i) / 8);
    for (std::size_t b = 0; b < 8; ++b) out[i + b] = static_cast<std::uint8_t>(word >> (8 * b));
  }
  for (; i < out.size(); ++i) out[i] = byte_at(offset + i);
}

Bytes content_bytes(const FileEntry& file, std::uint64_t offset, std::size_t length) {
  if (offset >= file.size) return {};
  Bytes out(static_cast<std::size_t>(std::min<std::uint64_t>(length, file.size - offset)));
  content_bytes(file.content_id, offset, out);
  return out;
}

bool matches_content(const FileEntry& file, std::uint64_t offset, ByteView data) {
  if (offset > file.size || data.size() > file.size - offset) return false;
  return std::ranges::equal(content_bytes(file, offset, data.size()), data);
}

Md5Digest file_md5(const FileEntry& file) {
  return hash_file<Md5Hasher>(file);
}
Sha1Digest file_sha1(const FileEntry& file) {
  return hash_file<Sha1Hasher>(file);
}

}  // namespace p2p::content
