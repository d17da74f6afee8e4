// Link profiles and the largest-remainder split of a mix over a role's nodes.
#include "labs/launcher/link_profiles.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "labs/launcher/text.h"

namespace p2p::labs {

std::map<std::string, LinkProfile> builtin_profiles() {
  return {
      {"adsl", {256, 1024, 20, 0}},
      {"cable", {2000, 10000, 10, 0}},
      {"fibre", {50000, 100000, 2, 0}},
      {"lan", {0, 0, 0, 0}},
  };
}

LinkConfig link_config(const LinkProfile& profile) {
  return {profile.up_kbps * 1000, profile.down_kbps * 1000,
          std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(profile.latency_ms)),
          profile.loss};
}

Expected<LinkMix> LinkMix::parse(std::string_view text, const std::map<std::string, LinkProfile>& known) {
  LinkMix mix;
  if (trim(text).empty()) return mix;
  for (const std::string& piece : split(text, ',')) {
    auto colon = piece.find(':');
    std::string name(trim(std::string_view(piece).substr(0, colon)));
    double weight = 1;
    if (colon != std::string::npos) {
      auto w = parse_number(std::string_view(piece).substr(colon + 1), "link weight of '" + name + "'");
      if (!w) return w.error();
      weight = *w;
    }
    if (!known.count(name)) {
      std::string names;
      for (const auto& [n, _] : known) names += (names.empty() ? "" : ", ") + n;
      return make_error("link: unknown profile '" + name + "' (known: " + names + ")");
    }
    if (!(weight > 0)) return make_error("link: the weight of '" + name + "' must be positive");
    mix.shares_.push_back({name, weight});
  }
  return mix;
}

std::vector<std::string> LinkMix::assign(std::size_t count, Rng& rng) const {
  std::vector<std::string> out;
  if (shares_.empty()) return out;
  double total = 0;
  for (const Share& s : shares_) total += s.weight;
  // Largest remainder (Hamilton): floor of each exact share, then one more to the largest fractions.
  std::vector<std::size_t> counts(shares_.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t given = 0;
  for (std::size_t i = 0; i < shares_.size(); ++i) {
    double exact = static_cast<double>(count) * shares_[i].weight / total;
    counts[i] = static_cast<std::size_t>(std::floor(exact));
    given += counts[i];
    remainders.push_back({exact - std::floor(exact), i});
  }
  // Ties go to the profile written first, so the split does not depend on the sort's whims.
  std::stable_sort(remainders.begin(), remainders.end(), [](auto a, auto b) { return a.first > b.first; });
  for (std::size_t k = 0; given < count; ++k, ++given) ++counts[remainders[k % remainders.size()].second];
  for (std::size_t i = 0; i < shares_.size(); ++i) out.insert(out.end(), counts[i], shares_[i].profile);
  rng.shuffle(out);
  return out;
}

std::string LinkMix::draw(Rng& rng) const {
  assert(!shares_.empty());
  double total = 0;
  for (const Share& s : shares_) total += s.weight;
  double x = rng.uniform() * total;
  for (const Share& s : shares_) {
    if (x < s.weight) return s.profile;
    x -= s.weight;
  }
  return shares_.back().profile;
}

}  // namespace p2p::labs
