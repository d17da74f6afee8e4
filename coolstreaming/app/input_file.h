// The --input file of cs-source: any file's bytes, cut into the stream's segments.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

// Reads the whole file once and answers SourceConfig::payload: segment s is bytes [s * size, (s + 1) * size)
// of the file, the last one short, and nothing past the end (which ends the stream).
Expected<std::function<Bytes(SegmentId, std::size_t)>> input_segments(const std::filesystem::path& path);

}  // namespace p2p::coolstreaming
