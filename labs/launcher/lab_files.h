// Where labs and runs live on disk: the labs folder and its scenarios, run folders, and lab.json.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/expected.h"

namespace p2p::labs {

// The labs folder: ./labs when run from the repository, else $P2P_SOURCE/labs, else the source tree the
// launcher was built from.
std::string labs_dir();

struct ScenarioEntry {
  std::string lab;          // "02-napster"
  std::string path;         // "labs/02-napster/spof.ini"
  std::string description;  // its `description =`, or why it does not load
};
// Every labs/*/*.ini, sorted by lab then name.
std::vector<ScenarioEntry> list_scenarios(const std::string& labs);

// A scenario named on the command line: a path to a file, or a name under the labs folder ("02-napster/spof",
// "spof.ini", "spof").
Expected<std::string> resolve_scenario(const std::string& name);

// runs/<scenario>-<YYYYmmdd-HHMMSS>, with -2, -3... if that folder exists already.
std::string default_out_dir(const std::string& scenario, std::time_t now);

// The newest run folder under `runs` (by lab.json's time of change), for `p2plab dash` without a folder.
Expected<std::string> newest_run(const std::string& runs);

// OUT/lab.json: how to reach a running lab. Written whole to a temporary file, then renamed, so a reader
// never sees half of it.
Status write_json_file(const std::string& path, const nlohmann::json& value);
Expected<nlohmann::json> read_json_file(const std::string& path);

}  // namespace p2p::labs
