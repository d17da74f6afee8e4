// The client-to-client transfer of napster.txt section 4.1: greeting, GET request, size and bytes, and its
// framers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/net/framer.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::napster {

// The uploader greets each connection on its data port with this one byte.
inline constexpr std::string_view kGreeting = "1";
// The downloader then sends this "in a single packet", before its request.
inline constexpr std::string_view kGet = "GET";
// The uploader's refusals, in place of the size (napster.txt quotes these two).
inline constexpr std::string_view kInvalidRequest = "INVALID REQUEST";
inline constexpr std::string_view kFileNotShared = "FILE NOT SHARED";
// p2plab's own refusal when the uploader already runs as many uploads as it allows.
inline constexpr std::string_view kUploadLimit = "UPLOAD LIMIT REACHED";
// A request line carries a nick and a name of at most 255 bytes; anything longer is not a request.
inline constexpr std::size_t kMaxRequestBytes = 512;
// How much file data the uploader reads and sends at a time, and the framer's cut on the downloader's side.
inline constexpr std::size_t kTransferChunk = 16 * 1024;

// `<mynick> "<filename>" <offset>`: who asks for which file, from which byte.
struct TransferRequest {
  std::string nick;
  std::string name;
  std::uint64_t offset = 0;
  bool operator==(const TransferRequest&) const = default;
};

// Deviation: napster.txt relies on the request arriving as one TCP packet and ends it with nothing. TCP keeps
// no packet boundaries (and this lab's links cut and merge writes), so p2plab ends the request line with
// '\n'. The uploader's answer is exactly napster.txt's: the size in ASCII digits with no terminator, then the
// bytes.
Bytes encode_request(const TransferRequest& request);
// Reads one request line as UploadRequestFramer cuts it, '\n' included.
Expected<TransferRequest> decode_request(ByteView line);

// Cuts an uploader's inbound stream: first the 3 bytes where "GET" belongs, then the request line up to '\n'
// (capped at kMaxRequestBytes), then whatever else arrives, which a well-behaved downloader never sends.
class UploadRequestFramer : public Framer {
 public:
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  int frames_ = 0;
};

// Cuts a downloader's stream: first the greeting byte, then file data in chunks of up to kTransferChunk.
class DownloadFramer : public Framer {
 public:
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  bool greeted_ = false;
};

// Reads the uploader's answer to a GET. napster.txt admits that the size has no terminator and that the data
// may well begin with digits; the downloader knows the size from the search result, so it matches exactly
// those digits and takes everything after them as file data. A first byte that is not a digit starts a
// refusal
// ("FILE NOT SHARED"), and digits that differ from the expected size are an error.
class DownloadReceiver {
 public:
  explicit DownloadReceiver(std::uint64_t expected_size)
      : size_text_(std::to_string(expected_size)), size_(expected_size) {}

  // The file data within `chunk`, or why the answer is not the file.
  Expected<ByteView> feed(ByteView chunk);
  std::uint64_t received() const { return received_; }
  bool complete() const { return matched_ == size_text_.size() && received_ == size_; }

 private:
  std::string size_text_;
  std::uint64_t size_;
  std::size_t matched_ = 0;  // digits of size_text_ seen so far
  std::uint64_t received_ = 0;
};

}  // namespace p2p::napster
