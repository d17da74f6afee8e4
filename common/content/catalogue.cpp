// The synthetic catalogue: which files exist in a lab, their names, sizes and popularity, all from one seed.
#include "common/content/catalogue.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numeric>

#include "common/content/safe_name.h"
#include "common/content/zipf_sampler.h"
#include "common/util/random.h"

namespace p2p::content {
namespace {

constexpr std::size_t kWordsPerName = 3;
constexpr std::int64_t kMaxNameNumber = 99;

constexpr std::array<std::string_view, 200> kWords = {
    "amber",  "angel",    "apple",    "arrow",   "autumn",  "baby",     "band",    "beach",    "bell",
    "berry",  "bird",     "black",    "blue",    "boat",    "bone",     "book",    "bread",    "breeze",
    "bridge", "bright",   "brother",  "brown",   "cactus",  "candle",   "castle",  "cat",      "cherry",
    "city",   "cloud",    "coast",    "cold",    "copper",  "coral",    "cotton",  "crystal",  "dance",
    "dark",   "dawn",     "desert",   "diamond", "dog",     "dream",    "drum",    "dust",     "eagle",
    "earth",  "echo",     "ember",    "empire",  "evening", "falcon",   "feather", "field",    "fire",
    "flame",  "flower",   "forest",   "fox",     "friend",  "frost",    "garden",  "ghost",    "giant",
    "glass",  "gold",     "grass",    "green",   "guitar",  "harbor",   "heart",   "highway",  "hill",
    "honey",  "horse",    "house",    "ice",     "island",  "ivory",    "jade",    "jazz",     "jungle",
    "king",   "lake",     "lamp",     "lantern", "lemon",   "light",    "lion",    "little",   "lonely",
    "love",   "lucky",    "magic",    "maple",   "marble",  "meadow",   "melody",  "midnight", "mirror",
    "moon",   "morning",  "mountain", "music",   "night",   "north",    "ocean",   "orange",   "orchid",
    "paper",  "paradise", "pearl",    "piano",   "pine",    "planet",   "pocket",  "purple",   "queen",
    "quiet",  "rain",     "raven",    "red",     "rhythm",  "river",    "road",    "rock",     "rose",
    "ruby",   "sailor",   "salt",     "sand",    "secret",  "shadow",   "silent",  "silver",   "sky",
    "slow",   "smoke",    "snow",     "soul",    "song",    "south",    "spark",   "spirit",   "spring",
    "star",   "stone",    "storm",    "street",  "summer",  "sun",      "sunset",  "sweet",    "thunder",
    "tiger",  "time",     "train",    "tree",    "tulip",   "twilight", "valley",  "velvet",   "violet",
    "voice",  "wave",     "west",     "whisper", "white",   "wild",     "willow",  "wind",     "window",
    "winter", "wolf",     "wonder",   "wood",    "world",   "yellow",   "young",   "zebra",    "zero",
    "anchor", "ballad",   "canyon",   "circle",  "comet",   "crown",    "feast",   "garnet",   "glow",
    "hollow", "journey",  "kite",     "legend",  "meteor",  "nova",     "oasis",   "prism",    "reef",
    "saga",   "tide",
};

Status check_config(const CatalogueConfig& c) {
  if (c.files > kMaxCatalogueFiles) {
    return make_error("catalogue of " + std::to_string(c.files) + " files is over the limit of " +
                      std::to_string(kMaxCatalogueFiles));
  }
  if (c.min_size == 0) return make_error("catalogue min_size must be at least 1 byte");
  if (c.min_size > c.max_size) return make_error("catalogue min_size is larger than max_size");
  if (!(c.zipf_alpha >= 0)) return make_error("catalogue zipf_alpha must be zero or positive");
  if (c.extension.empty()) return make_error("catalogue extension is empty");
  return check_safe_name("x." + c.extension);
}

// Three distinct words and a number, e.g. {"blue", "river", "song"} and 17.
std::vector<std::string> draw_words(Rng& rng) {
  std::vector<std::string> words;
  while (words.size() < kWordsPerName) {
    std::string word(kWords[rng.below(kWords.size())]);
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(std::move(word));
  }
  return words;
}

// Log-uniform: each size decade holds about as many files as the next, as on real file-sharing networks.
std::uint64_t draw_size(Rng& rng, std::uint64_t min_size, std::uint64_t max_size) {
  const double lo = std::log(static_cast<double>(min_size));
  const double hi = std::log(static_cast<double>(max_size));
  const auto size = static_cast<std::uint64_t>(std::llround(std::exp(lo + rng.uniform() * (hi - lo))));
  return std::clamp(size, min_size, max_size);
}

}  // namespace

std::span<const std::string_view> word_list() {
  return kWords;
}

Expected<Catalogue> Catalogue::generate(const CatalogueConfig& config) {
  if (Status valid = check_config(config); !valid) return valid.error();

  Catalogue cat;
  cat.config_ = config;
  Rng rng(config.seed);
  cat.files_.resize(config.files);
  for (std::size_t i = 0; i < config.files; ++i) {
    FileEntry& f = cat.files_[i];
    f.index = i;
    // Redraw on a collision: with 200^3 word triples and 99 numbers it is rare, and names must be unique.
    do {
      f.keywords = draw_words(rng);
      f.name.clear();
      for (const auto& w : f.keywords) f.name += w + "_";
      f.name += std::to_string(rng.between(1, kMaxNameNumber)) + "." + config.extension;
    } while (cat.by_name_.contains(f.name));
    assert(check_safe_name(f.name).ok());
    cat.by_name_.emplace(f.name, i);
    f.size = draw_size(rng, config.min_size, config.max_size);
    f.content_id = rng.next();
  }

  // Ranks are a random permutation, so popularity is not tied to index order.
  std::vector<std::size_t> ranks(config.files);
  std::iota(ranks.begin(), ranks.end(), std::size_t{1});
  rng.shuffle(ranks);
  const std::vector<double> by_rank = zipf_weights(config.files, config.zipf_alpha);
  cat.popularity_.resize(config.files);
  for (std::size_t i = 0; i < config.files; ++i) {
    cat.files_[i].rank = ranks[i];
    cat.files_[i].popularity = cat.popularity_[i] = by_rank[ranks[i] - 1];
  }
  return cat;
}

std::optional<std::size_t> Catalogue::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

}  // namespace p2p::content
