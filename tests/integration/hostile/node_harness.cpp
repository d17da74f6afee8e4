// Child processes and the telemetry collector of the hostile-peer test.
#include "tests/integration/hostile/node_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace p2p::hostile {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Collector::Collector() : socket_(context_, zmq::socket_type::sub) {
  socket_.set(zmq::sockopt::rcvhwm, 100000);
  socket_.set(zmq::sockopt::subscribe, "");
  socket_.bind("tcp://127.0.0.1:*");
  endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
}

void Collector::poll(milliseconds limit) {
  Clock::time_point deadline = Clock::now() + limit;
  do {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    zmq::poll(&item, 1, std::max(left, milliseconds(0)));
    zmq::message_t message;
    while (socket_.recv(message, zmq::recv_flags::dontwait)) {
      auto record = nlohmann::json::parse(message.to_string_view(), nullptr, false);
      if (!record.is_object() || !record.contains("node")) continue;
      std::string node = record.value("node", "");
      if (record.value("kind", "") == "status") {
        status_[node] = record["sys"];
        ++status_count_[node];
      } else {
        events_.push_back(std::move(record));
      }
    }
  } while (Clock::now() < deadline);
}

std::optional<nlohmann::json> Collector::await_event(const std::string& node, const std::string& name,
                                                     milliseconds limit) {
  Clock::time_point deadline = Clock::now() + limit;
  while (true) {
    for (const auto& record : events_)
      if (record.value("node", "") == node && record.value("event", "") == name) return record["data"];
    if (Clock::now() >= deadline) return std::nullopt;
    poll(milliseconds(50));
  }
}

std::optional<nlohmann::json> Collector::fresh_status(const std::string& node, milliseconds limit) {
  std::uint64_t seen = status_count_[node];
  Clock::time_point deadline = Clock::now() + limit;
  while (status_count_[node] == seen) {
    if (Clock::now() >= deadline) return std::nullopt;
    poll(milliseconds(50));
  }
  return status_[node];
}

Child::Child(const std::string& program, const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // The child ends with the test, even one killed by CTest's timeout.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> raw;
    for (auto& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    execv(program.c_str(), raw.data());
    _exit(127);
  }
}

Child::~Child() {
  if (exit_code_ || pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!wait(milliseconds(2000))) ::kill(pid_, SIGKILL), waitpid(pid_, nullptr, 0);
}

std::optional<int> Child::wait(milliseconds limit, Collector* collector) {
  Clock::time_point deadline = Clock::now() + limit;
  while (!exit_code_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    if (collector) {
      collector->poll(milliseconds(20));
    } else {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  return exit_code_;
}

std::uint64_t Child::peak_rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  return 0;
}

Node::Node(Collector& collector, const std::string& program, const std::string& node_id,
           std::vector<std::string> args, const std::string& log_dir)
    : id(node_id),
      child(
          bin_dir() + "/" + program,
          [&] {
            args.insert(args.end(), {"--listen", "127.0.0.1:0", "--telemetry", collector.endpoint(),
                                     "--node-id", node_id});
            return args;
          }(),
          log_dir + "/" + node_id + ".log") {
  if (auto listening = collector.await_event(node_id, "listening", milliseconds(10000))) {
    std::string listen = listening->value("listen", "");
    port = static_cast<std::uint16_t>(std::stoul(listen.substr(listen.rfind(':') + 1)));
  }
}

Lab::Lab(const std::string& scenario, int duration_s, const std::string& dir)
    : child(bin_dir() + "/p2plab",
            {"run", scenario, "--duration", std::to_string(duration_s), "--headless", "--out", dir + "/lab"},
            dir + "/p2plab.log") {
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  nlohmann::json lab;
  while (!lab.is_object() && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
    lab = nlohmann::json::parse(read_file(dir + "/lab/lab.json"), nullptr, false);
  }
  if (!lab.is_object()) return;
  for (const char* name : {"commands", "telemetry", "node_telemetry", "control"}) {
    std::string endpoint = lab.value(name, "");
    if (endpoint.find(':') == std::string::npos) continue;
    ports[name] = static_cast<std::uint16_t>(std::stoul(endpoint.substr(endpoint.rfind(':') + 1)));
  }
}

nlohmann::json Lab::info() {
  zmq::context_t context;
  zmq::socket_t request(context, zmq::socket_type::req);
  request.set(zmq::sockopt::rcvtimeo, 5000);
  request.set(zmq::sockopt::linger, 0);
  request.connect("tcp://127.0.0.1:" + std::to_string(ports["commands"]));
  request.send(zmq::str_buffer(R"({"cmd":"info"})"));
  zmq::message_t reply;
  if (!request.recv(reply)) return nullptr;
  return nlohmann::json::parse(reply.to_string_view(), nullptr, false);
}

std::string bin_dir() {
  const char* bin = std::getenv("P2P_BIN");
  return bin ? bin : "build/bin";
}

std::string source_dir() {
  const char* source = std::getenv("P2P_SOURCE");
  return source ? source : ".";
}

std::string scratch_dir() {
  std::string pattern = "/tmp/p2p-hostile-XXXXXX";
  return mkdtemp(pattern.data()) ? pattern : "/tmp";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace p2p::hostile
