// The KaZaA panel: the two tiers from every node's status, the selected node's supernode, and the last
// search's way through the supernodes from the lab's events.
#include "labs/dashboard/kazaa_panel.h"

#include <algorithm>
#include <vector>

#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

constexpr int kLabelWidth = 11;

int int_at(const nlohmann::json& data, std::string_view field) {
  return static_cast<int>(whole_at(data, field).value_or(0));
}

std::string count(const nlohmann::json& sys, std::string_view field) {
  return format_number(number_at(sys, field));
}

bool is_super(const Node& node) {
  return string_at(node.sys, "role") == "super";
}

// The node's supernode as "HOST:PORT", or empty while it has none (the status says null).
std::string supernode_of(const Node& node) {
  return string_at(node.sys, "supernode");
}

std::string plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The two tiers as the nodes' last statuses describe them: live supernodes, busiest first.
struct Tiers {
  std::vector<const Node*> supernodes;
  std::size_t ordinary = 0;
  std::size_t orphans = 0;
};

Tiers tiers_of(const LabModel& lab) {
  Tiers tiers;
  for (const auto& [id, node] : lab.nodes()) {
    if (node.system != "kazaa" || node.state != NodeState::Alive) continue;
    if (is_super(node)) {
      tiers.supernodes.push_back(&node);
    } else if (string_at(node.sys, "role") == "ordinary") {
      ++tiers.ordinary;
      if (supernode_of(node).empty()) ++tiers.orphans;
    }
  }
  std::stable_sort(tiers.supernodes.begin(), tiers.supernodes.end(), [](const Node* a, const Node* b) {
    return number_at(a->sys, "children").value_or(0) > number_at(b->sys, "children").value_or(0);
  });
  return tiers;
}

// Supernodes one per row, a bar for their children against the busiest, the selected node's own (or its
// supernode) marked. Returns the row after the last one drawn.
int draw_tree(Area& area, int row, int rows, const Tiers& tiers, const std::string& marked) {
  area.text(row++, 0,
            "Two tiers  " + plural(static_cast<int>(tiers.supernodes.size()), "supernode", "supernodes") +
                ", " + std::to_string(tiers.ordinary) + " ordinary, " + std::to_string(tiers.orphans) +
                " without a supernode",
            Style::Bold);
  double busiest = 1;
  for (const Node* sn : tiers.supernodes)
    busiest = std::max(busiest, number_at(sn->sys, "children").value_or(0));
  std::size_t room = static_cast<std::size_t>(rows);
  std::size_t shown = tiers.supernodes.size() <= room ? tiers.supernodes.size() : room - 1;
  for (std::size_t i = 0; i < shown; ++i) {
    const Node* sn = tiers.supernodes[i];
    double children = number_at(sn->sys, "children").value_or(0);
    bool mark = sn->id == marked;
    area.text(row, 0, mark ? ">" : " ", Style::Bold);
    area.text(row, 2, fit(sn->id, 12) + fit(format_number(children) + " children", 13),
              mark ? Style::Bold : Style::Normal);
    area.bar(row, 27, 12, children / busiest);
    area.text(row++, 41, "load " + count(sn->sys, "load_percent") + " %", Style::Dim);
  }
  if (shown < tiers.supernodes.size())
    area.text(row++, 2, "... and " + std::to_string(tiers.supernodes.size() - shown) + " more", Style::Dim);
  return row;
}

void draw_search(Area& area, int row, const KazaaSearch& search) {
  std::string heading = "Last query";
  if (!search.words.empty()) heading += " \"" + search.words + "\"";
  if (search.sent_at > 0) heading += "  at " + format_clock(search.sent_at);
  area.text(row++, 0, heading, Style::Bold);
  if (!search.search) {
    area.text(row, 2, "sent; its supernode has not ended the search yet", Style::Dim);
    return;
  }
  const SearchFigures& s = *search.search;
  std::string from = search.origin.empty() ? std::string() : search.origin + " -> ";
  area.text(row++, 2,
            from + s.supernode + ": " + plural(s.local, "match", "matches") + " of its own, asked " +
                plural(s.supernodes_contacted, "supernode", "supernodes") + " in " +
                plural(s.rounds, "round", "rounds"));
  std::string total =
      plural(s.matches, "match", "matches") + " for " + plural(s.messages, "message", "messages");
  if (search.results) {
    total += "; " + plural(*search.results, "result", "results") + " reached " + search.origin;
    if (search.latency_ms) total += " after " + format_number(*search.latency_ms) + " ms";
  }
  area.text(row, 2, total, s.matches > 0 ? Style::Good : Style::Warn);
}

}  // namespace

void KazaaSearches::observe(const LoggedEvent& event) {
  std::string id = string_at(event.data, "id");
  if (id.empty()) return;
  if (event.name == "query_sent") {
    KazaaSearch& search = by_origin_[event.node];
    origin_of_.erase(search.id);
    search = KazaaSearch{.id = id,
                         .origin = event.node,
                         .words = string_at(event.data, "words"),
                         .sent_at = event.t,
                         .search = std::nullopt,
                         .results = std::nullopt,
                         .latency_ms = std::nullopt};
    origin_of_[id] = event.node;
    return;
  }
  auto origin = origin_of_.find(id);
  KazaaSearch* sent = origin == origin_of_.end() ? nullptr : &by_origin_.at(origin->second);
  if (event.name == "search_done") {
    SearchFigures figures{.supernode = event.node,
                          .local = int_at(event.data, "local"),
                          .matches = int_at(event.data, "matches"),
                          .supernodes_contacted = int_at(event.data, "supernodes_contacted"),
                          .rounds = int_at(event.data, "rounds"),
                          .messages = int_at(event.data, "messages")};
    if (sent != nullptr) sent->search = figures;
    // The supernode's own view: the search it drove last, with what its child sent if that was seen.
    KazaaSearch& driven = by_supernode_[event.node];
    driven = sent != nullptr ? *sent
                             : KazaaSearch{.id = id,
                                           .origin = {},
                                           .words = {},
                                           .sent_at = 0,
                                           .search = figures,
                                           .results = std::nullopt,
                                           .latency_ms = std::nullopt};
  } else if (event.name == "query_done" && sent != nullptr && sent->origin == event.node) {
    sent->results = int_at(event.data, "results");
    sent->latency_ms = number_at(event.data, "latency_ms");
  }
}

const KazaaSearch* KazaaSearches::last_sent_by(std::string_view node) const {
  auto it = by_origin_.find(node);
  return it == by_origin_.end() ? nullptr : &it->second;
}

const KazaaSearch* KazaaSearches::last_driven_by(std::string_view supernode) const {
  auto it = by_supernode_.find(supernode);
  return it == by_supernode_.end() ? nullptr : &it->second;
}

KeyFigure KazaaPanel::key_figure(const Node& node) const {
  if (is_super(node)) {
    double children = number_at(node.sys, "children").value_or(0);
    return {"SN " + format_number(children) + " ch", children};
  }
  if (string_at(node.sys, "role") != "ordinary") return {"-", -3};
  return supernode_of(node).empty() ? KeyFigure{"orphan", -2} : KeyFigure{"child", -1};
}

void KazaaPanel::draw(Area& area, const PanelContext& context) const {
  const Node& node = context.node;
  const nlohmann::json& sys = node.sys;
  bool super = is_super(node);
  area.text(0, 0, super ? "KaZaA supernode" : "KaZaA ordinary node", Style::Header);

  std::string marked;  // the supernode to mark in the tree
  std::string path;
  if (super) {
    marked = node.id;
    labelled(area, 1, "Children",
             count(sys, "children") + "   files indexed " + count(sys, "files_indexed") +
                 "   SN neighbours " + count(sys, "sn_neighbours") + "   load " + count(sys, "load_percent") +
                 " %",
             kLabelWidth);
    path = node.id + " is a supernode: its children search through it";
  } else if (std::string endpoint = supernode_of(node); !endpoint.empty()) {
    marked = node_listening_at(context.lab, endpoint);
    std::string how;
    if (auto attached = recent_events(node.events, "attached", 1); !attached.empty()) {
      const nlohmann::json& data = attached.front()->data;
      how = "   rtt " + format_number(number_at(data, "rtt_ms")) + " ms of " +
            format_number(number_at(data, "probes")) + " probed, joined in " +
            format_number(number_at(data, "join_ms")) + " ms" +
            (flag_at(data, "reattach") ? " (re-attach)" : "");
    }
    labelled(area, 1, "Supernode", marked + how, kLabelWidth);
    const Node* sn = context.lab.find(marked);
    path =
        node.id + " -> " + marked +
        (sn != nullptr ? " (" + count(sn->sys, "children") + " children)" : std::string(" (not a lab node)"));
  } else {
    area.text(1, 0, "Supernode", Style::Bold);
    area.text(1, kLabelWidth, "none: looking for one", Style::Warn);
    path = node.id + " -> (no supernode)";
  }
  labelled(area, 2, "Queries", count(sys, "queries") + "   rejected " + count(sys, "rejected"), kLabelWidth);

  // Rows: 3 lines and a gap above, the tree's heading, the path and a gap below it, 3 for the last query.
  int tree_rows = std::max(1, area.rows() - 10);
  int row = draw_tree(area, 4, tree_rows, tiers_of(context.lab), marked);
  labelled(area, row++, "Path", path, kLabelWidth);

  const KazaaSearch* search = super ? searches_.last_driven_by(node.id) : searches_.last_sent_by(node.id);
  if (search == nullptr) {
    area.text(row + 1, 0, "Last query", Style::Bold);
    area.text(row + 2, 2, "(none seen yet)", Style::Dim);
    return;
  }
  draw_search(area, row + 1, *search);
}

}  // namespace p2p::dashboard
