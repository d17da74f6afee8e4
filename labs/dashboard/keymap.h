// The dashboard's key bindings: one table that both dispatches keys and writes the help screen.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace p2p::dashboard {

// Keys without a character of their own, as the terminal layer reports them; printable keys are their ASCII
// code.
namespace keys {
inline constexpr int kUp = 0x1000;
inline constexpr int kDown = 0x1001;
inline constexpr int kPageUp = 0x1002;
inline constexpr int kPageDown = 0x1003;
inline constexpr int kHome = 0x1004;
inline constexpr int kEnd = 0x1005;
inline constexpr int kEnter = 0x1006;
inline constexpr int kEscape = 0x1007;
inline constexpr int kBackspace = 0x1008;
inline constexpr int kResize =
    0x1009;  // the terminal changed size: bound to nothing, it only forces a redraw
}  // namespace keys

enum class Action {
  Up,
  Down,
  PageUp,
  PageDown,
  First,
  Last,
  Detail,
  Back,
  Kill,
  Leave,
  Restart,
  SpawnOne,
  FlashCrowd,
  FilterRole,
  CycleSort,
  Help,
  Quit,
};

struct Binding {
  std::vector<int> keys;
  Action action;
  std::string_view keys_label;  // how the help screen names the keys
  std::string_view help;
};

// `k` selects upward, as vi users and the "arrows or j/k" expect, so kill -9 moves to `x` (and `K`).
const std::vector<Binding>& bindings();
std::optional<Action> action_for(int key);

}  // namespace p2p::dashboard
