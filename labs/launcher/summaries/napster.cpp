// Napster's lab summariser: outage windows from launcher events, then search and download figures per window.
#include "labs/launcher/summaries/napster.h"

#include <limits>
#include <optional>
#include <string>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/napster_relogins.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::bool_at;
using telemetry::data_of;
using telemetry::number_at;
using telemetry::string_at;

struct Event {
  double t;
  std::string name;
  const json* data;
};

// The event records, in the order given (the recorder writes them in time order).
std::vector<Event> events_of(const std::vector<json>& records, const char* system) {
  std::vector<Event> events;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t || string_at(record, "kind") != "event" || string_at(record, "system") != system) continue;
    events.push_back({*t, string_at(record, "event"), &data_of(record)});
  }
  return events;
}

struct Outage {
  std::optional<double> killed;
  std::optional<double> restarted;
};

Outage find_outage(const std::vector<Event>& launcher) {
  Outage outage;
  std::string server;
  for (const Event& e : launcher) {
    std::string node = string_at(*e.data, "node");
    if (!outage.killed && e.name == "node_killed" && string_at(*e.data, "role") == "server") {
      outage.killed = e.t;
      server = node;
    } else if (outage.killed && (e.name == "node_restarted" || e.name == "node_started") && node == server) {
      outage.restarted = e.t;
      break;
    }
  }
  return outage;
}

// Success ratio of the searches sent in [from, to).
struct Window {
  double from;
  double to;
  std::size_t searches = 0;
  std::size_t ok = 0;
  json ratio() const { return searches == 0 ? json(nullptr) : json(static_cast<double>(ok) / searches); }
};

}  // namespace

json napster_summary(const std::vector<json>& records) {
  constexpr double kForever = std::numeric_limits<double>::infinity();
  Outage outage = find_outage(events_of(records, "launcher"));
  double killed = outage.killed.value_or(kForever);
  double restarted = outage.restarted.value_or(kForever);
  Window before{-kForever, killed};
  Window during{killed, restarted};
  Window after{restarted, restarted + kNapsterAfterRestartWindowSeconds};

  std::size_t verified = 0;
  std::size_t corrupt = 0;
  std::size_t survived = 0;
  for (const Event& e : events_of(records, "napster")) {
    if (e.name == "search_done") {
      // A search counts where it was sent: an answer already on its way over a slow downlink when the
      // server dies is a search the server answered.
      bool ok = bool_at(*e.data, "ok").value_or(false);
      double sent = e.t - number_at(*e.data, "latency_ms").value_or(0) / 1000;
      for (Window* w : {&before, &during, &after}) {
        if (sent >= w->from && sent < w->to) {
          ++w->searches;
          w->ok += ok ? 1 : 0;
        }
      }
    } else if (e.name == "download_done") {
      std::optional<bool> md5_ok = bool_at(*e.data, "md5_ok");
      if (md5_ok == false) ++corrupt;
      if (!bool_at(*e.data, "ok").value_or(false) || md5_ok != true) continue;
      ++verified;
      double started = e.t - number_at(*e.data, "duration_s").value_or(0);
      if (started < killed && e.t >= killed) ++survived;
    }
  }

  auto time_or_null = [](std::optional<double> t) { return t ? json(*t) : json(nullptr); };
  json metrics = {{"search_success_before", before.ratio()},
                  {"search_success_outage", outage.killed ? during.ratio() : json(nullptr)},
                  {"search_success_after", outage.restarted ? after.ratio() : json(nullptr)},
                  {"downloads_verified", verified},
                  {"downloads_corrupt", corrupt},
                  {"transfers_survived_outage", survived},
                  {"server_killed_at", time_or_null(outage.killed)},
                  {"server_restarted_at", time_or_null(outage.restarted)},
                  {"searches_before", before.searches},
                  {"searches_outage", during.searches},
                  {"searches_after", after.searches}};
  metrics.update(napster_relogin_figures(records));
  return metrics;
}

}  // namespace p2p::labs
