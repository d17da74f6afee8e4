// What the fuzz targets of whole cores share: delivering untrusted bytes to a core as a runtime would, and a
// small catalogue for cores that share files.
#pragma once

#include <memory>

#include "common/content/catalogue.h"
#include "common/net/framer.h"
#include "common/node/core.h"
#include "tests/support/fake_runtime.h"

namespace p2p::fuzz {

// Delivers `input` to `core` on `conn` in two TCP segments, cut by the framer the core chose for the
// connection, and by any framer it switches to on the way (Gnutella after its handshake), as the Transport's
// assembler would. The clock moves on by `step` after each segment so timers run; a framing error closes the
// connection, as the Host would.
inline void feed_in_two_segments(testing::FakeRuntime& runtime, Core& core, ConnId conn, bool inbound,
                                 ByteView input, Duration step = milliseconds(20)) {
  FrameAssembler assembler(core.framer_for(conn, inbound));
  for (ByteView segment : {input.first(input.size() / 2), input.subspan(input.size() / 2)}) {
    assembler.append(segment);
    auto drained = assembler.drain([&](ByteView frame) {
      if (runtime.closed.contains(conn)) return false;
      core.on_frame(conn, frame);
      if (auto framer = runtime.framers.extract(conn)) assembler.set_framer(std::move(framer.mapped()));
      return true;
    });
    if (!drained) runtime.close(conn, drained.reason());
    runtime.advance(step);
  }
  runtime.pump();
}

// Ten small files (100 to 4,000 bytes), the same on every call.
inline std::shared_ptr<const content::Catalogue> small_catalogue() {
  static const auto files = [] {
    content::CatalogueConfig config;
    config.files = 10;
    config.min_size = 100;
    config.max_size = 4000;
    return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
  }();
  return files;
}

}  // namespace p2p::fuzz
