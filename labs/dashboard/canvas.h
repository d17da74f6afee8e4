// Canvas and Area: the thin drawing interface that screens and system panels draw through, so none of them
// calls ncurses and all of them can be tested on a text grid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace p2p::dashboard {

// What a piece of text means; the terminal maps it to colours and attributes.
enum class Style { Normal, Dim, Bold, Header, Selected, Good, Bad, Warn };

// A grid of character cells. put() may be given text that runs past the right edge; the caller clips rows.
class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  virtual void put(int row, int col, std::string_view text, Style style) = 0;
};

// A rectangle of a Canvas. Everything drawn through it is clipped to the rectangle, so a panel given a small
// terminal loses its last lines and columns instead of scribbling over the table.
class Area {
 public:
  Area(Canvas& canvas, int top, int left, int rows, int cols);
  explicit Area(Canvas& canvas) : Area(canvas, 0, 0, canvas.rows(), canvas.cols()) {}

  int rows() const { return rows_; }
  int cols() const { return cols_; }

  void text(int row, int col, std::string_view text, Style style = Style::Normal);
  // The whole row in `style`, `text` at its left: title bars and the selected table row.
  void line(int row, std::string_view text, Style style);
  // A meter "[#####     ]" of `width` cells filled to `fraction` (0..1).
  void bar(int row, int col, int width, double fraction, Style style = Style::Normal);
  // A rectangle inside this one, in this one's coordinates (clipped to it).
  Area sub(int top, int left, int rows, int cols) const;

 private:
  Canvas* canvas_;
  int top_, left_, rows_, cols_;
};

// The last `width` values as an ASCII sparkline (" .:-=+*#%@", highest value = '@'), newest at the right,
// padded on the left while the history is short. ASCII because the build links plain (not wide) curses.
std::string sparkline(const std::vector<double>& values, std::size_t width);

}  // namespace p2p::dashboard
