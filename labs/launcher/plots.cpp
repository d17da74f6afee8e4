// Gnuplot script generation.
#include "labs/launcher/plots.h"

#include <algorithm>
#include <sstream>

namespace p2p::labs {
namespace {

std::size_t column_number(const TimeSeries& series, const std::string& name) {
  const auto& names = series.names();
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin()) + 1;
}

void preamble(std::ostringstream& out, std::string_view terminal) {
  out << "# Written by p2plab; edit and rerun with: gnuplot THIS_FILE\n"
      << "set terminal " << terminal << " size 900,500\n"
      << "set datafile separator ','\n"
      << "set grid\nset key outside right top\n"
      // Column names have underscores, which enhanced text mode would turn into subscripts.
      << "set termoption noenhanced\n";
}

// The events plot shows what the nodes did; the launcher's own events are in nodes_up already, and the
// sys_ columns are status figures, not events.
bool is_launcher_or_status(const std::string& column) {
  for (const char* prefix : {"sys_", "node_", "nodes_", "lab_"}) {
    if (column.rfind(prefix, 0) == 0) return true;
  }
  return column.ends_with("_ok") || column == "listening";
}

}  // namespace

std::string gp_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string theory_line(const TimeSeries& series, const std::string& name, const std::string& csv) {
  if (!series.find(name)) return "";
  return gp_string(csv) + " skip 1 using 1:" + std::to_string(column_number(series, name)) +
         " with lines dashtype 2 linewidth 2 title " + gp_string(name);
}

std::vector<PlotSpec> generic_plots(const TimeSeries& series) {
  std::vector<PlotSpec> plots = {
      {"nodes_up", "Nodes running", "nodes", {"nodes_up"}, {}, "[0:*]"},
      {"rates", "Aggregate upload and download rate", "kbit/s", {"up_kbps", "down_kbps"}, {}, "[0:*]"},
  };
  PlotSpec events{"events", "Events per second (by name)", "events/s", {}, {}, "[0:*]"};
  bool past_links = false;
  for (const std::string& name : series.names()) {
    if (name == "conns") {
      past_links = true;
    } else if (past_links && !is_launcher_or_status(name)) {
      events.columns.push_back(name);
    }
  }
  if (!events.columns.empty()) plots.push_back(events);
  return plots;
}

std::string series_script(const TimeSeries& series, const std::vector<PlotSpec>& plots,
                          const std::string& csv, const std::string& png_dir, std::string_view terminal) {
  std::ostringstream out;
  preamble(out, terminal);
  out << "set xlabel 'time since the start (s)'\n";
  for (const PlotSpec& plot : plots) {
    std::vector<std::string> lines;
    for (const std::string& c : plot.columns) {
      if (!series.find(c)) continue;
      lines.push_back(gp_string(csv) + " skip 1 using 1:" + std::to_string(column_number(series, c)) +
                      " with linespoints pointtype 7 pointsize 0.5 title " + gp_string(c));
    }
    for (const std::string& c : plot.theory) {
      if (std::string line = theory_line(series, c, csv); !line.empty()) lines.push_back(std::move(line));
    }
    if (lines.empty()) continue;
    out << "\nset output " << gp_string(png_dir + "/" + plot.file + ".png") << "\n"
        << "set title " << gp_string(plot.title) << "\nset ylabel " << gp_string(plot.ylabel) << "\n"
        << "set yrange " << (plot.yrange.empty() ? "[*:*]" : plot.yrange) << "\nplot ";
    for (std::size_t i = 0; i < lines.size(); ++i) out << (i ? ", \\\n     " : "") << lines[i];
    out << "\n";
  }
  out << "unset output\n";
  return out.str();
}

std::string sweep_timeline_script(const std::string& key, const std::vector<SweepTimeline>& timelines,
                                  const std::string& png_dir) {
  std::ostringstream out;
  out << "\nset xlabel " << gp_string("seconds since the run's start") << "\nset offsets 0, 0, 0, 0\n";
  for (const SweepTimeline& timeline : timelines) {
    if (timeline.labels.empty()) continue;
    out << "\nset output " << gp_string(png_dir + "/" + timeline.name + ".png") << "\n"
        << "set title " << gp_string(timeline.name + " over time, one line per run of " + key) << "\n"
        << "set ylabel " << gp_string(timeline.name) << "\nplot ";
    for (std::size_t i = 0; i < timeline.labels.size(); ++i) {
      out << (i ? ", \\\n     " : "") << gp_string(timeline.data) << " index " << i
          << " using 1:2 with linespoints linewidth 2 title " << gp_string(key + "=" + timeline.labels[i]);
    }
    out << "\n";
  }
  out << "unset output\n";
  return out.str();
}

std::string sweep_script(const std::string& key, const std::vector<std::string>& figures,
                         const std::string& runs_csv, const std::string& means_csv, bool numeric_key,
                         const std::string& png_dir, std::string_view terminal, const SweepLines& lines) {
  std::ostringstream out;
  preamble(out, terminal);
  out << "set xlabel " << gp_string(key) << "\nset offsets 0.5, 0.5, 0, 0\n";
  // Both CSVs start with value_index, value; the figures follow in the same order from column 3 (means) and
  // column 6 (runs: value_index, value, repeat, seed, out).
  const char* x = numeric_key ? "2" : "1";
  for (std::size_t i = 0; i < figures.size(); ++i) {
    std::string file = figures[i];
    std::replace(file.begin(), file.end(), '.', '_');
    out << "\nset output " << gp_string(png_dir + "/" + file + ".png") << "\n"
        << "set title " << gp_string(figures[i] + " against " + key) << "\nset ylabel "
        << gp_string(figures[i]) << "\n"
        << "plot " << gp_string(means_csv) << " skip 1 using " << x << ":" << i + 3
        << (numeric_key ? "" : ":xtic(2)")
        << " with linespoints pointtype 7 linewidth 2 title 'mean', \\\n     " << gp_string(runs_csv)
        << " skip 1 using " << x << ":" << i + 6 << " with points pointtype 6 title 'runs'";
    if (auto drawn = lines.find(figures[i]); drawn != lines.end()) {
      for (const std::string& line : drawn->second) {
        auto column = std::find(figures.begin(), figures.end(), line);
        if (column == figures.end()) continue;
        out << ", \\\n     " << gp_string(means_csv) << " skip 1 using " << x << ":"
            << column - figures.begin() + 3 << " with lines dashtype 2 linewidth 2 title " << gp_string(line);
      }
    }
    out << "\n";
  }
  out << "unset output\n";
  return out.str();
}

}  // namespace p2p::labs
