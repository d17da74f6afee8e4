// The cs-source command line: its flags, and the SourceConfig they describe.
#pragma once

#include "common/host/cli.h"
#include "common/util/expected.h"
#include "coolstreaming/source.h"

namespace p2p::coolstreaming {

// Adds the stream (--bitrate-kbps, --segment-ms, --window, --input) and the rendezvous (--max-partners,
// --join-capacity, --retry-after-ms, --upload-kbps).
void add_source_options(po::options_description& options);

// Builds the config; with --input, reads the file whose bytes become the stream. Fails with one line naming
// the bad flag.
Expected<SourceConfig> read_source_options(const po::variables_map& vm);

}  // namespace p2p::coolstreaming
