// Command-line parsing and set-up failures.
#include "common/host/cli.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "common/util/unsigned_options.h"

namespace p2p {

void fail_setup(std::string_view program, std::string_view message) {
  std::cerr << program << ": " << message << " (see " << program << " --help)\n";
  std::exit(2);
}

po::variables_map parse_cli(int argc, char** argv, CliSpec& spec) {
  po::options_description all;
  all.add_options()("help,h", "show this help and exit");
  if (spec.accepts_config) {
    all.add_options()("config", po::value<std::string>()->value_name("FILE"),
                      "read options from an INI file (command-line values win)");
  }
  all.add(spec.options);

  po::variables_map vm;
  auto store = [&](const po::parsed_options& parsed) {
    if (Status checked = refuse_negative_unsigned(parsed); !checked)
      fail_setup(spec.program, checked.reason());
    po::store(parsed, vm);
  };
  try {
    store(po::command_line_parser(argc, argv).options(all).positional(spec.positional).run());
    if (vm.count("help")) {
      std::cout << "Usage: " << spec.usage << "\n" << spec.summary << "\n\n" << all << "\n";
      std::exit(0);
    }
    if (spec.accepts_config && vm.count("config")) {
      std::string path = vm["config"].as<std::string>();
      std::ifstream file(path);
      if (!file) fail_setup(spec.program, "--config: cannot read '" + path + "'");
      store(po::parse_config_file(file, all, /*allow_unregistered=*/true));
    }
    po::notify(vm);
  } catch (const po::error& e) {
    fail_setup(spec.program, e.what());
  }
  return vm;
}

Expected<Duration> seconds_flag(const po::variables_map& vm, const char* flag, int max_seconds) {
  double seconds = vm[flag].as<double>();
  if (!(seconds > 0 && seconds <= max_seconds)) {
    return make_error("--" + std::string(flag) + ": expected more than 0 seconds, at most " +
                      std::to_string(max_seconds));
  }
  return from_seconds(seconds);
}

Expected<double> fraction_flag(const po::variables_map& vm, const char* flag) {
  double value = vm[flag].as<double>();
  if (!(value >= 0 && value <= 1)) return make_error("--" + std::string(flag) + ": expected 0 to 1");
  return value;
}

Expected<std::vector<Endpoint>> endpoints_flag(const po::variables_map& vm, const char* flag) {
  std::vector<Endpoint> out;
  if (!vm.count(flag)) return out;
  for (const std::string& value : vm[flag].as<std::vector<std::string>>()) {
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t comma = std::min(rest.find(','), rest.size());
      std::string_view entry = rest.substr(0, comma);
      rest.remove_prefix(std::min(comma + 1, rest.size()));
      if (entry.empty()) continue;
      auto endpoint = Endpoint::parse(entry);
      if (!endpoint) return make_error("--" + std::string(flag) + ": " + endpoint.reason());
      out.push_back(*endpoint);
    }
  }
  return out;
}

}  // namespace p2p
