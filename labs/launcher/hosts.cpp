// Reading the hosts a lab spans.
#include "labs/launcher/hosts.h"

#include <string>

#include "labs/launcher/text.h"

namespace p2p::labs {
namespace {

constexpr const char* kHostLine = "expected NAME = DESTINATION, CAPACITY (e.g. pc01 = student@lab-pc-01, 40)";
// More nodes than a host's processes could carry is a typo, not a plan (one machine holds about 500).
constexpr std::size_t kMaxCapacity = 5000;

bool is_name(std::string_view name) {
  return !name.empty() &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
             std::string_view::npos;
}

}  // namespace

const HostSpec* HostsConfig::host(std::string_view name) const {
  for (const HostSpec& h : hosts) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

Status add_host_line(std::string_view name, std::string_view value, HostsConfig& config) {
  name = trim(name);
  if (name == kBinariesKey) {
    std::string_view mode = trim(value);
    if (mode != "copy" && mode != "shared") return make_error("binaries: expected copy or shared");
    config.binaries = mode == "copy" ? BinaryMode::Copy : BinaryMode::Shared;
    return Ok{};
  }
  if (name == kSshConfigKey || name == kRemoteDirKey) {
    std::string path(trim(value));
    if (path.empty() || path.find_first_of("'\"\n") != std::string::npos)
      return make_error(std::string(name) + ": expected a path");
    (name == kSshConfigKey ? config.ssh_config : config.remote_dir) = path;
    return Ok{};
  }
  if (!is_name(name))
    return make_error("host name '" + std::string(name) + "': use letters, digits, '_' or '-'");
  std::vector<std::string> fields = split(value, ',');
  if (fields.size() != 2 || fields[0].empty() || fields[0].find_first_of(" \t'\"") != std::string::npos) {
    return make_error(std::string(name) + ": " + kHostLine);
  }
  auto capacity = parse_count(fields[1], std::string(name) + ": the capacity");
  if (!capacity) return capacity.error();
  if (*capacity == 0 || *capacity > kMaxCapacity) {
    return make_error(std::string(name) + ": the capacity must be 1 to " + std::to_string(kMaxCapacity));
  }
  if (config.host(name)) return make_error("host '" + std::string(name) + "' is given twice");
  config.hosts.push_back(HostSpec{std::string(name), fields[0], *capacity});
  return Ok{};
}

Expected<HostsConfig> parse_hosts_file(std::istream& text, std::string_view path) {
  HostsConfig config;
  std::string line;
  for (std::size_t number = 1; std::getline(text, line); ++number) {
    std::string where = std::string(path) + ":" + std::to_string(number) + ": ";
    std::string_view content = trim(std::string_view(line).substr(0, line.find('#')));
    if (content.empty() || content == "[hosts]") continue;
    auto eq = content.find('=');
    if (eq == std::string_view::npos) return make_error(where + kHostLine);
    if (auto st = add_host_line(content.substr(0, eq), content.substr(eq + 1), config); !st) {
      return make_error(where + st.reason());
    }
  }
  if (config.hosts.empty()) return make_error(std::string(path) + ": no host (" + kHostLine + ")");
  return config;
}

}  // namespace p2p::labs
