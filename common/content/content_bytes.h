// The bytes of every catalogue file, made on demand from its content id, and the checks and digests of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "common/content/catalogue.h"
#include "common/util/bytes.h"
#include "common/util/hash.h"

namespace p2p::content {

// Byte p of content stream `content_id` is byte p % 8 (little-endian) of splitmix64 at counter p / 8: a
// counter-mode generator, so any range can be made without the bytes before it. A downloader can thus check
// any block it receives, and a seeder serves any range, without storing files.
void content_bytes(std::uint64_t content_id, std::uint64_t offset, std::span<std::uint8_t> out);

// Bytes [offset, offset + length) of a catalogue file, cut short at the file's end (empty past it).
Bytes content_bytes(const FileEntry& file, std::uint64_t offset, std::size_t length);

// Whether `data` is exactly the file's bytes at `offset`: the check for a downloaded block or a whole file.
bool matches_content(const FileEntry& file, std::uint64_t offset, ByteView data);

// Digests of a file's whole content, as Napster (MD5) and BitTorrent or Gnutella's urn:sha1 (SHA-1) publish
// them.
Md5Digest file_md5(const FileEntry& file);
Sha1Digest file_sha1(const FileEntry& file);

// Hands the whole file to `consume` in chunks of 64 KiB, so hashing or writing a large file uses little
// memory.
void for_each_chunk(const FileEntry& file, const std::function<void(ByteView)>& consume);

}  // namespace p2p::content
