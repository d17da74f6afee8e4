// The six attacks and the honest check, over SocketProbe.
#include "tests/tools/hostile/attack.h"

#include <thread>

namespace p2p::hostile {
namespace {

using std::chrono::seconds;
using Until = SocketProbe::Until;

// The one line every attack ends with.
void report(std::ostream& out, std::string_view what, const SocketProbe& probe) {
  out << what << ": " << probe.describe() << std::endl;
}

Bytes garbage(Rng& rng, std::size_t size) {
  Bytes out(size);
  rng.fill(out.data(), out.size());
  return out;
}

// A connection that has made the target's valid opening (both steps of a text handshake), and read the
// listener's answer where its size is fixed (ZMTP's handshake is then complete).
Expected<SocketProbe> open_after_hello(const TargetFrames& frames, const AttackConfig& config, Rng& rng) {
  auto probe = SocketProbe::open(frames.kind, config.port);
  if (!probe) return probe.error();
  Bytes hello = frames.hello(rng);
  if (hello.empty()) return probe;
  probe->send(hello);
  if (!frames.hello_after_reply.empty()) {
    probe->watch(config.wait, Until::BlankLine);
    probe->send(frames.hello_after_reply);
  }
  Clock::time_point end = Clock::now() + config.wait;
  while (probe->bytes_received() < frames.hello_reply_bytes && !probe->closed() && Clock::now() < end)
    probe->watch(end - Clock::now(), Until::AnyBytes);
  return probe;
}

// On a connection that made its opening: reads the listener's answer to it, if any is still to come, then
// sends `request`; true once the listener answers that.
bool request_answered(SocketProbe& probe, const TargetFrames& frames, ByteView request,
                      const AttackConfig& config) {
  bool answer_to_come = frames.kind == SocketProbe::Kind::Tcp && frames.hello_after_reply.empty() &&
                        frames.hello_reply_bytes == 0 && probe.bytes_sent() > 0;
  if (answer_to_come) probe.watch(config.wait / 4, Until::AnyBytes);
  std::uint64_t before = probe.bytes_received();
  probe.send(request);
  probe.watch(config.wait, Until::AnyBytes);
  return probe.bytes_received() > before;
}

// Sends `bytes` in 16 KiB pieces until the peer closes, then watches its reaction.
void send_and_watch(SocketProbe& probe, ByteView bytes, const AttackConfig& config) {
  for (std::size_t at = 0; at < bytes.size() && !probe.closed(); at += 16384)
    probe.send(bytes.subspan(at, std::min<std::size_t>(16384, bytes.size() - at)));
  probe.watch(config.wait);
}

int garbage_attack(const TargetFrames& frames, const AttackConfig& config, Rng& rng, std::ostream& out,
                   bool after_hello) {
  auto probe =
      after_hello ? open_after_hello(frames, config, rng) : SocketProbe::open(frames.kind, config.port);
  if (!probe) return out << probe.reason() << std::endl, 1;
  send_and_watch(*probe, garbage(rng, config.garbage_bytes), config);
  report(out, after_hello ? "valid opening, then garbage" : "garbage", *probe);
  return 0;
}

// The length field at its largest, then garbage as if the frame's body followed: a peer that believes the
// length buffers it all, one that checks it closes at once.
int huge_length_attack(const TargetFrames& frames, const AttackConfig& config, Rng& rng, std::ostream& out) {
  auto probe = open_after_hello(frames, config, rng);
  if (!probe) return out << probe.reason() << std::endl, 1;
  Bytes frame = frames.huge_length;
  if (frames.kind == SocketProbe::Kind::Tcp) {
    Bytes body = garbage(rng, config.garbage_bytes);
    frame.insert(frame.end(), body.begin(), body.end());
  }
  send_and_watch(*probe, frame, config);
  report(out,
         "a " + std::to_string(frames.huge_length.size()) + "-byte frame whose length field is its largest",
         *probe);
  return 0;
}

// The opening (or, for a protocol without one, a request) one byte a second.
int slowloris_attack(const TargetFrames& frames, const AttackConfig& config, Rng& rng, std::ostream& out) {
  auto probe = SocketProbe::open(frames.kind, config.port);
  if (!probe) return out << probe.reason() << std::endl, 1;
  Bytes frame = frames.hello(rng);
  if (frame.empty()) frame = frames.request(rng);
  Clock::time_point end = Clock::now() + config.slowloris;
  std::size_t trickled = 0;
  while (trickled < frame.size() && !probe->closed() && Clock::now() < end) {
    probe->send(ByteView(frame).subspan(trickled++, 1));
    probe->watch(std::min<Clock::duration>(seconds(1), end - Clock::now()));
  }
  report(out, "slowloris, " + std::to_string(trickled) + " of " + std::to_string(frame.size()) + " bytes",
         *probe);
  return 0;
}

int many_connections_attack(const TargetFrames& frames, const AttackConfig& config, Rng& rng,
                            std::ostream& out) {
  std::vector<SocketProbe> probes;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < config.connections; ++i) {
    auto probe = SocketProbe::open(frames.kind, config.port, seconds(1));
    if (!probe) {
      ++failed;
      continue;
    }
    Bytes hello = frames.hello(rng);
    probe->send(hello.empty() ? frames.request(rng) : hello, seconds(0));
    probes.push_back(std::move(probe).value());
  }
  std::this_thread::sleep_for(config.wait);
  std::size_t closed = 0, answered = 0;
  for (auto& probe : probes) {
    probe.drain();
    closed += probe.closed() ? 1 : 0;
    answered += probe.bytes_received() > 0 ? 1 : 0;
  }
  out << "many connections: " << probes.size() << " opened, " << failed << " refused or timed out; after "
      << std::chrono::duration<double>(config.wait).count() << " s " << closed << " closed by the peer, "
      << answered << " answered" << std::endl;
  return probes.empty() ? 1 : 0;
}

// Valid requests as fast as the peer takes them: on one connection, or one connection each (HTTP, Napster's
// transfers), each read until its answer begins.
int flood_attack(const TargetFrames& frames, const AttackConfig& config, Rng& rng, std::ostream& out) {
  if (frames.one_request_per_connection) {
    std::size_t answered = 0, refused = 0;
    for (std::size_t i = 0; i < config.requests; ++i) {
      auto probe = open_after_hello(frames, config, rng);
      if (!probe) {
        ++refused;
        continue;
      }
      answered += request_answered(*probe, frames, frames.request(rng), config) ? 1 : 0;
    }
    out << "flood: " << config.requests << " requests, one connection each: " << answered << " answered, "
        << refused << " connections refused" << std::endl;
    return 0;
  }
  auto probe = open_after_hello(frames, config, rng);
  if (!probe) return out << probe.reason() << std::endl, 1;
  std::size_t sent = 0;
  while (sent < config.requests && probe->send(frames.request(rng))) {
    ++sent;
    if (sent % 64 == 0) probe->drain();
  }
  probe->watch(config.wait);
  report(out, "flood, " + std::to_string(sent) + " requests", *probe);
  return 0;
}

// An honest client: the opening, its answer, then one request that must be answered.
int valid_exchange(const TargetFrames& frames, const AttackConfig& config, Rng& rng, std::ostream& out) {
  auto probe = open_after_hello(frames, config, rng);
  if (!probe) return out << probe.reason() << std::endl, 1;
  bool answered = request_answered(*probe, frames, frames.probe(rng), config);
  report(out, answered ? "valid request answered" : "valid request NOT answered", *probe);
  return answered ? 0 : 1;
}

}  // namespace

std::vector<std::string> attack_names() {
  return {"garbage", "handshake-garbage", "huge-length", "slowloris", "many-connections", "flood", "valid"};
}

int run_attack(std::string_view attack, const TargetFrames& frames, const AttackConfig& config,
               std::ostream& out) {
  Rng rng(config.seed);
  if (attack == "garbage") return garbage_attack(frames, config, rng, out, false);
  if (attack == "handshake-garbage") return garbage_attack(frames, config, rng, out, true);
  if (attack == "huge-length") return huge_length_attack(frames, config, rng, out);
  if (attack == "slowloris") return slowloris_attack(frames, config, rng, out);
  if (attack == "many-connections") return many_connections_attack(frames, config, rng, out);
  if (attack == "flood") return flood_attack(frames, config, rng, out);
  if (attack == "valid") return valid_exchange(frames, config, rng, out);
  out << "unknown attack '" << attack << "'" << std::endl;
  return 1;
}

}  // namespace p2p::hostile
