// Fuzz target for the scenario INI reader (labs/launcher/scenario.h, the format of labs/README.md): any text
// is read into a scenario or refused with an error that says why, never a crash. Lines after a "%%" line are
// --set overrides, so the overrides' own reading and their merge with the file are fuzzed too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "labs/launcher/scenario.h"

namespace {

constexpr std::string_view kOverridesMark = "\n%%\n";

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t mark = input.find(kOverridesMark);
  std::vector<std::string> overrides;
  if (mark != std::string_view::npos) overrides = lines_of(input.substr(mark + kOverridesMark.size()));
  std::istringstream ini(std::string(input.substr(0, mark)));
  // A folder that does not exist: a trace file named relative to the scenario is refused, not read.
  auto scenario = p2p::labs::parse_scenario(ini, "/nonexistent/fuzz.ini", overrides);
  if (!scenario && scenario.reason().empty()) std::abort();
  return 0;
}
