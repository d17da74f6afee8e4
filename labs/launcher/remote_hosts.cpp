// OpenSSH connections to a lab's hosts.
#include "labs/launcher/remote_hosts.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "labs/launcher/process.h"
#include "labs/launcher/remote_command.h"
#include "labs/launcher/run_command.h"
#include "labs/launcher/text.h"

namespace p2p::labs {
namespace {

namespace fs = std::filesystem;

// How long ssh may take to reach a host, and a check or copy to end.
constexpr int kConnectTimeout = 5;
constexpr double kCommandTimeout = 30;
constexpr double kCopyTimeout = 300;

// "HASH  NAME" lines of sha256sum, by name.
std::map<std::string, std::string> hashes_of(const std::string& output) {
  std::map<std::string, std::string> hashes;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    auto space = line.find("  ");
    if (space == 64) hashes[line.substr(space + 2)] = line.substr(0, space);
  }
  return hashes;
}

bool is_ipv4(const std::string& address) {
  return !address.empty() && address.find_first_not_of("0123456789.") == std::string::npos;
}

}  // namespace

Expected<std::unique_ptr<RemoteHosts>> RemoteHosts::open(RemoteHostsConfig config) {
  std::unique_ptr<RemoteHosts> remote(new RemoteHosts(std::move(config)));
  auto ssh = find_program("ssh");
  if (!ssh) return make_error("a lab across hosts needs ssh: " + ssh.reason());
  remote->ssh_ = *ssh;
  std::string pattern = (fs::temp_directory_path() / "p2plab-ssh-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    return make_error("cannot make a folder for the ssh control sockets in /tmp");
  remote->sockets_dir_ = pattern;
  fs::create_directories(fs::path(remote->config_.out_dir) / "ssh");
  remote->hosts_.resize(remote->config_.hosts.hosts.size());
  for (std::size_t h = 0; h < remote->hosts_.size(); ++h) {
    std::size_t nodes = h < remote->config_.nodes.size() ? remote->config_.nodes[h] : 0;
    std::size_t connections =
        std::max<std::size_t>(1, (nodes + kNodesPerConnection - 1) / kNodesPerConnection);
    for (std::size_t c = 0; c < connections; ++c) {
      if (auto st = remote->connect(h, c); !st) return st.error();
    }
    if (auto st = remote->learn_addresses(h); !st) return st.error();
    if (auto st = remote->install_programs(h); !st) return st.error();
  }
  return remote;
}

RemoteHosts::~RemoteHosts() {
  for (Host& host : hosts_) {
    for (Connection& c : host.connections) signal_node(c.master, SIGTERM);
  }
  for (Host& host : hosts_) {
    for (Connection& c : host.connections) {
      for (int i = 0; i < 100 && !try_reap(c.master); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (::kill(c.master, 0) == 0) {
        signal_node(c.master, SIGKILL);
        ::waitpid(c.master, nullptr, 0);
      }
    }
  }
  std::error_code ec;
  if (!sockets_dir_.empty()) fs::remove_all(sockets_dir_, ec);
}

std::vector<std::string> RemoteHosts::ssh_options() const {
  std::vector<std::string> options = {
      "-o", "BatchMode=yes",         "-o", "ConnectTimeout=" + std::to_string(kConnectTimeout),
      "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"};
  if (!config_.hosts.ssh_config.empty()) options.insert(options.begin(), {"-F", config_.hosts.ssh_config});
  return options;
}

// The connection is the launcher's own child (ssh -M -N, no ControlPersist), not a daemon: it dies with the
// launcher (PR_SET_PDEATHSIG, process.h), and with it every channel, so every remote wrapper sees its input
// end and kills its node, even when the launcher was SIGKILLed.
Status RemoteHosts::connect(std::size_t h, std::size_t index) {
  const HostSpec& host = spec(h);
  Connection c;
  c.socket = sockets_dir_ + "/" + std::to_string(h) + "-" + std::to_string(index);
  std::vector<std::string> argv = {"ssh", "-M", "-N", "-S", c.socket, "-o", "ControlPersist=no"};
  for (std::string& o : ssh_options()) argv.push_back(std::move(o));
  argv.push_back(host.destination);
  std::string log = config_.out_dir + "/ssh/" + host.name + "-" + std::to_string(index) + ".log";
  auto pid = spawn_node(ssh_, argv, log);
  if (!pid) return make_error("host " + host.name + " (" + host.destination + "): " + pid.reason());
  c.master = *pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kConnectTimeout + 10);
  while (true) {
    if (auto ended = try_reap(c.master)) {
      std::ifstream in(log);
      std::stringstream text;
      text << in.rdbuf();
      return make_error("host " + host.name + " (" + host.destination +
                        ") cannot be reached: " + last_line(text.str()));
    }
    auto check = run_command({ssh_, "-S", c.socket, "-O", "check", host.destination}, kCommandTimeout);
    if (check && check->code == 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      signal_node(c.master, SIGKILL);
      ::waitpid(c.master, nullptr, 0);
      return make_error("host " + host.name + " (" + host.destination + ") did not answer within " +
                        std::to_string(kConnectTimeout + 10) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  hosts_[h].connections.push_back(std::move(c));
  return Ok{};
}

Expected<const RemoteHosts::Connection*> RemoteHosts::connection(std::size_t h, std::size_t index) {
  while (hosts_.at(h).connections.size() <= index) {
    if (auto st = connect(h, hosts_[h].connections.size()); !st) return st.error();
  }
  return &hosts_[h].connections[index];
}

Expected<std::string> RemoteHosts::run(std::size_t h, const std::string& command, double timeout_s) {
  std::vector<std::string> argv = {ssh_, "-S", hosts_.at(h).connections.at(0).socket};
  for (std::string& o : ssh_options()) argv.push_back(std::move(o));
  argv.insert(argv.end(), {"-T", spec(h).destination, command});
  auto done = run_command(argv, timeout_s);
  if (!done) return make_error("host " + spec(h).name + ": " + done.reason());
  if (done->code != 0) {
    return make_error("host " + spec(h).name + ": `" + command + "` failed (exit " +
                      std::to_string(done->code) + "): " + last_line(done->output));
  }
  return done->output;
}

// $SSH_CONNECTION is "CLIENT_ADDRESS CLIENT_PORT SERVER_ADDRESS SERVER_PORT" as the host saw the connection.
Status RemoteHosts::learn_addresses(std::size_t h) {
  auto seen = run(h, "echo $SSH_CONNECTION", kCommandTimeout);
  if (!seen) return seen.error();
  std::vector<std::string> fields = words(*seen);
  if (fields.size() != 4)
    return make_error("host " + spec(h).name + ": sshd did not say where the connection came from");
  if (!is_ipv4(fields[0]) || !is_ipv4(fields[2])) {
    return make_error("host " + spec(h).name + " is reached over IPv6 (" + fields[2] +
                      "); name it by an IPv4 address: lab nodes listen on IPv4");
  }
  hosts_[h].launcher_address = fields[0];
  hosts_[h].address = fields[2];
  return Ok{};
}

Status RemoteHosts::install_programs(std::size_t h) {
  const HostSpec& host = spec(h);
  auto local = run_command(
      [&] {
        std::vector<std::string> argv = {"sha256sum"};
        argv.insert(argv.end(), config_.programs.begin(), config_.programs.end());
        return argv;
      }(),
      kCommandTimeout);
  if (!local || local->code != 0) return make_error("cannot hash the node programs with sha256sum");
  std::map<std::string, std::string> wanted = hashes_of(local->output);
  std::string check;
  if (config_.hosts.binaries == BinaryMode::Shared) {
    hosts_[h].out_dir = fs::absolute(config_.out_dir).string();
    // A shared home shows the run folder too; a host that does not see it cannot run the lab this way.
    if (auto st = run(h, "test -d " + shell_quote(hosts_[h].out_dir), kCommandTimeout); !st) {
      return make_error("host " + host.name + " does not see the run folder " + hosts_[h].out_dir +
                        " (binaries = shared needs a shared home; binaries = copy does not)");
    }
    check = "sha256sum";
    for (const std::string& p : config_.programs) check += " " + shell_quote(p);
  } else {
    // Made, then named by their absolute paths: a node runs in its run folder, so a path relative to the
    // home would point elsewhere.
    std::string bin = shell_quote(config_.hosts.remote_dir + "/bin");
    std::string out = shell_quote(config_.hosts.remote_dir + "/runs/" +
                                  fs::path(config_.out_dir).filename().string() + "-" + host.name);
    auto made =
        run(h, "mkdir -p " + bin + " " + out + " && (cd " + bin + " && pwd) && (cd " + out + " && pwd)",
            kCommandTimeout);
    if (!made) return made.error();
    std::vector<std::string> paths = split(trim(*made), '\n');
    if (paths.size() != 2) return make_error("host " + host.name + ": cannot make " + bin + " and " + out);
    hosts_[h].bin_dir = paths[0];
    hosts_[h].out_dir = paths[1];
    std::string transport =
        "ssh -S " + hosts_[h].connections.at(0).socket +
        (config_.hosts.ssh_config.empty() ? "" : " -F " + shell_quote(config_.hosts.ssh_config));
    std::vector<std::string> argv = {"rsync", "-t", "-p", "-e", transport};
    argv.insert(argv.end(), config_.programs.begin(), config_.programs.end());
    argv.push_back(host.destination + ":" + hosts_[h].bin_dir + "/");
    auto copied = run_command(argv, kCopyTimeout);
    if (!copied || copied->code != 0) {
      return make_error("host " + host.name + ": rsync of the node programs failed: " +
                        (copied ? last_line(copied->output) : copied.reason()));
    }
    check = "cd " + shell_quote(hosts_[h].bin_dir) + " && sha256sum";
    for (const std::string& p : config_.programs) check += " " + shell_quote(fs::path(p).filename().string());
  }
  auto remote = run(h, check, kCommandTimeout);
  if (!remote) return remote.error();
  std::map<std::string, std::string> found = hashes_of(*remote);
  for (const std::string& p : config_.programs) {
    std::string name = config_.hosts.binaries == BinaryMode::Shared ? p : fs::path(p).filename().string();
    if (found[name] != wanted[p]) {
      return make_error("host " + host.name + ": " + program(h, p) + " is not the launcher's " + p +
                        " (its SHA-256 differs)");
    }
  }
  return Ok{};
}

std::string RemoteHosts::bind_address() const {
  for (const Host& h : hosts_) {
    if (h.launcher_address != hosts_.front().launcher_address) return "0.0.0.0";
  }
  return hosts_.empty() ? "127.0.0.1" : hosts_.front().launcher_address;
}

std::string RemoteHosts::endpoint_for(std::size_t h, const std::string& endpoint) const {
  auto colon = endpoint.rfind(':');
  return "tcp://" + hosts_.at(h).launcher_address + endpoint.substr(colon);
}

std::string RemoteHosts::program(std::size_t h, const std::string& local_path) const {
  if (config_.hosts.binaries == BinaryMode::Shared) return local_path;
  return hosts_.at(h).bin_dir + "/" + fs::path(local_path).filename().string();
}

Expected<RemoteNode> RemoteHosts::start(const HostSlot& place, const std::vector<std::string>& argv,
                                        const std::string& log_path) {
  auto c = connection(place.host, place.slot / kNodesPerConnection);
  if (!c) return c.error();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return make_error("cannot make a pipe for a remote node");
  std::vector<std::string> ssh = {"ssh", "-S", (*c)->socket};
  for (std::string& o : ssh_options()) ssh.push_back(std::move(o));
  ssh.insert(ssh.end(), {"-T", spec(place.host).destination, remote_node_command(argv, out_dir(place.host))});
  auto pid = spawn_node(ssh_, ssh, log_path, pipe_fds[0]);
  ::close(pipe_fds[0]);
  if (!pid) {
    ::close(pipe_fds[1]);
    return pid.error();
  }
  // A wrapper that stopped reading must not block the launcher: a signal that does not fit is dropped.
  ::fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
  return RemoteNode{*pid, pipe_fds[1]};
}

void RemoteHosts::signal(const RemoteNode& node, int sig) {
  std::string line = std::string(remote_signal_name(sig)) + "\n";
  if (node.control_fd < 0 || line.size() == 1) return;
  (void)!::write(node.control_fd, line.data(), line.size());
}

}  // namespace p2p::labs
