// Heat maps: the full grid from the cells given, and its gnuplot lines.
#include "labs/launcher/heat_map.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "labs/launcher/plots.h"

namespace p2p::labs {

void write_heat_map_csv(std::ostream& out, const HeatMap& map) {
  out << "x,y,value\n";
  std::map<double, std::map<int, double>> grid;
  int top = 0;
  for (const HeatMap::Cell& cell : map.cells) {
    if (cell.y < 0) continue;
    grid[cell.x][cell.y] = cell.value;
    top = std::max(top, cell.y);
  }
  bool first = true;
  for (const auto& [x, column] : grid) {
    if (!first) out << "\n";
    first = false;
    for (int y = 0; y <= top; ++y) {
      auto it = column.find(y);
      out << x << "," << y << "," << (it == column.end() ? 0.0 : it->second) << "\n";
    }
  }
}

std::string heat_map_script(const HeatMap& map, const std::string& csv, const std::string& png_dir) {
  std::ostringstream out;
  // White for an empty cell, darker for more: a cell with nothing in it should not catch the eye.
  out << "\nset output " << gp_string(png_dir + "/" + map.file + ".png") << "\n"
      << "set title " << gp_string(map.title) << "\nset xlabel 'time since the start (s)'\nset ylabel "
      << gp_string(map.ylabel) << "\nset cblabel " << gp_string(map.cblabel) << "\nset yrange [-0.5:*]\n"
      << "set palette defined (0 'white', 1 '#fdae61', 2 '#d7191c', 3 '#2c0b0b')\n"
      << "plot " << gp_string(csv) << " skip 1 using 1:2:3 with image notitle\n"
      << "unset cblabel\nunset output\n";
  return out.str();
}

}  // namespace p2p::labs
