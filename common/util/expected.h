// Expected<T>: a value or the reason it could not be produced; how decoders report bad input without
// throwing.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace p2p {

// Why something failed, in words a student can read in a log or a telemetry counter.
struct Error {
  std::string reason;
};

inline Error make_error(std::string reason) {
  return Error{std::move(reason)};
}

// A tiny stand-in for C++23 std::expected: untrusted bytes decode to a value or an Error, never an exception.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value)
      : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor): mirrors std::expected
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  const std::string& reason() const { return error().reason; }

 private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but can fail.
struct Ok {};
using Status = Expected<Ok>;

}  // namespace p2p
