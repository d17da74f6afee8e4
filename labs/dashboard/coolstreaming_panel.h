// CoolStreamingPanel: the dashboard's view of a CoolStreaming peer, source or hybrid server (issue 14;
// telemetry fields as coolstreaming/PROTOCOL.md, "Telemetry", lays them out).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "coolstreaming/buffer_map.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// Shows what the streaming lab is about (labs/06-coolstreaming). A peer shows its continuity, bytes and
// buffer map as a strip over its window, with each partner's map (a tree peer: its parent's) as a strip on
// the same segments beside it (so a student sees who can supply what is missing before the play point
// reaches it), and its place in the overlay: its partners and theirs (mesh), or its parents up to the
// source and its children (tree). The source and the server show what they send and how many joins they
// refused.
class CoolStreamingPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "CoolStreaming"; }
  std::string_view key_figure_name() const override { return "continuity"; }
  // A peer's continuity index ("0.987", "-" before its player starts); the source's newest segment.
  KeyFigure key_figure(const Node& node) const override;
  void draw(Area& area, const PanelContext& context) const override;

 private:
  void draw_peer(Area& area, const PanelContext& context) const;
  void draw_origin(Area& area, const PanelContext& context) const;
};

// A buffer map from the `window_start` and hex `bitmap` fields of a status or of one of its partners, over
// `length` segments (the bitmap packed as on the wire, coolstreaming/PROTOCOL.md: most significant bit of
// each byte first), or none when a field is missing, out of range or garbled.
std::optional<coolstreaming::BufferMap> buffer_map_of(const nlohmann::json& fields, double length);

// `map` drawn over the segments [from, from + length) in `width` cells, several segments to a cell when
// they do not fit: '#' every segment held, '+' some, '.' none, ' ' none of the cell's segments in the map's
// window.
std::string buffer_strip(const coolstreaming::BufferMap& map, coolstreaming::SegmentId from,
                         std::size_t length, int width);

}  // namespace p2p::dashboard
