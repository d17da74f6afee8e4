// Partnership: the partner table's bookkeeping and its view as suppliers.
#include "coolstreaming/partnership.h"

#include <algorithm>

namespace p2p::coolstreaming {

void Partnership::establish(ConnId conn, TimePoint now) {
  Partner* partner = find(conn);
  if (partner == nullptr || partner->established) return;
  partner->established = true;
  partner->last_heard = now;
  scores_.add(partner->id, now);
}

std::optional<Partner> Partnership::remove(ConnId conn) {
  auto it = partners_.find(conn);
  if (it == partners_.end()) return std::nullopt;
  Partner partner = std::move(it->second);
  partners_.erase(it);
  if (partner.established) scores_.remove(partner.id);
  return partner;
}

Partner* Partnership::find(ConnId conn) {
  auto it = partners_.find(conn);
  return it == partners_.end() ? nullptr : &it->second;
}

const Partner* Partnership::find(ConnId conn) const {
  auto it = partners_.find(conn);
  return it == partners_.end() ? nullptr : &it->second;
}

std::optional<ConnId> Partnership::find(const Endpoint& id) const {
  for (const auto& [conn, partner] : partners_) {
    if (partner.id == id) return conn;
  }
  return std::nullopt;
}

std::size_t Partnership::established() const {
  return static_cast<std::size_t>(
      std::ranges::count_if(partners_, [](const auto& entry) { return entry.second.established; }));
}

std::vector<Endpoint> Partnership::members() const {
  std::vector<Endpoint> out;
  for (const auto& [conn, partner] : partners_) out.push_back(partner.id);
  return out;
}

std::vector<ConnId> Partnership::timed_out(TimePoint now) const {
  std::vector<ConnId> out;
  for (const auto& [conn, partner] : partners_) {
    if (now - partner.last_heard > config_.timeout) out.push_back(conn);
  }
  return out;
}

std::vector<ConnId> Partnership::established_conns() const {
  std::vector<ConnId> out;
  for (const auto& [conn, partner] : partners_) {
    if (partner.established) out.push_back(conn);
  }
  return out;
}

std::optional<ConnId> Partnership::weakest_uploader() const {
  std::optional<ConnId> weakest;
  for (const auto& [conn, partner] : partners_) {
    if (partner.established && (!weakest || partner.upload_kbps < find(*weakest)->upload_kbps))
      weakest = conn;
  }
  return weakest;
}

std::optional<ConnId> Partnership::relay_target(const Endpoint& to, std::optional<ConnId> except,
                                                Rng& rng) const {
  if (auto conn = find(to); conn && find(*conn)->established) return conn;
  std::vector<ConnId> others;
  for (ConnId conn : established_conns()) {
    if (conn != except) others.push_back(conn);
  }
  if (others.empty()) return std::nullopt;
  return rng.pick(others);
}

std::vector<Supplier> Partnership::suppliers(double segment_kbit,
                                             const std::map<Endpoint, std::size_t>& outstanding,
                                             TimePoint now, Rng& rng) const {
  std::vector<Supplier> out;
  for (const auto& [conn, partner] : partners_) {
    if (!partner.established || !partner.map || !partner.uploading || now < partner.busy_until) continue;
    const double advertised =
        static_cast<double>(partner.upload_kbps) / segment_kbit / static_cast<double>(config_.target);
    const double delivered = scores_.rates(partner.id).received;
    auto asked = outstanding.find(partner.id);
    out.push_back(Supplier{.id = partner.id,
                           .buffer = &*partner.map,
                           .segments_per_second = std::max(advertised, delivered),
                           .outstanding = asked == outstanding.end() ? 0 : asked->second});
  }
  rng.shuffle(out);
  return out;
}

}  // namespace p2p::coolstreaming
