// Arrival processes of a lab's nodes.
#include "labs/launcher/arrivals.h"

#include <algorithm>

#include "labs/launcher/text.h"

namespace p2p::labs {

Expected<ArrivalSpec> ArrivalSpec::parse(std::string_view text) {
  text = trim(text);
  ArrivalSpec spec;
  auto colon = text.find(':');
  std::string_view kind = text.substr(0, colon);
  std::string_view arg = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (kind == "start" && colon == std::string_view::npos) return spec;
  if (kind == "poisson" || kind == "flash" || kind == "decay") {
    auto value = parse_number(arg, "arrival " + std::string(kind));
    if (!value) return value.error();
    if (!(*value > 0)) return make_error("arrival " + std::string(kind) + ": expected a positive number");
    if (kind == "poisson") {
      spec.kind = Kind::Poisson;
      spec.rate = *value;
    } else if (kind == "flash") {
      spec.kind = Kind::Flash;
      spec.within = *value;
    } else {
      spec.kind = Kind::Decay;
      spec.tau = *value;
    }
    return spec;
  }
  if (kind == "trace" && !trim(arg).empty()) {
    spec.kind = Kind::Trace;
    spec.trace_file = std::string(trim(arg));
    return spec;
  }
  return make_error("arrival: expected start, poisson:RATE, flash:SECONDS, decay:TAU or trace:FILE, got '" +
                    std::string(text) + "'");
}

std::vector<double> arrival_times(const ArrivalSpec& spec, std::size_t count, Rng& rng) {
  std::vector<double> times;
  switch (spec.kind) {
    case ArrivalSpec::Kind::Start:
      times.assign(count, 0.0);
      break;
    case ArrivalSpec::Kind::Poisson: {
      // The first join is one gap after the start too: a Poisson process has no arrival at t = 0.
      double t = 0;
      for (std::size_t i = 0; i < count; ++i) times.push_back(t += rng.exponential(1 / spec.rate));
      break;
    }
    case ArrivalSpec::Kind::Flash:
      for (std::size_t i = 0; i < count; ++i) times.push_back(rng.uniform() * spec.within);
      std::sort(times.begin(), times.end());
      break;
    case ArrivalSpec::Kind::Decay:
      // A Poisson process of rate r(t) that is known to bring `count` points places each of them
      // independently with density r(t) / (the integral of r): for r0 exp(-t/TAU), an exponential of mean
      // TAU.
      for (std::size_t i = 0; i < count; ++i) times.push_back(rng.exponential(spec.tau));
      std::sort(times.begin(), times.end());
      break;
    case ArrivalSpec::Kind::Trace:
      times = spec.trace;
      break;
  }
  return times;
}

Expected<std::vector<double>> parse_trace(std::string_view text) {
  std::vector<double> times;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto t = parse_number(line, "trace line " + std::to_string(line_number));
    if (!t) return t.error();
    if (*t < 0)
      return make_error("trace line " + std::to_string(line_number) + ": a join time cannot be negative");
    times.push_back(*t);
  }
  std::sort(times.begin(), times.end());
  return times;
}

}  // namespace p2p::labs
