// GenericPanel: the detail view of a system that has no panel of its own: every field of its status.
#pragma once

#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// Shows whatever a core's status() holds, flattened ("closes.timeout 3"), and the node's recent events, so a
// new system is watchable in the dashboard before anyone writes its panel.
class GenericPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "Status"; }
  std::string_view key_figure_name() const override { return "status"; }
  // The core's "state" field when it has one, else its first scalar field as "name=value".
  KeyFigure key_figure(const Node& node) const override;
  void draw(Area& area, const PanelContext& context) const override;
};

}  // namespace p2p::dashboard
