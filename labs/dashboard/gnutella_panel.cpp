// The Gnutella panel: a servent's neighbours and traffic, and the hop-by-hop flood of its last query.
#include "labs/dashboard/gnutella_panel.h"

#include <algorithm>

#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

constexpr int kLabelWidth = 11;

std::string count(const nlohmann::json& sys, std::string_view field) {
  return format_number(number_at(sys, field));
}

std::size_t size_at(const nlohmann::json& data, std::string_view field) {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, whole_at(data, field).value_or(0)));
}

// Descriptor counts by type, "ping 30 query 120" from {"bye":0,"ping":30,"query":120}: types never seen
// are left out, so the line fits.
std::string by_type(const nlohmann::json& sys, std::string_view field) {
  const nlohmann::json* counts = field_at(sys, field);
  if (counts == nullptr || !counts->is_object() || counts->empty()) return "-";
  std::string text;
  for (const auto& [type, n] : counts->items()) {
    if (!n.is_number() || n.get<double>() <= 0) continue;
    text += (text.empty() ? "" : " ") + type + " " + format_amount(n.get<double>());
  }
  return text;
}

void draw_trace(Area& area, int row, const QueryTrace& trace) {
  area.text(row++, 0,
            "Last query \"" + trace.words + "\"  TTL " + std::to_string(trace.ttl) + "  at " +
                format_clock(trace.sent_at),
            Style::Bold);
  area.text(row++, 2, "hop  copies sent  nodes reached  duplicates  hits", Style::Dim);
  for (const auto& [hop, figures] : trace.hops) {
    if (row >= area.rows() - 1) break;
    std::size_t duplicates = figures.copies > figures.nodes ? figures.copies - figures.nodes : 0;
    area.text(row++, 2,
              fit(std::to_string(hop), 5) + fit(std::to_string(figures.copies), 13) +
                  fit(std::to_string(figures.nodes), 15) + fit(std::to_string(duplicates), 12) +
                  std::to_string(figures.hits));
  }
  std::string total = "reached " + std::to_string(trace.reached()) + " nodes with " +
                      std::to_string(trace.messages()) + " messages; " + std::to_string(trace.hits()) +
                      " hits";
  if (trace.first_hit_ms) total += ", the first after " + format_number(*trace.first_hit_ms) + " ms";
  area.text(row, 2, total, trace.hits() > 0 ? Style::Good : Style::Warn);
}

}  // namespace

std::size_t QueryTrace::reached() const {
  return reach.size();
}

std::size_t QueryTrace::messages() const {
  std::size_t n = 0;
  for (const auto& [hop, figures] : hops) n += figures.copies;
  return n;
}

std::size_t QueryTrace::hits() const {
  std::size_t n = 0;
  for (const auto& [hop, figures] : hops) n += figures.hits;
  return n;
}

void QueryTraces::observe(const LoggedEvent& event) {
  std::string guid = string_at(event.data, "guid");
  if (guid.empty()) return;
  if (event.name == "query_sent") {
    QueryTrace& trace = by_originator_[event.node];
    originator_of_.erase(trace.guid);
    trace = QueryTrace{.guid = guid,
                       .words = string_at(event.data, "words"),
                       .sent_at = event.t,
                       .ttl = static_cast<int>(whole_at(event.data, "ttl").value_or(0)),
                       .hops = {},
                       .first_hit_ms = std::nullopt,
                       .reach = telemetry::QueryReach(event.node)};
    // The originator's copies go to its neighbours, one hop away.
    if (std::size_t sent = size_at(event.data, "sent"); sent > 0) trace.hops[1].copies = sent;
    originator_of_[guid] = event.node;
    return;
  }
  auto originator = originator_of_.find(guid);
  if (originator == originator_of_.end()) return;
  QueryTrace& trace = by_originator_.at(originator->second);
  int hop = static_cast<int>(whole_at(event.data, "hops").value_or(0));
  if (event.name == "query_seen") {
    if (!trace.reach.add(event.node) || hop < 1) return;
    ++trace.hops[hop].nodes;
    // A node `hop` away forwards its copies to nodes one hop further.
    if (std::size_t forwarded = size_at(event.data, "forwarded"); forwarded > 0)
      trace.hops[hop + 1].copies += forwarded;
  } else if (event.name == "query_hit" && hop >= 1) {
    ++trace.hops[hop].hits;
    if (auto latency = number_at(event.data, "latency_ms")) {
      trace.first_hit_ms = std::min(trace.first_hit_ms.value_or(*latency), *latency);
    }
  }
}

const QueryTrace* QueryTraces::last_of(std::string_view node) const {
  auto it = by_originator_.find(node);
  return it == by_originator_.end() ? nullptr : &it->second;
}

KeyFigure GnutellaPanel::key_figure(const Node& node) const {
  double neighbours = number_at(node.sys, "neighbours").value_or(0);
  return {format_number(neighbours) + " nbrs", neighbours};
}

void GnutellaPanel::draw(Area& area, const PanelContext& context) const {
  const Node& node = context.node;
  const nlohmann::json& sys = node.sys;
  area.text(0, 0, "Gnutella servent", Style::Header);
  bool fixed = flag_at(sys, "fixed_topology");
  std::string mode = fixed ? "fixed overlay (the lab's graph)" : "discovering (pongs, X-Try)";
  if (flag_at(sys, "free_rider")) mode += "   FREE RIDER: shares nothing";
  area.text(0, 18, mode, Style::Dim);

  std::string names;
  if (const nlohmann::json* list = field_at(sys, "neighbour_list"); list != nullptr && list->is_array()) {
    for (const nlohmann::json& peer : *list) {
      if (peer.is_string())
        names += (names.empty() ? "" : " ") + node_listening_at(context.lab, peer.get<std::string>());
    }
  }
  labelled(area, 1, "Neighbours",
           count(sys, "neighbours") + "/" + count(sys, "degree_target") + "  " +
               (names.empty() ? std::string("none") : names),
           kLabelWidth);
  labelled(area, 2, "Queries",
           "sent " + count(sys, "queries_sent") + "   seen " + count(sys, "queries_seen") + "   hits sent " +
               count(sys, "hits_sent") + "   hits received " + count(sys, "hits_received"),
           kLabelWidth);
  labelled(area, 3, "In", by_type(sys, "in") + "   duplicates dropped " + count(sys, "duplicates"),
           kLabelWidth);
  labelled(area, 4, "Out", by_type(sys, "out"), kLabelWidth);
  labelled(area, 5, "Files",
           count(sys, "shared_files") + " shared   uploads ok " + count(sys, "uploads_ok") +
               "   downloads ok " + count(sys, "downloads_ok") + " failed " + count(sys, "downloads_failed") +
               " corrupt " + count(sys, "downloads_corrupt"),
           kLabelWidth);

  const QueryTrace* trace = traces_.last_of(node.id);
  if (trace == nullptr) {
    area.text(7, 0, "Last query", Style::Bold);
    area.text(8, 2, "(none seen yet)", Style::Dim);
    return;
  }
  draw_trace(area, 7, *trace);
}

}  // namespace p2p::dashboard
