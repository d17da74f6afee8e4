// p2p-echo: the echo core as a process, for transport tests and benchmarks (and the smallest example of a
// node main).
#include "common/host/host.h"
#include "tests/support/echo_core.h"

int main(int argc, char** argv) {
  using namespace p2p;
  NodeProgram program;
  program.name = "p2p-echo";
  program.summary = "Echoes length-prefixed frames; with --dial, connects somewhere and sends greetings.";
  program.add_options = [](po::options_description& options) {
    options.add_options()("dial", po::value<std::string>()->value_name("HOST:PORT"), "connect here at start")(
        "greetings", po::value<int>()->default_value(0), "frames to send after connecting")(
        "greeting-bytes", po::value<std::size_t>()->default_value(16), "payload size of each greeting");
  };
  program.prepare = [](const po::variables_map& vm) -> Expected<Host::MakeCore> {
    std::optional<Endpoint> dial;
    if (vm.count("dial")) {
      auto endpoint = Endpoint::parse(vm["dial"].as<std::string>());
      if (!endpoint) return make_error("--dial: " + endpoint.reason());
      dial = *endpoint;
    }
    int greetings = vm["greetings"].as<int>();
    std::size_t bytes = vm["greeting-bytes"].as<std::size_t>();
    if (bytes > testing::EchoCore::kMaxFrame) return make_error("--greeting-bytes: at most 1 MiB");
    return Host::MakeCore(
        [=](Runtime& rt) { return std::make_unique<testing::EchoCore>(rt, dial, greetings, bytes); });
  };
  return node_main(argc, argv, program);
}
