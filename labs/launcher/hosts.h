// The machines a lab spans: a scenario's [hosts] section or a `--hosts FILE`, each line an SSH destination
// and how many nodes it may hold (labs/README.md, "A lab across the lab room").
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

struct HostSpec {
  std::string name;          // the scenario's name for it ("pc01"), what role.X.host names
  std::string destination;   // what ssh connects to: "lab-pc-01", "student@10.0.0.7", "ssh://pc:2222"
  std::size_t capacity = 0;  // how many of the lab's nodes may run there at once
};

// How the node programs get to the hosts: copied by rsync into REMOTE_DIR/bin and checked by SHA-256 (the
// default), or run from the launcher's own path, which a shared home makes the same everywhere.
enum class BinaryMode { Copy, Shared };

struct HostsConfig {
  std::vector<HostSpec> hosts;  // in the order written; empty: the lab runs on this machine alone
  BinaryMode binaries = BinaryMode::Copy;
  // An ssh_config file for every ssh the launcher runs (ssh -F), or empty: ~/.ssh/config.
  std::string ssh_config;
  // With binaries = copy, the folder on each host for the programs (bin/) and the runs' folders (runs/): a
  // path relative to the login's home, or absolute (a local disk, when the home is shared).
  std::string remote_dir = "p2plab";

  bool spans_hosts() const { return !hosts.empty(); }
  const HostSpec* host(std::string_view name) const;
};

// The keys a hosts list reserves: `binaries = copy|shared`, `ssh_config = FILE` and `remote_dir = PATH`.
inline constexpr std::string_view kBinariesKey = "binaries";
inline constexpr std::string_view kSshConfigKey = "ssh_config";
inline constexpr std::string_view kRemoteDirKey = "remote_dir";

// Adds one line, `NAME = DESTINATION, CAPACITY` or a reserved key's, to `config`. The error says what the
// line should look like; the caller puts where it was in front.
Status add_host_line(std::string_view name, std::string_view value, HostsConfig& config);

// A hosts file: those lines, an optional [hosts] header, blank lines and # comments. Errors start with
// "PATH:LINE: ".
Expected<HostsConfig> parse_hosts_file(std::istream& text, std::string_view path);

}  // namespace p2p::labs
