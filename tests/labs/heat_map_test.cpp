// Tests of heat maps: the full grid from the cells given, and the gnuplot lines that draw it.
#include "labs/launcher/heat_map.h"

#include <gtest/gtest.h>

#include <sstream>

namespace p2p::labs {
namespace {

HeatMap map_of(std::vector<HeatMap::Cell> cells) {
  return {.file = "availability", .title = "t", .ylabel = "copies", .cblabel = "pieces", .cells = cells};
}

TEST(HeatMapTest, TheCsvFillsTheGridWithZerosOneScanLinePerTime) {
  // Two samples: at 0 s, 4 pieces with 1 copy; at 5 s, 1 piece with 1 copy and 3 with 2. Each sample is a
  // scan line from 0 copies to the most copies seen, cells not given are 0; a cell below 0 is dropped.
  std::ostringstream csv;
  write_heat_map_csv(csv, map_of({{5, 2, 3}, {0, 1, 4}, {5, 1, 1}, {5, -1, 9}}));
  EXPECT_EQ(csv.str(), "x,y,value\n0,0,0\n0,1,4\n0,2,0\n\n5,0,0\n5,1,1\n5,2,3\n");
}

TEST(HeatMapTest, TheScriptDrawsTheCsvWithImage) {
  std::string script = heat_map_script(map_of({}), "/run/availability.csv", "/run/plots");
  EXPECT_NE(script.find("set output '/run/plots/availability.png'"), std::string::npos) << script;
  EXPECT_NE(script.find("plot '/run/availability.csv' skip 1 using 1:2:3 with image"), std::string::npos)
      << script;
  EXPECT_NE(script.find("set cblabel 'pieces'"), std::string::npos) << script;
}

}  // namespace
}  // namespace p2p::labs
