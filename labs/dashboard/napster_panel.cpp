// The Napster panel: index server and peer figures, recent queries and server-state changes.
#include "labs/dashboard/napster_panel.h"

#include <array>

#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

constexpr int kLabelWidth = 11;
constexpr std::array<std::string_view, 4> kServerStates = {"offline", "connecting", "logging_in", "online"};

bool is_server(const Node& node) {
  return node.role == "server";
}

std::string count(const Node& node, std::string_view field) {
  return format_number(number_at(node.sys, field));
}

std::string per_second(std::optional<double> rate) {
  return format_number(rate, 1) + "/s";
}

// "HH:MM:SS peer-3     "yesterday beatles"  7 results  12 ms", or the failure reason.
std::string query_line(const LoggedEvent& event, bool with_node) {
  const nlohmann::json& d = event.data;
  std::string line = format_clock(event.t) + " ";
  if (with_node) line += fit(event.node, 10) + " ";
  line += "\"" + string_at(d, "words") + "\"  ";
  if (flag_at(d, "ok")) {
    line += format_number(number_at(d, "results")) + " results  " +
            format_number(number_at(d, "latency_ms")) + " ms";
  } else {
    line += "failed: " + string_at(d, "reason", "?");
  }
  return line;
}

std::string transfer_line(const LoggedEvent& event) {
  const nlohmann::json& d = event.data;
  bool download = event.name == "download_done";
  std::string line = format_clock(event.t) + (download ? " down " : " up   ") + string_at(d, "file") + " " +
                     (download ? "from " + string_at(d, "from") : "to " + string_at(d, "to")) + "  " +
                     format_amount(number_at(d, "bytes").value_or(0), "B");
  if (!flag_at(d, "ok")) line += "  failed: " + string_at(d, "reason", "?");
  if (download && field_at(d, "md5_ok") != nullptr && *field_at(d, "md5_ok") == false)
    line += "  MD5 MISMATCH";
  return line;
}

// Draws a heading and `lines` below it from `row`; returns the row after, leaving a blank line.
int section(Area& area, int row, std::string_view heading, const std::vector<std::string>& lines) {
  area.text(row++, 0, std::string(heading), Style::Bold);
  if (lines.empty()) area.text(row++, 2, "(none yet)", Style::Dim);
  for (const std::string& line : lines) area.text(row++, 2, line);
  return row + 1;
}

}  // namespace

KeyFigure NapsterPanel::key_figure(const Node& node) const {
  if (is_server(node)) {
    double files = number_at(node.sys, "files").value_or(0);
    return {format_amount(files) + " files", files};
  }
  std::string state = string_at(node.sys, "server_state", "-");
  double rank = 0;
  for (std::size_t i = 0; i < kServerStates.size(); ++i) {
    if (kServerStates[i] == state) rank = static_cast<double>(i);
  }
  return {state, rank};
}

void NapsterPanel::draw(Area& area, const PanelContext& context) const {
  if (is_server(context.node)) {
    draw_server(area, context);
  } else {
    draw_peer(area, context);
  }
}

void NapsterPanel::draw_server(Area& area, const PanelContext& context) const {
  const Node& node = context.node;
  bool serving = node.state == NodeState::Alive;
  area.text(0, 0, "Napster index server", Style::Header);
  area.text(0, 22, serving ? "serving" : "DOWN: peers cannot log in or search",
            serving ? Style::Good : Style::Bad);
  labelled(area, 1, "Index",
           count(node, "files") + " files   " +
               format_amount(number_at(node.sys, "bytes_shared").value_or(0), "B") + " shared   from " +
               count(node, "users") + " users",
           kLabelWidth);
  auto searches = number_at(node.sys, "searches");
  auto results = number_at(node.sys, "results");
  std::optional<double> per_search;
  if (searches && results && *searches > 0) per_search = *results / *searches;
  labelled(area, 2, "Searches",
           count(node, "searches") + " total   " + per_second(node.rate_of("searches")) + "   " +
               format_number(per_search, 1) + " results/search",
           kLabelWidth);
  labelled(area, 3, "Sessions",
           count(node, "connections") + " connections   " + count(node, "logins") + " logins   " +
               count(node, "browses") + " browses",
           kLabelWidth);
  labelled(area, 4, "Downloads",
           "acked " + count(node, "downloads_acked") + "   refused " + count(node, "downloads_refused") +
               "   share errors " + count(node, "share_errors"),
           kLabelWidth);
  const nlohmann::json* rejected = field_at(node.sys, "rejected");
  labelled(area, 5, "Rejected",
           rejected != nullptr && !rejected->empty() ? summarize(*rejected, 200) : "none", kLabelWidth);

  // The server publishes no event per query, so the queries shown are those its peers report answered.
  int room = std::max(1, (area.rows() - 9) / 2);
  std::vector<std::string> queries;
  for (const LoggedEvent* e :
       recent_events(context.lab.events(), "search_done", static_cast<std::size_t>(room))) {
    if (e->system == node.system) queries.push_back(query_line(*e, true));
  }
  int row = section(area, 7, "Recent queries (as peers report them)", queries);
  std::vector<std::string> sessions;
  for (const LoggedEvent* e : recent_events(node.events, "", static_cast<std::size_t>(room))) {
    sessions.push_back(format_clock(e->t) + " " + fit(e->name, 9) + " " + summarize(e->data, 120));
  }
  section(area, row, "Logins, logouts, rejections", sessions);
}

void NapsterPanel::draw_peer(Area& area, const PanelContext& context) const {
  const Node& node = context.node;
  std::string state = string_at(node.sys, "server_state", "-");
  std::string last_error = string_at(node.sys, "last_server_error");
  if (last_error.empty()) last_error = "none";
  area.text(0, 0, "Napster peer", Style::Header);
  labelled(area, 1, "Server", "", kLabelWidth);
  area.text(1, kLabelWidth, state, state == "online" ? Style::Good : Style::Warn);
  area.text(1, kLabelWidth + 12,
            "logins " + count(node, "logins") + "   errors " + count(node, "server_errors") +
                "   last error: " + last_error);
  labelled(area, 2, "Searches",
           "issued " + count(node, "searches_issued") + "   answered " + count(node, "searches_answered") +
               "   failed " + count(node, "searches_failed") + "   in flight " +
               count(node, "searches_in_flight") + "   " + per_second(node.rate_of("searches_issued")),
           kLabelWidth);
  labelled(area, 3, "Sharing",
           count(node, "shared_files") + " files   sent " +
               format_amount(number_at(node.sys, "bytes_up").value_or(0), "B") + "   received " +
               format_amount(number_at(node.sys, "bytes_down").value_or(0), "B"),
           kLabelWidth);
  labelled(area, 4, "Uploads",
           "active " + count(node, "uploads_active") + "   ok " + count(node, "uploads_ok") + "   failed " +
               count(node, "uploads_failed") + "   refused " + count(node, "refused"),
           kLabelWidth);
  labelled(area, 5, "Downloads",
           "active " + count(node, "downloads_active") + "   ok " + count(node, "downloads_ok") +
               "   failed " + count(node, "downloads_failed") + "   corrupt " +
               count(node, "downloads_corrupt"),
           kLabelWidth);

  int room = std::max(1, (area.rows() - 13) / 3);
  auto lines = [&](std::string_view name, auto&& format) {
    std::vector<std::string> out;
    for (const LoggedEvent* e : recent_events(node.events, name, static_cast<std::size_t>(room))) {
      out.push_back(format(*e));
    }
    return out;
  };
  int row = section(area, 7, "Recent queries",
                    lines("search_done", [](const LoggedEvent& e) { return query_line(e, false); }));
  row = section(area, row, "Server state changes", lines("server_state", [](const LoggedEvent& e) {
                  return format_clock(e.t) + " " + string_at(e.data, "state") + "  (" +
                         string_at(e.data, "reason") + ")";
                }));
  std::vector<std::string> transfers;
  for (const LoggedEvent* e : recent_events(node.events, "", node.events.size())) {
    if ((e->name == "download_done" || e->name == "upload_done") && transfers.size() < std::size_t(room)) {
      transfers.push_back(transfer_line(*e));
    }
  }
  section(area, row, "Transfers", transfers);
}

}  // namespace p2p::dashboard
