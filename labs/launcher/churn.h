// Churn: how long a node stays, whether it leaves politely or dies, and whether it comes back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/util/expected.h"
#include "common/util/random.h"

namespace p2p::labs {

// A distribution of durations in seconds, written:
//   none               never (the node stays for the whole run)
//   fixed:S            always S
//   exp:MEAN           exponential (memoryless sessions)
//   uniform:A:B        uniform in [A, B]
//   pareto:SHAPE:MIN   heavy-tailed: most sessions short, a few very long, as measured on Gnutella and
//                      BitTorrent (Stutzbach and Rejaie, "Understanding churn in P2P networks", IMC 2006)
class Distribution {
 public:
  static Expected<Distribution> parse(std::string_view text);

  bool never() const { return kind_ == Kind::None; }
  // One draw; never() distributions have nothing to draw.
  double draw(Rng& rng) const;
  std::string text() const { return text_; }

 private:
  enum class Kind { None, Fixed, Exponential, Uniform, Pareto };
  Kind kind_ = Kind::None;
  double a_ = 0, b_ = 0;
  std::string text_ = "none";
};

// A role's churn: session lengths, the share of departures that are graceful (SIGTERM: the node says goodbye)
// rather than crashes (SIGKILL), and the off time before a departed node rejoins under the same id.
struct ChurnSpec {
  Distribution session;
  double graceful = 1.0;
  Distribution rejoin;
};

// One departure drawn for a node that has just started.
struct Departure {
  double after = 0;  // seconds after the start
  bool graceful = true;
  std::optional<double> rejoin_after;  // seconds after the departure, if it comes back
};

// Nothing when the role does not churn. Draws in a fixed order (session, manner, rejoin) so a node's
// departures replay from its seed.
std::optional<Departure> draw_departure(const ChurnSpec& churn, Rng& rng);

}  // namespace p2p::labs
