// The dashboard's frame file (P2P_DASH_FRAMES, labs/dashboard/dashboard.h): each frame rewrites it with one
// line "<frames> <seconds since start> <last interval s> <longest interval s>".
#pragma once

#include <fstream>
#include <string>

namespace p2p::testing {

struct FrameLine {
  long frames = -1;  // -1 until the dashboard has drawn once
  double elapsed = 0;
  double last = 0;
  double longest = 0;
};

inline FrameLine read_frames(const std::string& path) {
  FrameLine f;
  std::ifstream(path) >> f.frames >> f.elapsed >> f.last >> f.longest;
  return f;
}

}  // namespace p2p::testing
