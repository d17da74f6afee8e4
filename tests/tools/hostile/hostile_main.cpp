// hostile: a hostile client of one p2plab listener on 127.0.0.1, for the hostile-peer tests (issue 18).
#include <iostream>

#include "common/host/cli.h"
#include "common/host/transport.h"
#include "common/util/encoding.h"
#include "tests/tools/hostile/attack.h"

namespace {

using namespace p2p;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : "|") + name;
  return out;
}

void add_options(po::options_description& options) {
  options.add_options()("target",
                        po::value<std::string>()->required()->value_name(joined(hostile::target_names())),
                        "the kind of listener attacked")(
      "attack", po::value<std::string>()->required()->value_name(joined(hostile::attack_names())),
      "what to send: random bytes; a valid opening then random bytes; a frame whose length field is its "
      "largest (4 GiB where it is 32 bits); the opening one byte a second; many connections at once; a flood "
      "of valid requests; or `valid`, an honest opening and request that must be answered (exit 1 if not)")(
      "port", po::value<std::uint16_t>()->required()->value_name("PORT"), "the listener's port on 127.0.0.1")(
      "info-hash", po::value<std::string>()->default_value(std::string(40, '0'))->value_name("HEX"),
      "bt-peer: the torrent the peer serves (40 hex digits)")(
      "file", po::value<std::string>()->default_value("hostile.mp3")->value_name("NAME"),
      "napster-peer: the file requested (one the peer shares, for an answer with its size)")(
      "socket-type", po::value<std::string>()->default_value("REQ")->value_name("REQ|PUB|SUB"),
      "control: the ZeroMQ socket the client plays: REQ to the launcher's command endpoint, PUB to its node "
      "telemetry endpoint, SUB to its control or watchers' telemetry endpoint")(
      "wait", po::value<double>()->default_value(2)->value_name("S"),
      "how long to watch the peer's reaction")(
      "seconds", po::value<double>()->default_value(5)->value_name("S"), "slowloris: how long to trickle")(
      "connections", po::value<std::size_t>()->default_value(1000)->value_name("N"),
      "many-connections: how many")("requests",
                                    po::value<std::size_t>()->default_value(10000)->value_name("N"),
                                    "flood: how many requests")(
      "seed", po::value<std::uint64_t>()->default_value(1), "seeds the garbage, ids and GUIDs");
}

}  // namespace

int main(int argc, char** argv) {
  CliSpec spec;
  spec.program = "hostile";
  spec.usage = "hostile --target KIND --attack NAME --port PORT [options]";
  spec.summary =
      "A hostile client for the hostile-peer tests: connects to a p2plab listener (a node's, or the "
      "launcher's ZeroMQ endpoints, `control`) on 127.0.0.1, runs one attack, and prints what it sent and "
      "how the peer reacted (closed after N bytes and T s, answered, "
      "nothing).";
  spec.accepts_config = false;
  add_options(spec.options);
  po::variables_map vm = parse_cli(argc, argv, spec);

  hostile::TargetConfig target;
  auto info_hash = from_hex(vm["info-hash"].as<std::string>());
  if (!info_hash || info_hash->size() != target.info_hash.size())
    fail_setup(spec.program, "--info-hash: 40 hex digits");
  std::copy(info_hash->begin(), info_hash->end(), target.info_hash.begin());
  target.file = vm["file"].as<std::string>();
  target.socket_type = vm["socket-type"].as<std::string>();
  auto frames = hostile::target_frames(vm["target"].as<std::string>(), target);
  if (!frames) fail_setup(spec.program, "--target: " + frames.reason());

  hostile::AttackConfig attack;
  attack.port = vm["port"].as<std::uint16_t>();
  auto wait = seconds_flag(vm, "wait", 600);
  auto slowloris = seconds_flag(vm, "seconds", 600);
  if (!wait) fail_setup(spec.program, wait.reason());
  if (!slowloris) fail_setup(spec.program, slowloris.reason());
  attack.wait = std::chrono::duration_cast<hostile::Clock::duration>(*wait);
  attack.slowloris = std::chrono::duration_cast<hostile::Clock::duration>(*slowloris);
  attack.connections = vm["connections"].as<std::size_t>();
  attack.requests = vm["requests"].as<std::size_t>();
  attack.seed = vm["seed"].as<std::uint64_t>();
  raise_fd_limit();  // many-connections holds a thousand sockets

  std::string name = vm["attack"].as<std::string>();
  auto names = hostile::attack_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    fail_setup(spec.program, "--attack: unknown '" + name + "'");
  std::cout << "hostile: " << name << " on " << vm["target"].as<std::string>()
            << " at 127.0.0.1:" << attack.port << std::endl;
  return hostile::run_attack(name, *frames, attack, std::cout);
}
