// MetadataFetch: requests spread over the sources, data into the assembler, corrupt rounds traced to their
// sources.
#include "bittorrent/metadata_fetch.h"

#include <algorithm>
#include <utility>

#include "bittorrent/extension/ut_metadata.h"
#include "bittorrent/extension_wire.h"

namespace p2p::bittorrent {

using extension::MetadataAssembler;

MetadataFetch::MetadataFetch(Runtime& runtime, MetadataFetchConfig config, ConnectionTable& table,
                             std::function<void()> on_complete)
    : runtime_(runtime), config_(config), table_(table), on_complete_(std::move(on_complete)) {}

void MetadataFetch::on_handshake(PeerConnection& conn, const extension::ExtensionHandshake& theirs) {
  auto id = theirs.id_of(extension::kUtMetadata);
  // A peer without the metadata (another magnet peer) leaves out metadata_size: nothing to ask it.
  if (!id || !theirs.metadata_size) return;
  Source& source = sources_[conn.id];
  source.id = *id;
  source.metadata_size = *theirs.metadata_size;
  request_more();
}

void MetadataFetch::on_message(PeerConnection& conn, ByteView payload) {
  auto message = extension::decode_metadata_message(payload);
  if (!message) return table_.close(conn, "malformed " + message.reason());
  auto source = sources_.find(conn.id);
  if (source == sources_.end()) return;  // requests (we have nothing to give) and unasked answers
  if (const auto* data = std::get_if<extension::MetadataData>(&*message)) return on_data(conn, *data);
  if (std::holds_alternative<extension::MetadataReject>(*message)) {
    ++rejects_;
    source->second.rejected = true;
    for (std::uint32_t piece : std::exchange(source->second.asked, {})) assembler_->release(piece);
    request_more();
  }
}

void MetadataFetch::on_data(PeerConnection& conn, const extension::MetadataData& data) {
  if (!assembler_ || assembler_->complete()) return;
  auto progress = assembler_->on_data(data);
  if (!progress) return table_.close(conn, "malformed " + progress.reason());
  Source& source = sources_[conn.id];
  std::erase(source.asked, data.piece);
  source.asked_at = runtime_.now();
  switch (*progress) {
    case MetadataAssembler::Progress::Duplicate:
      break;
    case MetadataAssembler::Progress::Stored:
      sent_by_[data.piece] = conn.id;
      break;
    case MetadataAssembler::Progress::Complete:
      return on_complete_();
    case MetadataAssembler::Progress::CorruptReset:
      sent_by_[data.piece] = conn.id;
      return on_corrupt_round();
  }
  request_more();
}

// Every piece is to be asked again. With one sender the liar is known; with several it is not, so rounds
// go to one source at a time from now on.
void MetadataFetch::on_corrupt_round() {
  ++corrupt_rounds_;
  std::set<ConnId> senders;
  for (const auto& sender : sent_by_) {
    if (sender) senders.insert(*sender);
  }
  std::ranges::fill(sent_by_, std::nullopt);
  for (auto& [id, source] : sources_) source.asked.clear();
  solo_.reset();
  if (senders.size() == 1) {
    auto conn = table_.all().find(*senders.begin());
    if (conn != table_.all().end()) {
      ++corrupt_sources_;
      table_.close(conn->second, "corrupt metadata");
    }
  } else {
    one_source_ = true;
  }
  request_more();
}

bool MetadataFetch::usable(ConnId id, const Source& source) const {
  return !source.rejected && table_.all().contains(id) && assembler_ &&
         extension::metadata_piece_count(source.metadata_size) == assembler_->piece_count() &&
         (!one_source_ || solo_ == id);
}

void MetadataFetch::request_more() {
  if (complete()) return;
  // The assembler is sized by a source's metadata_size; if no source of that size is left, the next one's.
  bool any_usable = std::ranges::any_of(sources_, [&](const auto& entry) {
    return assembler_ && !entry.second.rejected &&
           extension::metadata_piece_count(entry.second.metadata_size) == assembler_->piece_count();
  });
  if (!any_usable) {
    assembler_.reset();
    for (auto& [id, source] : sources_) {
      if (source.rejected) continue;
      auto created = MetadataAssembler::create({config_.info_hash, source.metadata_size});
      if (created) {
        assembler_.emplace(std::move(created).value());
        sent_by_.assign(assembler_->piece_count(), std::nullopt);
        break;
      }
      source.rejected = true;  // a size no metadata may have
    }
    if (!assembler_) return;
  }
  if (one_source_ && (!solo_ || !sources_.contains(*solo_))) {
    solo_.reset();
    auto first = std::ranges::find_if(sources_, [&](const auto& entry) {
      return !entry.second.rejected &&
             extension::metadata_piece_count(entry.second.metadata_size) == assembler_->piece_count();
    });
    if (first != sources_.end()) solo_ = first->first;
  }
  TimePoint now = runtime_.now();
  for (auto& [id, source] : sources_) {
    if (!usable(id, source)) continue;
    PeerConnection& conn = table_.all().at(id);
    while (source.asked.size() < config_.requests_per_source) {
      auto piece = assembler_->next_request();
      if (!piece) return;
      if (source.asked.empty()) source.asked_at = now;
      source.asked.push_back(*piece);
      table_.send(conn, extended_message(source.id, extension::encode_metadata_message(
                                                        extension::MetadataRequest{*piece})));
    }
  }
}

void MetadataFetch::forget(ConnId conn) {
  auto it = sources_.find(conn);
  if (it == sources_.end()) return;
  if (assembler_) {
    for (std::uint32_t piece : it->second.asked) assembler_->release(piece);
  }
  sources_.erase(it);
  if (solo_ == conn) solo_.reset();
  request_more();
}

void MetadataFetch::check_timeouts() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> late;
  for (const auto& [id, source] : sources_) {
    if (!source.asked.empty() && now - source.asked_at >= config_.request_timeout) late.push_back(id);
  }
  for (ConnId id : late) {
    auto conn = table_.all().find(id);
    if (conn != table_.all().end()) table_.close(conn->second, "metadata request timeout");
  }
}

nlohmann::json MetadataFetch::status() const {
  return {{"metadata_pieces", assembler_ ? assembler_->piece_count() : 0},
          {"metadata_sources", sources_.size()},
          {"metadata_corrupt_rounds", corrupt_rounds_},
          {"metadata_corrupt_sources", corrupt_sources_},
          {"metadata_rejects", rejects_}};
}

}  // namespace p2p::bittorrent
