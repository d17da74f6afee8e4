// Arrival processes: when the nodes of a role join a lab (all at once, Poisson, a flash crowd, a decaying
// burst, or a trace).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"
#include "common/util/random.h"

namespace p2p::labs {

// How a role's nodes arrive, written in a scenario as:
//   start              all at the start (the default)
//   poisson:RATE       a Poisson process of RATE joins per second (exponential gaps), as in measurement
//   studies
//                      of Gnutella and KaZaA sessions (Saroiu et al., MMCN 2002)
//   flash:SECONDS      a flash crowd: every node within SECONDS, uniformly (the BitTorrent tracker logs of
//                      Izal et al., PAM 2004, show such bursts after a release)
//   decay:TAU          a burst that dies away: a Poisson process whose rate falls as exp(-t/TAU), the shape
//                      of a torrent's first days (Izal et al., PAM 2004, the Red Hat 9 torrent; Guo et al.,
//                      IMC 2005, fit this exponential to many torrents' tracker logs). The role's `count`
//                      nodes are all of its arrivals, so the rate starts at count/TAU per second and half of
//                      them join within TAU ln 2
//   trace:FILE         join times in seconds, one per line, '#' comments (FILE relative to the scenario)
struct ArrivalSpec {
  enum class Kind { Start, Poisson, Flash, Decay, Trace };
  Kind kind = Kind::Start;
  double rate = 0;            // Poisson: joins per second
  double within = 0;          // Flash: seconds
  double tau = 0;             // Decay: seconds for the rate to fall by a factor e
  std::string trace_file;     // Trace: as written
  std::vector<double> trace;  // Trace: the join times, ascending

  // Parses the text form; a trace's times come separately (load them with parse_trace).
  static Expected<ArrivalSpec> parse(std::string_view text);
};

// The join times (seconds after the role's start) of `count` nodes, ascending. A trace gives as many times as
// it holds, whatever `count` says.
std::vector<double> arrival_times(const ArrivalSpec& spec, std::size_t count, Rng& rng);

// A trace file's text: one non-negative time per line; blank lines and '#' comments are skipped.
Expected<std::vector<double>> parse_trace(std::string_view text);

}  // namespace p2p::labs
