// One point per event: the points from the records, and their gnuplot lines.
#include "labs/launcher/event_plots.h"

#include <sstream>

#include "common/telemetry/fields.h"
#include "labs/launcher/plots.h"

namespace p2p::labs {

using nlohmann::json;
using telemetry::data_of;
using telemetry::flag_at;
using telemetry::number_at;
using telemetry::string_at;

void EventPoints::add(const json& record) {
  if (string_at(record, "kind") != "event" || string_at(record, "event") != plot_.event) return;
  const json& data = data_of(record);
  if (!plot_.when.empty() && !flag_at(data, plot_.when)) return;
  auto t = number_at(record, "t");
  auto value = number_at(data, plot_.field);
  if (!t || !value) return;
  points_.push_back({string_at(record, "node"), *t - start_, *value * plot_.y_scale});
}

void EventPoints::write_csv(std::ostream& out) const {
  out << "node,t,value\n";
  for (const Point& p : points_) out << p.node << "," << p.t << "," << p.value << "\n";
}

std::string event_plot_script(const EventPlot& plot, const std::string& csv, const std::string& png_dir,
                              const TimeSeries* series, const std::string& series_csv) {
  std::ostringstream out;
  out << "\nset output " << gp_string(png_dir + "/" + plot.file + ".png") << "\n"
      << "set title " << gp_string(plot.title) << "\nset xlabel 'time since the start (s)'\nset ylabel "
      << gp_string(plot.ylabel) << "\nset yrange [0:*]\n"
      << "plot " << gp_string(csv) << " skip 1 using 2:3 with points pointtype 7 pointsize 1 title "
      << gp_string(plot.field);
  for (const std::string& column : plot.theory) {
    std::string line = series ? theory_line(*series, column, series_csv) : "";
    if (!line.empty()) out << ", \\\n     " << line;
  }
  out << "\nunset output\n";
  return out.str();
}

}  // namespace p2p::labs
