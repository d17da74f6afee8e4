// The peer's stream: partners' buffer maps, the scheduler's requests, serving, arrivals and playback.
#include "coolstreaming/peer.h"

#include <algorithm>

#include "coolstreaming/serving.h"

namespace p2p::coolstreaming {
namespace {

// The newest segment a buffer map holds, or none.
std::optional<SegmentId> newest_in(const BufferMap& map) {
  for (SegmentId s = map.last();; --s) {
    if (map.has(s)) return s;
    if (s == map.start()) return std::nullopt;
  }
}

}  // namespace

std::optional<BufferMap> Peer::unpack_or_reject(ConnId conn, const BufferMapMessage& message) {
  Expected<BufferMap> map = BufferMap::unpack(message.window_start, message.window_length, message.bitmap);
  if (!map) {
    reject(runtime_, conn, "buffer map", map.reason(), rejected_);
    return std::nullopt;
  }
  return std::move(map).value();
}

SegmentId Peer::startup_segments() const {
  return static_cast<SegmentId>(
      std::max<Duration::rep>(1, config_.startup / milliseconds(stream_->segment_ms)));
}

void Peer::on_buffer_map(Partner& partner, const BufferMapMessage& message, ConnId conn) {
  std::optional<BufferMap> map = unpack_or_reject(conn, message);
  if (!map) return;
  partner.map = std::move(map);
  partner.uploading = message.uploading;
  if (!player_ && stream_) start_player(*partner.map);
}

// DONet leaves the starting point to the newcomer; this one starts a start-up's worth of segments behind
// the newest its first partner holds, so the start-up buffer can fill from segments that exist already.
void Peer::start_player(const BufferMap& partner_map) {
  std::optional<SegmentId> newest = newest_in(partner_map);
  if (!newest) return;
  const SegmentId behind = startup_segments() - 1;
  SegmentId first = *newest >= behind ? *newest - behind : 0;
  start_player_at(std::max(first, partner_map.start()));
}

void Peer::start_player_at(SegmentId first) {
  player_made_ = runtime_.now();
  store_.advance_to(first);
  player_.emplace(PlayerConfig{.startup = config_.startup, .segment = milliseconds(stream_->segment_ms)},
                  first, attempts_.first_attempt().value_or(runtime_.now()));
}

void Peer::expire_requests(TimePoint now) {
  std::erase_if(pending_, [&](const auto& entry) {
    return now - entry.second.asked > config_.request_timeout || !store_.map().in_window(entry.first);
  });
}

// DONet, section 3.C: once a period, the missing segments are assigned to partners that hold them.
void Peer::schedule() {
  if (!player_ || !stream_) return;
  const TimePoint now = runtime_.now();
  // A start-up that has not filled in twice its time started from segments the overlay no longer has (its
  // first partner was ahead of the others, or left): start again from the newest a partner holds.
  if (!player_->playing() && now - player_made_ > 2 * config_.startup) {
    player_.reset();
    for (const auto& [conn, partner] : partners_.all()) {
      if (!player_ && partner.map) start_player(*partner.map);
    }
    if (!player_) return;
  }
  std::map<Endpoint, std::size_t> outstanding;
  std::vector<SegmentId> pending;
  for (const auto& [segment, asked] : pending_) {
    ++outstanding[asked.partner];
    pending.push_back(segment);
  }
  const double segment_kbit = static_cast<double>(stream_->bitrate_kbps) * stream_->segment_ms / 1000.0;
  std::vector<Supplier> suppliers = partners_.suppliers(segment_kbit, outstanding, now, runtime_.random());
  Schedule plan =
      scheduler_.plan(store_.map(), pending, suppliers, player_->clock(now), now, runtime_.random());
  std::map<Endpoint, SegmentRequestMessage> requests;
  for (const SegmentRequest& request : plan.requests) {
    SegmentRequestMessage& message = requests[request.partner];
    if (message.segments.size() >= kMaxListedSegments) continue;
    message.segments.push_back(request.segment);
    pending_[request.segment] = Pending{.partner = request.partner, .asked = now};
  }
  for (auto& [partner, message] : requests) send_message(runtime_, *partners_.find(partner), message);
  request_from_assist(plan);
}

void Peer::serve(ConnId conn, const SegmentRequestMessage& request) {
  ServePlan plan = plan_serving(store_, request.segments, uploading(),
                                queued_bytes(runtime_, partners_.established_conns()),
                                upload_budget(config_.upload_kbps, config_.period),
                                RepeatCheck{partners_.find(conn)->sent, runtime_.now(), config_.period});
  requests_duplicate_ += plan.duplicates;
  for (SegmentId segment : plan.send) {
    send_message(runtime_, conn, Segment{.segment = segment, .payload = *store_.payload(segment)});
  }
  partners_.scores().on_sent(partners_.find(conn)->id, static_cast<std::uint32_t>(plan.send.size()));
  if (!plan.unavailable.empty())
    send_message(runtime_, conn, SegmentUnavailable{.segments = std::move(plan.unavailable)});
}

void Peer::on_segment(ConnId conn, Segment segment) {
  pending_.erase(segment.segment);
  partners_.scores().on_received(partners_.find(conn)->id);
  store_segment(std::move(segment));
}

bool Peer::store_segment(Segment segment) {
  if (!player_ || !store_.add(segment.segment, std::move(segment.payload))) return false;
  if (!player_->playing()) play();
  return true;
}

void Peer::play() {
  if (!player_) return;
  const TimePoint now = runtime_.now();
  const bool was_playing = player_->playing();
  Playback playback = player_->advance(store_.map(), now);
  if (!was_playing && player_->playing()) {
    runtime_.telemetry().event("playing", {{"startup_ms", to_millis(*player_->startup_delay())}});
  }
  if (config_.on_play) {
    for (SegmentId segment : playback.played) config_.on_play(segment, *store_.payload(segment));
  }
  if (!player_->playing()) return;
  // The window trails the play point by half its length, so partners that lag can still be served.
  const SegmentId behind = config_.window / 2;
  if (player_->play_point() > behind) store_.advance_to(player_->play_point() - behind);
  if (play_timer_set_) runtime_.cancel(play_timer_);
  play_timer_set_ = true;
  play_timer_ = runtime_.after(*player_->next_due() - now, [this] {
    play_timer_set_ = false;
    play();
  });
}

std::optional<SegmentId> Peer::source_newest() const {
  if (!stream_) return std::nullopt;
  const auto elapsed = (runtime_.now() - stream_heard_) / milliseconds(stream_->segment_ms);
  return stream_->live_segment + static_cast<SegmentId>(elapsed);
}

}  // namespace p2p::coolstreaming
