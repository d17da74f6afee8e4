// napster-server: the Napster index server as a process (the Server core on the Host).
#include "common/host/host.h"
#include "napster/server.h"

namespace {

using namespace p2p;

void add_server_options(po::options_description& options) {
  po::options_description server("Index server");
  server.add_options()("max-files-per-user",
                       po::value<std::size_t>()->default_value(napster::FileIndex::kDefaultMaxFilesPerUser),
                       "shares a user may have in the index; more are refused")(
      "login-timeout", po::value<double>()->default_value(30)->value_name("S"),
      "a connection that does not log in within this many seconds is closed");
  options.add(server);
}

Expected<napster::ServerConfig> read_server_options(const po::variables_map& vm) {
  napster::ServerConfig config;
  config.max_files_per_user = vm["max-files-per-user"].as<std::size_t>();
  if (config.max_files_per_user == 0) return make_error("--max-files-per-user: at least 1");
  auto timeout = seconds_flag(vm, "login-timeout", 3600);
  if (!timeout) return timeout.error();
  config.login_timeout = *timeout;
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  return core_main<napster::Server>(
      argc, argv, "napster-server",
      "The Napster index server: peers log in, share their file lists, and search an in-memory index; files "
      "then move straight between peers. Listens on --listen (port 0 picks one; the port is logged and "
      "published in the 'listening' telemetry event).",
      add_server_options, read_server_options);
}
