// The supernode: children and their index, neighbour links, and the searches it drives.
#include "kazaa/supernode.h"

#include <algorithm>
#include <set>

#include "kazaa/codec.h"

namespace p2p::kazaa {
namespace {

// A refused or handed-off child is given this many other supernodes to try: enough for AttachPolicy's
// handful of probes and a few refusals more.
constexpr std::size_t kAlternatives = 20;

}  // namespace

Supernode::Supernode(Runtime& runtime, Sessions& sessions, SupernodeConfig config, Login login)
    : runtime_(runtime),
      sessions_(sessions),
      config_(std::move(config)),
      login_(std::move(login)),
      self_(runtime.local_endpoint()),
      list_(self_, config_.list) {
  login_.supernode = true;
}

Supernode::~Supernode() {
  runtime_.cancel(maintenance_timer_);
  runtime_.cancel(refresh_timer_);
  for (const auto& [id, search] : searches_) runtime_.cancel(search.timer);
}

void Supernode::start() {
  list_.merge(config_.bootstrap, runtime_.now());
  maintain();
  maintenance_timer_ = runtime_.every(config_.maintenance_interval, [this] { maintain(); });
  refresh_timer_ = runtime_.every(config_.refresh_interval, [this] { refresh(); });
}

// --- sessions ---

void Supernode::on_connected(ConnId conn) {
  auto it = neighbours_.find(conn);
  if (it == neighbours_.end()) return;
  it->second.up = true;
  list_.heard_from(it->second.address, 0, runtime_.now());
  sessions_.send(conn, login_);
  sessions_.send(conn, SupernodeList{list_with_self()});
  sessions_.send(conn, own_stats());
}

void Supernode::on_message(ConnId conn, const Message& message) {
  if (auto child = children_.find(conn); child != children_.end()) {
    on_child_message(conn, child->second, message);
  } else if (auto neighbour = neighbours_.find(conn); neighbour != neighbours_.end()) {
    on_neighbour_message(conn, neighbour->second, message);
  } else if (const auto* login = std::get_if<Login>(&message)) {
    unknown_.erase(conn);
    on_login(conn, *login);
  } else if (const auto* ping = std::get_if<Ping>(&message)) {
    unknown_[conn] = runtime_.now();  // a newcomer measuring its RTT (kazaa/attach_policy.h)
    sessions_.send(conn, Pong{ping->nonce, load_percent()});
  } else {
    unknown_.erase(conn);
    sessions_.reject(conn, "unexpected_message",
                     "expected a login, got " + std::string(type_name(type_of(message))));
  }
}

// The first Login on a session says what the peer is: another supernode opening a neighbour link, or a node
// asking to be a child. The peer's address is the connection's own, with the port its login gives
// (kazaa/PROTOCOL.md, "0x02 Login").
void Supernode::on_login(ConnId conn, const Login& login) {
  Endpoint address = sessions_.remote(conn);
  address.port = login.listen_port;
  TimePoint now = runtime_.now();
  if (login.supernode) {
    // Inbound links are taken up to twice the target, so that every supernode can reach its own.
    if (neighbours_.size() >= 2 * config_.sn_neighbours) {
      sessions_.close(conn, "neighbour slots full");
      return;
    }
    neighbours_[conn] = Neighbour{address, true, {}};
    list_.heard_from(address, 0, now);
    sessions_.send(conn, SupernodeList{list_with_self()});
    sessions_.send(conn, own_stats());
    return;
  }
  if (children_.size() >= config_.max_children) {
    sessions_.send(conn, AttachRefuse{list_.candidates(now, {}, kAlternatives)});
    sessions_.close(conn, "children full");
    return;
  }
  ChildInfo info{address, login.user_name};
  index_.add_child(conn, info);
  children_[conn] = Child{std::move(info), now, {}};
  sessions_.send(conn, AttachAccept{list_with_self()});
  runtime_.telemetry().event("child_joined", {{"child", address.str()}, {"children", children_.size()}});
}

void Supernode::on_child_message(ConnId conn, Child& child, const Message& message) {
  child.last_heard = runtime_.now();
  if (const auto* ping = std::get_if<Ping>(&message)) {
    sessions_.send(conn, Pong{ping->nonce, load_percent()});
  } else if (const auto* share = std::get_if<ShareFile>(&message)) {
    // A name shared twice or past the per-child limit is not indexed; the child stays.
    if (index_.share(conn, SharedFile{share->name, share->size, share->hash}))
      child.names[share->hash] = share->name;
  } else if (const auto* unshare = std::get_if<Unshare>(&message)) {
    if (auto name = child.names.find(unshare->hash); name != child.names.end()) {
      (void)index_.unshare(conn, name->second);
      child.names.erase(name);
    }
  } else if (const auto* query = std::get_if<Query>(&message)) {
    start_search(conn, child, *query);
  } else if (!std::holds_alternative<Pong>(message)) {
    unexpected(conn, message);
  }
}

void Supernode::on_neighbour_message(ConnId conn, Neighbour& neighbour, const Message& message) {
  TimePoint now = runtime_.now();
  if (const auto* list = std::get_if<SupernodeList>(&message)) {
    list_.merge(list->entries, now);  // its own entry first, fresh and with its load (list_with_self)
  } else if (const auto* forward = std::get_if<SearchForward>(&message)) {
    on_forward(conn, *forward);
  } else if (const auto* reply = std::get_if<QueryReply>(&message)) {
    on_search_reply(neighbour, *reply);
  } else if (const auto* stats = std::get_if<NetworkStats>(&message)) {
    neighbour.stats = *stats;
  } else if (const auto* ping = std::get_if<Ping>(&message)) {
    sessions_.send(conn, Pong{ping->nonce, load_percent()});
  } else if (const auto* refuse = std::get_if<AttachRefuse>(&message)) {
    // Not a supernode (any more: it stepped down); it names some that are.
    list_.merge(refuse->alternatives, now);
    list_.mark_dead(neighbour.address, now);
    neighbours_.erase(conn);
    sessions_.close(conn, "not a supernode");
  } else if (!std::holds_alternative<Pong>(message)) {
    unexpected(conn, message);  // a second Login among them: a link logs in once
  }
}

void Supernode::unexpected(ConnId conn, const Message& message) {
  bool child = children_.contains(conn);
  if (!child) neighbours_.erase(conn);
  sessions_.reject_unexpected(conn, message);
  if (child) drop_child(conn, "unexpected message", /*close=*/false);
}

void Supernode::on_closed(ConnId conn, std::string_view reason) {
  unknown_.erase(conn);
  if (children_.contains(conn)) {
    drop_child(conn, std::string(reason), /*close=*/false);
    return;
  }
  auto it = neighbours_.find(conn);
  if (it == neighbours_.end()) return;
  if (!it->second.up) list_.mark_dead(it->second.address, runtime_.now());  // the dial failed
  neighbours_.erase(it);
}

void Supernode::drop_child(ConnId conn, const std::string& reason, bool close) {
  auto it = children_.find(conn);
  if (it == children_.end()) return;
  Endpoint address = it->second.info.address;
  children_.erase(it);
  index_.remove_child(conn);
  if (close) sessions_.close(conn, reason);
  for (auto search = searches_.begin(); search != searches_.end();) {
    if (search->second.child == conn) {
      runtime_.cancel(search->second.timer);
      search = searches_.erase(search);
    } else {
      ++search;
    }
  }
  runtime_.telemetry().event("child_left", {{"child", address.str()}, {"children", children_.size()}});
}

void Supernode::on_stepping_down() {
  Handoff handoff{list_.candidates(runtime_.now(), {}, kAlternatives)};
  std::vector<ConnId> all;
  for (const auto& [conn, child] : children_) all.push_back(conn);
  for (ConnId conn : all) {
    sessions_.send(conn, handoff);
    drop_child(conn, "handoff", /*close=*/true);
  }
}

// --- searches ---

// PROTOCOLS.md, KaZaA: a search is "driven by the originating SN, not a recursive flood". The own index
// answers first, then QueryDriver picks the neighbours to ask, round by round.
void Supernode::start_search(ConnId conn, const Child& child, const Query& query) {
  std::uint16_t search_id = ++next_search_;
  while (searches_.contains(search_id)) search_id = ++next_search_;  // the 16-bit ids wrap around
  ++searches_started_;
  QueryDriverConfig driver = config_.query;
  driver.max_results = std::min<std::size_t>(driver.max_results, query.max_results);
  std::vector<IndexMatch> local = index_.search(query.words, driver.max_results);
  auto [it, added] = searches_.insert_or_assign(
      search_id, Search{conn,
                        query.query_id,
                        child.info.address.str() + "/" + std::to_string(query.query_id),
                        query.words,
                        query.max_results,
                        QueryDriver(driver, neighbours()),
                        local.size(),
                        1,
                        {}});
  Search& search = it->second;
  QueryStep step = search.driver.start(local.size(), runtime_.now());
  if (step.pass_on > 0) {
    sessions_.send(conn, results(query.query_id, local, step.pass_on));
    ++search.messages;
  }
  apply(search_id, step);
}

void Supernode::apply(std::uint16_t search_id, const QueryStep& step) {
  auto it = searches_.find(search_id);
  if (it == searches_.end()) return;
  Search& search = it->second;
  for (const Endpoint& to : step.forward_to) {
    auto neighbour = std::find_if(neighbours_.begin(), neighbours_.end(),
                                  [&](const auto& n) { return n.second.up && n.second.address == to; });
    if (neighbour == neighbours_.end())
      continue;  // the link went since the search began: its round times out
    sessions_.send(neighbour->first, SearchForward{search_id, self_, search.words, search.max_results});
    ++search.messages;
  }
  if (step.finished) {
    end_search(it);
    return;
  }
  if (step.wake_at) {
    runtime_.cancel(search.timer);
    search.timer = runtime_.after(*step.wake_at - runtime_.now(), [this, search_id] {
      auto found = searches_.find(search_id);
      if (found == searches_.end()) return;
      found->second.timer = TimerId{};
      apply(search_id, found->second.driver.on_timer(runtime_.now()));
    });
  }
}

// A neighbour's search: the own index only, answered even when empty so the driver need not wait; never
// forwarded further.
void Supernode::on_forward(ConnId conn, const SearchForward& forward) {
  std::vector<IndexMatch> matches = index_.search(forward.words, forward.max_results);
  sessions_.send(conn, results(forward.query_id, matches, matches.size()));
}

void Supernode::on_search_reply(const Neighbour& from, const QueryReply& reply) {
  auto it = searches_.find(reply.query_id);
  if (it == searches_.end()) return;  // ended already
  Search& search = it->second;
  QueryStep step = search.driver.on_reply(from.address, reply.results.size(), runtime_.now());
  ++search.messages;
  if (step.pass_on > 0) {
    QueryReply onward{
        search.child_query,
        reply.supernode,
        {reply.results.begin(), reply.results.begin() + static_cast<std::ptrdiff_t>(step.pass_on)}};
    sessions_.send(search.child, onward);
    ++search.messages;
  }
  apply(reply.query_id, step);
}

// The index's matches as the wire's results: where each owner serves HTTP, and what the file is.
QueryReply Supernode::results(std::uint16_t query_id, const std::vector<IndexMatch>& matches,
                              std::size_t count) const {
  QueryReply reply{query_id, self_, {}};
  for (std::size_t i = 0; i < std::min(count, matches.size()); ++i) {
    const IndexMatch& match = matches[i];
    reply.results.push_back(QueryResult{match.owner->address, match.owner->user, match.file->hash,
                                        match.file->size, match.file->name});
  }
  return reply;
}

void Supernode::end_search(std::map<std::uint16_t, Search>::iterator it) {
  Search& search = it->second;
  sessions_.send(search.child, SearchEnd{search.child_query});
  ++search.messages;
  runtime_.cancel(search.timer);
  runtime_.telemetry().event("search_done", {{"id", search.id},
                                             {"local", search.local},
                                             {"matches", search.driver.matches()},
                                             {"supernodes_contacted", search.driver.supernodes_contacted()},
                                             {"rounds", search.driver.rounds()},
                                             {"messages", search.messages}});
  searches_.erase(it);
}

// --- upkeep ---

void Supernode::maintain() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> silent;
  for (const auto& [conn, child] : children_)
    if (now - child.last_heard > config_.child_timeout) silent.push_back(conn);
  for (ConnId conn : silent) drop_child(conn, "heartbeat lost", /*close=*/true);
  std::vector<ConnId> idle;
  for (const auto& [conn, since] : unknown_)
    if (now - since > config_.child_timeout) idle.push_back(conn);
  for (ConnId conn : idle) {
    unknown_.erase(conn);
    sessions_.close(conn, "no login");
  }
  // Link toward sn_neighbours distinct supernodes, best known first; those linked or being dialled are not
  // asked again. Two supernodes that dialled each other at once hold two links to one neighbour: that counts
  // once, or both would stop one neighbour short of the target.
  std::set<Endpoint> distinct;
  for (const auto& [conn, neighbour] : neighbours_) distinct.insert(neighbour.address);
  if (distinct.size() >= config_.sn_neighbours) return;
  std::vector<Endpoint> linked(distinct.begin(), distinct.end());
  for (const SupernodeEntry& entry : list_.candidates(now, linked, config_.sn_neighbours - linked.size())) {
    ConnId conn = sessions_.dial(entry.address);
    neighbours_[conn] = Neighbour{entry.address, false, {}};
  }
}

void Supernode::refresh() {
  SupernodeList list{list_with_self()};
  NetworkStats own = own_stats();
  NetworkStats seen = own;  // what children are told: this supernode's part and its neighbours'
  for (const auto& [conn, neighbour] : neighbours_) {
    if (!neighbour.up) continue;
    sessions_.send(conn, list);
    sessions_.send(conn, own);
    seen.users += neighbour.stats.users;
    seen.files += neighbour.stats.files;
    seen.total_bytes += neighbour.stats.total_bytes;
  }
  for (const auto& [conn, child] : children_) {
    sessions_.send(conn, list);
    sessions_.send(conn, seen);
  }
  list_.expire(runtime_.now());
}

// What this supernode hands out: itself first (it wants children), then what it knows.
std::vector<SupernodeEntry> Supernode::list_with_self() const {
  std::vector<SupernodeEntry> entries{SupernodeEntry{self_, load_percent(), 0}};
  for (const SupernodeEntry& entry : list_.to_send(runtime_.now())) {
    if (entries.size() == kMaxSupernodeEntries) break;
    entries.push_back(entry);
  }
  return entries;
}

NetworkStats Supernode::own_stats() const {
  return NetworkStats{static_cast<std::uint32_t>(children_.size()),
                      static_cast<std::uint32_t>(index_.files()), index_.bytes()};
}

std::uint8_t Supernode::load_percent() const {
  if (config_.max_children == 0) return 100;
  return static_cast<std::uint8_t>(std::min<std::size_t>(100, children_.size() * 100 / config_.max_children));
}

// Two supernodes that dial each other at once keep both links; each is listed once.
std::vector<Endpoint> Supernode::neighbours() const {
  std::set<Endpoint> up;
  for (const auto& [conn, neighbour] : neighbours_)
    if (neighbour.up) up.insert(neighbour.address);
  return {up.begin(), up.end()};
}

NetworkView Supernode::network() const {
  std::size_t users = children_.size();
  for (const auto& [conn, neighbour] : neighbours_) users += neighbour.stats.users;
  return NetworkView{list_.heard_within(runtime_.now(), kCountedAsUp) + 1, users, std::nullopt};
}

std::vector<SupernodeEntry> Supernode::known_supernodes() const {
  return list_.to_send(runtime_.now());
}

nlohmann::json Supernode::status() const {
  return {{"children", children_.size()},
          {"files_indexed", index_.files()},
          {"sn_neighbours", neighbours().size()},
          {"load_percent", load_percent()},
          {"queries", searches_started_}};
}

}  // namespace p2p::kazaa
