// TextCanvas: a Canvas on a grid of characters, so tests can read what a screen or panel drew.
#pragma once

#include <string>
#include <vector>

#include "labs/dashboard/canvas.h"

namespace p2p::dashboard::testing {

class TextCanvas : public Canvas {
 public:
  TextCanvas(int rows, int cols)
      : rows_(rows),
        cols_(cols),
        cells_(static_cast<std::size_t>(rows), std::string(static_cast<std::size_t>(cols), ' ')),
        styles_(static_cast<std::size_t>(rows),
                std::vector<Style>(static_cast<std::size_t>(cols), Style::Normal)) {}

  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  // Fails loudly on a write outside the grid: clipping is the Area's job.
  void put(int row, int col, std::string_view text, Style style) override {
    if (row < 0 || row >= rows_ || col < 0 || col + static_cast<int>(text.size()) > cols_) {
      out_of_bounds_ = true;
      return;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
      cells_[static_cast<std::size_t>(row)][static_cast<std::size_t>(col) + i] = text[i];
      styles_[static_cast<std::size_t>(row)][static_cast<std::size_t>(col) + i] = style;
    }
  }

  const std::string& line(int row) const { return cells_[static_cast<std::size_t>(row)]; }
  Style style_at(int row, int col) const {
    return styles_[static_cast<std::size_t>(row)][static_cast<std::size_t>(col)];
  }
  std::string text() const {
    std::string all;
    for (const std::string& row : cells_) all += row + "\n";
    return all;
  }
  bool contains(std::string_view needle) const { return text().find(needle) != std::string::npos; }
  // The first row containing `needle`, or -1.
  int row_of(std::string_view needle) const {
    for (int r = 0; r < rows_; ++r) {
      if (line(r).find(needle) != std::string::npos) return r;
    }
    return -1;
  }
  bool out_of_bounds() const { return out_of_bounds_; }

 private:
  int rows_, cols_;
  std::vector<std::string> cells_;
  std::vector<std::vector<Style>> styles_;
  bool out_of_bounds_ = false;
};

}  // namespace p2p::dashboard::testing
