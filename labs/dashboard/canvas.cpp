// Clipped drawing on a Canvas, and ASCII sparklines.
#include "labs/dashboard/canvas.h"

#include <algorithm>

namespace p2p::dashboard {

Area::Area(Canvas& canvas, int top, int left, int rows, int cols)
    : canvas_(&canvas), top_(top), left_(left), rows_(std::max(rows, 0)), cols_(std::max(cols, 0)) {}

void Area::text(int row, int col, std::string_view text, Style style) {
  if (row < 0 || row >= rows_ || col >= cols_ || text.empty()) return;
  if (col < 0) {
    if (static_cast<std::size_t>(-col) >= text.size()) return;
    text.remove_prefix(static_cast<std::size_t>(-col));
    col = 0;
  }
  text = text.substr(0, static_cast<std::size_t>(cols_ - col));
  canvas_->put(top_ + row, left_ + col, text, style);
}

void Area::line(int row, std::string_view text, Style style) {
  std::string padded(text.substr(0, static_cast<std::size_t>(cols_)));
  padded.resize(static_cast<std::size_t>(cols_), ' ');
  this->text(row, 0, padded, style);
}

void Area::bar(int row, int col, int width, double fraction, Style style) {
  if (width < 3) return;
  int inside = width - 2;
  int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * inside + 0.5);
  std::string meter = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(inside - filled), ' ') + "]";
  text(row, col, meter, style);
}

Area Area::sub(int top, int left, int rows, int cols) const {
  int t = std::clamp(top, 0, rows_);
  int l = std::clamp(left, 0, cols_);
  return Area(*canvas_, top_ + t, left_ + l, std::min(rows, rows_ - t), std::min(cols, cols_ - l));
}

std::string sparkline(const std::vector<double>& values, std::size_t width) {
  static constexpr std::string_view kLevels = " .:-=+*#%@";
  std::size_t shown = std::min(values.size(), width);
  auto first = values.end() - static_cast<std::ptrdiff_t>(shown);
  double top = shown == 0 ? 0 : *std::max_element(first, values.end());
  std::string line(width - shown, ' ');
  for (auto it = first; it != values.end(); ++it) {
    std::size_t level = 0;
    // NaN when a node reported an infinite rate: drawn as nothing, never converted to a level.
    if (double fraction = top > 0 ? *it / top : 0; fraction > 0) {
      // Any traffic at all shows at least '.', so a quiet but live lab is not drawn as blank.
      auto scaled = static_cast<std::size_t>(std::min(fraction, 1.0) * (kLevels.size() - 1) + 0.5);
      level = std::max<std::size_t>(1, scaled);
    }
    line += kLevels[std::min(level, kLevels.size() - 1)];
  }
  return line;
}

}  // namespace p2p::dashboard
