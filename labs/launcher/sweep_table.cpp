// Sweep tables.
#include "labs/launcher/sweep_table.h"

#include <algorithm>
#include <map>
#include <optional>

#include "labs/launcher/text.h"

namespace p2p::labs {
namespace {

std::optional<double> figure_of(const nlohmann::json& summary, const std::string& figure) {
  if (!summary.is_object()) return std::nullopt;
  const nlohmann::json* value = nullptr;
  if (figure.rfind("metrics.", 0) == 0) {
    auto metrics = summary.find("metrics");
    if (metrics == summary.end() || !metrics->is_object()) return std::nullopt;
    auto it = metrics->find(figure.substr(8));
    if (it != metrics->end()) value = &*it;
  } else {
    auto it = summary.find(figure);
    if (it != summary.end()) value = &*it;
  }
  if (!value) return std::nullopt;
  if (value->is_boolean()) return value->get<bool>() ? 1.0 : 0.0;
  if (value->is_number()) return value->get<double>();
  return std::nullopt;
}

// A CSV cell: values with a comma or a quote are quoted.
std::string cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

Expected<SweepAxis> parse_vary(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || trim(text.substr(0, eq)).empty()) {
    return make_error("--vary '" + std::string(text) + "': expected key=v1,v2,...");
  }
  SweepAxis axis;
  axis.key = std::string(trim(text.substr(0, eq)));
  axis.values = split(text.substr(eq + 1), ',');
  axis.numeric = true;
  for (const std::string& v : axis.values) {
    if (v.empty()) return make_error("--vary '" + std::string(text) + "': an empty value");
    if (!parse_number(v, "")) axis.numeric = false;
  }
  return axis;
}

std::vector<std::string> sweep_figures(const std::vector<SweepRun>& runs) {
  static const std::vector<std::string> kSkipped = {"seed", "started_at", "records"};
  std::vector<std::string> figures;
  auto add = [&](const std::string& name, const nlohmann::json& value) {
    if (!value.is_number() && !value.is_boolean()) return;
    if (std::find(figures.begin(), figures.end(), name) == figures.end()) figures.push_back(name);
  };
  for (const SweepRun& run : runs) {
    if (!run.summary.is_object()) continue;
    for (const auto& [name, value] : run.summary.items()) {
      if (std::find(kSkipped.begin(), kSkipped.end(), name) == kSkipped.end()) add(name, value);
    }
    if (run.summary.contains("metrics") && run.summary["metrics"].is_object()) {
      for (const auto& [name, value] : run.summary["metrics"].items()) add("metrics." + name, value);
    }
  }
  return figures;
}

namespace {

const nlohmann::json* timeline_of(const nlohmann::json& summary, const std::string& name) {
  if (!summary.is_object() || !summary.contains("metrics") || !summary["metrics"].is_object()) return nullptr;
  const nlohmann::json& metrics = summary["metrics"];
  auto it = metrics.find(name);
  if (it == metrics.end() || !it->is_array()) return nullptr;
  for (const nlohmann::json& point : *it) {
    if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number())
      return nullptr;
  }
  return &*it;
}

}  // namespace

std::vector<std::string> sweep_timelines(const std::vector<SweepRun>& runs) {
  std::vector<std::string> names;
  for (const SweepRun& run : runs) {
    if (!run.summary.is_object() || !run.summary.contains("metrics") || !run.summary["metrics"].is_object())
      continue;
    for (const auto& [name, value] : run.summary["metrics"].items()) {
      if (!name.ends_with("_timeline") || value.empty() || !timeline_of(run.summary, name)) continue;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return names;
}

std::vector<std::string> write_sweep_timeline(std::ostream& out, const std::vector<SweepRun>& runs,
                                              const std::string& name) {
  std::vector<std::string> labels;
  bool repeats = std::any_of(runs.begin(), runs.end(), [](const SweepRun& run) { return run.repeat > 0; });
  for (const SweepRun& run : runs) {
    const nlohmann::json* timeline = timeline_of(run.summary, name);
    if (timeline == nullptr || timeline->empty()) continue;
    labels.push_back(run.value + (repeats ? " r" + std::to_string(run.repeat) : ""));
    out << (labels.size() > 1 ? "\n\n" : "") << "# " << labels.back() << "\n";
    for (const nlohmann::json& point : *timeline) out << point[0] << "," << point[1] << "\n";
  }
  return labels;
}

void write_sweep_runs(std::ostream& out, const std::vector<SweepRun>& runs,
                      const std::vector<std::string>& figures) {
  out << "value_index,value,repeat,seed,out";
  for (const std::string& f : figures) out << "," << cell(f);
  out << "\n";
  for (const SweepRun& run : runs) {
    out << run.value_index << "," << cell(run.value) << "," << run.repeat << "," << run.seed << ","
        << cell(run.out);
    for (const std::string& f : figures) {
      out << ",";
      if (auto v = figure_of(run.summary, f)) out << *v;
    }
    out << "\n";
  }
}

void write_sweep_means(std::ostream& out, const std::vector<SweepRun>& runs,
                       const std::vector<std::string>& figures) {
  std::map<std::size_t, std::string> values;
  for (const SweepRun& run : runs) values.emplace(run.value_index, run.value);
  out << "value_index,value";
  for (const std::string& f : figures) out << "," << cell(f);
  out << "\n";
  for (const auto& [index, value] : values) {
    out << index << "," << cell(value);
    for (const std::string& f : figures) {
      double sum = 0;
      std::size_t n = 0;
      for (const SweepRun& run : runs) {
        if (run.value_index != index) continue;
        if (auto v = figure_of(run.summary, f)) {
          sum += *v;
          ++n;
        }
      }
      out << ",";
      if (n) out << sum / static_cast<double>(n);
    }
    out << "\n";
  }
}

}  // namespace p2p::labs
