// Drawing a DHT node: its counters, its k-buckets by distance, and the path of its last lookup.
#include "labs/dashboard/dht_view.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "labs/dashboard/format.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

constexpr int kLabelWidth = 9;   // "Node", "Lookups", "Queries"
constexpr int kRangeWidth = 12;  // "2^159..2^160"
constexpr int kPathColumn = 30;  // where the last lookup's column starts; the buckets take the columns left
constexpr std::size_t kIdDigits = 8;  // the hex digits of an id shown
constexpr int kListsRow = 3;          // the row of the buckets' and the lookup's headings
constexpr auto kMaxBuckets = static_cast<std::size_t>(kDhtIdBits);

// A count or size as the panels show it ("1.20k"), or "-" when it is not a non-negative number.
std::optional<double> count_of(const nlohmann::json& value) {
  if (!value.is_number() || value.get<double>() < 0) return std::nullopt;
  return value.get<double>();
}
std::string count_text(std::optional<double> value) {
  return value ? format_amount(*value) : "-";
}
std::string count_at(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = field_at(object, key);
  return count_text(value == nullptr ? std::nullopt : count_of(*value));
}

// A median: whole when it is, to one decimal when it falls between two values.
std::string median_at(const nlohmann::json& object, std::string_view key) {
  auto value = number_at(object, key);
  return format_number(value, value && *value != std::floor(*value) ? 1 : 0);
}

std::string id_at(const nlohmann::json& object, std::string_view key) {
  std::string id = string_at(object, key);
  return id.empty() ? "-" : id.substr(0, kIdDigits);
}

// The drops of every reason, added up; nothing when `drops` is not an object of counts.
std::optional<double> total_drops(const nlohmann::json& dht) {
  const nlohmann::json* drops = field_at(dht, "drops");
  if (drops == nullptr || !drops->is_object()) return std::nullopt;
  double total = 0;
  for (const nlohmann::json& count : *drops) {
    if (!count.is_number()) return std::nullopt;
    total += count.get<double>();
  }
  return total;
}

void draw_counters(Area& area, const nlohmann::json& dht) {
  std::optional<bool> joined = bool_at(dht, "joined");
  const nlohmann::json* buckets = field_at(dht, "buckets");
  labelled(area, 0, "Node",
           id_at(dht, "node_id") + "  " + (joined ? (*joined ? "joined" : "joining") : "-") + "  " +
               count_at(dht, "table_size") + " nodes in " +
               (buckets != nullptr && buckets->is_array() ? std::to_string(buckets->size()) : "-") +
               " buckets   " + count_text(total_drops(dht)) + " datagrams refused",
           kLabelWidth);
  labelled(area, 1, "Lookups",
           count_at(dht, "lookups") + " done: median " + median_at(dht, "lookup_hops_median") + " hops, " +
               median_at(dht, "lookup_messages_median") + " messages",
           kLabelWidth);
  labelled(area, 2, "Queries",
           "in " + count_at(dht, "queries_in") + ", answered " + count_at(dht, "responses_out") + "   out " +
               count_at(dht, "queries_out") + ", answered " + count_at(dht, "responses_in") + ", timed out " +
               count_at(dht, "timeouts"),
           kLabelWidth);
}

// One bar per bucket, farthest first: "2^159..2^160 |#####...| 5", '#' a node, '.' a free place of k.
void draw_buckets(Area& area, const nlohmann::json& dht) {
  int row = 0;
  area.text(row++, 0, "K-buckets by distance, k = " + std::to_string(kDhtBucketSize), Style::Bold);
  const nlohmann::json* buckets = field_at(dht, "buckets");
  if (buckets == nullptr || !buckets->is_array() || buckets->empty() || buckets->size() > kMaxBuckets) {
    area.text(row, 0, "-");
    return;
  }
  std::size_t count = buckets->size();
  for (std::size_t b = 0; b < count; ++b, ++row) {
    if (row == area.rows() - 1 && b + 1 < count) {
      area.text(row, 0, "+" + std::to_string(count - b) + " closer buckets", Style::Dim);
      return;
    }
    area.text(row, 0, fit(dht_bucket_range(b, count), kRangeWidth));
    std::optional<double> nodes = count_of((*buckets)[b]);
    if (!nodes) {
      area.text(row, kRangeWidth + 1, "-");
      continue;
    }
    int held = static_cast<int>(std::min<double>(*nodes, kDhtBucketSize));
    std::string bar = "|" + std::string(static_cast<std::size_t>(held), '#') +
                      std::string(static_cast<std::size_t>(kDhtBucketSize - held), '.') + "| " +
                      format_amount(*nodes);
    area.text(row, kRangeWidth + 1, bar, *nodes > kDhtBucketSize ? Style::Bad : Style::Normal);
  }
}

// A hop's distance in bits, when it is one an id can have.
std::optional<int> distance_bits(const nlohmann::json& hop) {
  auto bits = number_at(hop, "distance_bits");
  if (!bits || *bits < 0 || *bits > kDhtIdBits || *bits != std::floor(*bits)) return std::nullopt;
  return static_cast<int>(*bits);
}

// One hop: " 3 a1b2c3d4 152 ######", the bar scaled over the path's range of distances so that the few bits
// a lookup gains per hop show: the farthest hop fills `width`, one bit short of the closest takes nothing.
void draw_hop(Area& area, int row, std::size_t index, const nlohmann::json& hop, int low, int high) {
  std::string number = std::to_string(index + 1);
  area.text(row, 0, std::string(number.size() < 3 ? 3 - number.size() : 0, ' ') + number);
  area.text(row, 4, id_at(hop, "id"));
  std::optional<int> bits = distance_bits(hop);
  if (!bits) {
    area.text(row, 13, "  -");
    return;
  }
  std::string text = std::to_string(*bits);
  area.text(row, 13, std::string(3 - text.size(), ' ') + text);
  int width = std::max(0, area.cols() - 17);
  int cells = static_cast<int>(std::ceil(static_cast<double>(*bits - low) * width / (high - low)));
  area.text(row, 17, std::string(static_cast<std::size_t>(std::clamp(cells, 1, std::max(width, 1))), '#'),
            *bits == low + 1 ? Style::Good : Style::Normal);
}

// The last lookup: what it looked for and what it cost, then its path from the seed it started from to the
// closest node that answered. A path longer than the rows keeps its first and last hops.
void draw_lookup(Area& area, const nlohmann::json& dht) {
  const nlohmann::json* lookup = field_at(dht, "last_lookup");
  if (lookup == nullptr || !lookup->is_object()) {
    area.text(0, 0, "Last lookup -", Style::Bold);
    return;
  }
  int row = 0;
  area.text(row++, 0, "Last lookup " + string_at(*lookup, "kind", "-") + " of " + id_at(*lookup, "target"),
            Style::Bold);
  area.text(row++, 0,
            count_at(*lookup, "hops") + " hops, " + count_at(*lookup, "messages") + " messages: found " +
                count_at(*lookup, "found") + " nodes, " + count_at(*lookup, "peers") + " peers");
  area.text(row++, 0, "hop node     bits XOR distance to target", Style::Bold);
  const nlohmann::json* path = field_at(*lookup, "path");
  if (path == nullptr || !path->is_array() || path->empty()) {
    area.text(row, 0, "  -");
    return;
  }
  int low = kDhtIdBits, high = 0;
  for (const nlohmann::json& hop : *path) {
    if (auto bits = distance_bits(hop)) {
      low = std::min(low, *bits - 1);
      high = std::max(high, *bits);
    }
  }
  std::size_t hops = path->size();
  std::size_t room = static_cast<std::size_t>(std::max(area.rows() - row, 1));
  std::size_t head = hops <= room ? hops : (room - 1) / 2;
  std::size_t tail = hops <= room ? 0 : room - 1 - head;
  for (std::size_t i = 0; i < head; ++i) draw_hop(area, row++, i, (*path)[i], low, high);
  if (tail == 0 && head == hops) return;
  area.text(row++, 0, "  +" + std::to_string(hops - head - tail) + " hops", Style::Dim);
  for (std::size_t i = hops - tail; i < hops; ++i) draw_hop(area, row++, i, (*path)[i], low, high);
}

}  // namespace

std::string dht_bucket_range(std::size_t bucket, std::size_t buckets) {
  if (bucket >= buckets || buckets > kMaxBuckets) return "-";
  if (bucket + 1 == buckets) return "1..2^" + std::to_string(kMaxBuckets + 1 - buckets);
  return "2^" + std::to_string(kMaxBuckets - 1 - bucket) + "..2^" + std::to_string(kMaxBuckets - bucket);
}

KeyFigure dht_key_figure(const nlohmann::json& dht) {
  auto size = number_at(dht, "table_size");
  if (!size || *size < 0) return {"-", -1};
  return {format_amount(*size) + " nodes", *size};
}

void draw_dht(Area& area, const nlohmann::json& dht) {
  draw_counters(area, dht);
  Area buckets = area.sub(kListsRow, 0, area.rows(), kPathColumn - 1);
  draw_buckets(buckets, dht);
  Area lookup = area.sub(kListsRow, kPathColumn, area.rows(), area.cols());
  draw_lookup(lookup, dht);
}

}  // namespace p2p::dashboard
