// cs-source: the CoolStreaming origin and rendezvous as a process (the Source core on the Host).
#include "common/host/host.h"
#include "coolstreaming/app/source_options.h"

int main(int argc, char** argv) {
  using namespace p2p::coolstreaming;
  return p2p::core_main<Source>(
      argc, argv, "cs-source",
      "The CoolStreaming source: cuts a live stream (synthetic, or --input FILE) into "
      "segments at --bitrate-kbps, serves its first few partners, and is the "
      "rendezvous that sends each newcomer to a deputy.",
      add_source_options, read_source_options);
}
