// coolstreaming-sample-frames: one frame of every CoolStreaming message kind, as a text2pcap hex dump on
// stdout (one packet per frame), for the Wireshark dissector test; with --corpus DIR, each frame as a raw
// file in DIR too, the fuzz target's seeds.
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "coolstreaming/codec.h"
#include "tests/coolstreaming/sample_messages.h"

namespace cs = p2p::coolstreaming;

int main(int argc, char** argv) {
  std::string corpus = argc == 3 && std::string_view(argv[1]) == "--corpus" ? argv[2] : "";
  if (argc != 1 && corpus.empty()) {
    std::fprintf(stderr, "usage: coolstreaming-sample-frames [--corpus DIR]\n");
    return 2;
  }
  int index = 0;
  for (const cs::Message& message : cs::testing::one_of_every_kind()) {
    p2p::Bytes frame = cs::encode(message);
    // text2pcap: a packet is lines of "offset byte byte ...", its offsets starting again at 0.
    for (std::size_t i = 0; i < frame.size(); ++i) {
      if (i % 16 == 0) std::printf("%s%06zx", i == 0 ? "" : "\n", i);
      std::printf(" %02x", frame[i]);
    }
    std::printf("\n");
    if (!corpus.empty()) {
      std::string name(cs::type_name(cs::type_of(message)));
      for (char& c : name) c = c == ' ' ? '_' : c;
      std::ofstream out(corpus + "/" + std::to_string(index) + "_" + name, std::ios::binary);
      out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
    }
    ++index;
  }
  return 0;
}
