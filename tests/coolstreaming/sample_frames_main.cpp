// coolstreaming-sample-frames: one frame of every CoolStreaming message kind, for the Wireshark dissector
// test and the fuzz corpus.
//   (no option)   a text2pcap hex dump on stdout, one packet per frame
//   --chunk N     the same frames as one TCP stream cut into packets of N bytes, so frames straddle packets
//   --names       the name of each kind, one per line
//   --corpus DIR  each frame as a raw file in DIR, the fuzz target's seeds
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "coolstreaming/codec.h"
#include "tests/coolstreaming/sample_messages.h"

namespace cs = p2p::coolstreaming;

namespace {

// text2pcap's input: a packet is lines of "offset byte byte ...", its offsets starting again at 0.
void print_packet(p2p::ByteView packet) {
  for (std::size_t i = 0; i < packet.size(); ++i) {
    if (i % 16 == 0) std::printf("%s%06zx", i == 0 ? "" : "\n", i);
    std::printf(" %02x", packet[i]);
  }
  std::printf("\n");
}

std::string file_name(int index, const cs::Message& message) {
  std::string name(cs::type_name(cs::type_of(message)));
  for (char& c : name) c = c == ' ' ? '_' : c;
  return std::to_string(index) + "_" + name;
}

int usage() {
  std::fprintf(stderr, "usage: coolstreaming-sample-frames [--chunk N | --names | --corpus DIR]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view option = argc >= 2 ? argv[1] : "";
  bool takes_value = option == "--chunk" || option == "--corpus";
  bool known = option.empty() || option == "--names" || takes_value;
  if (!known || argc != (takes_value ? 3 : option.empty() ? 1 : 2)) return usage();
  auto messages = cs::testing::one_of_every_kind();

  if (option == "--names") {
    std::set<std::string_view> names;
    for (const cs::Message& message : messages) names.insert(cs::type_name(cs::type_of(message)));
    for (std::string_view name : names) std::printf("%.*s\n", static_cast<int>(name.size()), name.data());
  } else if (option == "--chunk") {
    long chunk = std::strtol(argv[2], nullptr, 10);
    if (chunk <= 0) return usage();
    p2p::Bytes stream;
    for (const cs::Message& message : messages) {
      p2p::Bytes frame = cs::encode(message);
      stream.insert(stream.end(), frame.begin(), frame.end());
    }
    for (std::size_t at = 0; at < stream.size(); at += static_cast<std::size_t>(chunk))
      print_packet(p2p::ByteView(stream).subspan(at).first(std::min(stream.size() - at, std::size_t(chunk))));
  } else {
    int index = 0;
    for (const cs::Message& message : messages) {
      p2p::Bytes frame = cs::encode(message);
      if (option == "--corpus") {
        std::ofstream out(std::string(argv[2]) + "/" + file_name(index++, message), std::ios::binary);
        out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
      } else {
        print_packet(frame);
      }
    }
  }
  return 0;
}
