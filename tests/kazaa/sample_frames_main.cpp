// kazaa_sample_frames: one frame of every KaZaA message kind, for Wireshark and the fuzz corpus.
//   kazaa_sample_frames                 prints each frame as a text2pcap hex dump, one packet per frame, then
//                                       two frames in one packet and one frame across two, as TCP may
//                                       deliver them:
//                                         kazaa_sample_frames | text2pcap -T 40123,1214 - kazaa.pcap
//   kazaa_sample_frames --corpus DIR    writes each frame to DIR/<Kind> instead (the fuzz target's seeds)
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "kazaa/codec.h"
#include "tests/kazaa/sample_messages.h"

namespace {

// text2pcap's input: an offset, then up to 16 hex bytes per line; offset 0 starts a new packet.
void print_packet(p2p::ByteView packet) {
  for (std::size_t at = 0; at < packet.size(); at += 16) {
    std::printf("%06zx", at);
    for (std::size_t i = at; i < packet.size() && i < at + 16; ++i) std::printf(" %02x", packet[i]);
    std::printf("\n");
  }
}

// The last two kinds' frames together in one packet, then the first frame cut in two packets.
void print_segmented(const std::vector<p2p::Bytes>& frames) {
  p2p::Bytes both = frames[frames.size() - 2];
  both.insert(both.end(), frames.back().begin(), frames.back().end());
  print_packet(both);
  p2p::ByteView first = frames.front();
  print_packet(first.first(first.size() / 2));
  print_packet(first.subspan(first.size() / 2));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace p2p::kazaa;
  std::string corpus;
  if (argc == 3 && std::string_view(argv[1]) == "--corpus") {
    corpus = argv[2];
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: kazaa_sample_frames [--corpus DIR]\n");
    return 2;
  }
  std::vector<p2p::Bytes> frames;
  for (const Message& message : sample_messages()) {
    p2p::Bytes frame = encode(message);
    frames.push_back(frame);
    if (corpus.empty()) {
      print_packet(frame);
      continue;
    }
    std::ofstream out(corpus + "/" + std::string(type_name(type_of(message))), std::ios::binary);
    out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
    if (!out) {
      std::fprintf(stderr, "kazaa_sample_frames: cannot write into %s\n", corpus.c_str());
      return 1;
    }
  }
  if (corpus.empty()) print_segmented(frames);
  return 0;
}
