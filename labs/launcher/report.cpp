// Reports of one run and sweeps over many.
#include "labs/launcher/report.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "labs/launcher/comparison.h"
#include "labs/launcher/event_plots.h"
#include "labs/launcher/gnuplot.h"
#include "labs/launcher/heat_map.h"
#include "labs/launcher/lab_files.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/scenario.h"
#include "labs/launcher/summarisers.h"
#include "labs/launcher/sweep_table.h"
#include "labs/launcher/timeseries.h"

namespace p2p::labs {
namespace {

namespace fs = std::filesystem;

int fail(const std::string& command, const std::string& line) {
  std::cerr << "p2plab " << command << ": " << line << "\n";
  return 2;
}

// Writes the script and draws it. Without gnuplot the CSV is still what matters, so that is not an error; a
// failing gnuplot is.
int draw(const std::string& script_text, const std::string& plots_dir, bool have_gnuplot) {
  std::string script = plots_dir + "/plots.gp";
  std::ofstream(script) << script_text;
  if (!have_gnuplot) {
    std::cerr << "p2plab: gnuplot is not installed (apt-get install gnuplot-nox); " << script
              << " draws the plots\n";
    return 0;
  }
  if (auto st = run_gnuplot(script, plots_dir + "/gnuplot.log"); !st) {
    std::cerr << "p2plab: " << st.reason() << "\n";
    return 1;
  }
  std::cout << "plots: " << plots_dir << "/*.png (script " << script << ")\n";
  return 0;
}

}  // namespace

int report_run(const std::string& dir) {
  std::ifstream events(dir + "/events.jsonl");
  if (!events) return fail("report", "no events.jsonl in " + dir + " (is it a run folder?)");
  nlohmann::json summary = nlohmann::json::object();
  if (auto s = read_json_file(dir + "/summary.json")) {
    summary = *s;
  } else if (auto lab = read_json_file(dir + "/lab.json")) {
    summary["started_at"] = lab->value("started_at", 0.0);  // a run still going, or one that was killed
    summary["system"] = lab->value("system", "");
  }
  double start = summary.value("started_at", 0.0);
  std::optional<double> seconds;
  if (summary.contains("duration_s") && summary["duration_s"].is_number())
    seconds = summary["duration_s"].get<double>();

  const SystemHooks* hooks = hooks_for(summary.value("system", ""));
  std::string line;
  std::optional<SeriesBuilder> builder;
  std::vector<EventPoints> points;
  while (std::getline(events, line)) {
    auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) continue;
    if (!builder) {
      // Without a recorded start, the first record's time is the zero.
      if (start <= 0) start = record.value("t", 0.0);
      builder.emplace(start);
      if (hooks) {
        for (const EventPlot& plot : hooks->event_plots) points.emplace_back(plot, start);
      }
    }
    builder->add(record);
    for (EventPoints& p : points) p.add(record);
  }
  if (!builder) return fail("report", dir + "/events.jsonl holds no records");
  TimeSeries series = builder->finish(seconds);
  std::vector<PlotSpec> plots = generic_plots(series);
  if (hooks && hooks->theory) {
    for (PlotSpec& p : hooks->theory(series, summary)) plots.push_back(std::move(p));
  }

  std::string csv = dir + "/timeseries.csv";
  {
    std::ofstream out(csv);
    series.write_csv(out);
    if (!out) return fail("report", "cannot write " + csv);
  }
  std::cout << "time series: " << csv << " (" << series.rows() << " seconds, " << series.names().size()
            << " columns)\n";
  std::string plots_dir = dir + "/plots";
  fs::create_directories(plots_dir);
  std::string terminal = png_terminal();
  std::string script = series_script(series, plots, fs::absolute(csv).string(),
                                     fs::absolute(plots_dir).string(), terminal.empty() ? "png" : terminal);
  for (const EventPoints& p : points) {
    if (p.size() == 0) continue;
    std::string table = dir + "/" + p.plot().file + ".csv";
    std::ofstream out(table);
    p.write_csv(out);
    if (!out) return fail("report", "cannot write " + table);
    std::cout << "events: " << table << " (" << p.size() << " " << p.plot().event << ")\n";
    script += event_plot_script(p.plot(), fs::absolute(table).string(), fs::absolute(plots_dir).string(),
                                &series, fs::absolute(csv).string());
  }
  for (const HeatMap& map : hooks && hooks->heat_maps ? hooks->heat_maps(summary) : std::vector<HeatMap>{}) {
    if (map.cells.empty()) continue;
    std::string table = dir + "/" + map.file + ".csv";
    std::ofstream out(table);
    write_heat_map_csv(out, map);
    if (!out) return fail("report", "cannot write " + table);
    std::cout << "heat map: " << table << "\n";
    script += heat_map_script(map, fs::absolute(table).string(), fs::absolute(plots_dir).string());
  }
  return draw(script, plots_dir, !terminal.empty());
}

int compare_runs(const std::string& dir, const std::string& baseline) {
  auto run = read_json_file(dir + "/summary.json");
  if (!run) return fail("report", "--against needs the run's summary: " + run.reason());
  auto other = read_json_file(baseline + "/summary.json");
  if (!other) return fail("report", "--against needs the baseline's summary: " + other.reason());
  std::cout << comparison_text(*run, *other);
  return 0;
}

int sweep(const SweepOptions& options, int signal_fd) {
  auto axis = parse_vary(options.vary);
  if (!axis) return fail("sweep", axis.reason());
  if (options.repeat == 0 || options.repeat > 100) return fail("sweep", "--repeat: expected 1 to 100");
  auto path = resolve_scenario(options.scenario);
  if (!path) return fail("sweep", path.reason());
  // Every value must make a valid scenario before the first run starts.
  std::uint64_t base_seed = 0;
  std::string name;
  SweepLines lines;
  for (const std::string& value : axis->values) {
    std::vector<std::string> overrides = options.overrides;
    overrides.push_back(axis->key + "=" + value);
    auto scenario = load_scenario(*path, overrides);
    if (!scenario) return fail("sweep", axis->key + "=" + value + ": " + scenario.reason());
    base_seed = scenario->seed;
    name = scenario->name;
    lines = scenario->sweep_lines;
  }
  std::string out = options.out.empty() ? default_out_dir("sweep-" + name, std::time(nullptr)) : options.out;
  fs::create_directories(fs::path(out) / "logs");

  std::vector<SweepRun> runs;
  std::size_t total = axis->values.size() * options.repeat, done = 0;
  bool interrupted = false;
  for (std::size_t v = 0; v < axis->values.size() && !interrupted; ++v) {
    for (std::size_t r = 0; r < options.repeat && !interrupted; ++r) {
      SweepRun run{
          axis->values[v], v, r, base_seed + r, out + "/v" + std::to_string(v) + "-r" + std::to_string(r),
          nullptr};
      std::vector<std::string> args = {
          fs::read_symlink("/proc/self/exe").string(), "run", *path, "--headless", "--out", run.out};
      for (const std::string& o : options.overrides) args.insert(args.end(), {"--set", o});
      if (options.sim) args.push_back("--sim");
      if (!options.hosts_file.empty()) args.insert(args.end(), {"--hosts", options.hosts_file});
      args.insert(args.end(), {"--set", axis->key + "=" + run.value, "--seed", std::to_string(run.seed)});
      std::cout << "run " << ++done << "/" << total << ": " << axis->key << "=" << run.value << " repeat "
                << r << " seed " << run.seed << " -> " << run.out << std::endl;
      std::string log = out + "/logs/v" + std::to_string(v) + "-r" + std::to_string(r) + ".log";
      int code = run_and_wait(args, log, signal_fd, &interrupted);
      if (auto summary = read_json_file(run.out + "/summary.json")) {
        run.summary = *summary;
      } else {
        std::cerr << "p2plab sweep: that run left no summary (exit " << code << "); see " << log << "\n";
      }
      runs.push_back(std::move(run));
    }
  }

  std::vector<std::string> figures = sweep_figures(runs);
  std::string runs_csv = out + "/sweep.csv", means_csv = out + "/sweep_means.csv";
  {
    std::ofstream all(runs_csv), means(means_csv);
    write_sweep_runs(all, runs, figures);
    write_sweep_means(means, runs, figures);
  }
  std::cout << "sweep: " << runs_csv << " and " << means_csv << " (" << runs.size() << " runs, "
            << figures.size() << " figures)\n";
  std::string plots_dir = out + "/plots";
  fs::create_directories(plots_dir);
  std::string terminal = png_terminal();
  std::vector<SweepTimeline> timelines;
  for (const std::string& name : sweep_timelines(runs)) {
    std::string data = fs::absolute(out + "/" + name + ".csv").string();
    std::ofstream file(data);
    timelines.push_back({name, data, write_sweep_timeline(file, runs, name)});
  }
  int drawn =
      draw(sweep_script(axis->key, figures, fs::absolute(runs_csv).string(), fs::absolute(means_csv).string(),
                        axis->numeric, fs::absolute(plots_dir).string(), terminal.empty() ? "png" : terminal,
                        lines) +
               sweep_timeline_script(axis->key, timelines, fs::absolute(plots_dir).string()),
           plots_dir, !terminal.empty());
  if (interrupted) return 130;
  return drawn;
}

}  // namespace p2p::labs
