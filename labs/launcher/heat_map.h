// Heat maps of a run: a value over time and one more axis, drawn as coloured cells (gnuplot `with image`).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace p2p::labs {

// A grid over time (x, seconds since the start) and an integer y from 0 up, one colour per cell. Only the
// cells with a value are given; every other cell of the grid is 0.
struct HeatMap {
  struct Cell {
    double x;
    int y;
    double value;
  };
  std::string file;  // "availability": written as availability.csv and availability.png
  std::string title;
  std::string ylabel;
  std::string cblabel;  // what the colour says
  std::vector<Cell> cells;
};

// "x,y,value", then the full grid: for each x given, ascending, every y from 0 to the largest given, a
// blank line between two x (gnuplot reads each x as one scan line of the image).
void write_heat_map_csv(std::ostream& out, const HeatMap& map);

// Gnuplot lines that draw `csv` (write_heat_map_csv) into `png_dir`/FILE.png, to run after series_script
// (plots.h), whose terminal and CSV settings they keep.
std::string heat_map_script(const HeatMap& map, const std::string& csv, const std::string& png_dir);

}  // namespace p2p::labs
