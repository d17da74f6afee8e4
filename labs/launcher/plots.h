// Gnuplot scripts for a run's time series and a sweep's figures (text only; report.cpp runs gnuplot).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "labs/launcher/timeseries.h"

namespace p2p::labs {

// One PNG of a report: measured columns as points joined by lines, theory columns as plain dashed lines.
struct PlotSpec {
  std::string file;  // "nodes_up": written as nodes_up.png
  std::string title;
  std::string ylabel;
  std::vector<std::string> columns;
  std::vector<std::string> theory;
  std::string yrange;  // gnuplot's "[0:1.05]", or empty for automatic
};

// `text` as a gnuplot string: single-quoted, a quote inside doubled.
std::string gp_string(std::string_view text);

// The plot clause that draws column `name` of `series` (written to `csv`) as a theory line: plain and dashed.
// Empty when the series has no such column.
std::string theory_line(const TimeSeries& series, const std::string& name, const std::string& csv);

// The plots every run gets: nodes up, aggregate rates, and events per second. Call it on the series as
// SeriesBuilder made it, before a system adds its own columns.
std::vector<PlotSpec> generic_plots(const TimeSeries& series);

// A script that reads `csv` (written by TimeSeries::write_csv) and draws each plot into `png_dir`, with
// `terminal` "pngcairo" or "png". Plots whose columns are missing from the series are left out.
std::string series_script(const TimeSeries& series, const std::vector<PlotSpec>& plots,
                          const std::string& csv, const std::string& png_dir, std::string_view terminal);

// Figures a lab wants drawn on another figure's sweep plot, by that figure's name: a scenario's
// `[sweep] lines.FIGURE = OTHER, ...` (labs/README.md), such as the bounds beside a measured time.
using SweepLines = std::map<std::string, std::vector<std::string>>;

// A sweep's script: one PNG per figure against the varied key, the mean of the repeats as a line and each run
// as a point, and the means of the figure's `lines` as dashed lines. `runs_csv` and `means_csv` come from
// sweep_table.h; `numeric_key` says whether the key's values are numbers (a real x axis) or labels (one tick
// per value). A line the sweep has no figure for is left out.
std::string sweep_script(const std::string& key, const std::vector<std::string>& figures,
                         const std::string& runs_csv, const std::string& means_csv, bool numeric_key,
                         const std::string& png_dir, std::string_view terminal, const SweepLines& lines = {});

// A sweep's timelines (sweep_table.h, write_sweep_timeline): for each, `NAME.png` with one line
// per run against the seconds since its start, labelled with the varied key's value. `data` holds each
// timeline's data file and its block labels, by name. Appended to sweep_script's text, whose terminal it
// keeps.
struct SweepTimeline {
  std::string name;
  std::string data;
  std::vector<std::string> labels;
};
std::string sweep_timeline_script(const std::string& key, const std::vector<SweepTimeline>& timelines,
                                  const std::string& png_dir);

}  // namespace p2p::labs
