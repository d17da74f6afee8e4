// Framers: the per-protocol rule that cuts a TCP byte stream into frames, and the buffer that applies one.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p {

// The reason a framer gives for a frame over its cap: "`what` of `size` bytes exceeds the cap of `cap`".
Error frame_over_cap(std::string_view what, std::size_t size, std::size_t cap);

// Decides where the next frame ends. A frame is delivered whole, header included, so each protocol's
// codec sees exactly the bytes its spec describes. Framers keep no buffer of their own; some keep a
// little state (BitTorrent's first frame is the handshake, then length-prefixed messages).
class Framer {
 public:
  virtual ~Framer() = default;
  // The size of the complete frame at the front of `buffered`, or 0 to wait for more bytes. An error
  // means the stream can never be valid (a frame over the cap): the connection is closed with that reason.
  virtual Expected<std::size_t> next(ByteView buffered) = 0;
};

// u32 big-endian length, then that many bytes (BitTorrent messages after the handshake, KaZaA,
// CoolStreaming).
class LengthPrefixFramer : public Framer {
 public:
  explicit LengthPrefixFramer(std::size_t max_payload) : max_payload_(max_payload) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_payload_;
};

// Text lines ending in CRLF, the terminator included in the frame (Gnutella 0.6 handshakes, HTTP headers).
class LineFramer : public Framer {
 public:
  explicit LineFramer(std::size_t max_line) : max_line_(max_line) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_line_;
};

// No structure: whatever has arrived, up to `max_chunk` bytes at a time (file bodies after an HTTP header).
class ChunkFramer : public Framer {
 public:
  explicit ChunkFramer(std::size_t max_chunk) : max_chunk_(max_chunk) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_chunk_;
};

// The receive buffer of one connection: bytes go in as TCP delivers them, whole frames come out.
// Used by the real Transport and by SimNet alike, so both cut streams the same way.
class FrameAssembler {
 public:
  explicit FrameAssembler(std::unique_ptr<Framer> framer) : framer_(std::move(framer)) {}

  void append(ByteView data);
  // append() then drain(), without copying `data` when the buffer is empty: whole frames are handed over
  // straight from `data`, and only a trailing partial frame is kept.
  Status feed(ByteView data, const std::function<bool(ByteView)>& on_frame);
  // Replaces the framer; bytes already buffered are cut by the new one (a protocol switching after its
  // handshake).
  void set_framer(std::unique_ptr<Framer> framer) { framer_ = std::move(framer); }
  // Delivers complete frames to `on_frame` while it returns true. Returns an error if the stream is broken.
  // `on_frame` may call set_framer(); the next frame is then cut by the new framer. It must not destroy
  // the assembler: owners defer that until drain() returns (a core closing a connection from on_frame).
  Status drain(const std::function<bool(ByteView)>& on_frame);
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::unique_ptr<Framer> framer_;
  Bytes buffer_;
  std::size_t start_ = 0;
};

}  // namespace p2p
