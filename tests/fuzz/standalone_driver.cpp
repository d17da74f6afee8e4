// A stand-in for libFuzzer's main, for the `fuzz` CTest label in ordinary builds: it replays every corpus
// file, then a fixed number of seeded mutations of them (bit flips, truncations, splices, random bytes), so
// each fuzz target is exercised on every `./p2plab test` without clang. Real fuzzing uses the `fuzz` preset.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/util/random.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Input = std::vector<std::uint8_t>;

Input read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(in), {});
}

Input mutate(const Input& seed, const std::vector<Input>& corpus, p2p::Rng& rng) {
  Input out = seed;
  int edits = 1 + static_cast<int>(rng.below(4));
  for (int e = 0; e < edits; ++e) {
    switch (rng.below(6)) {
      case 0:  // flip one bit
        if (!out.empty()) out[rng.below(out.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1:  // set a byte to an edge value
        if (!out.empty()) {
          static constexpr std::uint8_t kEdges[] = {0x00, 0x01, 0x7f, 0x80, 0xff, '\r', '\n', ' ', '"', ':'};
          out[rng.below(out.size())] = kEdges[rng.below(sizeof kEdges)];
        }
        break;
      case 2:  // truncate
        out.resize(out.empty() ? 0 : rng.below(out.size() + 1));
        break;
      case 3: {  // insert random bytes
        std::size_t at = out.empty() ? 0 : rng.below(out.size() + 1);
        Input extra(1 + rng.below(8));
        rng.fill(extra.data(), extra.size());
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), extra.begin(), extra.end());
        break;
      }
      case 4: {  // splice in the tail of another corpus entry
        const Input& other = corpus[rng.below(corpus.size())];
        std::size_t cut = out.empty() ? 0 : rng.below(out.size() + 1);
        std::size_t from = other.empty() ? 0 : rng.below(other.size() + 1);
        out.resize(cut);
        out.insert(out.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      default:  // duplicate a slice
        if (!out.empty()) {
          std::size_t a = rng.below(out.size()), n = 1 + rng.below(out.size() - a);
          Input slice(out.begin() + static_cast<std::ptrdiff_t>(a),
                      out.begin() + static_cast<std::ptrdiff_t>(a + n));
          out.insert(out.begin() + static_cast<std::ptrdiff_t>(a), slice.begin(), slice.end());
        }
    }
  }
  if (out.size() > 1 << 16) out.resize(1 << 16);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 10000;
  std::vector<Input> corpus{Input{}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mutations" && i + 1 < argc) {
      mutations = std::strtol(argv[++i], nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        corpus.push_back(read_file(entry.path()));
    } else if (std::filesystem::is_regular_file(arg)) {
      corpus.push_back(read_file(arg));
    } else {
      std::fprintf(stderr, "%s: no such corpus file or folder: %s\n", argv[0], arg.c_str());
      return 2;
    }
  }
  for (const Input& input : corpus) LLVMFuzzerTestOneInput(input.data(), input.size());
  p2p::Rng rng(1);
  for (long i = 0; i < mutations; ++i) {
    Input input = mutate(corpus[rng.below(corpus.size())], corpus, rng);
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  std::printf("%zu corpus inputs and %ld mutations ran without a crash\n", corpus.size(), mutations);
  return 0;
}
