// A small, seeded, portable random generator (xoshiro256**), so every run replays from its seed.
#pragma once

#include <cassert>
#include <cmath>
#include <cstdint>
#include <vector>

namespace p2p {

// xoshiro256** by Blackman and Vigna, seeded through splitmix64. Unlike std::uniform_int_distribution,
// the draws below are the same on every standard library, so a seed means the same run everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 1) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  // A generator for node `index` of a run seeded with `seed`: independent streams, one per node.
  static Rng for_node(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t mixed = seed ^ (0x9e3779b97f4a7c15ULL * (index + 1));
    return Rng(splitmix64(mixed));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n), without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n) {
    assert(n > 0);
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi], inclusive.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    assert(lo <= hi);
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  bool chance(double p) { return uniform() < p; }

  // Exponentially distributed with the given mean (Poisson inter-arrival times, session lengths).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }

  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    assert(!items.empty());
    return items[below(items.size())];
  }

  void fill(std::uint8_t* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(next() >> 56);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

}  // namespace p2p
