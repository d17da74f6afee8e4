// Test helpers: turn what a core sent on a FakeRuntime connection back into OpenNap messages.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "napster/codec.h"
#include "tests/support/fake_runtime.h"

namespace p2p::napster::testing {

// Every message sent on `conn` since the last call, in order; sends may hold several frames each.
inline std::vector<Message> take_messages(p2p::testing::FakeRuntime& runtime, ConnId conn) {
  std::vector<Message> out;
  FrameAssembler assembler(make_framer());
  for (const Bytes& sent : runtime.take_sent(conn)) assembler.append(sent);
  auto drained = assembler.drain([&](ByteView frame) {
    auto message = decode(frame);
    EXPECT_TRUE(message.ok()) << message.reason();
    if (message) out.push_back(std::move(message).value());
    return true;
  });
  EXPECT_TRUE(drained.ok());
  EXPECT_EQ(assembler.buffered(), 0u) << "a partial frame was sent";
  return out;
}

template <typename M>
std::vector<M> only(const std::vector<Message>& messages) {
  std::vector<M> out;
  for (const auto& m : messages) {
    if (const M* typed = std::get_if<M>(&m)) out.push_back(*typed);
  }
  return out;
}

}  // namespace p2p::napster::testing
