// The shared node flags.
#include "common/host/node_options.h"

#include <unistd.h>

namespace p2p {

void add_node_options(po::options_description& options) {
  po::options_description node("Node options (every node binary)");
  node.add_options()("listen",
                     po::value<std::string>()->default_value("127.0.0.1:0")->value_name("HOST:PORT"),
                     "where to accept connections; port 0 picks a free port")(
      "bind-any", po::bool_switch(), "allow --listen on an address other than 127.0.0.1")(
      "up-kbps", po::value<std::uint64_t>()->default_value(0)->value_name("KBPS"),
      "upload cap in kilobits per second (0: unlimited)")(
      "down-kbps", po::value<std::uint64_t>()->default_value(0)->value_name("KBPS"),
      "download cap in kilobits per second (0: unlimited)")(
      "latency-ms", po::value<double>()->default_value(0)->value_name("MS"),
      "one-way latency added in each direction, in milliseconds")(
      "loss", po::value<double>()->default_value(0)->value_name("FRACTION"),
      "fraction of outgoing datagrams the link loses, 0 to 1")(
      "seed", po::value<std::uint64_t>()->default_value(1), "random seed of this node")(
      "node-id", po::value<std::string>()->value_name("ID"), "name in telemetry (default: program-pid)")(
      "telemetry", po::value<std::string>()->value_name("ENDPOINT"),
      "ZeroMQ endpoint to publish telemetry to")("control", po::value<std::string>()->value_name("ENDPOINT"),
                                                 "ZeroMQ endpoint to take commands from")(
      "log-level", po::value<std::string>()->default_value("info")->value_name("LEVEL"),
      "debug, info, warn or error");
  options.add(node);
}

NodeOptions read_node_options(const po::variables_map& vm, const std::string& program) {
  NodeOptions out;
  std::string listen = vm["listen"].as<std::string>();
  if (listen.find(':') == std::string::npos) listen = "127.0.0.1:" + listen;
  auto endpoint = Endpoint::parse(listen);
  if (!endpoint) fail_setup(program, "--listen: " + endpoint.reason());
  if (endpoint->host != "127.0.0.1" && !vm["bind-any"].as<bool>()) {
    fail_setup(program,
               "--listen: " + endpoint->host + " is not 127.0.0.1; add --bind-any to listen beyond loopback");
  }
  out.listen = *endpoint;
  out.link.up_bps = vm["up-kbps"].as<std::uint64_t>() * 1000;
  out.link.down_bps = vm["down-kbps"].as<std::uint64_t>() * 1000;
  double latency = vm["latency-ms"].as<double>();
  if (latency < 0 || latency > 10000) fail_setup(program, "--latency-ms: expected 0 to 10000");
  out.link.latency = std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(latency));
  out.link.loss = vm["loss"].as<double>();
  if (!(out.link.loss >= 0 && out.link.loss <= 1)) fail_setup(program, "--loss: expected 0 to 1");
  out.seed = vm["seed"].as<std::uint64_t>();
  out.node_id =
      vm.count("node-id") ? vm["node-id"].as<std::string>() : program + "-" + std::to_string(getpid());
  if (vm.count("telemetry")) out.telemetry = vm["telemetry"].as<std::string>();
  if (vm.count("control")) out.control = vm["control"].as<std::string>();
  std::string level = vm["log-level"].as<std::string>();
  if (level == "debug") {
    out.log_level = LogLevel::Debug;
  } else if (level == "info") {
    out.log_level = LogLevel::Info;
  } else if (level == "warn") {
    out.log_level = LogLevel::Warn;
  } else if (level == "error") {
    out.log_level = LogLevel::Error;
  } else {
    fail_setup(program, "--log-level: expected debug, info, warn or error, got '" + level + "'");
  }
  return out;
}

}  // namespace p2p
