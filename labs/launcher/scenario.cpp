// Reading scenario files: Boost.Program_options for the INI syntax and the fixed keys, then the role, link
// and system sections by hand, since their names are the scenario's own.
#include "labs/launcher/scenario.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>

#include "common/telemetry/control.h"
#include "common/util/unsigned_options.h"
#include "labs/launcher/args_template.h"
#include "labs/launcher/text.h"

namespace p2p::labs {
namespace po = boost::program_options;
namespace {

const std::set<std::string, std::less<>> kRoleFields = {"count",   "binary",   "args",    "link",
                                                        "arrival", "start_at", "session", "graceful",
                                                        "rejoin",  "topology", "done",    "host"};
const std::set<std::string, std::less<>> kLinkFields = {"up_kbps", "down_kbps", "latency_ms", "loss"};

po::options_description declared_options() {
  po::options_description d;
  d.add_options()("description", po::value<std::string>()->default_value(""))(
      "system", po::value<std::string>()->default_value(""))("duration",
                                                             po::value<double>()->default_value(60))(
      "seed", po::value<std::uint64_t>()->default_value(1))("timeline.at",
                                                            po::value<std::vector<std::string>>());
  return d;
}

// The keys the fixed options do not declare ("role.peer.count"), with the order roles first appear in.
struct FreeKeys {
  std::map<std::string, std::string> values;
  std::vector<std::string> role_order;
};

// Adds one source's free keys; `values` already holds those of sources that win over it.
Status collect(const po::parsed_options& parsed, std::string_view source, FreeKeys& keys) {
  std::set<std::string> seen;
  for (const po::option& option : parsed.options) {
    if (!option.unregistered) continue;
    const std::string& key = option.string_key;
    if (!seen.insert(key).second) return make_error(std::string(source) + ": '" + key + "' is given twice");
    if (key.rfind("role.", 0) == 0) {
      std::string role = key.substr(5, key.rfind('.') - 5);
      if (std::find(keys.role_order.begin(), keys.role_order.end(), role) == keys.role_order.end()) {
        keys.role_order.push_back(role);
      }
    }
    if (!keys.values.count(key)) keys.values[key] = option.value.empty() ? "" : option.value.front();
  }
  return Ok{};
}

// "role.peer.count" -> {"peer", "count"}; "link.adsl.up_kbps" -> {"adsl", "up_kbps"}.
std::pair<std::string, std::string> section_and_field(const std::string& key, std::size_t prefix) {
  auto dot = key.rfind('.');
  if (dot <= prefix) return {"", ""};
  return {key.substr(prefix, dot - prefix), key.substr(dot + 1)};
}

Status read_profiles(const FreeKeys& keys, Scenario& s) {
  s.profiles = builtin_profiles();
  for (const auto& [key, value] : keys.values) {
    if (key.rfind("link.", 0) != 0) continue;
    auto [name, field] = section_and_field(key, 5);
    if (name.empty() || !kLinkFields.count(field)) {
      return make_error("unknown key '" + key +
                        "' (a [link.NAME] section has up_kbps, down_kbps, latency_ms, loss)");
    }
    auto number = parse_number(value, key);
    if (!number) return number.error();
    if (*number < 0) return make_error(key + ": cannot be negative");
    // The figures a node takes (common/telemetry/control.h); more would overflow its bits per second.
    double max = field == "latency_ms" ? telemetry::kMaxControlLatencyMs : telemetry::kMaxControlKbps;
    if (field != "loss" && *number > max) {
      std::ostringstream limit;
      limit << std::setprecision(15) << max;
      return make_error(key + ": at most " + limit.str());
    }
    LinkProfile& p = s.profiles[name];
    if (field == "loss") {
      if (*number > 1) return make_error(key + ": the fraction of datagrams lost, 0 to 1 (0.05 is 5 %)");
      p.loss = *number;
    } else if (field == "latency_ms") {
      p.latency_ms = *number;
    } else {
      (field == "up_kbps" ? p.up_kbps : p.down_kbps) = static_cast<std::uint64_t>(*number);
    }
  }
  return Ok{};
}

Status read_role_field(RoleSpec& role, const std::string& field, const std::string& value,
                       const Scenario& s) {
  std::string key = "role." + role.name + "." + field;
  auto wrap = [&](const Error& e) { return make_error(key + ": " + e.reason); };
  if (field == "count") {
    auto n = parse_count(value, key);
    if (!n) return n.error();
    if (*n > 100000) return make_error(key + ": at most 100000 nodes");
    role.count = *n;
  } else if (field == "binary") {
    role.binary = value;
  } else if (field == "args") {
    role.args = value;
  } else if (field == "link") {
    auto mix = LinkMix::parse(value, s.profiles);
    if (!mix) return wrap(mix.error());
    role.link = *mix;
    role.link_text = value;
  } else if (field == "topology") {
    auto topology = TopologySpec::parse(value);
    if (!topology) return wrap(topology.error());
    role.topology = *topology;
  } else if (field == "done") {
    if (value.empty() ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      return make_error(key + ": expected an event name, such as completed, or none");
    }
    role.done_event = value == "none" ? "" : value;
  } else if (field == "host") {
    role.host = value;
  } else if (field == "arrival") {
    auto arrival = ArrivalSpec::parse(value);
    if (!arrival) return wrap(arrival.error());
    role.arrival = *arrival;
  } else if (field == "start_at" || field == "graceful") {
    auto x = parse_number(value, key);
    if (!x) return x.error();
    if (*x < 0 || (field == "graceful" && *x > 1)) {
      return make_error(key +
                        (field == "graceful" ? ": expected a share from 0 to 1" : ": cannot be negative"));
    }
    (field == "start_at" ? role.start_at : role.churn.graceful) = *x;
  } else {
    auto d = Distribution::parse(value);
    if (!d) return wrap(d.error());
    (field == "session" ? role.churn.session : role.churn.rejoin) = *d;
  }
  return Ok{};
}

Status load_trace(RoleSpec& role, const std::string& dir) {
  std::filesystem::path file = role.arrival.trace_file;
  if (file.is_relative()) file = std::filesystem::path(dir) / file;
  std::ifstream in(file);
  if (!in) return make_error("role." + role.name + ".arrival: cannot read the trace '" + file.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  auto times = parse_trace(text.str());
  if (!times) return make_error(file.string() + ": " + times.reason());
  role.arrival.trace = *times;
  role.count = times->size();
  return Ok{};
}

Status read_roles(const FreeKeys& keys, Scenario& s) {
  for (const std::string& name : keys.role_order) {
    RoleSpec role;
    role.name = name;
    if (name.empty() || name.find_first_of(" {}:,") != std::string::npos) {
      return make_error("role name '" + name + "': use letters, digits, '_' or '-'");
    }
    for (const auto& [key, value] : keys.values) {
      if (key.rfind("role." + name + ".", 0) != 0 || key.size() <= name.size() + 6) continue;
      std::string field = key.substr(name.size() + 6);
      if (!kRoleFields.count(field)) {
        return make_error("unknown key '" + key +
                          "' (a role has count, binary, args, link, arrival, start_at, "
                          "session, graceful, rejoin, topology, done, host)");
      }
      if (auto st = read_role_field(role, field, value, s); !st) return st;
    }
    if (role.binary.empty()) return make_error("role." + name + ".binary: every role needs a program to run");
    if (role.arrival.kind == ArrivalSpec::Kind::Trace) {
      if (auto st = load_trace(role, s.dir); !st) return st;
    }
    s.roles.push_back(std::move(role));
  }
  return Ok{};
}

Status read_goals(const FreeKeys& keys, Scenario& s) {
  for (const auto& [key, value] : keys.values) {
    if (key.rfind("goal.", 0) != 0) continue;
    auto goal = parse_goal(std::string_view(key).substr(5), value);
    if (!goal) return goal.error();
    s.goals.push_back(*goal);
  }
  return Ok{};
}

// [hosts] NAME = DESTINATION, CAPACITY and binaries = copy|shared (hosts.h).
Status read_hosts(const FreeKeys& keys, Scenario& s) {
  // In the order written would be nicer, but Program_options hands the keys over sorted; placement only
  // uses the order to break ties.
  for (const auto& [key, value] : keys.values) {
    if (key.rfind("hosts.", 0) != 0) continue;
    if (auto st = add_host_line(std::string_view(key).substr(6), value, s.hosts); !st) {
      return make_error("[hosts] " + st.reason());
    }
  }
  return Ok{};
}

// [sweep] lines.FIGURE = OTHER, ...: the figures a sweep draws as lines on FIGURE's plot.
Status read_sweep_lines(const FreeKeys& keys, Scenario& s) {
  constexpr std::string_view kLines = "sweep.lines.";
  for (const auto& [key, value] : keys.values) {
    if (key.rfind("sweep.", 0) != 0) continue;
    std::string figure = key.rfind(kLines, 0) == 0 ? key.substr(kLines.size()) : "";
    std::vector<std::string> lines;
    for (const std::string& line : split(value, ',')) {
      if (!trim(line).empty()) lines.emplace_back(trim(line));
    }
    if (figure.empty() || lines.empty())
      return make_error("'" + key + "': a [sweep] section has lines.FIGURE = FIGURE, FIGURE, ...");
    s.sweep_lines[figure] = std::move(lines);
  }
  return Ok{};
}

Status check_system_keys(const FreeKeys& keys, Scenario& s) {
  for (const auto& [key, value] : keys.values) {
    if (key.rfind("role.", 0) == 0 || key.rfind("link.", 0) == 0 || key.rfind("goal.", 0) == 0 ||
        key.rfind("sweep.", 0) == 0 || key.rfind("hosts.", 0) == 0)
      continue;
    if (s.system.empty() || key.rfind(s.system + ".", 0) != 0) {
      return make_error("unknown key '" + key + "' (see the scenario reference in labs/README.md)");
    }
    s.system_keys[key] = value;
  }
  return Ok{};
}

// A system key in a role's args is text put in its place before the args are split into words, innermost
// first: a key may hold several flags, other placeholders, or part of another key's name
// ("{bittorrent.flags_{bittorrent.discovery}}"). A key the scenario lacks is left for check_references.
Status expand_system_keys(Scenario& s) {
  constexpr int kPasses = 8;
  for (RoleSpec& role : s.roles) {
    for (int pass = 0;; ++pass) {
      const std::string& in = role.args;
      std::string out;
      bool changed = false;
      std::size_t at = 0;
      while (at < in.size()) {
        std::size_t close = in.find('}', at);
        std::size_t open = close == std::string::npos ? std::string::npos : in.rfind('{', close);
        if (open == std::string::npos || open < at) {
          std::size_t end = close == std::string::npos ? in.size() : close + 1;
          out += in.substr(at, end - at);
          at = end;
          continue;
        }
        out += in.substr(at, open - at);
        auto value = s.system_keys.find(in.substr(open + 1, close - open - 1));
        changed = changed || value != s.system_keys.end();
        out += value != s.system_keys.end() ? value->second : in.substr(open, close + 1 - open);
        at = close + 1;
      }
      role.args = std::move(out);
      if (!changed) break;
      if (pass == kPasses) return make_error("role." + role.name + ".args: system keys that name each other");
    }
  }
  return Ok{};
}

// Every node, role and system key an args template or the timeline names must exist.
Status check_references(const Scenario& s) {
  for (const RoleSpec& role : s.roles) {
    auto args = ArgsTemplate::parse(role.args);
    if (!args) return make_error("role." + role.name + "." + args.reason());
    for (const Placeholder& p : args->placeholders()) {
      std::string where = "role." + role.name + ".args: {" + p.name + "}";
      switch (p.kind) {
        case Placeholder::Kind::Node: {
          auto owner = role_of(p.name);
          if (!owner || !s.role(*owner)) return make_error(where + " names no node of a known role");
          if (*owner == role.name) return make_error(where + ": a role cannot wait for its own nodes");
          break;
        }
        case Placeholder::Kind::FirstOfRole:
        case Placeholder::Kind::AllOfRole:
          if (!s.role(p.name)) return make_error(where + ": no such role");
          if (p.kind == Placeholder::Kind::FirstOfRole && p.name == role.name) {
            return make_error(where + ": a role cannot wait for its own nodes");
          }
          break;
        case Placeholder::Kind::SystemKey:
          if (!s.system_keys.count(p.name)) return make_error(where + ": no such key in the scenario");
          break;
        case Placeholder::Kind::Neighbours:
          if (role.topology.none()) {
            return make_error(where + ": needs role." + role.name +
                              ".topology (ring, regular:D, ba:M or random:K)");
          }
          break;
        case Placeholder::Kind::Builtin:
          break;
      }
    }
  }
  for (const TimedAction& a : s.timeline) {
    if (!s.role(a.role)) return make_error("timeline '" + a.text() + "': no role '" + a.role + "'");
  }
  return Ok{};
}

// A NUL byte would cut every later message that quotes the line; a scenario is text, so say where it is.
Status refuse_nul_bytes(std::string_view text, std::string_view path) {
  std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return Ok{};
  auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n') + 1;
  return make_error(std::string(path) + ":" + std::to_string(line) +
                    ": a NUL byte; a scenario is a text file (is this the right file?)");
}

// Boost.Program_options builds its error messages by replacing %name% placeholders until none is left, so
// a line holding one ("%value%") never finishes (found by labs_scenario_fuzz). Refused before Boost reads it.
Status refuse_placeholders(std::string_view text, std::string_view path) {
  for (std::size_t at = text.find('%'); at != std::string_view::npos; at = text.find('%', at + 1)) {
    std::size_t end = at + 1;
    while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '_'))
      ++end;
    if (end == at + 1 || end >= text.size() || text[end] != '%') continue;
    auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
    return make_error(std::string(path) + ":" + std::to_string(line) + ": '" +
                      std::string(text.substr(at, end + 1 - at)) + "' is not allowed in a scenario");
  }
  return Ok{};
}

}  // namespace

const RoleSpec* Scenario::role(std::string_view name) const {
  for (const RoleSpec& r : roles) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Expected<Scenario> parse_scenario(std::istream& input, std::string_view path,
                                  const std::vector<std::string>& overrides) {
  std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
  if (Status text_only = refuse_nul_bytes(text, path); !text_only) return text_only.error();
  if (Status plain = refuse_placeholders(text, path); !plain) return plain.error();
  for (const std::string& o : overrides) {
    if (Status plain = refuse_placeholders(o, "--set"); !plain) return plain.error();
  }
  std::istringstream ini(text);
  Scenario s;
  s.path = std::string(path);
  std::filesystem::path p(s.path);
  s.name = p.stem().string();
  s.dir = p.has_parent_path() ? p.parent_path().string() : ".";

  std::stringstream override_ini;
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) return make_error("--set '" + o + "': expected key=value");
    override_ini << trim(std::string_view(o).substr(0, eq)) << " = " << o.substr(eq + 1) << "\n";
  }

  po::options_description declared = declared_options();
  po::variables_map vm;
  FreeKeys keys;
  try {
    // Program_options keeps the first value stored for a key, so the overrides go in first.
    auto from_set = po::parse_config_file(override_ini, declared, /*allow_unregistered=*/true);
    auto from_file = po::parse_config_file(ini, declared, /*allow_unregistered=*/true);
    for (const po::parsed_options* parsed : {&from_set, &from_file}) {
      if (Status checked = refuse_negative_unsigned(*parsed, ""); !checked) return checked.error();
    }
    po::store(from_set, vm);
    po::store(from_file, vm);
    po::notify(vm);
    if (auto st = collect(from_set, "--set", keys); !st) return st.error();
    std::vector<std::string> roles_from_set = std::move(keys.role_order);
    keys.role_order.clear();
    if (auto st = collect(from_file, s.path, keys); !st) return st.error();
    // Roles start in the file's order; roles that only --set names come last.
    for (const std::string& r : roles_from_set) {
      if (std::find(keys.role_order.begin(), keys.role_order.end(), r) == keys.role_order.end()) {
        keys.role_order.push_back(r);
      }
    }
  } catch (const po::error& e) {
    return make_error(s.path + ": " + e.what());
  }

  s.description = vm["description"].as<std::string>();
  s.system = vm["system"].as<std::string>();
  s.duration = vm["duration"].as<double>();
  s.seed = vm["seed"].as<std::uint64_t>();
  if (!(s.duration > 0)) return make_error("duration: expected a positive number of seconds");
  if (keys.role_order.empty()) return make_error(s.path + ": no [role.NAME] section");
  if (vm.count("timeline.at")) {
    for (const std::string& line : vm["timeline.at"].as<std::vector<std::string>>()) {
      auto action = parse_action(line);
      if (!action) return action.error();
      s.timeline.push_back(*action);
    }
  }
  std::stable_sort(s.timeline.begin(), s.timeline.end(),
                   [](const TimedAction& a, const TimedAction& b) { return a.at < b.at; });

  if (auto st = read_profiles(keys, s); !st) return st.error();
  if (auto st = check_system_keys(keys, s); !st) return st.error();
  if (auto st = read_goals(keys, s); !st) return st.error();
  if (auto st = read_sweep_lines(keys, s); !st) return st.error();
  if (auto st = read_hosts(keys, s); !st) return st.error();
  if (auto st = read_roles(keys, s); !st) return st.error();
  if (auto st = expand_system_keys(s); !st) return st.error();
  if (auto st = check_references(s); !st) return st.error();
  return s;
}

Expected<Scenario> load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) return make_error("cannot read the scenario '" + path + "'");
  return parse_scenario(in, path, overrides);
}

}  // namespace p2p::labs
