// vfork/exec of nodes with a death signal, process groups and log files.
#include "labs/launcher/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace p2p::labs {

namespace fs = std::filesystem;

std::string own_bin_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

Expected<std::string> find_program(const std::string& name) {
  auto runnable = [](const fs::path& p) { return fs::is_regular_file(p) && ::access(p.c_str(), X_OK) == 0; };
  if (name.find('/') != std::string::npos) {
    if (runnable(name)) return name;
    return make_error("'" + name + "' is not an executable file");
  }
  fs::path sibling = fs::path(own_bin_dir()) / name;
  if (runnable(sibling)) return sibling.string();
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      auto colon = rest.find(':');
      fs::path candidate = fs::path(std::string(rest.substr(0, colon))) / name;
      if (runnable(candidate)) return candidate.string();
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  }
  return make_error("'" + name + "' is neither in " + own_bin_dir() + " nor on PATH (is it built?)");
}

Expected<pid_t> spawn_child(const std::string& program, const std::vector<std::string>& args, int input,
                            int output) {
  // Everything the child needs is made before vfork: between vfork and exec the child runs in the launcher's
  // memory on the launcher's stack, so it may only make system calls and writes none of the launcher's
  // variables. vfork, not fork: fork copies the launcher's page tables, and then every page the launcher
  // writes faults and flushes the TLB of every core its threads run on; that made the launcher start only ~10
  // nodes a second on two busy cores (tests/bench/scale).
  // The child reads `input`: the caller's pipe, or /dev/null, opened here and closed after the vfork.
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int stdin_from = null;
  if (input >= 0) {
    ::close(null);
    null = -1;
    stdin_from = input;
  }
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  sigset_t all, none, before;
  sigfillset(&all);
  sigemptyset(&none);
  static const char kExecFailed[] = "p2plab: exec failed\n";

  // No handler of the launcher's may run in the child, on the launcher's memory: every signal stays blocked
  // until the child has put every disposition back to its default (as glibc's posix_spawn does).
  ::pthread_sigmask(SIG_SETMASK, &all, &before);
  pid_t pid = ::vfork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the launcher died before the death signal was armed
    ::dup2(stdin_from, 0);
    ::dup2(output, 1);
    ::dup2(output, 2);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);  // (curses' SIGWINCH, the ignored SIGPIPE)
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::close_range(3, UINT_MAX, 0);
    ::execv(program.c_str(), argv.data());
    (void)!::write(2, kExecFailed, sizeof kExecFailed - 1);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  if (null >= 0) ::close(null);
  if (pid < 0) return make_error(std::string("vfork failed: ") + std::strerror(fork_errno));
  ::setpgid(pid, pid);  // also here, so a signal sent right away already reaches the group
  return pid;
}

Expected<pid_t> spawn_node(const std::string& program, const std::vector<std::string>& args,
                           const std::string& log_path, int stdin_fd) {
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return make_error("cannot write " + log_path + ": " + std::strerror(errno));
  auto pid = spawn_child(program, args, stdin_fd, log);
  ::close(log);
  return pid;
}

void signal_node(pid_t pid, int sig) {
  if (pid <= 0) return;
  if (::kill(-pid, sig) != 0) ::kill(pid, sig);
}

std::optional<ExitStatus> try_reap(pid_t pid) {
  int status = 0;
  pid_t done = ::waitpid(pid, &status, WNOHANG);
  if (done == 0) return std::nullopt;
  if (done < 0) return ExitStatus{-1, 0};  // not our child any more: treat as gone
  if (WIFSIGNALED(status)) return ExitStatus{128 + WTERMSIG(status), WTERMSIG(status)};
  return ExitStatus{WEXITSTATUS(status), 0};
}

std::optional<std::uint16_t> listening_port(pid_t pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  std::error_code ec;
  // Between fork and exec the child still holds the launcher's own sockets; only the node's count.
  if (fs::read_symlink(proc + "/exe", ec) == fs::read_symlink("/proc/self/exe") || ec) return std::nullopt;
  std::set<std::string> inodes;
  for (const auto& fd : fs::directory_iterator(proc + "/fd", ec)) {
    std::string target = fs::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind("socket:[", 0) == 0) inodes.insert(target.substr(8, target.size() - 9));
  }
  if (inodes.empty()) return std::nullopt;
  std::ifstream tcp(proc + "/net/tcp");
  std::string line;
  std::getline(tcp, line);  // the header
  while (std::getline(tcp, line)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
          inode)) {
      continue;
    }
    constexpr const char* kListen = "0A";
    if (state != kListen || !inodes.count(inode)) continue;
    auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    return static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16));
  }
  return std::nullopt;
}

int block_launcher_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGCHLD);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  return ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
}

}  // namespace p2p::labs
