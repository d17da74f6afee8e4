// The KaZaA node: its port, its role and the switch between roles, and its HTTP transfers.
#include "kazaa/node.h"

#include <cassert>

#include "common/http/message.h"
#include "kazaa/codec.h"
#include "kazaa/port_framer.h"

namespace p2p::kazaa {
namespace {

// Each node waits between 1 and 2 times the configured settle time. Nodes alike (the same uplink) would
// otherwise see a shortage at the same observation and all step up together, before the first of them shows
// in anyone's network view; in SimNet 300 auto nodes then swing between a hundred supernodes and one
// (tests/kazaa/node_sim_test.cpp).
ElectionConfig jittered(ElectionConfig election, Rng& rng) {
  election.settle = std::chrono::duration_cast<Duration>(election.settle * (1 + rng.uniform()));
  return election;
}

}  // namespace

KazaaNode::KazaaNode(Runtime& runtime, NodeConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      sessions_(runtime),
      files_(config_.catalogue),
      uploads_(
          runtime, [this](std::string_view target) { return files_.resolve(target); }, config_.user_agent,
          config_.uploads),
      downloads_(
          runtime, config_.catalogue, config_.user_agent,
          [this](const Endpoint& uploader) {
            ConnId conn = runtime_.connect(uploader);
            downloads_open_.insert(conn);
            return conn;
          },
          [this](std::size_t index) {
            if (config_.free_rider) return;
            ShareFile share = files_.add(index);
            if (role_) role_->on_shared(share);
          },
          config_.downloads),
      election_(jittered(config_.election, runtime.random()), config_.role),
      current_(config_.role) {
  assert(config_.catalogue != nullptr);
  config_.login.listen_port = runtime.local_endpoint().port;
  if (!config_.free_rider) {
    for (std::size_t index : config_.shared)
      if (index < config_.catalogue->size()) files_.add(index);
  }
}

void KazaaNode::on_start() {
  started_ = runtime_.now();
  become(config_.role, {}, "start");
  if (config_.auto_role) runtime_.every(config_.election_interval, [this] { observe(); });
}

// The old role steps down and its sessions close before the new one starts with what the old one knew.
void KazaaNode::become(Role role, std::vector<SupernodeEntry> known, std::string_view reason) {
  if (role_) {
    role_->on_stepping_down();
    sessions_.close_all(std::string("role change: ") + std::string(reason));
    role_.reset();
  }
  current_ = role;
  if (role == Role::Super) {
    SupernodeConfig super = config_.super;
    super.bootstrap.insert(super.bootstrap.end(), known.begin(), known.end());
    role_ = std::make_unique<Supernode>(runtime_, sessions_, std::move(super), config_.login);
  } else {
    OrdinaryConfig ordinary = config_.ordinary;
    ordinary.bootstrap.insert(ordinary.bootstrap.end(), known.begin(), known.end());
    role_ = std::make_unique<OrdinaryNode>(runtime_, sessions_, files_, downloads_, std::move(ordinary),
                                           config_.login);
  }
  runtime_.telemetry().event("role", {{"role", role_name(role)}, {"reason", reason}});
  role_->start();
}

// Election (kazaa/election.h) for `--role auto`: the node's own link and uptime, and the network as its
// role sees it.
void KazaaNode::observe() {
  NodeView self{config_.upload_bps, runtime_.now() - started_, config_.reachable};
  switch (election_.on_observe(self, role_->network(), role_->children(), runtime_.now())) {
    case ElectionDecision::Stay:
      break;
    case ElectionDecision::Promote:
      become(Role::Super, role_->known_supernodes(), "promoted");
      break;
    case ElectionDecision::Demote:
      become(Role::Ordinary, role_->known_supernodes(), "demoted");
      break;
  }
}

// --- the port ---

std::unique_ptr<Framer> KazaaNode::framer_for(ConnId conn, bool inbound) {
  if (inbound) return std::make_unique<PortFramer>();
  if (sessions_.dialling() || sessions_.contains(conn)) return make_framer();
  return std::make_unique<LineFramer>(http::kMaxLine);
}

void KazaaNode::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (inbound) {
    awaiting_first_frame_[conn] = remote;
    runtime_.after(config_.first_frame_timeout, [this, conn] {
      if (awaiting_first_frame_.erase(conn) > 0) runtime_.close(conn, "first frame timeout");
    });
  } else if (downloads_open_.contains(conn)) {
    downloads_.on_connected(conn);
  } else if (sessions_.contains(conn)) {
    role_->on_connected(conn);
  }
}

void KazaaNode::on_frame(ConnId conn, ByteView frame) {
  if (auto first = awaiting_first_frame_.find(conn); first != awaiting_first_frame_.end()) {
    Endpoint remote = first->second;
    awaiting_first_frame_.erase(first);
    if (is_http(frame)) {
      uploads_open_.insert(conn);
      uploads_.begin(conn, remote, frame);
      return;
    }
    sessions_.adopt(conn, remote);
  }
  if (uploads_open_.contains(conn)) {
    uploads_.on_frame(conn, frame);
  } else if (downloads_open_.contains(conn)) {
    downloads_.on_frame(conn, frame);
  } else if (sessions_.contains(conn)) {
    auto message = decode(frame);
    if (!message) {
      sessions_.reject(conn, "bad_frame", "bad frame: " + message.reason());
      role_->on_closed(conn, "bad frame");
      return;
    }
    role_->on_message(conn, *message);
  }
}

void KazaaNode::on_closed(ConnId conn, std::string_view reason) {
  awaiting_first_frame_.erase(conn);
  if (uploads_open_.erase(conn) > 0) {
    uploads_.on_closed(conn, reason);
  } else if (downloads_open_.erase(conn) > 0) {
    downloads_.on_closed(conn, reason);
  } else if (sessions_.forget(conn)) {
    role_->on_closed(conn, reason);
  }
}

void KazaaNode::on_leave() {
  role_->on_stepping_down();
  sessions_.close_all("leaving");
  runtime_.stop();
}

nlohmann::json KazaaNode::status() const {
  nlohmann::json status = role_ ? role_->status() : nlohmann::json::object();
  status["role"] = role_name(current_);
  status["rejected"] = sessions_.rejected();
  status.update(uploads_.status());
  status.update(downloads_.status());
  return status;
}

}  // namespace p2p::kazaa
