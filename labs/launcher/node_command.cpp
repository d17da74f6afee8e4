// Node command lines.
#include "labs/launcher/node_command.h"

#include <iterator>
#include <sstream>

namespace p2p::labs {
namespace {

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

std::vector<std::string> node_argv(const NodeCommand& command, std::vector<std::string> args) {
  std::vector<std::string> argv = {
      command.program, "--node-id",       command.id,  "--seed",       std::to_string(command.seed),
      "--telemetry",   command.telemetry, "--control", command.control};
  if (command.link) {
    argv.insert(argv.end(), {"--up-kbps", std::to_string(command.link->up_kbps), "--down-kbps",
                             std::to_string(command.link->down_kbps), "--latency-ms",
                             format_number(command.link->latency_ms)});
    if (command.link->loss > 0) argv.insert(argv.end(), {"--loss", format_number(command.link->loss)});
  }
  if (!command.listen.empty()) argv.insert(argv.end(), {"--listen", command.listen});
  if (command.beyond_loopback) argv.push_back("--bind-any");
  argv.insert(argv.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  return argv;
}

}  // namespace p2p::labs
