// A lab scenario: the INI file that says which nodes run, on which links, how they come and go, and for how
// long.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"
#include "labs/launcher/arrivals.h"
#include "labs/launcher/churn.h"
#include "labs/launcher/goals.h"
#include "labs/launcher/hosts.h"
#include "labs/launcher/link_profiles.h"
#include "labs/launcher/overlay_plan.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/timeline.h"

namespace p2p::labs {

// One kind of node in a lab ([role.NAME] in the file). Nodes are named NAME-0, NAME-1, ...
struct RoleSpec {
  std::string name;
  std::size_t count = 1;  // nodes at the start (a trace arrival sets it to the trace's length)
  std::string binary;     // a program in build/bin, or a path
  std::string args;       // an args template (args_template.h)
  std::string link_text;  // as written, for summaries
  LinkMix link;           // empty: no shaping
  ArrivalSpec arrival;
  double start_at = 0;  // seconds before the role's arrivals begin
  ChurnSpec churn;
  TopologySpec topology;   // the overlay {neighbours} follows; none by default
  std::string done_event;  // the event a node sends once its work is done ("completed"); empty: none
  std::string host;        // the host its nodes run on ([hosts]); empty: any, by capacity
};

// A whole scenario, after --set overrides. The file format is documented in labs/README.md.
struct Scenario {
  std::string name;         // the file's stem: "spof"
  std::string path;         // the file, as given
  std::string dir;          // its folder: trace files and {dir} are relative to it
  std::string description;  // one line, for `p2plab list`
  std::string system;       // "napster": picks the summariser and the report's theory curves
  double duration = 60;     // seconds
  std::uint64_t seed = 1;
  std::vector<RoleSpec> roles;                     // in the order they start
  std::map<std::string, LinkProfile> profiles;     // built-in ones, plus or overridden by [link.NAME]
  std::map<std::string, std::string> system_keys;  // [SYSTEM] keys, by their full name "napster.query_rate"
  std::vector<TimedAction> timeline;               // in time order
  std::vector<Goal> goals;                         // [goal] keys, in name order
  SweepLines sweep_lines;  // [sweep] lines.FIGURE = OTHER, ...: drawn on a sweep's plots
  HostsConfig hosts;       // [hosts]: the machines the lab spans; none: this one alone

  const RoleSpec* role(std::string_view name) const;
};

// Reads a scenario from INI text with Boost.Program_options. `overrides` are "key=value" strings (--set) that
// win over the file, written with the file's full key names ("role.peer.count", "napster.query_rate",
// "duration"). Unknown keys, bad values and references to roles that do not exist are errors that name the
// key.
Expected<Scenario> parse_scenario(std::istream& ini, std::string_view path,
                                  const std::vector<std::string>& overrides);
// The same, from a file.
Expected<Scenario> load_scenario(const std::string& path, const std::vector<std::string>& overrides);

}  // namespace p2p::labs
