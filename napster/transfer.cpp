// The client-to-client transfer of napster.txt section 4.1.
#include "napster/transfer.h"

#include <algorithm>
#include <limits>

#include "common/content/safe_name.h"
#include "napster/fields.h"
#include "napster/message.h"

namespace p2p::napster {

Bytes encode_request(const TransferRequest& request) {
  FieldWriter fields;
  fields.word(request.nick).quoted(request.name).number(request.offset);
  return to_bytes(fields.take() + "\n");
}

Expected<TransferRequest> decode_request(ByteView line) {
  std::string_view text = as_chars(line);
  if (text.empty() || text.back() != '\n') return make_error("request line does not end with a newline");
  text.remove_suffix(1);
  if (std::any_of(text.begin(), text.end(), [](char c) { return c < 0x20 || c > 0x7e; })) {
    return make_error("request line is not printable ASCII");
  }
  auto fields = split_fields(text);
  if (!fields) return make_error("bad request line: " + fields.reason());
  FieldReader r(std::move(fields).value());
  TransferRequest request;
  request.nick = r.word("nick", kMaxNickBytes);
  request.name = r.quoted("file name", content::kMaxNameBytes, false);
  request.offset = r.number("offset", std::numeric_limits<std::uint64_t>::max());
  auto decoded = r.finish(std::move(request));
  if (!decoded) return make_error("bad request line: " + decoded.reason());
  return decoded;
}

Expected<std::size_t> UploadRequestFramer::next(ByteView buffered) {
  std::size_t size = 0;
  if (frames_ == 0) {
    size = buffered.size() >= kGet.size() ? kGet.size() : 0;
  } else if (frames_ == 1) {
    auto newline = std::find(buffered.begin(), buffered.end(), '\n');
    if (newline != buffered.end()) {
      size = static_cast<std::size_t>(newline - buffered.begin()) + 1;
    }
    if (size > kMaxRequestBytes || (size == 0 && buffered.size() >= kMaxRequestBytes)) {
      return make_error("request line exceeds " + std::to_string(kMaxRequestBytes) + " bytes");
    }
  } else {
    size = std::min(buffered.size(), kTransferChunk);
  }
  if (size > 0) ++frames_;
  return size;
}

Expected<std::size_t> DownloadFramer::next(ByteView buffered) {
  if (buffered.empty()) return std::size_t{0};
  if (!greeted_) {
    greeted_ = true;
    return kGreeting.size();
  }
  return std::min(buffered.size(), kTransferChunk);
}

Expected<ByteView> DownloadReceiver::feed(ByteView chunk) {
  std::size_t pos = 0;
  while (matched_ < size_text_.size() && pos < chunk.size()) {
    auto c = static_cast<char>(chunk[pos]);
    if (matched_ == 0 && (c < '0' || c > '9')) {
      std::string text(as_chars(chunk.subspan(pos, std::min<std::size_t>(chunk.size() - pos, 64))));
      std::replace_if(
          text.begin(), text.end(), [](char x) { return x < 0x20 || x > 0x7e; }, '?');
      return make_error("uploader refused: " + text);
    }
    if (c != size_text_[matched_]) return make_error("uploader announced another size than " + size_text_);
    ++matched_;
    ++pos;
  }
  ByteView data = chunk.subspan(pos);
  if (data.size() > size_ - received_) return make_error("uploader sent more than " + size_text_ + " bytes");
  received_ += data.size();
  return data;
}

}  // namespace p2p::napster
