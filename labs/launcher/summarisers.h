// What each system plugs into the lab runner: its summariser, its progress figure, and its report's theory.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/event_plots.h"
#include "labs/launcher/heat_map.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/timeseries.h"

namespace p2p::labs {

struct SystemHooks {
  std::string_view system;  // the scenario's `system =`
  // Records (summary.h: records_for_summary) -> the `metrics` object of summary.json.
  std::function<nlohmann::json(const std::vector<nlohmann::json>& records)> summarise;
  // An event name whose data has "ok": progress lines show how many of them succeeded. May be empty.
  std::string_view key_event;
  // Adds the system's derived and theory columns to a run's series (the summary says when things happened,
  // in seconds since the epoch; summary["started_at"] is the series' zero) and returns the plots that show
  // them. May be empty.
  std::function<std::vector<PlotSpec>(TimeSeries& series, const nlohmann::json& summary)> theory;
  // Plots with one point per event, for what happens faster than the series' seconds. May be empty.
  std::vector<EventPlot> event_plots;
  // Heat maps from the summary (a value over time and one more axis). May be empty.
  std::function<std::vector<HeatMap>(const nlohmann::json& summary)> heat_maps;
};

// The hooks of `system`, or null for a system without any (its runs get the generic figures only).
const SystemHooks* hooks_for(std::string_view system);

}  // namespace p2p::labs
