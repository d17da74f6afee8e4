// The CoolStreaming panel: continuity, buffer-map strips, and the overlay around a peer.
#include "labs/dashboard/coolstreaming_panel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "common/util/encoding.h"
#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

using coolstreaming::BufferMap;
using coolstreaming::SegmentId;

constexpr int kLabelWidth = 12;
constexpr int kStripLabel = 10;  // partner names before their strips
constexpr int kStripTail = 18;   // score and continuity after them
constexpr int kMaxTreeDepth = 16;

// The source and the hybrid server; every other role of a lab (peer, freerider, ...) runs cs-peer.
bool is_origin(const Node& node) {
  return node.role == "source" || node.role == "server" || field_at(node.sys, "video_bytes_sent") != nullptr;
}

std::string count(const nlohmann::json& sys, std::string_view field) {
  return format_number(number_at(sys, field));
}

std::string continuity_text(const nlohmann::json& sys) {
  return format_number(number_at(sys, "continuity"), 3);
}

// The lab's node listening at a status's endpoint field, or nullptr.
const Node* known_node(const LabModel& lab, const std::string& endpoint) {
  if (endpoint.empty()) return nullptr;
  return lab.find(node_listening_at(lab, endpoint));
}

// One strip under the selected peer's: a partner (mesh) or the parent (tree).
struct Supplier {
  std::string name;
  std::optional<BufferMap> map;
  std::string figures;
};

// Whom the selected peer gets segments from, with their maps over `length` segments. A partner's entry
// carries its window start and bitmap but not its length: every peer of a lab runs with the same --window,
// so the map is read over the selected peer's. A tree peer's supplier is its parent, read from the parent's
// own status.
std::vector<Supplier> suppliers_of(const PanelContext& context, std::uint16_t length) {
  std::vector<Supplier> suppliers;
  const nlohmann::json& sys = context.node.sys;
  if (const nlohmann::json* partners = field_at(sys, "partners");
      partners != nullptr && partners->is_array()) {
    for (const nlohmann::json& partner : *partners) {
      std::string endpoint = string_at(partner, "peer");
      const Node* other = known_node(context.lab, endpoint);
      suppliers.push_back({other ? other->id : endpoint, buffer_map_of(partner, length),
                           "score " + format_number(number_at(partner, "score"), 1) + "  c " +
                               (other ? continuity_text(other->sys) : "-")});
    }
  }
  std::string parent = string_at(sys, "parent");
  if (!parent.empty()) {
    const Node* other = known_node(context.lab, parent);
    suppliers.push_back({other ? other->id : parent, other ? buffer_map_of(other->sys, length) : std::nullopt,
                         "parent  c " + (other ? continuity_text(other->sys) : "-")});
  }
  return suppliers;
}

// The selected peer's strip, the play point under it, then one strip per supplier on the same segments.
// Returns the row after them.
int draw_strips(Area& area, int row, const PanelContext& context, const BufferMap& own) {
  const nlohmann::json& sys = context.node.sys;
  int width = std::max(8, area.cols() - kStripLabel - kStripTail);
  std::size_t cells = std::min<std::size_t>(own.length(), static_cast<std::size_t>(width));
  double per_cell = static_cast<double>(own.length()) / static_cast<double>(cells);
  int tail = kStripLabel + static_cast<int>(cells) + 1;
  area.text(row, 0, "Buffer maps", Style::Bold);
  area.text(row++, 12,
            "segments " + std::to_string(own.start()) + "-" + std::to_string(own.last()) +
                (cells < own.length() ? " (" + format_number(per_cell, 1) + " a cell)" : "") +
                "   # held  + some  . missing  ^ play",
            Style::Dim);
  area.text(row, 0, fit(context.node.id, kStripLabel - 1), Style::Bold);
  area.text(row, kStripLabel, buffer_strip(own, own.start(), own.length(), width));
  area.text(row++, tail, std::to_string(own.count()) + " held");
  if (auto play = number_at(sys, "play_point"); play && *play >= own.start() && *play <= own.last()) {
    auto offset = static_cast<std::size_t>(*play - own.start());
    int cell = static_cast<int>(offset * cells / own.length());
    area.text(row, kStripLabel + cell, "^ " + format_number(*play), Style::Warn);
  }
  ++row;
  std::vector<Supplier> suppliers = suppliers_of(context, own.length());
  if (suppliers.empty()) area.text(row++, 2, "(no partner, no parent)", Style::Dim);
  for (const Supplier& supplier : suppliers) {
    if (row >= area.rows()) break;
    area.text(row, 0, fit(supplier.name, kStripLabel - 1));
    area.text(
        row, kStripLabel,
        supplier.map ? buffer_strip(*supplier.map, own.start(), own.length(), width) : "(no readable map)",
        supplier.map ? Style::Normal : Style::Dim);
    area.text(row++, tail, supplier.figures);
  }
  return row;
}

// The partners of each partner: the mesh two hops around the peer.
void draw_mesh(Area& area, int row, const PanelContext& context) {
  area.text(row++, 0, "Partner graph (two hops)", Style::Bold);
  const nlohmann::json* partners = field_at(context.node.sys, "partners");
  if (partners == nullptr || !partners->is_array()) return;
  for (const nlohmann::json& partner : *partners) {
    if (row >= area.rows()) return;
    std::string endpoint = string_at(partner, "peer");
    const Node* other = known_node(context.lab, endpoint);
    std::string line = context.node.id + " -- " + (other ? other->id : endpoint);
    const nlohmann::json* theirs = other ? field_at(other->sys, "partners") : nullptr;
    if (theirs != nullptr && theirs->is_array()) {
      std::string names;
      for (const nlohmann::json& next : *theirs) {
        std::string name = node_listening_at(context.lab, string_at(next, "peer"));
        if (name != context.node.id) names += (names.empty() ? "" : " ") + name;
      }
      line += " -- " + (names.empty() ? std::string("(nobody else)") : names);
    }
    area.text(row++, 2, line);
  }
}

// The parents up to the source, and the nodes whose parent is this peer.
void draw_tree(Area& area, int row, const PanelContext& context) {
  area.text(row++, 0, "Tree", Style::Bold);
  std::string chain = context.node.id;
  const Node* at = &context.node;
  for (int depth = 0; depth < kMaxTreeDepth; ++depth) {
    std::string parent = string_at(at->sys, "parent");
    if (parent.empty()) break;
    std::string name = node_listening_at(context.lab, parent);
    chain = name + " > " + chain;
    at = context.lab.find(name);
    if (at == nullptr || at == &context.node) break;
  }
  area.text(row++, 2,
            field_at(context.node.sys, "parent") && string_at(context.node.sys, "parent").empty()
                ? chain + "   (no parent: orphaned or joining)"
                : chain);
  std::string children;
  for (const auto& [id, node] : context.lab.nodes()) {
    if (!context.node.listen.empty() && string_at(node.sys, "parent") == context.node.listen)
      children += (children.empty() ? "" : " ") + id;
  }
  area.text(row, 2,
            "children " + count(context.node.sys, "children") + "  " +
                (children.empty() ? std::string("(none)") : children));
}

}  // namespace

std::optional<BufferMap> buffer_map_of(const nlohmann::json& fields, double length) {
  auto start = number_at(fields, "window_start");
  const nlohmann::json* bitmap = field_at(fields, "bitmap");
  if (!start || *start < 0 || *start > std::numeric_limits<SegmentId>::max() ||
      *start != std::floor(*start) || bitmap == nullptr || !bitmap->is_string() || !(length >= 1) ||
      length > std::numeric_limits<std::uint16_t>::max()) {
    return std::nullopt;
  }
  auto bytes = from_hex(bitmap->get<std::string>());
  if (!bytes) return std::nullopt;
  auto map = BufferMap::unpack(static_cast<SegmentId>(*start), static_cast<std::uint16_t>(length), *bytes);
  if (!map) return std::nullopt;
  return *map;
}

std::string buffer_strip(const BufferMap& map, SegmentId from, std::size_t length, int width) {
  std::size_t cells = std::min(length, static_cast<std::size_t>(std::max(width, 0)));
  std::string strip;
  for (std::size_t c = 0; c < cells; ++c) {
    std::size_t first = c * length / cells, end = (c + 1) * length / cells;
    std::size_t in_window = 0, held = 0;
    for (std::size_t i = first; i < end; ++i) {
      auto segment = static_cast<SegmentId>(from + i);
      in_window += map.in_window(segment) ? 1 : 0;
      held += map.has(segment) ? 1 : 0;
    }
    strip += in_window == 0 ? ' ' : held == 0 ? '.' : held == end - first ? '#' : '+';
  }
  return strip;
}

KeyFigure CoolStreamingPanel::key_figure(const Node& node) const {
  if (is_origin(node)) {
    double newest = number_at(node.sys, "newest").value_or(0);
    return {"newest " + format_number(newest), newest};
  }
  auto continuity = number_at(node.sys, "continuity");
  return {continuity_text(node.sys), continuity.value_or(-1)};
}

void CoolStreamingPanel::draw(Area& area, const PanelContext& context) const {
  if (is_origin(context.node)) {
    draw_origin(area, context);
  } else {
    draw_peer(area, context);
  }
}

void CoolStreamingPanel::draw_origin(Area& area, const PanelContext& context) const {
  const nlohmann::json& sys = context.node.sys;
  area.text(0, 0, context.node.role == "server" ? "CoolStreaming hybrid server" : "CoolStreaming source",
            Style::Header);
  labelled(area, 1, "Newest", "segment " + count(sys, "newest"), kLabelWidth);
  labelled(area, 2, "Serving", count(sys, "partners") + " partners   " + count(sys, "children") + " children",
           kLabelWidth);
  labelled(area, 3, "Sent", format_amount(number_at(sys, "video_bytes_sent").value_or(0), "B") + " of video",
           kLabelWidth);
  labelled(area, 4, "Refused", count(sys, "refused_joins") + " joins (at capacity)", kLabelWidth);
}

void CoolStreamingPanel::draw_peer(Area& area, const PanelContext& context) const {
  const nlohmann::json& sys = context.node.sys;
  bool tree = string_at(sys, "overlay") == "tree";
  area.text(0, 0, "CoolStreaming peer", Style::Header);
  std::string mode = tree ? "tree overlay (pushed by a parent)" : "mesh overlay (DONet: pulls by buffer map)";
  if (bool_at(sys, "uploading") == false) mode += "   NOT UPLOADING";
  area.text(0, 20, mode, Style::Dim);

  auto continuity = number_at(sys, "continuity");
  std::optional<double> startup_s;
  if (auto ms = number_at(sys, "startup_ms")) startup_s = *ms / 1000;
  area.text(1, 0, "Continuity", Style::Bold);
  area.text(1, kLabelWidth, continuity_text(sys),
            !continuity           ? Style::Dim
            : *continuity >= 0.99 ? Style::Good
                                  : Style::Bad);
  area.text(1, kLabelWidth + 7,
            "on time " + count(sys, "on_time") + " / due " + count(sys, "due") + ", missed " +
                count(sys, "missed") + "   start-up " + format_number(startup_s, 1) + " s   lag " +
                format_number(number_at(sys, "lag_s"), 1) + " s");
  double video = number_at(sys, "video_bytes").value_or(0);
  double control = number_at(sys, "control_bytes").value_or(0);
  std::string overhead = video > 0 ? " (" + format_number(100 * control / video, 1) + " %)" : "";
  labelled(area, 2, "Received",
           "video " + format_amount(video, "B") + "   control " + format_amount(control, "B") + overhead +
               "   from server " + format_amount(number_at(sys, "server_bytes").value_or(0), "B"),
           kLabelWidth);
  labelled(area, 3, "Joined", "after " + count(sys, "join_attempts") + " attempt(s)", kLabelWidth);

  int row = 5;
  auto own = buffer_map_of(sys, number_at(sys, "window_length").value_or(0));
  if (own) {
    row = draw_strips(area, row, context, *own) + 1;
  } else {
    area.text(row++, 0, "Buffer maps", Style::Bold);
    area.text(row++, 2, "(no buffer map reported yet)", Style::Dim);
    ++row;
  }
  if (tree) {
    draw_tree(area, row, context);
  } else {
    draw_mesh(area, row, context);
  }
}

}  // namespace p2p::dashboard
