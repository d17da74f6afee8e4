// napster-server: the Napster index server as a process (the Server core on the Host).
#include "common/node/host.h"
#include "napster/server.h"

int main(int argc, char** argv) {
  using namespace p2p;
  NodeProgram program;
  program.name = "napster-server";
  program.summary =
      "The Napster index server: peers log in, share their file lists, and search an in-memory index; "
      "files then move straight between peers. Listens on --listen (port 0 picks one; the port is logged and "
      "published in the 'listening' telemetry event).";
  program.add_options = [](po::options_description& options) {
    po::options_description server("Index server");
    server.add_options()("max-files-per-user",
                         po::value<std::size_t>()->default_value(napster::FileIndex::kDefaultMaxFilesPerUser),
                         "shares a user may have in the index; more are refused")(
        "login-timeout", po::value<double>()->default_value(30)->value_name("S"),
        "a connection that does not log in within this many seconds is closed");
    options.add(server);
  };
  program.prepare = [](const po::variables_map& vm) -> Expected<Host::MakeCore> {
    napster::ServerConfig config;
    config.max_files_per_user = vm["max-files-per-user"].as<std::size_t>();
    if (config.max_files_per_user == 0) return make_error("--max-files-per-user: at least 1");
    double timeout = vm["login-timeout"].as<double>();
    if (!(timeout > 0 && timeout <= 3600))
      return make_error("--login-timeout: expected more than 0, at most 3600");
    config.login_timeout = from_seconds(timeout);
    return Host::MakeCore(
        [config](Runtime& runtime) { return std::make_unique<napster::Server>(runtime, config); });
  };
  return node_main(argc, argv, program);
}
