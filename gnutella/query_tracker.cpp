// The originator's view of its queries.
#include "gnutella/query_tracker.h"

namespace p2p::gnutella {

nlohmann::json QueryRecord::to_json() const {
  nlohmann::json out = {{"guid", to_hex(guid)},
                        {"words", words},
                        {"ttl", ttl},
                        {"sent", sent},
                        {"hits", hits},
                        {"results", results},
                        {"responders", responders.size()},
                        {"target_found", target_found},
                        {"first_hit_ms", nullptr},
                        {"file", nullptr}};
  if (first_hit) out["first_hit_ms"] = to_millis(*first_hit);
  if (file) out["file"] = *file;
  return out;
}

void QueryTracker::start(QueryRecord record) {
  by_start_.emplace(record.started, record.guid);
  last_ = record;
  open_[record.guid] = std::move(record);
}

QueryRecord* QueryTracker::hit(const Guid& guid, const QueryHit& hit, TimePoint now) {
  auto it = open_.find(guid);
  if (it == open_.end() || now - it->second.started >= window_) return nullptr;
  QueryRecord& record = it->second;
  ++record.hits;
  record.results += hit.results.size();
  record.responders.insert(hit.endpoint());
  if (!record.first_hit) record.first_hit = now - record.started;
  for (const QueryHitResult& result : hit.results) {
    if (record.file && result.index == *record.file) record.target_found = true;
  }
  if (last_ && last_->guid == guid) last_ = record;
  return &record;
}

std::vector<QueryRecord> QueryTracker::expire(TimePoint now) {
  std::vector<QueryRecord> closed;
  while (!by_start_.empty() && now - by_start_.begin()->first >= window_) {
    auto it = open_.find(by_start_.begin()->second);
    if (it != open_.end()) {
      closed.push_back(std::move(it->second));
      open_.erase(it);
    }
    by_start_.erase(by_start_.begin());
  }
  return closed;
}

}  // namespace p2p::gnutella
