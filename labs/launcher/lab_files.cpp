// Lab and run folders.
#include "labs/launcher/lab_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "labs/launcher/scenario.h"

namespace p2p::labs {

namespace fs = std::filesystem;

std::string labs_dir() {
  if (fs::is_directory("labs/launcher") || fs::is_directory("labs/02-napster")) return "labs";
  if (const char* source = std::getenv("P2P_SOURCE")) return (fs::path(source) / "labs").string();
  return P2P_SOURCE_DIR "/labs";
}

std::vector<ScenarioEntry> list_scenarios(const std::string& labs) {
  std::vector<ScenarioEntry> entries;
  std::error_code ec;
  for (const auto& lab : fs::directory_iterator(labs, ec)) {
    if (!lab.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(lab.path(), ec)) {
      if (file.path().extension() != ".ini") continue;
      auto scenario = load_scenario(file.path().string(), {});
      entries.push_back({lab.path().filename().string(), file.path().string(),
                         scenario ? scenario->description : "(does not load: " + scenario.reason() + ")"});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return entries;
}

Expected<std::string> resolve_scenario(const std::string& name) {
  if (fs::is_regular_file(name)) return name;
  std::string labs = labs_dir();
  for (const std::string& candidate : {labs + "/" + name, labs + "/" + name + ".ini"}) {
    if (fs::is_regular_file(candidate)) return candidate;
  }
  std::string stem = fs::path(name).stem().string();
  for (const ScenarioEntry& entry : list_scenarios(labs)) {
    if (fs::path(entry.path).stem() == stem) return entry.path;
  }
  return make_error("no scenario '" + name + "' (a path to an .ini file, or one that `p2plab list` shows)");
}

std::string default_out_dir(const std::string& scenario, std::time_t now) {
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::string base = "runs/" + scenario + "-" + stamp;
  std::string out = base;
  for (int n = 2; fs::exists(out); ++n) out = base + "-" + std::to_string(n);
  return out;
}

Expected<std::string> newest_run(const std::string& runs) {
  std::error_code ec;
  fs::path best;
  fs::file_time_type best_time{};
  for (const auto& entry : fs::directory_iterator(runs, ec)) {
    fs::path lab = entry.path() / "lab.json";
    if (!fs::is_regular_file(lab)) continue;
    auto time = fs::last_write_time(lab, ec);
    if (best.empty() || time > best_time) {
      best = entry.path();
      best_time = time;
    }
  }
  if (best.empty()) return make_error("no run under " + runs + "/ (start one with: p2plab run SCENARIO)");
  return best.string();
}

Status write_json_file(const std::string& path, const nlohmann::json& value) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << value.dump(2) << "\n";
    if (!out) return make_error("cannot write " + temporary);
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return make_error("cannot write " + path + ": " + ec.message());
  return Ok{};
}

Expected<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto value = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return make_error(path + " is not valid JSON");
  return value;
}

}  // namespace p2p::labs
