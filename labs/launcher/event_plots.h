// Plots of single events: one point per event, where a per-second series would add many up (each child's
// re-attach after a supernode dies takes well under a second, and all of them land in the same second).
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/timeseries.h"

namespace p2p::labs {

// A scatter of one event of one system: each event a point at its time since the start (x) and the value of
// a numeric data field (y, times y_scale). `when` names a data flag the event must carry as true, or is
// empty.
struct EventPlot {
  std::string file;  // "reattach": written as reattach.csv and reattach.png
  std::string title;
  std::string event;
  std::string when;
  std::string field;
  double y_scale = 1;
  std::string ylabel;
  // Columns of the run's time series drawn over the points as dashed lines (a bound, a model), if present.
  std::vector<std::string> theory = {};
};

// The points of one EventPlot, collected from records given one at a time.
class EventPoints {
 public:
  // `start`: the run's start in the records' clock (seconds since the epoch).
  EventPoints(EventPlot plot, double start) : plot_(std::move(plot)), start_(start) {}

  void add(const nlohmann::json& record);
  // "node,t,value", then one line per point in the order the events came.
  void write_csv(std::ostream& out) const;
  std::size_t size() const { return points_.size(); }
  const EventPlot& plot() const { return plot_; }

 private:
  struct Point {
    std::string node;
    double t;
    double value;
  };
  EventPlot plot_;
  double start_;
  std::vector<Point> points_;
};

// Gnuplot lines that draw `csv` (EventPoints::write_csv) into `png_dir`/FILE.png, to run after
// series_script (plots.h), whose terminal and CSV settings they keep. The plot's theory columns come from
// `series`, as written to `series_csv`; without a series there are none.
std::string event_plot_script(const EventPlot& plot, const std::string& csv, const std::string& png_dir,
                              const TimeSeries* series = nullptr, const std::string& series_csv = "");

}  // namespace p2p::labs
