// The hosts of a lab spanning machines, over OpenSSH: a multiplexed connection (ControlMaster) to each, the
// node programs copied or checked there, and remote nodes started through them (labs/README.md, "A lab
// across the lab room").
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/util/expected.h"
#include "labs/launcher/hosts.h"
#include "labs/launcher/placement.h"

namespace p2p::labs {

// sshd refuses more than MaxSessions (10 by default) channels on one connection, and the launcher keeps one
// open per remote node: a host's nodes share a connection eight at a time, which leaves room for the
// launcher's own checks.
inline constexpr std::size_t kNodesPerConnection = 8;

struct RemoteHostsConfig {
  HostsConfig hosts;
  std::string out_dir;                // the local run folder; its name names the run folder on each host
  std::vector<std::string> programs;  // the node programs, as local paths, to copy or check on every host
  std::vector<std::size_t> nodes;     // by host: how many nodes placement put there (connections to open)
};

// A node running on a host: the local ssh client that carries its channel (a child of the launcher, reaped
// like a local node) and the pipe to its wrapper's input (remote_command.h).
struct RemoteNode {
  pid_t pid = 0;
  int control_fd = -1;
};

class RemoteHosts {
 public:
  // Opens the connections and checks each with a command that reports the addresses on both ends, then
  // copies (rsync) or finds (shared) the programs on every host and compares their SHA-256 with the local
  // ones. Fails with one line naming the host that is wrong.
  static Expected<std::unique_ptr<RemoteHosts>> open(RemoteHostsConfig config);
  // Closes every connection: a node still running on a host is killed by its wrapper as its channel ends.
  ~RemoteHosts();
  RemoteHosts(const RemoteHosts&) = delete;
  RemoteHosts& operator=(const RemoteHosts&) = delete;

  const HostSpec& spec(std::size_t host) const { return config_.hosts.hosts.at(host); }
  // The host's address as the launcher reaches it: where its nodes listen.
  const std::string& address(std::size_t host) const { return hosts_.at(host).address; }
  // The address the launcher binds its node endpoints (telemetry, control) on: the one every host sees it
  // at, or 0.0.0.0 when hosts see it at different addresses (a launcher on two networks).
  std::string bind_address() const;
  // A bound "tcp://ADDR:PORT" as the host's nodes must dial it: the launcher's address as that host sees it.
  std::string endpoint_for(std::size_t host, const std::string& endpoint) const;
  // {out} for nodes on the host: their run folder there.
  const std::string& out_dir(std::size_t host) const { return hosts_.at(host).out_dir; }
  // The path of a node program (given by its local path) on the host.
  std::string program(std::size_t host, const std::string& local_path) const;

  // Starts argv (argv[0] the program's path on the host) on the node's host, under the wrapper, its output
  // appended to `log_path`.
  Expected<RemoteNode> start(const HostSlot& place, const std::vector<std::string>& argv,
                             const std::string& log_path);
  // Asks the node's wrapper to send `sig` (SIGTERM, SIGKILL, SIGINT) to the node's process group.
  static void signal(const RemoteNode& node, int sig);

 private:
  struct Connection {
    std::string socket;  // the ControlPath
    pid_t master = 0;    // the ssh -M process, a child of the launcher
  };
  struct Host {
    std::string address;           // the host's, as it saw the connection arrive
    std::string launcher_address;  // the launcher's, as the host saw it
    std::string out_dir;           // {out} there, absolute
    std::string bin_dir;           // with binaries = copy, where the programs are, absolute
    std::vector<Connection> connections;
  };

  explicit RemoteHosts(RemoteHostsConfig config) : config_(std::move(config)) {}
  std::vector<std::string> ssh_options() const;
  Expected<const Connection*> connection(std::size_t host, std::size_t index);
  Status connect(std::size_t host, std::size_t index);
  Status learn_addresses(std::size_t host);
  Status install_programs(std::size_t host);
  Expected<std::string> run(std::size_t host, const std::string& command, double timeout_s);

  RemoteHostsConfig config_;
  std::string ssh_;          // the local ssh program
  std::string sockets_dir_;  // a short folder for the control sockets (their paths must fit 108 bytes)
  std::vector<Host> hosts_;
};

}  // namespace p2p::labs
