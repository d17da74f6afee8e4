// The key binding table.
#include "labs/dashboard/keymap.h"

#include <algorithm>

namespace p2p::dashboard {

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> table = {
      {{keys::kUp, 'k'}, Action::Up, "Up / k", "select the node above"},
      {{keys::kDown, 'j'}, Action::Down, "Down / j", "select the node below"},
      {{keys::kPageUp}, Action::PageUp, "PgUp", "one page up"},
      {{keys::kPageDown, ' '}, Action::PageDown, "PgDn / Space", "one page down"},
      {{keys::kHome, 'g'}, Action::First, "Home / g", "first node"},
      {{keys::kEnd, 'G'}, Action::Last, "End / G", "last node"},
      {{keys::kEnter}, Action::Detail, "Enter", "detail view of the selected node"},
      {{keys::kEscape, keys::kBackspace}, Action::Back, "Esc / Backspace", "back to the overview"},
      {{'x', 'K'}, Action::Kill, "x / K", "kill -9 the selected node"},
      {{'l'}, Action::Leave, "l", "ask the selected node to leave gracefully"},
      {{'r'}, Action::Restart, "r", "restart the selected node"},
      {{'+'}, Action::SpawnOne, "+", "spawn one node of the selected node's role"},
      {{'f'}, Action::FlashCrowd, "f", "flash crowd: spawn 10 nodes of the most numerous role"},
      {{'/'}, Action::FilterRole, "/", "filter by role (cycles: all, then each role)"},
      {{'s'}, Action::CycleSort, "s", "cycle the sort column"},
      {{'?'}, Action::Help, "?", "this help (any key closes it)"},
      {{'q'}, Action::Quit, "q", "quit (and end the lab when the dashboard owns it)"},
  };
  return table;
}

std::optional<Action> action_for(int key) {
  for (const Binding& binding : bindings()) {
    if (std::find(binding.keys.begin(), binding.keys.end(), key) != binding.keys.end()) return binding.action;
  }
  return std::nullopt;
}

}  // namespace p2p::dashboard
