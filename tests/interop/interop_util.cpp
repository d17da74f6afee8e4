// Helpers for the interop tests: scratch folders, logged child processes and bounded waits.
#include "tests/interop/interop_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <string_view>
#include <thread>

#include "common/util/random.h"
#include "tests/bench/bench_util.h"

namespace p2p::interop {

namespace fs = std::filesystem;

ScratchDir::ScratchDir() {
  std::string pattern = (fs::temp_directory_path() / "p2plab-interop-XXXXXX").string();
  path_ = ::mkdtemp(pattern.data());
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

// bench::spawn sends standard error nowhere; a shell that redirects it and then execs the program keeps the
// pid the program's own, so stopping it stops the program.
Process::Process(const std::vector<std::string>& argv, const fs::path& log, const fs::path& out) {
  std::string program = argv.at(0);
  if (program.find('/') == std::string::npos && fs::exists(bench::bin_dir() + "/" + program)) {
    program = bench::bin_dir() + "/" + program;
  }
  std::vector<std::string> shell = {
      "/bin/sh", "-c", "exec \"$@\" 2>" + quoted(log.empty() ? "/dev/null" : log.string()), "sh", program};
  shell.insert(shell.end(), argv.begin() + 1, argv.end());
  pid_ = bench::spawn(shell, out.string());
}

Process::~Process() {
  stop();
}

void Process::stop() {
  if (pid_ > 0 && !reaped_) bench::stop(pid_, 3000);
  reaped_ = true;
}

std::optional<int> Process::wait(std::chrono::milliseconds limit) {
  if (reaped_) return std::nullopt;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

bool under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

bool on_path(const std::string& program) {
  return std::system(("command -v " + quoted(program) + " >/dev/null 2>&1").c_str()) == 0;
}

std::string dissector_flag(const std::string& script) {
  const char* source = std::getenv("P2P_SOURCE");
  return "lua_script:" + std::string(source ? source : ".") + "/" + script;
}

std::uint16_t logged_port(const fs::path& log) {
  static const std::regex kListening("listening on 127\\.0\\.0\\.1:([0-9]+)");
  std::smatch match;
  std::string text = read_text(log);
  if (!std::regex_search(text, match, kListening)) return 0;
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

bool port_open(std::uint16_t port, std::chrono::milliseconds limit) {
  return bench::wait_listening(port, static_cast<int>(limit.count()));
}

bool capture_started(const fs::path& log) {
  return wait_until([&] { return read_text(log).find("Capture started.") != std::string::npos; },
                    std::chrono::seconds(30));
}

void stop_capture(Process& capture) {
  std::this_thread::sleep_for(std::chrono::seconds(2));
  capture.stop();  // tshark finishes the file on SIGTERM
}

void write_random_file(const fs::path& path, std::size_t size, std::uint64_t seed) {
  fs::create_directories(path.parent_path());
  std::vector<std::uint8_t> bytes(size);
  Rng rng(seed);
  rng.fill(bytes.data(), bytes.size());
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

bool same_contents(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (!fs::exists(a, ec) || !fs::exists(b, ec) || fs::file_size(a) != fs::file_size(b)) return false;
  return read_text(a) == read_text(b);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace p2p::interop
