// Command-line handling shared by every p2plab binary: --help, --config INI files, and exit code 2 on set-up
// errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "common/net/endpoint.h"
#include "common/util/expected.h"
#include "common/util/time.h"

namespace p2p {

namespace po = boost::program_options;

struct CliSpec {
  std::string program;  // "napster-server"
  std::string usage;    // "napster-server [options]"
  std::string summary;  // one line: what the program is
  po::options_description options{"Options"};
  po::positional_options_description positional;
  bool accepts_config = true;  // adds --config FILE: the same options from an INI file
};

// Parses argv (then --config FILE, whose values come second to the command line). Prints usage and exits 0 on
// --help; prints one line naming the flag and what was expected and exits 2 on a mistake.
po::variables_map parse_cli(int argc, char** argv, CliSpec& spec);

// Ends the program with exit code 2 and one line that says what to fix (docs/ARCHITECTURE.md, "Errors").
[[noreturn]] void fail_setup(std::string_view program, std::string_view message);

// The checks that option readers share, each failing with one line that names the flag:
// a double flag in seconds, above 0 and at most `max_seconds`;
Expected<Duration> seconds_flag(const po::variables_map& vm, const char* flag, int max_seconds);
// a double flag that is a fraction or a probability, in [0, 1];
Expected<double> fraction_flag(const po::variables_map& vm, const char* flag);
// a repeatable std::string flag of HOST:PORT lists ("a:1,b:2" and repeated flags alike): every
// comma-separated entry of every occurrence, empty entries skipped; none if the flag is absent.
Expected<std::vector<Endpoint>> endpoints_flag(const po::variables_map& vm, const char* flag);

}  // namespace p2p
