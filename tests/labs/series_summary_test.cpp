// Tests of the report's per-second series, the napster, gnutella and coolstreaming columns, summary.json
// and the sweep tables.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "labs/launcher/event_plots.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/summary.h"
#include "labs/launcher/sweep_table.h"
#include "labs/launcher/theory.h"
#include "labs/launcher/timeseries.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

constexpr double kStart = 1000;

json record(double t, const std::string& node, const std::string& system, const std::string& kind) {
  return {{"v", 1}, {"kind", kind}, {"t", kStart + t}, {"node", node}, {"system", system}, {"role", "peer"}};
}
json launcher(double t, const std::string& event, const std::string& node) {
  json r = record(t, "launcher", "launcher", "event");
  r["event"] = event;
  r["data"] = {{"node", node}, {"role", node.substr(0, node.find('-'))}};
  return r;
}
json status(double t, const std::string& node, double up_bps, int index_size) {
  json r = record(t, node, "napster", "status");
  r["up_bps"] = up_bps;
  r["down_bps"] = 0;
  r["conns"] = 1;
  r["sys"] = {{"index_size", index_size}, {"state", "online"}};
  return r;
}
json search(double t, bool ok) {
  json r = record(t, "peer-0", "napster", "event");
  r["event"] = "search_done";
  r["data"] = {{"ok", ok}};
  return r;
}

TEST(SeriesTest, AggregatesNodesUpRatesAndEventsPerSecond) {
  // Two nodes start; both report statuses; peer-1 is killed at 2.5 s; searches succeed then fail.
  SeriesBuilder builder(kStart);
  for (const json& r :
       {launcher(0.1, "node_started", "server-0"), launcher(0.2, "node_started", "peer-1"),
        status(0.5, "server-0", 8000, 3), status(0.9, "server-0", 16000, 4), status(0.6, "peer-1", 4000, 0),
        search(1.2, true), search(1.4, true), launcher(2.5, "node_killed", "peer-1"),
        launcher(2.6, "node_exited", "peer-1"), search(2.7, false), status(3.2, "server-0", 0, 5)}) {
    builder.add(r);
  }
  builder.add(json("not a record"));
  TimeSeries series = builder.finish(4);
  ASSERT_EQ(series.rows(), 4u);
  EXPECT_EQ(series.names()[0], "t");
  EXPECT_EQ(*series.find("nodes_up"), (std::vector<double>{2, 2, 1, 1}));
  // Each node's last status in the second: 16 kbit/s from the server and 4 from the peer.
  EXPECT_EQ((*series.find("up_kbps"))[0], 20);
  EXPECT_EQ((*series.find("up_kbps"))[1], 0);
  EXPECT_EQ((*series.find("sys_index_size"))[0], 4);
  EXPECT_EQ((*series.find("sys_index_size"))[3], 5);
  EXPECT_FALSE(series.find("sys_state"));  // not a number
  EXPECT_EQ(*series.find("search_done"), (std::vector<double>{0, 2, 1, 0}));
  EXPECT_EQ(*series.find("search_done_ok"), (std::vector<double>{0, 2, 0, 0}));

  std::ostringstream csv;
  series.write_csv(csv);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')).substr(0, 13), "t,nodes_up,up");
}

TEST(SeriesTest, NapsterTheoryFollowsTheServersOutage) {
  // The server is down from 2 s to 4 s: the model says searches succeed outside that window only.
  SeriesBuilder builder(kStart);
  builder.add(search(0.5, true));
  builder.add(search(2.5, false));
  builder.add(search(2.6, false));
  TimeSeries series = builder.finish(6);
  json summary = {{"started_at", kStart},
                  {"metrics", {{"server_killed_at", kStart + 2}, {"server_restarted_at", kStart + 4}}}};
  auto plots = napster_theory(series, summary);
  EXPECT_FALSE(plots.empty());
  EXPECT_EQ(*series.find("theory_search_success"), (std::vector<double>{1, 1, 0, 0, 1, 1}));
  EXPECT_EQ((*series.find("search_success"))[0], 1);
  EXPECT_EQ((*series.find("search_success"))[2], 0);
  EXPECT_TRUE(std::isnan((*series.find("search_success"))[1]));

  // The plot script names both columns by number and skips plots whose columns are missing.
  std::string script = series_script(series, plots, "ts.csv", "plots", "png");
  EXPECT_NE(script.find("plots/search_success.png"), std::string::npos);
  EXPECT_NE(script.find("dashtype 2"), std::string::npos);
  EXPECT_EQ(series_script(series, {{"x", "x", "x", {"missing"}, {}, ""}}, "ts.csv", "p", "png")
                .find("set output 'p/x"),
            std::string::npos);
}

TEST(SeriesTest, GnutellaReachIsQueriesSeenPerQuerySentEachSecond) {
  // Three servents up. In second 0, two queries each reached both other servents (4 query_seen); in second
  // 1, one query reached one of them. Each servent reports 2 neighbours.
  SeriesBuilder builder(kStart);
  auto gnutella = [](double t, const std::string& node, const std::string& event) {
    json r = record(t, node, "gnutella", "event");
    r["event"] = event;
    r["data"] = json::object();
    return r;
  };
  for (const std::string node : {"servent-0", "servent-1", "servent-2"}) {
    builder.add(launcher(0.1, "node_started", node));
    json st = record(0.5, node, "gnutella", "status");
    st["sys"] = {{"neighbours", 2}};
    builder.add(st);
  }
  for (const json& r : {gnutella(0.2, "servent-0", "query_sent"), gnutella(0.3, "servent-1", "query_seen"),
                        gnutella(0.3, "servent-2", "query_seen"), gnutella(0.4, "servent-1", "query_sent"),
                        gnutella(0.5, "servent-0", "query_seen"), gnutella(0.5, "servent-2", "query_seen"),
                        gnutella(1.2, "servent-2", "query_sent"), gnutella(1.3, "servent-0", "query_seen")}) {
    builder.add(r);
  }
  TimeSeries series = builder.finish(3);
  auto plots = gnutella_theory(series, {{"started_at", kStart}});
  EXPECT_EQ(plots.size(), 3u);
  EXPECT_EQ((*series.find("reach"))[0], 2);
  EXPECT_EQ((*series.find("reach"))[1], 1);
  EXPECT_TRUE(std::isnan((*series.find("reach"))[2]));  // no query that second
  EXPECT_EQ((*series.find("reach_share"))[0], 1);       // both other servents
  EXPECT_EQ((*series.find("reach_share"))[1], 0.5);
  EXPECT_EQ((*series.find("mean_degree"))[0], 2);
  // Over the last 5 s: 5 query_seen for 3 queries.
  EXPECT_NEAR((*series.find("reach_5s"))[2], 5.0 / 3, 1e-9);
}

TEST(TheoryTest, KazaaPlotsEachChildsReattachAsItsOwnPoint) {
  // hub-0 dies at 30.2 s; its 2 children re-attach 0.4 s and 0.9 s later, in the same second. A first
  // attach (reattach false) is not a re-attach.
  auto kazaa = [](double t, const std::string& node, const std::string& event, json data) {
    json r = record(t, node, "kazaa", "event");
    r["event"] = event;
    r["data"] = std::move(data);
    return r;
  };
  std::vector<json> records = {kazaa(2.0, "ordinary-1", "attached", {{"join_ms", 700}, {"reattach", false}}),
                               kazaa(30.3, "ordinary-1", "detached", {{"supernode", "127.0.0.1:7000"}}),
                               kazaa(30.3, "ordinary-2", "detached", {{"supernode", "127.0.0.1:7000"}}),
                               kazaa(30.7, "ordinary-1", "attached", {{"join_ms", 400}, {"reattach", true}}),
                               kazaa(31.2, "ordinary-2", "attached", {{"join_ms", 900}, {"reattach", true}})};
  SeriesBuilder builder(kStart);
  EventPoints points(kazaa_reattach_plot(), kStart);
  for (const json& r : records) {
    builder.add(r);
    points.add(r);
  }
  TimeSeries series = builder.finish(32);
  std::vector<PlotSpec> plots = kazaa_theory(series, {{"started_at", kStart}});
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_EQ(plots[0].columns, (std::vector<std::string>{"attached", "detached"}));
  // Per second, the two re-attaches are one bar in second 30 and one in 31...
  EXPECT_EQ((*series.find("attached"))[30], 1);
  // ... but each is its own point: when it happened, and how long it took in seconds.
  ASSERT_EQ(points.size(), 2u);
  std::ostringstream csv;
  points.write_csv(csv);
  EXPECT_EQ(csv.str(), "node,t,value\nordinary-1,30.7,0.4\nordinary-2,31.2,0.9\n");
  std::string script = event_plot_script(kazaa_reattach_plot(), "/run/reattach.csv", "/run/plots");
  EXPECT_NE(script.find("set output '/run/plots/reattach.png'"), std::string::npos) << script;
  EXPECT_NE(script.find("plot '/run/reattach.csv' skip 1 using 2:3 with points"), std::string::npos)
      << script;
}

TEST(EventPointsTest, SkipOtherEventsUnflaggedOnesAndMissingValues) {
  EventPlot plot{.file = "f",
                 .title = "t",
                 .event = "done",
                 .when = "",
                 .field = "ms",
                 .y_scale = 1,
                 .ylabel = "y",
                 .theory = {}};
  EventPoints points(plot, kStart);
  json done = record(1.5, "n", "x", "event");
  done["event"] = "done";
  done["data"] = {{"ms", 12}};
  json other = done;
  other["event"] = "other";
  json valueless = done;
  valueless["data"] = {{"ms", "twelve"}};
  for (const json& r : {done, other, valueless, json("garbage"), record(2, "n", "x", "status")})
    points.add(r);
  ASSERT_EQ(points.size(), 1u);
  // With a flag to require, an event without it is left out.
  plot.when = "ok";
  EventPoints flagged(plot, kStart);
  flagged.add(done);
  EXPECT_EQ(flagged.size(), 0u);
}

TEST(SeriesTest, CoolStreamingContinuityAndOverheadAreRatiosOfThePeersCounters) {
  // Two peers. Second 0: 10 due, 9 on time, 1000 video and 20 control bytes between them. Second 1: peer-1
  // was replaced and starts again from zero; peer-0 alone has 12 due, 12 on time. A server sent 100 bytes.
  SeriesBuilder builder(kStart);
  auto peer = [](double t, const std::string& node, int due, int on_time, int video, int control) {
    json r = record(t, node, "coolstreaming", "status");
    r["sys"] = {{"due", due},
                {"on_time", on_time},
                {"video_bytes", video},
                {"control_bytes", control},
                {"server_bytes", node == "peer-0" ? 100 : 0},
                {"continuity", nullptr}};
    return r;
  };
  for (const json& r : {peer(0.5, "peer-0", 6, 6, 600, 10), peer(0.5, "peer-1", 4, 3, 400, 10),
                        peer(1.5, "peer-0", 12, 12, 1200, 20), peer(1.5, "peer-1", 0, 0, 0, 5)}) {
    builder.add(r);
  }
  TimeSeries series = builder.finish(3);
  auto plots = coolstreaming_theory(series, {{"started_at", kStart}});
  ASSERT_EQ(plots.size(), 3u);
  EXPECT_EQ(plots[0].yrange, "[0:1.05]");
  EXPECT_DOUBLE_EQ((*series.find("continuity"))[0], 9.0 / 10);
  EXPECT_DOUBLE_EQ((*series.find("continuity"))[1], 1.0);
  EXPECT_DOUBLE_EQ((*series.find("control_overhead"))[0], 20.0 / 1000);
  EXPECT_DOUBLE_EQ((*series.find("server_share"))[1], 100.0 / 1200);
  std::string script = series_script(series, plots, "s.csv", "p", "png");
  EXPECT_NE(script.find("set output 'p/continuity.png'"), std::string::npos);
  EXPECT_NE(script.find("set output 'p/overhead.png'"), std::string::npos);
}

TEST(LabSummaryTest, CarriesTheGenericFiguresAndTheMetrics) {
  RunFacts facts;
  facts.scenario = "spof";
  facts.seed = 3;
  facts.duration_s = 90.5;
  facts.counts.nodes_started = 31;
  facts.counts.nodes_killed = 1;
  json summary = make_summary(facts, {{"downloads_verified", 12}});
  for (const char* key :
       {"nodes_started", "nodes_killed", "nodes_crashed", "duration_s", "seed", "scenario"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
  EXPECT_EQ(summary["nodes_started"], 31);
  EXPECT_EQ(summary["metrics"]["downloads_verified"], 12);
  EXPECT_TRUE(make_summary(facts, nullptr)["metrics"].is_object());
  std::string text = format_summary(summary);
  EXPECT_NE(text.find("31 nodes started"), std::string::npos);
  EXPECT_NE(text.find("downloads_verified = 12"), std::string::npos);
}

TEST(LabSummaryTest, ATimelineTooLongForALineIsPrintedAsItsLength) {
  // A short timeline is printed whole; 200 samples of a long run only as their count.
  json long_timeline = json::array(), short_timeline = json::parse("[[0, 1], [5, 2]]");
  for (int i = 0; i < 200; ++i) long_timeline.push_back({i * 5, i});
  std::string text = format_summary(
      make_summary(RunFacts{}, {{"short_timeline", short_timeline}, {"long_timeline", long_timeline}}));
  EXPECT_NE(text.find("short_timeline = [[0,1],[5,2]]"), std::string::npos) << text;
  EXPECT_NE(text.find("long_timeline = [200 entries, in summary.json]"), std::string::npos) << text;
}

TEST(LabSummaryTest, SummarisersGetEveryEventAndTheLastStatusOfEachNode) {
  std::ostringstream jsonl;
  for (const json& r : {status(1, "server-0", 0, 1), search(1.5, true), status(2, "server-0", 0, 2),
                        launcher(3, "node_killed", "server-0")}) {
    jsonl << r.dump() << "\n";
  }
  jsonl << "garbage\n";
  std::istringstream in(jsonl.str());
  auto records = records_for_summary(in);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2]["sys"]["index_size"], 2);
}

TEST(LabSummaryTest, RecordsKeptAsTheyComeEqualThoseReadBackFromEventsJsonl) {
  // p2plab run --sim keeps them as it writes them, instead of parsing events.jsonl again.
  std::vector<json> written = {status(1, "server-0", 0, 1), search(1.5, true), status(1, "server-1", 0, 7),
                               status(2, "server-0", 0, 2), launcher(3, "node_killed", "server-0")};
  std::ostringstream jsonl;
  SummaryRecords kept;
  for (const json& r : written) {
    jsonl << r.dump() << "\n";
    kept.add(r, r.dump());
  }
  kept.add(json::object(), "{}");  // not a record: skipped, as a line that is not one
  std::istringstream in(jsonl.str());
  auto read_back = records_for_summary(in);
  ASSERT_EQ(read_back.size(), 4u);
  EXPECT_EQ(kept.take(), read_back);
  EXPECT_TRUE(kept.take().empty());  // handed over once
}

TEST(SweepTableTest, WritesOneRowPerRunAndTheMeanPerValue) {
  auto axis = parse_vary("role.peer.count=2,4");
  ASSERT_TRUE(axis) << axis.reason();
  EXPECT_EQ(axis->key, "role.peer.count");
  EXPECT_TRUE(axis->numeric);
  EXPECT_FALSE(parse_vary("link=adsl,fibre")->numeric);
  EXPECT_FALSE(parse_vary("novalues"));
  EXPECT_FALSE(parse_vary("k=a,,b"));

  std::vector<SweepRun> runs = {
      {"2", 0, 0, 1, "r/a", {{"nodes_started", 3}, {"seed", 1}, {"metrics", {{"ok", true}, {"x", 1.0}}}}},
      {"2", 0, 1, 2, "r/b", {{"nodes_started", 3}, {"seed", 2}, {"metrics", {{"ok", false}, {"x", 3.0}}}}},
      {"4", 1, 0, 1, "r/c", {{"nodes_started", 5}, {"seed", 1}, {"metrics", {{"ok", true}, {"x", nullptr}}}}},
      {"4", 1, 1, 2, "r/d", nullptr},
  };
  auto figures = sweep_figures(runs);
  EXPECT_EQ(figures, (std::vector<std::string>{"nodes_started", "metrics.ok", "metrics.x"}));
  std::ostringstream all, means;
  write_sweep_runs(all, runs, figures);
  write_sweep_means(means, runs, figures);
  EXPECT_EQ(all.str(),
            "value_index,value,repeat,seed,out,nodes_started,metrics.ok,metrics.x\n"
            "0,2,0,1,r/a,3,1,1\n0,2,1,2,r/b,3,0,3\n1,4,0,1,r/c,5,1,\n1,4,1,2,r/d,,,\n");
  EXPECT_EQ(means.str(), "value_index,value,nodes_started,metrics.ok,metrics.x\n0,2,3,0.5,2\n1,4,5,1,\n");
  EXPECT_NE(
      sweep_script("role.peer.count", figures, "a.csv", "m.csv", true, "p", "png").find("p/metrics_ok.png"),
      std::string::npos);
}

// Lab 01 draws the bounds beside the measured time: a named line is the mean of another figure, dashed, on
// the figure's own plot only, and a line the sweep has no figure for is left out.
TEST(SweepTableTest, ALabsLinesAreDrawnOnTheirFiguresPlot) {
  std::vector<std::string> figures = {"metrics.time_s", "metrics.bound_s", "metrics.other"};
  std::string script = sweep_script("role.leecher.count", figures, "a.csv", "m.csv", true, "p", "png",
                                    {{"metrics.time_s", {"metrics.bound_s", "metrics.missing"}}});
  std::string time_plot = script.substr(script.find("p/metrics_time_s.png"));
  time_plot = time_plot.substr(0, time_plot.find("set output", 1));
  // metrics.bound_s is the second figure: column 4 of the means.
  EXPECT_NE(
      time_plot.find("'m.csv' skip 1 using 2:4 with lines dashtype 2 linewidth 2 title 'metrics.bound_s'"),
      std::string::npos)
      << time_plot;
  EXPECT_EQ(time_plot.find("metrics.missing"), std::string::npos);
  std::string bound_plot = script.substr(script.find("p/metrics_bound_s.png"));
  EXPECT_EQ(bound_plot.substr(0, bound_plot.find("set output", 1)).find("dashtype"), std::string::npos);
}

// The CoolStreaming lab's comparisons are sweeps (labs/06-coolstreaming/README.md): M against continuity and
// control overhead, and mesh against tree, whose axis is a label with one tick per value.
TEST(SweepTableTest, CoolStreamingSweepsPlotContinuityAndOverhead) {
  auto by_overlay = parse_vary("coolstreaming.overlay=mesh,tree");
  ASSERT_TRUE(by_overlay) << by_overlay.reason();
  EXPECT_FALSE(by_overlay->numeric);
  std::vector<SweepRun> runs = {
      {"mesh", 0, 0, 1, "r/a", {{"metrics", {{"continuity_mean", 0.98}, {"control_overhead", 0.012}}}}},
      {"tree", 1, 0, 1, "r/b", {{"metrics", {{"continuity_mean", 0.81}, {"control_overhead", 0.004}}}}},
  };
  auto figures = sweep_figures(runs);
  EXPECT_EQ(figures, (std::vector<std::string>{"metrics.continuity_mean", "metrics.control_overhead"}));
  std::string script = sweep_script(by_overlay->key, figures, "a.csv", "m.csv", false, "p", "png");
  EXPECT_NE(script.find("set output 'p/metrics_continuity_mean.png'"), std::string::npos);
  EXPECT_NE(script.find("set output 'p/metrics_control_overhead.png'"), std::string::npos);
  EXPECT_NE(script.find(":xtic(2)"), std::string::npos);
  EXPECT_TRUE(parse_vary("coolstreaming.partners=1,2,3,4,5,6,7,8")->numeric);
}

// Lab 07 compares three variants over time: each run's completed_timeline is a block of the sweep's data
// file, drawn as one line labelled with its value; timelines of other shapes and runs without one are left
// out.
TEST(SweepTableTest, TimelinesAreDrawnOneLinePerRun) {
  using nlohmann::json;
  json two = {{"metrics",
               {{"completed_timeline", json::array({json::array({0, 0}), json::array({5, 2})})},
                {"sources_timeline", json::array({json::array({0, 1, 2})})}}}};
  json one = {{"metrics", {{"completed_timeline", json::array({json::array({0, 1})})}}}};
  std::vector<SweepRun> runs = {
      {"tracker", 0, 0, 1, "r/a", two}, {"pex", 1, 0, 1, "r/b", nullptr}, {"dht", 2, 0, 1, "r/c", one}};
  EXPECT_EQ(sweep_timelines(runs), std::vector<std::string>{"completed_timeline"});
  std::ostringstream data;
  auto labels = write_sweep_timeline(data, runs, "completed_timeline");
  EXPECT_EQ(labels, (std::vector<std::string>{"tracker", "dht"}));
  EXPECT_EQ(data.str(), "# tracker\n0,0\n5,2\n\n\n# dht\n0,1\n");
  std::string script =
      sweep_timeline_script("bittorrent.discovery", {{"completed_timeline", "t.csv", labels}}, "p");
  EXPECT_NE(script.find("set output 'p/completed_timeline.png'"), std::string::npos) << script;
  EXPECT_NE(
      script.find("'t.csv' index 1 using 1:2 with linespoints linewidth 2 title 'bittorrent.discovery=dht'"),
      std::string::npos)
      << script;
}

}  // namespace
}  // namespace p2p::labs
