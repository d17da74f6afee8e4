// The --play-to sink of cs-peer: the bytes the player plays, to a file or to standard output.
#pragma once

#include <memory>
#include <string>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

// Writes each played segment as it plays, flushed, so a media player reading a pipe keeps up with it. "-"
// is standard output (the node logs to standard error, so the stream stays clean).
class PlaySink {
 public:
  static Expected<std::shared_ptr<PlaySink>> open(const std::string& target);
  virtual ~PlaySink() = default;
  virtual void write(SegmentId segment, ByteView bytes) = 0;
};

}  // namespace p2p::coolstreaming
