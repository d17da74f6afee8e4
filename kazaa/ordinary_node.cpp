// The ordinary node: joining a supernode, uploading its files, heartbeats, and searching through it.
#include "kazaa/ordinary_node.h"

#include <algorithm>

#include "common/http/file_requests.h"

namespace p2p::kazaa {
namespace {

// Ordinary nodes answer a login with the supernodes they know: whoever took them for a supernode (one
// that has since stepped down) moves on.
constexpr std::size_t kAlternatives = 20;

}  // namespace

OrdinaryNode::OrdinaryNode(Runtime& runtime, Sessions& sessions, SharedFiles& files,
                           transfer::HttpDownloads& downloads, OrdinaryConfig config, Login login)
    : runtime_(runtime),
      sessions_(sessions),
      files_(files),
      downloads_(downloads),
      config_(std::move(config)),
      login_(std::move(login)),
      self_(runtime.local_endpoint()),
      policy_(self_, config_.bootstrap, config_.attach) {
  login_.supernode = false;
  if (config_.query_rate > 0) workload_.emplace(files_.catalogue());
}

OrdinaryNode::~OrdinaryNode() {
  runtime_.cancel(wake_timer_);
  runtime_.cancel(heartbeat_timer_);
  runtime_.cancel(query_timer_);
}

void OrdinaryNode::start() {
  act(policy_.on_start(runtime_.now()));
  heartbeat_timer_ = runtime_.every(config_.heartbeat_interval, [this] { heartbeat(); });
  schedule_query();
}

// --- joining (AttachPolicy's actions) ---

void OrdinaryNode::act(const AttachAction& action) {
  switch (action.kind) {
    case AttachAction::Kind::Nothing:
      break;
    case AttachAction::Kind::AskForList:
      probes_sent_ = 0;
      rtts_.clear();
      open(action.to.front(), Purpose::List);
      break;
    case AttachAction::Kind::Ping:
      for (const Endpoint& address : action.to) open(address, Purpose::Probe);
      break;
    case AttachAction::Kind::Attach:
      attach_to(action.to.front());
      break;
  }
  if (action.wake_at) {
    runtime_.cancel(wake_timer_);
    wake_timer_ =
        runtime_.after(*action.wake_at - runtime_.now(), [this] { act(policy_.on_timer(runtime_.now())); });
  }
}

void OrdinaryNode::open(const Endpoint& address, Purpose purpose) {
  ConnId conn = sessions_.dial(address);
  contacts_[conn] = Contact{address, purpose};
}

// A probe already open to the chosen supernode carries the login; the other probes are done with.
void OrdinaryNode::attach_to(const Endpoint& address) {
  close_contacts(address);
  for (auto& [conn, contact] : contacts_) {
    if (contact.address == address && contact.up) {
      contact.purpose = Purpose::Attach;
      sessions_.send(conn, login_);
      return;
    }
  }
  close_contacts(std::nullopt);
  open(address, Purpose::Attach);
}

void OrdinaryNode::close_contacts(const std::optional<Endpoint>& except) {
  std::vector<ConnId> done;
  for (const auto& [conn, contact] : contacts_)
    if (contact.address != except) done.push_back(conn);
  for (ConnId conn : done) {
    contacts_.erase(conn);
    sessions_.close(conn, "probe done");
  }
}

void OrdinaryNode::on_connected(ConnId conn) {
  auto it = contacts_.find(conn);
  if (it == contacts_.end()) return;
  Contact& contact = it->second;
  contact.up = true;
  if (contact.purpose == Purpose::Probe) {
    contact.nonce = static_cast<std::uint32_t>(runtime_.random().next());
    contact.pinged = runtime_.now();
    ++probes_sent_;
    sessions_.send(conn, Ping{contact.nonce});
  } else {
    sessions_.send(conn, login_);
  }
}

void OrdinaryNode::on_message(ConnId conn, const Message& message) {
  if (conn == supernode_conn_) last_heard_ = runtime_.now();  // any message is a sign of life
  if (const auto* ping = std::get_if<Ping>(&message)) {
    sessions_.send(conn, Pong{ping->nonce, 0});
  } else if (conn == supernode_conn_) {
    on_supernode_message(conn, message);
  } else if (auto it = contacts_.find(conn); it != contacts_.end()) {
    on_contact_message(conn, it->second, message);
  } else if (std::holds_alternative<Login>(message)) {
    sessions_.send(conn, AttachRefuse{policy_.list().candidates(runtime_.now(), {}, kAlternatives)});
    sessions_.close(conn, "not a supernode");
  } else {
    sessions_.reject_unexpected(conn, message);
  }
}

void OrdinaryNode::on_contact_message(ConnId conn, Contact& contact, const Message& message) {
  TimePoint now = runtime_.now();
  Endpoint from = contact.address;
  if (const auto* pong = std::get_if<Pong>(&message)) {
    if (contact.purpose != Purpose::Probe || pong->nonce != contact.nonce) return;
    rtts_[from] = now - contact.pinged;
    act(policy_.on_pong(from, now - contact.pinged, pong->load_percent, now));
  } else if (const auto* accept = std::get_if<AttachAccept>(&message)) {
    if (contact.purpose == Purpose::List) {
      contacts_.erase(conn);
      sessions_.close(conn, "list taken");
      act(policy_.on_list(from, accept->fresh, now));
    } else {
      attached(conn, from, accept->fresh);
    }
  } else if (const auto* refuse = std::get_if<AttachRefuse>(&message)) {
    bool asked_list = contact.purpose == Purpose::List;
    contacts_.erase(conn);
    sessions_.close(conn, "refused");
    act(asked_list ? policy_.on_list(from, refuse->alternatives, now)
                   : policy_.on_refused(from, refuse->alternatives, now));
  } else if (const auto* list = std::get_if<SupernodeList>(&message)) {
    policy_.on_list(from, list->entries, now);
  } else if (!std::holds_alternative<NetworkStats>(message)) {
    contacts_.erase(conn);
    sessions_.reject_unexpected(conn, message);
    act(policy_.on_lost(from, now));
  }
}

void OrdinaryNode::attached(ConnId conn, const Endpoint& address, std::span<const SupernodeEntry> fresh) {
  TimePoint now = runtime_.now();
  std::size_t reattaches = policy_.reattaches();
  act(policy_.on_accepted(address, now));
  contacts_.erase(conn);
  if (policy_.supernode() != address) {
    sessions_.close(conn, "accepted too late");  // the policy has moved on (kazaa/attach_policy.h)
    return;
  }
  close_contacts(std::nullopt);
  policy_.on_list(address, fresh, now);
  supernode_conn_ = conn;
  supernode_ = address;
  last_heard_ = now;
  auto rtt = rtts_.find(address);
  runtime_.telemetry().event(
      "attached",
      {{"supernode", address.str()},
       {"rtt_ms", rtt == rtts_.end() ? nlohmann::json(nullptr) : nlohmann::json(to_millis(rtt->second))},
       {"join_ms", to_millis(policy_.last_join().value_or(Duration{0}))},
       {"reattach", policy_.reattaches() > reattaches},
       {"probes", probes_sent_}});
  // The supernode indexes what its children share (PROTOCOLS.md, KaZaA: "uploads its files' metadata").
  for (const ShareFile& share : files_.to_share()) sessions_.send(conn, share);
}

// --- the attached supernode ---

void OrdinaryNode::on_supernode_message(ConnId conn, const Message& message) {
  TimePoint now = runtime_.now();
  if (const auto* reply = std::get_if<QueryReply>(&message)) {
    on_reply(*reply);
  } else if (const auto* end = std::get_if<SearchEnd>(&message)) {
    end_search(end->query_id, true);
  } else if (const auto* list = std::get_if<SupernodeList>(&message)) {
    policy_.on_list(*supernode_, list->entries, now);
  } else if (const auto* stats = std::get_if<NetworkStats>(&message)) {
    network_users_ = stats->users;
  } else if (const auto* handoff = std::get_if<Handoff>(&message)) {
    policy_.on_list(*supernode_, handoff->alternatives, now);
    lose_supernode("handoff");
  } else if (!std::holds_alternative<Pong>(message)) {
    sessions_.reject_unexpected(conn, message);
    lose_supernode("rejected");
  }
}

void OrdinaryNode::on_closed(ConnId conn, std::string_view reason) {
  TimePoint now = runtime_.now();
  if (conn == supernode_conn_) {
    supernode_conn_.reset();
    lose_supernode("connection closed: " + std::string(reason));
    return;
  }
  auto it = contacts_.find(conn);
  if (it == contacts_.end()) return;
  Endpoint from = it->second.address;
  contacts_.erase(it);
  act(policy_.on_lost(from, now));
}

void OrdinaryNode::lose_supernode(const std::string& reason) {
  Endpoint lost = *supernode_;
  runtime_.telemetry().event("detached", {{"supernode", lost.str()}, {"reason", reason}});
  if (supernode_conn_) sessions_.close(*supernode_conn_, reason);
  supernode_conn_.reset();
  supernode_.reset();
  act(policy_.on_lost(lost, runtime_.now()));
}

void OrdinaryNode::heartbeat() {
  TimePoint now = runtime_.now();
  if (supernode_conn_ && now - last_heard_ > config_.heartbeat_timeout) lose_supernode("heartbeat lost");
  if (supernode_conn_)
    sessions_.send(*supernode_conn_, Ping{static_cast<std::uint32_t>(runtime_.random().next())});
  std::vector<std::uint16_t> late;
  for (const auto& [id, search] : searches_)
    if (now - search.started > config_.query_timeout) late.push_back(id);
  for (std::uint16_t id : late) end_search(id, false);
}

void OrdinaryNode::on_stepping_down() {
  if (!supernode_) return;
  runtime_.telemetry().event("detached", {{"supernode", supernode_->str()}, {"reason", "stepping down"}});
  if (supernode_conn_) sessions_.close(*supernode_conn_, "stepping down");
  supernode_conn_.reset();
  supernode_.reset();
}

void OrdinaryNode::on_shared(const ShareFile& file) {
  if (supernode_conn_) sessions_.send(*supernode_conn_, file);
}

// --- searching ---

Expected<std::string> OrdinaryNode::query(const std::string& words, std::optional<std::size_t> file) {
  if (!supernode_conn_) return make_error("not attached to a supernode");
  if (words.empty() || words.size() > kMaxTextBytes) return make_error("the words cannot form a Query");
  std::uint16_t query_id = ++next_query_id_;
  std::string id = self_.str() + "/" + std::to_string(query_id);
  sessions_.send(*supernode_conn_, Query{query_id, words, config_.max_results});
  ++queries_;
  searches_[query_id] = Search{id, file, runtime_.now()};
  runtime_.telemetry().event("query_sent", {{"id", id}, {"words", words}});
  return id;
}

// A user takes the first result that names the file it searched for, if it does not have it yet.
void OrdinaryNode::on_reply(const QueryReply& reply) {
  auto it = searches_.find(reply.query_id);
  if (it == searches_.end()) return;
  Search& search = it->second;
  search.results += reply.results.size();
  if (search.download_decided || !search.file) return;
  const content::FileEntry& wanted = files_.catalogue().file(*search.file);
  auto result = std::find_if(reply.results.begin(), reply.results.end(),
                             [&](const QueryResult& r) { return r.name == wanted.name; });
  if (result == reply.results.end()) return;
  search.download_decided = true;
  if (files_.shares(wanted.index) || downloads_.fetching(wanted.index)) return;
  if (downloads_.active() >= config_.max_downloads || !runtime_.random().chance(config_.download_probability))
    return;
  downloads_.start({result->owner, wanted.index, result->name, http::hash_target(result->hash), search.id});
}

void OrdinaryNode::end_search(std::uint16_t query_id, bool ok) {
  auto it = searches_.find(query_id);
  if (it == searches_.end()) return;
  const Search& search = it->second;
  runtime_.telemetry().event("query_done", {{"id", search.id},
                                            {"results", search.results},
                                            {"latency_ms", to_millis(runtime_.now() - search.started)},
                                            {"ok", ok}});
  searches_.erase(it);
}

void OrdinaryNode::schedule_query() {
  if (!workload_) return;
  Duration gap = from_seconds(runtime_.random().exponential(1.0 / config_.query_rate));
  query_timer_ = runtime_.after(gap, [this] {
    content::WorkloadQuery next = workload_->next(runtime_.random());
    (void)query(next.words, next.file);
    schedule_query();
  });
}

// --- the election's view, and status ---

std::optional<Endpoint> OrdinaryNode::supernode() const {
  return supernode_;
}

NetworkView OrdinaryNode::network() const {
  TimePoint now = runtime_.now();
  const auto& stranded = policy_.stranded_round();
  return NetworkView{policy_.list().heard_within(now, kCountedAsUp), network_users_,
                     stranded ? std::optional(now - *stranded) : std::nullopt};
}

std::vector<SupernodeEntry> OrdinaryNode::known_supernodes() const {
  return policy_.list().to_send(runtime_.now());
}

nlohmann::json OrdinaryNode::status() const {
  return {{"supernode", supernode_ ? nlohmann::json(supernode_->str()) : nlohmann::json(nullptr)},
          {"queries", queries_},
          {"shared_files", files_.size()},
          {"known_supernodes", policy_.list().size()}};
}

}  // namespace p2p::kazaa
