// cs-peer: one CoolStreaming/DONet peer as a process (the Peer core on the Host, playing to --play-to).
#include "common/host/host.h"
#include "coolstreaming/app/peer_options.h"
#include "coolstreaming/app/play_sink.h"

int main(int argc, char** argv) {
  using namespace p2p;
  using namespace p2p::coolstreaming;
  NodeProgram program;
  program.name = "cs-peer";
  program.summary =
      "A CoolStreaming/DONet peer: joins through the source's rendezvous, keeps --partners partners "
      "exchanging buffer maps, schedules missing segments from them, serves theirs, and plays the stream "
      "(--play-to writes the played bytes).";
  program.add_options = add_peer_options;
  program.prepare = [](const po::variables_map& vm) -> Expected<Host::MakeCore> {
    auto options = read_peer_options(vm);
    if (!options) return options.error();
    if (options->play_to) {
      auto sink = PlaySink::open(*options->play_to);
      if (!sink) return make_error("--play-to: " + sink.reason());
      options->config.on_play = [sink = *sink](SegmentId segment, ByteView bytes) {
        sink->write(segment, bytes);
      };
    }
    return core_from<Peer>(Expected<PeerConfig>(options->config));
  };
  return node_main(argc, argv, program);
}
