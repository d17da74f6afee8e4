// The BitTorrent panel: piece maps, rates, unchokes, and the swarm's piece availability histogram.
#include "labs/dashboard/bittorrent_panel.h"

#include <algorithm>
#include <map>

#include "common/util/encoding.h"
#include "labs/dashboard/dht_view.h"
#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"
#include "labs/dashboard/node_table.h"

namespace p2p::dashboard {
namespace {

constexpr int kLabelWidth = 12;

bool is_tracker(const Node& node) {
  return node.role == "tracker" || field_at(node.sys, "announces") != nullptr;
}

// A bt-dht node (bittorrent/dht/dht_core.h): a DHT node alone, with no torrent.
bool is_dht_node(const Node& node) {
  return node.role == "dht";
}

bool is_peer(const Node& node) {
  return node.system == "bittorrent" && !is_tracker(node) && !is_dht_node(node);
}

// The status of the DHT node a peer runs beside its torrent (bt-peer --dht), or null.
const nlohmann::json* dht_of(const nlohmann::json& sys) {
  const nlohmann::json* dht = field_at(sys, "dht");
  return dht != nullptr && dht->is_object() ? dht : nullptr;
}

// The pieces a peer holds, from its status's hex bitfield (BEP 3: the high bit of the first byte is piece
// 0); empty when it sent none or a garbled one.
std::vector<bool> pieces_of(const nlohmann::json& sys) {
  auto count = whole_at(sys, "pieces");
  auto bytes = from_hex(string_at(sys, "bitfield"));
  if (!count || !bytes || *count < 0 || bytes->size() * 8 < static_cast<std::size_t>(*count)) return {};
  std::vector<bool> have(static_cast<std::size_t>(*count));
  for (std::size_t i = 0; i < have.size(); ++i) have[i] = ((*bytes)[i / 8] >> (7 - i % 8)) & 1;
  return have;
}

double progress_of(const nlohmann::json& sys) {
  return number_at(sys, "progress").value_or(0);
}

// A node's progress, 0 to 1; anything else it reports (NaN, 1e48) is shown clamped, never converted as is.
std::string percent(double fraction) {
  if (!(fraction >= 0)) fraction = 0;
  return std::to_string(static_cast<int>(std::min(fraction, 1.0) * 100)) + "%";
}

// Pieces as one character per cell: '#' all held, '+' some, '.' none; several pieces share a cell when
// there are more pieces than cells.
std::string piece_map(const std::vector<bool>& have, int width) {
  std::size_t cells = std::min(have.size(), static_cast<std::size_t>(std::max(width, 0)));
  std::string map;
  for (std::size_t c = 0; c < cells; ++c) {
    std::size_t from = c * have.size() / cells, to = (c + 1) * have.size() / cells;
    auto held = std::count(have.begin() + from, have.begin() + to, true);
    map += held == 0 ? '.' : held == static_cast<long>(to - from) ? '#' : '+';
  }
  return map;
}

// Peer id (hex) -> node id, so connections show "leecher-7" rather than an address.
std::map<std::string, std::string, std::less<>> names_by_peer_id(const LabModel& lab) {
  std::map<std::string, std::string, std::less<>> names;
  for (const auto& [id, node] : lab.nodes()) {
    std::string peer_id = string_at(node.sys, "peer_id");
    if (is_peer(node) && !peer_id.empty()) names[peer_id] = id;
  }
  return names;
}

std::string name_of(const nlohmann::json& conn,
                    const std::map<std::string, std::string, std::less<>>& names) {
  auto it = names.find(string_at(conn, "peer_id"));
  return it != names.end() ? it->second : string_at(conn, "addr", "?");
}

// The availability histogram: a heading, `height` rows of columns (pieces per copy count), and an axis of
// copy counts. Returns the row after it.
int draw_histogram(Area& area, int row, int height, const LabModel& lab) {
  std::vector<std::uint32_t> copies = swarm_availability(lab);
  std::size_t peers = 0;
  for (const auto& [id, node] : lab.nodes()) peers += is_peer(node) && node.state == NodeState::Alive ? 1 : 0;
  if (copies.empty()) {
    area.text(row, 0, "Swarm availability", Style::Bold);
    area.text(row + 1, 2, "(no bitfield reported yet)", Style::Dim);
    return row + height + 2;
  }
  auto [low, high] = std::ranges::minmax_element(copies);
  area.text(row, 0, "Swarm availability", Style::Bold);
  area.text(row, 19,
            "pieces by copies among " + std::to_string(peers) + " live peers   rarest " +
                std::to_string(*low) + "  most " + std::to_string(*high));
  std::vector<std::size_t> pieces(*high + 1);
  for (std::uint32_t c : copies) ++pieces[c];
  std::size_t peak = *std::ranges::max_element(pieces);

  constexpr int kGutter = 7;
  int room = std::max(1, area.cols() - kGutter);
  int width = std::clamp(room / static_cast<int>(pieces.size()), 1, 3);
  for (int r = 0; r < height; ++r) {
    int level = height - r;  // this row is drawn where a column reaches `level` of `height`
    std::string line;
    for (std::size_t count : pieces) {
      double reach = static_cast<double>(count) * height / static_cast<double>(peak);
      char cell = reach >= level ? '#' : reach >= level - 0.5 ? '.' : ' ';
      if (r == height - 1 && count > 0 && cell == ' ') cell = '.';  // a few rare pieces stay visible
      line += std::string(static_cast<std::size_t>(width - (width > 1 ? 1 : 0)), cell);
      if (width > 1) line += ' ';
    }
    if (r == 0) area.text(row + 1 + r, 0, fit(std::to_string(peak), kGutter - 1));
    area.text(row + 1 + r, kGutter, line, *low == 0 ? Style::Warn : Style::Good);
  }
  int axis = row + 1 + height;
  area.text(axis, 0, "copies");
  for (std::size_t c = 0; c < pieces.size(); c += width == 1 ? 10 : 5) {
    area.text(axis, kGutter + static_cast<int>(c) * width, std::to_string(c));
  }
  return axis + 1;
}

}  // namespace

std::vector<std::uint32_t> swarm_availability(const LabModel& lab) {
  std::vector<std::uint32_t> copies;
  for (const auto& [id, node] : lab.nodes()) {
    if (!is_peer(node) || node.state != NodeState::Alive) continue;
    std::vector<bool> have = pieces_of(node.sys);
    if (have.empty()) continue;
    if (copies.empty()) copies.assign(have.size(), 0);
    if (have.size() != copies.size()) continue;  // another torrent
    for (std::size_t i = 0; i < have.size(); ++i) copies[i] += have[i] ? 1 : 0;
  }
  return copies;
}

KeyFigure BitTorrentPanel::key_figure(const Node& node) const {
  if (is_dht_node(node)) return dht_key_figure(node.sys);
  if (is_tracker(node)) {
    double peers = number_at(node.sys, "peers").value_or(0);
    return {format_number(peers) + " peers", peers};
  }
  if (field_at(node.sys, "progress") == nullptr) return {"-", -1};
  double progress = progress_of(node.sys);
  return {progress >= 1 ? "seed" : percent(progress), progress};
}

void BitTorrentPanel::draw(Area& area, const PanelContext& context) const {
  if (is_tracker(context.node)) {
    draw_tracker(area, context);
  } else if (is_dht_node(context.node)) {
    area.text(0, 0, "BitTorrent DHT node", Style::Header);
    Area below = area.sub(1, 0, area.rows() - 1, area.cols());
    draw_dht(below, context.node.sys);
  } else {
    draw_peer(area, context);
  }
}

void BitTorrentPanel::draw_peer(Area& area, const PanelContext& context) const {
  const nlohmann::json& sys = context.node.sys;
  std::string state = string_at(sys, "state", "-");
  area.text(0, 0, "BitTorrent peer", Style::Header);
  area.text(0, 17, state, state == "seeding" ? Style::Good : state == "leeching" ? Style::Warn : Style::Dim);
  std::string line = format_number(number_at(sys, "have")) + "/" + format_number(number_at(sys, "pieces")) +
                     " pieces " + percent(progress_of(sys));
  if (flag_at(sys, "endgame")) line += "   endgame";
  if (auto done = number_at(sys, "completed_s"))
    line += "   complete after " + format_number(*done, 1) + " s";
  area.text(0, 27, line);

  // The piece map takes two rows when one cannot show a cell per piece (128 pieces on 80 columns).
  std::vector<bool> have = pieces_of(sys);
  int width = area.cols() - kLabelWidth;
  std::size_t per_row =
      have.size() > static_cast<std::size_t>(std::max(width, 1)) ? (have.size() + 1) / 2 : have.size();
  labelled(area, 1, "Pieces", have.empty() ? "-" : piece_map({have.begin(), have.begin() + per_row}, width),
           kLabelWidth);
  if (per_row < have.size())
    area.text(2, kLabelWidth, piece_map({have.begin() + per_row, have.end()}, width));
  double got = number_at(sys, "downloaded").value_or(0);
  double from_seeds = number_at(sys, "from_seeds").value_or(0);
  labelled(area, 3, "Transfer",
           "got " + format_amount(got, "B") +
               (got > 0 ? " (" + percent(from_seeds / got) + " from seeds)" : "") + " sent " +
               format_amount(number_at(sys, "uploaded").value_or(0), "B") + "  down " +
               format_rate(number_at(sys, "down_bps").value_or(0)) + " up " +
               format_rate(number_at(sys, "up_bps").value_or(0)) + " b/s",
           kLabelWidth);

  // Who unchokes whom: this peer's regular and optimistic (*) unchokes, and the peers that unchoke it.
  auto names = names_by_peer_id(context.lab);
  std::vector<const nlohmann::json*> conns;
  if (const nlohmann::json* peers = field_at(sys, "peers"); peers != nullptr && peers->is_array()) {
    for (const nlohmann::json& conn : *peers) conns.push_back(&conn);
  }
  std::string unchokes, unchoked_by;
  for (const nlohmann::json* conn : conns) {
    std::string name = name_of(*conn, names);
    if (bool_at(*conn, "am_choking") == false)
      unchokes += (flag_at(*conn, "optimistic") ? "*" : "") + name + " ";
    if (bool_at(*conn, "peer_choking") == false) unchoked_by += name + " ";
  }
  labelled(area, 4, "Unchokes", unchokes.empty() ? "nobody" : unchokes, kLabelWidth);
  labelled(area, 5, "Unchoked by", unchoked_by.empty() ? "nobody" : unchoked_by, kLabelWidth);

  // A peer that finds its swarm through its own DHT node shows that node where the swarm's view would be.
  if (const nlohmann::json* dht = dht_of(sys)) {
    Area below = area.sub(6, 0, area.rows() - 6, area.cols());
    draw_dht(below, *dht);
    return;
  }
  int row = draw_histogram(area, 6, 4, context.lab) + 1;

  // Each connection: the remote's progress, the payload rates, and the choke state both ways; the busiest
  // first. A lab peer's progress is its own report: the connection's count of its pieces falls behind,
  // since a peer does not announce (HAVE) pieces to those that already have them.
  std::ranges::sort(conns, std::greater<>(), [](const nlohmann::json* c) {
    return number_at(*c, "down_bps").value_or(0) + number_at(*c, "up_bps").value_or(0);
  });
  double pieces = std::max(1.0, number_at(sys, "pieces").value_or(1));
  area.text(row, 0, "Peers " + std::to_string(conns.size()), Style::Bold);
  area.text(row, 14, "has", Style::Bold);
  area.text(row++, 27, "down   up     we    they   (* optimistic)", Style::Bold);
  int shown = 0;
  for (const nlohmann::json* conn : conns) {
    if (row >= area.rows() - 1 && shown + 1 < static_cast<int>(conns.size())) {
      area.text(row, 2, "+" + std::to_string(conns.size() - shown) + " more", Style::Dim);
      break;
    }
    const nlohmann::json& c = *conn;
    auto choke_word = [](bool choking, bool wanted) { return choking ? (wanted ? "choke" : "-") : "UNCH"; };
    area.text(row, 2, fit(name_of(c, names), 11));
    const Node* remote = context.lab.find(name_of(c, names));
    double progress =
        remote != nullptr ? progress_of(remote->sys) : number_at(c, "have").value_or(0) / pieces;
    area.bar(row, 14, 12, progress, progress >= 1 ? Style::Good : Style::Normal);
    area.text(row, 27,
              fit(format_rate(number_at(c, "down_bps").value_or(0)), 6) + " " +
                  fit(format_rate(number_at(c, "up_bps").value_or(0)), 6) + "  " +
                  fit(std::string(choke_word(flag_at(c, "am_choking"), flag_at(c, "peer_interested"))) +
                          (flag_at(c, "optimistic") ? "*" : ""),
                      6) +
                  choke_word(flag_at(c, "peer_choking"), flag_at(c, "am_interested")));
    ++row;
    ++shown;
  }
}

void BitTorrentPanel::draw_tracker(Area& area, const PanelContext& context) const {
  const nlohmann::json& sys = context.node.sys;
  area.text(0, 0, "BitTorrent tracker", Style::Header);
  area.text(0, 20,
            format_number(number_at(sys, "peers")) + " peers: " + format_number(number_at(sys, "seeds")) +
                " seeds, " + format_number(number_at(sys, "leechers")) + " leechers   " +
                format_number(number_at(sys, "announces_per_s"), 1) + " announces/s");
  int row = draw_histogram(area, 1, 3, context.lab);

  // Every peer's progress, in columns of "leecher-12 [####   ] 61%".
  std::vector<const Node*> peers;
  for (const auto& [id, node] : context.lab.nodes()) {
    if (is_peer(node)) peers.push_back(&node);
  }
  std::ranges::sort(peers, natural_less, &Node::id);
  area.text(row, 0, "Peers (" + std::to_string(peers.size()) + ")", Style::Bold);
  area.text(row++, 14,
            "tracker failures " + format_number(number_at(sys, "failures")) + ", bad requests " +
                format_number(number_at(sys, "bad_requests")));
  constexpr int kCell = 26;
  std::size_t columns = static_cast<std::size_t>(std::max(1, area.cols() / kCell));
  std::size_t room = static_cast<std::size_t>(std::max(0, area.rows() - row)) * columns;
  for (std::size_t i = 0; i < peers.size() && i < room; ++i) {
    int r = row + static_cast<int>(i / columns), col = static_cast<int>(i % columns) * kCell;
    if (i + 1 == room && peers.size() > room) {
      area.text(r, col, "+" + std::to_string(peers.size() - i) + " more", Style::Dim);
      break;
    }
    const Node& node = *peers[i];
    double progress = progress_of(node.sys);
    bool alive = node.state == NodeState::Alive;
    area.text(r, col, fit(node.id, 10), alive ? Style::Normal : Style::Dim);
    area.bar(r, col + 11, 9, progress, progress >= 1 ? Style::Good : Style::Normal);
    area.text(r, col + 21, alive ? percent(progress) : std::string(to_string(node.state)),
              alive ? Style::Normal : Style::Dim);
  }
}

}  // namespace p2p::dashboard
