// Helpers for the source and peer tests on a FakeRuntime: feed messages to a core, read back what it sent.
#pragma once

#include <string_view>
#include <vector>

#include "coolstreaming/codec.h"
#include "tests/support/fake_runtime.h"

namespace p2p::coolstreaming::testing {

using p2p::testing::FakeRuntime;

inline void feed(Core& core, ConnId conn, const Message& message) {
  core.on_frame(conn, encode(message));
}

// Every message the core sent on `conn` since the last call, decoded.
inline std::vector<Message> sent_messages(FakeRuntime& rt, ConnId conn) {
  std::vector<Message> out;
  for (const Bytes& frame : rt.take_sent(conn)) out.push_back(decode(frame).value());
  return out;
}

// The messages of type M among them.
template <typename M>
std::vector<M> only(const std::vector<Message>& messages) {
  std::vector<M> out;
  for (const Message& m : messages) {
    if (const auto* typed = std::get_if<M>(&m)) out.push_back(*typed);
  }
  return out;
}

inline std::vector<FakeRuntime::Event> events_named(const FakeRuntime& rt, std::string_view name) {
  std::vector<FakeRuntime::Event> out;
  for (const auto& e : rt.events) {
    if (e.name == name) out.push_back(e);
  }
  return out;
}

// The connection the core dialled to `remote` last, or a zero id.
inline ConnId dialled_to(const FakeRuntime& rt, const Endpoint& remote) {
  ConnId found;
  for (const auto& [conn, endpoint] : rt.dialled) {
    if (endpoint == remote) found = conn;
  }
  return found;
}

}  // namespace p2p::coolstreaming::testing
