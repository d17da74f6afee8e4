// CursesTerminal: the only ncurses code of the dashboard: a Canvas on the screen, and keys from the keyboard.
#pragma once

#include <optional>

#include "labs/dashboard/canvas.h"

namespace p2p::dashboard {

// Owns the curses session (set up in start(), restored in the destructor, even on an exception), maps Styles
// to colours when the terminal has them and to attributes when not, and reports keys in keymap.h's codes.
class CursesTerminal : public Canvas {
 public:
  CursesTerminal() = default;
  ~CursesTerminal() override;
  CursesTerminal(const CursesTerminal&) = delete;
  CursesTerminal& operator=(const CursesTerminal&) = delete;

  // False when there is no usable terminal (not a tty, unknown TERM).
  bool start();
  void stop();

  int rows() const override;
  int cols() const override;
  void put(int row, int col, std::string_view text, Style style) override;

  void begin_frame();
  void end_frame();
  // The next key pressed, without waiting; keys::kResize after a resize.
  std::optional<int> read_key();

 private:
  bool started_ = false;
  bool colours_ = false;
};

}  // namespace p2p::dashboard
