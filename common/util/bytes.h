// Bounds-checked byte reading and writing with explicit endianness, for every wire codec in p2plab.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2p {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// Reads integers and slices from untrusted bytes. A read past the end returns nullopt and leaves the
// reader where it was, so a decoder turns a short message into an error value instead of a crash.
class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }
  ByteView rest() const { return data_.subspan(pos_); }

  std::optional<std::uint8_t> u8() { return read_int<std::uint8_t>(false); }
  std::optional<std::uint16_t> u16le() { return read_int<std::uint16_t>(false); }
  std::optional<std::uint16_t> u16be() { return read_int<std::uint16_t>(true); }
  std::optional<std::uint32_t> u32le() { return read_int<std::uint32_t>(false); }
  std::optional<std::uint32_t> u32be() { return read_int<std::uint32_t>(true); }
  std::optional<std::uint64_t> u64be() { return read_int<std::uint64_t>(true); }

  // The next n bytes, as a view into the original buffer.
  std::optional<ByteView> bytes(std::size_t n) {
    if (n > remaining()) return std::nullopt;
    ByteView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  // The bytes up to the next `delimiter`, which is consumed but not returned; nullopt if there is none.
  std::optional<ByteView> until(std::uint8_t delimiter) {
    for (std::size_t i = pos_; i < data_.size(); ++i) {
      if (data_[i] == delimiter) {
        ByteView out = data_.subspan(pos_, i - pos_);
        pos_ = i + 1;
        return out;
      }
    }
    return std::nullopt;
  }

  bool skip(std::size_t n) { return bytes(n).has_value(); }

 private:
  template <typename T>
  std::optional<T> read_int(bool big_endian) {
    if (sizeof(T) > remaining()) return std::nullopt;
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      std::size_t shift = big_endian ? (sizeof(T) - 1 - i) * 8 : i * 8;
      value |= static_cast<T>(static_cast<T>(data_[pos_ + i]) << shift);
    }
    pos_ += sizeof(T);
    return value;
  }

  ByteView data_;
  std::size_t pos_ = 0;
};

// Appends integers and bytes to a growing buffer.
class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(std::size_t reserve) { out_.reserve(reserve); }

  ByteWriter& u8(std::uint8_t v) { return write_int(v, false); }
  ByteWriter& u16le(std::uint16_t v) { return write_int(v, false); }
  ByteWriter& u16be(std::uint16_t v) { return write_int(v, true); }
  ByteWriter& u32le(std::uint32_t v) { return write_int(v, false); }
  ByteWriter& u32be(std::uint32_t v) { return write_int(v, true); }
  ByteWriter& u64be(std::uint64_t v) { return write_int(v, true); }
  ByteWriter& bytes(ByteView b) {
    out_.insert(out_.end(), b.begin(), b.end());
    return *this;
  }
  ByteWriter& str(std::string_view s) { return bytes(as_bytes(s)); }

  std::size_t size() const { return out_.size(); }
  // Overwrites a u32 big-endian at `offset`, for length prefixes known only at the end.
  void patch_u32be(std::size_t offset, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
  }
  void patch_u16le(std::size_t offset, std::uint16_t v) {
    out_[offset] = static_cast<std::uint8_t>(v);
    out_[offset + 1] = static_cast<std::uint8_t>(v >> 8);
  }

  const Bytes& view() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  template <typename T>
  ByteWriter& write_int(T v, bool big_endian) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      std::size_t shift = big_endian ? (sizeof(T) - 1 - i) * 8 : i * 8;
      out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    return *this;
  }

  Bytes out_;
};

}  // namespace p2p
