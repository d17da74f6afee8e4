// Churn draws.
#include "labs/launcher/churn.h"

#include <cmath>

#include "labs/launcher/text.h"

namespace p2p::labs {

Expected<Distribution> Distribution::parse(std::string_view text) {
  std::vector<std::string> parts = split(text, ':');
  Distribution d;
  d.text_ = std::string(trim(text));
  const std::string& kind = parts[0];
  auto expect = [&](std::size_t n) { return parts.size() == n + 1; };
  auto arg = [&](std::size_t i) { return parse_number(parts[i], "'" + d.text_ + "'"); };
  if (kind == "none" && expect(0)) return d;
  if ((kind == "fixed" || kind == "exp") && expect(1)) {
    auto a = arg(1);
    if (!a) return a.error();
    if (!(*a > 0)) return make_error("'" + d.text_ + "': the duration must be positive");
    d.kind_ = kind == "fixed" ? Kind::Fixed : Kind::Exponential;
    d.a_ = *a;
    return d;
  }
  if ((kind == "uniform" || kind == "pareto") && expect(2)) {
    auto a = arg(1), b = arg(2);
    if (!a) return a.error();
    if (!b) return b.error();
    if (kind == "uniform" && !(*a >= 0 && *b >= *a))
      return make_error("'" + d.text_ + "': expected 0 <= A <= B");
    if (kind == "pareto" && !(*a > 0 && *b > 0)) {
      return make_error("'" + d.text_ + "': the shape and the minimum must be positive");
    }
    d.kind_ = kind == "uniform" ? Kind::Uniform : Kind::Pareto;
    d.a_ = *a;
    d.b_ = *b;
    return d;
  }
  return make_error("expected none, fixed:S, exp:MEAN, uniform:A:B or pareto:SHAPE:MIN, got '" + d.text_ +
                    "'");
}

double Distribution::draw(Rng& rng) const {
  switch (kind_) {
    case Kind::None:
      return 0;
    case Kind::Fixed:
      return a_;
    case Kind::Exponential:
      return rng.exponential(a_);
    case Kind::Uniform:
      return a_ + rng.uniform() * (b_ - a_);
    // Inverse transform: P(X > x) = (min / x)^shape.
    case Kind::Pareto:
      return b_ / std::pow(1 - rng.uniform(), 1 / a_);
  }
  return 0;
}

std::optional<Departure> draw_departure(const ChurnSpec& churn, Rng& rng) {
  if (churn.session.never()) return std::nullopt;
  Departure d;
  d.after = churn.session.draw(rng);
  d.graceful = rng.chance(churn.graceful);
  if (!churn.rejoin.never()) d.rejoin_after = churn.rejoin.draw(rng);
  return d;
}

}  // namespace p2p::labs
