// Child processes and /proc readings for the benchmarks.
#include "tests/bench/bench_util.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>
#include <thread>

#include "common/util/median.h"

extern char** environ;

namespace p2p::bench {

namespace fs = std::filesystem;

CliSpec cli_spec(const std::string& program, std::string summary) {
  CliSpec spec;
  spec.program = program;
  spec.usage = program + " [options]";
  spec.summary = std::move(summary);
  spec.accepts_config = false;
  return spec;
}

std::vector<std::string> node_args(const std::string& program, const Endpoint& listen,
                                   const std::string& node_id) {
  return {program, "--listen", listen.str(), "--node-id", node_id, "--log-level", "warn"};
}

std::string bin_dir() {
  if (const char* dir = std::getenv("P2P_BIN")) return dir;
  return fs::canonical("/proc/self/exe").parent_path().string();
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& stdout_path) {
  std::string program = argv.at(0);
  if (program.find('/') == std::string::npos && fs::exists(bin_dir() + "/" + program)) {
    program = bin_dir() + "/" + program;
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string out = stdout_path.empty() ? "/dev/null" : stdout_path;
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int wait_for(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::optional<Finished> wait_until(pid_t pid, double limit_s) {
  const auto start = std::chrono::steady_clock::now();
  while (!interrupted() && seconds_since(start) < limit_s) {
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, WNOHANG, &usage) == pid) {
      auto seconds = [](timeval t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
      };
      return Finished{.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                      .cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime),
                      .max_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0};  // ru_maxrss is in KiB
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

void stop(pid_t pid, int grace_ms) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  for (int waited = 0; waited < grace_ms; waited += 10) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

double cpu_seconds(pid_t pid) {
  // schedstat's first field is the time spent on a CPU in nanoseconds: /proc/PID/stat's 10 ms ticks are too
  // coarse for processes that wake for microseconds twice a second. It is kept per thread.
  std::error_code error;
  fs::directory_iterator threads("/proc/" + std::to_string(pid) + "/task", error);
  if (error) return -1;
  double nanoseconds = 0;
  for (const auto& thread : threads) {
    std::ifstream schedstat(thread.path() / "schedstat");
    double thread_ns = 0;
    if (schedstat >> thread_ns) nanoseconds += thread_ns;
  }
  return nanoseconds / 1e9;
}

namespace {

// The "KEY: N kB" line of a /proc file, in MiB, or -1.
double kib_line_mib(const std::string& path, const std::string& key) {
  std::ifstream file(path);
  std::string word;
  double kib = 0;
  while (file >> word) {
    if (word == key) {
      file >> kib;
      return kib / 1024.0;
    }
    file.ignore(1 << 16, '\n');
  }
  return -1;
}

}  // namespace

double rss_mib(pid_t pid) {
  return kib_line_mib("/proc/" + std::to_string(pid) + "/status", "VmRSS:");
}

double pss_mib(pid_t pid) {
  return kib_line_mib("/proc/" + std::to_string(pid) + "/smaps_rollup", "Pss:");
}

double available_memory_mib() {
  return kib_line_mib("/proc/meminfo", "MemAvailable:");
}

double median(std::vector<double> values) {
  return p2p::median(std::move(values)).value_or(0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

LoadAverage load_average() {
  LoadAverage load;
  std::ifstream("/proc/loadavg") >> load.one >> load.five;
  return load;
}

std::string load_text() {
  LoadAverage load = load_average();
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << load.one << " (1 min), " << load.five << " (5 min) on "
       << std::thread::hardware_concurrency() << " cores";
  return text.str();
}

double machine_busy_seconds() {
  std::istringstream line(read_file("/proc/stat"));
  std::string label;
  line >> label;
  const double per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  double busy = 0, ticks = 0;
  // user nice system idle iowait irq softirq steal
  for (int field = 0; field < 8 && line >> ticks; ++field) {
    if (field != 3 && field != 4) busy += ticks / per_second;
  }
  return busy;
}

namespace {

volatile std::sig_atomic_t interrupt_seen = 0;

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = [](int) { interrupt_seen = 1; };
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() {
  return interrupt_seen != 0;
}

namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

}  // namespace

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool port_is_free(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(port);
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

int free_port_run(int count) {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  constexpr int kLowest = 10000;  // above the ports well-known services sit on
  if (ephemeral_low - count < kLowest) return 0;
  std::mt19937 pick(std::random_device{}());
  std::uniform_int_distribution<int> first(kLowest, ephemeral_low - count);
  for (int attempt = 0; attempt < 100; ++attempt) {
    int start = first(pick);
    int port = start;
    while (port < start + count && port_is_free(port)) ++port;
    if (port == start + count) return start;
  }
  return 0;
}

bool wait_listening(int port, int limit_ms) {
  sockaddr_in address = loopback(port);
  for (int waited = 0; waited < limit_ms; waited += 20) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool open = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    if (open) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace p2p::bench
