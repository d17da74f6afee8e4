// Fuzz target for the CoolStreaming cores: any byte stream, on a fresh connection and on an established
// partnership, goes through the framer a runtime would use into the source and a peer. Neither may crash,
// and both must still take a well-behaved partner afterwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "coolstreaming/codec.h"
#include "coolstreaming/peer.h"
#include "coolstreaming/source.h"
#include "tests/fuzz/core_fuzz.h"

namespace {

using namespace p2p;
using namespace p2p::coolstreaming;

// A partner on 10.0.0.N asks for partnership: the core must answer.
bool answers_a_partner(testing::FakeRuntime& runtime, Core& core, std::uint8_t n) {
  ConnId conn = runtime.accept(core, {"10.0.0." + std::to_string(n), 0});
  core.on_frame(conn, encode(PartnerRequest{.listen_port = 7000, .upload_kbps = 1000}));
  return !runtime.take_sent(conn).empty();
}

void fuzz_core(Core& core, testing::FakeRuntime& runtime, ByteView input) {
  runtime.attach(core);
  core.on_start();
  fuzz::feed_in_two_segments(runtime, core, runtime.accept(core, {"10.0.0.1", 0}), true, input,
                             milliseconds(300));
  // The same bytes from an established partner.
  ConnId partner = runtime.accept(core, {"10.0.0.2", 0});
  core.on_frame(partner, encode(PartnerRequest{.listen_port = 7000, .upload_kbps = 1000}));
  fuzz::feed_in_two_segments(runtime, core, partner, true, input, milliseconds(300));
  runtime.advance(seconds(2));
  if (!answers_a_partner(runtime, core, 3)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  {
    testing::FakeRuntime runtime(1, {"127.0.0.1", 9000});
    SourceConfig config;
    config.max_partners = 8;
    config.bitrate_kbps = 8;  // one-kilobyte segments: the fuzzer spends its time on parsing, not on payloads
    Source source(runtime, config);
    fuzz_core(source, runtime, input);
  }
  {
    testing::FakeRuntime runtime(1, {"127.0.0.1", 7000});
    PeerConfig config;
    config.source = {"127.0.0.1", 9000};
    config.window = 40;
    Peer peer(runtime, config);
    fuzz_core(peer, runtime, input);
  }
  return 0;
}
