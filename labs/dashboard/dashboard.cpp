// run_dashboard: the dashboard's loop: telemetry and launcher replies in, keys in, a frame at every refresh.
#include "labs/dashboard/dashboard.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include <zmq.hpp>

#include "common/host/publisher.h"
#include "labs/dashboard/command_client.h"
#include "labs/dashboard/curses_terminal.h"
#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/keymap.h"

namespace p2p::dashboard {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kCommandTimeout = 2s;
// How long one pass may spend folding records before it checks keys and the clock: a flood from 500 nodes
// must not starve the screen.
constexpr auto kRecordBudget = 50ms;
constexpr auto kQuitGrace = 2s;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The frame counter as a file (P2P_DASH_FRAMES), rewritten whole and renamed into place so a reader never
// sees half a line.
class FrameFile {
 public:
  explicit FrameFile(const char* path) : path_(path == nullptr ? "" : path) {}

  void record(std::uint64_t frames, double elapsed) {
    double interval = frames > 1 ? elapsed - last_ : 0;
    longest_ = std::max(longest_, interval);
    last_ = elapsed;
    if (path_.empty()) return;
    std::string temporary = path_ + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << frames << ' ' << elapsed << ' ' << interval << ' ' << longest_ << '\n';
    }
    std::rename(temporary.c_str(), path_.c_str());
  }

 private:
  std::string path_;
  double last_ = 0;
  double longest_ = 0;
};

// Waits until telemetry, a launcher reply or a key arrives, or `wait` passes. A resize interrupts the wait.
void wait_for_input(telemetry::Subscriber& subscriber, CommandClient& commands, Clock::duration wait) {
  std::vector<zmq::pollitem_t> items = {{subscriber.socket().handle(), 0, ZMQ_POLLIN, 0},
                                        {nullptr, 0 /* stdin */, ZMQ_POLLIN, 0}};
  if (auto socket = commands.waiting_socket()) items.push_back({socket->handle(), 0, ZMQ_POLLIN, 0});
  try {
    zmq::poll(items, std::chrono::duration_cast<std::chrono::milliseconds>(wait));
  } catch (const zmq::error_t& error) {
    if (error.num() != EINTR) throw;  // SIGWINCH: the resize is read as a key right after
  }
}

void read_telemetry(telemetry::Subscriber& subscriber, DashboardApp& app, double now) {
  auto deadline = Clock::now() + kRecordBudget;
  std::size_t taken = 0;
  while (auto record = subscriber.receive()) {
    app.apply(std::move(*record), now);
    if (++taken % 256 == 0 && Clock::now() > deadline) break;
  }
}

// Gives the launcher a moment to take {"cmd":"quit"}; the terminal is already restored by then.
void flush_commands(CommandClient& commands) {
  auto deadline = Clock::now() + kQuitGrace;
  while (!commands.idle() && Clock::now() < deadline) {
    (void)commands.poll(Clock::now());
    if (auto socket = commands.waiting_socket()) {
      std::vector<zmq::pollitem_t> items = {{socket->handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, std::chrono::milliseconds(50));
    }
  }
}

}  // namespace
}  // namespace p2p::dashboard

namespace p2p::labs {

int run_dashboard(const DashboardOptions& options) {
  using namespace ::p2p::dashboard;
  zmq::context_t context;
  telemetry::Subscriber subscriber(context, options.telemetry);
  CommandClient commands(context, options.commands, kCommandTimeout);
  DashboardApp app(builtin_panels(), options.owns_lab);
  FrameFile frame_file(std::getenv("P2P_DASH_FRAMES"));
  auto refresh = std::max<Clock::duration>(options.refresh, 20ms);

  CursesTerminal terminal;
  if (!terminal.start()) {
    std::fprintf(stderr, "p2plab dashboard: needs a terminal; run the lab with --headless instead\n");
    return 2;
  }
  // Nodes started before the dashboard attached are only known to the launcher.
  commands.request({{"cmd", "nodes"}});

  const auto start = Clock::now();
  auto next_frame = start;
  std::uint64_t frames = 0;
  while (!app.quitting()) {
    wait_for_input(subscriber, commands, std::clamp<Clock::duration>(next_frame - Clock::now(), 0ms, 100ms));
    double now = seconds(Clock::now() - start);
    read_telemetry(subscriber, app, now);
    bool pressed = false;
    while (auto key = terminal.read_key()) {
      pressed = true;
      if (auto request = app.on_key(*key)) commands.request(std::move(*request));
      if (app.quitting()) break;
    }
    if (app.quitting()) break;
    for (Exchange& exchange : commands.poll(Clock::now())) app.on_reply(exchange.request, exchange.reply);
    app.tick(now);
    if (!pressed && Clock::now() < next_frame) continue;

    terminal.begin_frame();
    app.draw(terminal, now, ++frames);
    terminal.end_frame();
    frame_file.record(frames, now);
    next_frame = Clock::now() + refresh;
  }
  terminal.stop();
  flush_commands(commands);
  return 0;
}

}  // namespace p2p::labs
