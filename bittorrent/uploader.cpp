// Uploader: choking rounds, the request queue of each remote peer, and serving it from storage.
#include "bittorrent/uploader.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace p2p::bittorrent {
namespace {

constexpr std::size_t kPieceHeader = 13;  // length prefix, id, index, begin
// Bounds of the bytes of piece messages that may wait in the uplink for one peer before serving pauses: at
// least enough to keep a fast link busy between two pump rounds, small enough that a choke or a have is not
// stuck behind seconds of data on a slow one.
constexpr std::size_t kMinUploadWindow = 64 * 1024;
constexpr std::size_t kMaxUploadWindow = 8 << 20;
// Bounds of the wait before serving again after the uplink was full. The shortest keeps a link whose window
// is clamped at kMaxUploadWindow (milliseconds of data) busy. Half a window is at least a quarter second of a
// peer's rate, so a longer wait means the rate was measured too low: the uplink could idle.
constexpr Duration kServeRetry = std::chrono::milliseconds(10);
constexpr Duration kMaxServeRetry = std::chrono::milliseconds(250);
// Bytes of piece messages per send. A batch's buffer (this plus one more block) stays below glibc's 128 KiB
// mmap threshold: a bigger one would be mapped and unmapped for every send.
constexpr std::size_t kServeBatch = 64 * 1024;

// How long the uplink takes to drain from `queued` bytes to half the window at `rate` bytes per second: the
// bytes that remain then still keep it busy while this peer's next batch is made. A connection without a
// rate yet is retried soon.
Duration drain_time(std::size_t queued, std::size_t window, double rate) {
  if (rate <= 0) return kServeRetry;
  double excess = static_cast<double>(queued) - static_cast<double>(window / 2);
  Duration wait = from_seconds(std::max(excess, 0.0) / rate);
  return std::clamp(wait, kServeRetry, kMaxServeRetry);
}

}  // namespace

Uploader::Uploader(Runtime& runtime, const PeerConfig& config, const TorrentLayout& layout,
                   const PieceSet& have, ConnectionTable& table)
    : runtime_(runtime),
      config_(config),
      layout_(layout),
      have_(have),
      table_(table),
      choker_(config.choker),
      sent_(runtime.now()) {}

void Uploader::rechoke() {
  TimePoint now = runtime_.now();
  std::vector<PeerView> views;
  for (const auto& [id, conn] : table_.all()) {
    if (conn.stage == PeerConnection::Stage::Active) views.push_back(conn.view(now));
  }
  ChokeDecision decision = choker_.rechoke(views, have_.all(), now, runtime_.random());
  for (auto& [id, conn] : table_.all()) {
    if (conn.stage != PeerConnection::Stage::Active) continue;
    conn.optimistic = std::ranges::find(decision.optimistic, id) != decision.optimistic.end();
    set_choking(conn, config_.free_rider || !decision.unchokes(id));
  }
}

void Uploader::set_choking(PeerConnection& conn, bool choke) {
  if (conn.am_choking == choke) return;
  conn.am_choking = choke;
  if (!choke) conn.unchoked_at = runtime_.now();
  // BEP 3: a choked peer's pending requests are discarded; it asks again once unchoked.
  if (choke) {
    conn.queue.clear();
    waiting_.erase(conn.id);
  }
  table_.send(conn, encode_message(choke ? Message(Choke{}) : Message(Unchoke{})));
}

void Uploader::on_interest(PeerConnection& conn, bool interested) {
  conn.peer_interested = interested;
  if (!interested) return;
  // A newcomer need not wait up to 10 s for the next round when an upload slot is free: a regular one, or
  // the optimistic one if there is one. With every slot taken it waits for the round: rechoking now would
  // re-draw the ties between equal rates at every new interest.
  std::size_t unchoked =
      std::ranges::count_if(table_.all(), [](const auto& c) { return !c.second.am_choking; });
  std::size_t slots = config_.choker.regular_slots;
  if (config_.choker.optimistic && slots != kUnlimitedSlots) ++slots;
  if (unchoked < slots) rechoke();
}

void Uploader::on_request(PeerConnection& conn, const Request& request) {
  if (Status ok = layout_.check_block(request.piece, request.begin, request.length); !ok) {
    return table_.close(conn, "bad request: " + ok.reason());
  }
  if (!have_.has(request.piece)) return table_.close(conn, "bad request: a piece we do not have");
  // Requests while choked are dropped (BEP 3); so are those beyond the queue's cap, which a polite peer
  // never reaches, and a block already queued: a peer asking for it again before it is sent would have
  // the same 16 KiB sent twice (a hostile one, hundreds of times), as libtorrent also ignores it.
  if (conn.am_choking) return;
  if (std::ranges::find_if(conn.queue, [&](const Request& queued) {
        return queued.piece == request.piece && queued.begin == request.begin &&
               queued.length == request.length;
      }) != conn.queue.end()) {
    ++requests_duplicate_;
    return;
  }
  if (conn.queue.size() >= config_.max_queued_requests) {
    ++conn.requests_dropped;
    ++requests_dropped_;
    return;
  }
  conn.queue.push_back(request);
  waiting_.insert(conn.id);
  // Served once the messages that arrived with it are read: a burst of requests then leaves in a few batched
  // sends instead of one send per block.
  if (serve_soon_ == TimerId{}) {
    serve_soon_ = runtime_.after(Duration{0}, [this] {
      serve_soon_ = TimerId{};
      serve_waiting();
    });
  }
}

void Uploader::on_cancel(PeerConnection& conn, const Cancel& cancel) {
  std::erase_if(conn.queue, [&](const Request& r) {
    return r.piece == cancel.piece && r.begin == cancel.begin && r.length == cancel.length;
  });
}

// Sends queued blocks while the uplink holds less than the window for this peer; what remains is retried on
// a short timer, since the runtime says nothing when bytes leave. Consecutive piece messages travel together,
// up to kServeBatch bytes per send: the transport then pays its per-write cost (a ZeroMQ message, a send()
// system call) once per batch instead of once per 16 KiB block.
void Uploader::serve(PeerConnection& conn) {
  TimePoint now = runtime_.now();
  std::size_t window = upload_window(now);
  Bytes batch;
  auto flush = [&] {
    if (!batch.empty()) table_.send(conn, std::exchange(batch, {}));
  };
  while (!conn.queue.empty() && runtime_.queued_bytes(conn.id) + batch.size() < window) {
    Request request = conn.queue.front();
    conn.queue.pop_front();
    if (batch.empty()) batch.reserve(kServeBatch + kPieceHeader + kBlockSize);
    // The block is read straight into the message that carries it: one copy from storage to the wire.
    std::size_t at = batch.size();
    batch.resize(at + kPieceHeader + request.length);
    ByteWriter header(kPieceHeader);
    header.u32be(static_cast<std::uint32_t>(9 + request.length))
        .u8(static_cast<std::uint8_t>(MessageId::Piece));
    header.u32be(request.piece.value).u32be(request.begin);
    std::ranges::copy(header.view(), batch.begin() + static_cast<std::ptrdiff_t>(at));
    if (Status ok =
            config_.storage->read(request.piece, request.begin, std::span(batch).subspan(at + kPieceHeader));
        !ok) {
      runtime_.log(LogLevel::Error, ok.reason());
      return table_.close(conn, "storage read failed");
    }
    conn.up.add(request.length, now);
    sent_.add(request.length, now);
    if (batch.size() >= kServeBatch) flush();
  }
  flush();
  if (conn.queue.empty()) {
    waiting_.erase(conn.id);
  } else {
    retry_after(drain_time(runtime_.queued_bytes(conn.id), window, conn.up.rate(now)));
  }
}

// Half a second of the uplink's measured rate, shared equally by the peers with requests waiting. Sized by
// each peer's own rate instead, a fast downloader's bigger window would keep more of its bytes queued, so
// ahead of a choke, a have or a cancel on its connection, and on a single FIFO uplink it took a bigger
// share, so a faster rate, so a bigger window: it starved the others (at a seed, a free rider whose idle
// uplink let its requests through first took 7.6 of the seed's 10 Mb/s beside three other peers). The
// shaped link now shares its rate fairly between connections (common/net/link_shaper.h), as TCP's
// congestion control shares a bottleneck about equally between flows, and the equal windows keep each
// peer's queue as short as its share.
std::size_t Uploader::upload_window(TimePoint now) const {
  double share = sent_.rate(now) / 2 / static_cast<double>(std::max<std::size_t>(waiting_.size(), 1));
  return std::clamp(static_cast<std::size_t>(share), kMinUploadWindow, kMaxUploadWindow);
}

// One timer serves every waiting connection: it fires at the earliest time any of them asked for.
void Uploader::retry_after(Duration delay) {
  TimePoint due = runtime_.now() + delay;
  if (serve_timer_ != TimerId{}) {
    if (serve_due_ <= due) return;
    runtime_.cancel(serve_timer_);
  }
  serve_due_ = due;
  serve_timer_ = runtime_.after(delay, [this] {
    serve_timer_ = TimerId{};
    serve_waiting();
  });
}

// Walks a copy of the waiting ids: serving one may close it. Ids whose connection closed, or whose queue a
// cancel emptied, are dropped here rather than tracked at each place a queue shrinks.
void Uploader::serve_waiting() {
  std::vector<ConnId> waiting(waiting_.begin(), waiting_.end());
  for (ConnId id : waiting) {
    auto it = table_.all().find(id);
    if (it == table_.all().end() || it->second.queue.empty()) {
      waiting_.erase(id);
    } else {
      serve(it->second);
    }
  }
}

}  // namespace p2p::bittorrent
