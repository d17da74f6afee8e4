// Fuzz target for what the dashboard reads: telemetry records from the launcher's proxy (one JSON document
// a line, as Subscriber::receive takes them: parsed, checked with is_valid_record, then applied) and the
// launcher's replies to {"cmd":"nodes"}. Whatever arrives, the overview (roomy and cramped), the first nodes'
// panels (the DHT view among them) and the help screen draw inside the canvas.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/telemetry/schema.h"
#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/dht_view.h"
#include "labs/dashboard/keymap.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace {

using namespace p2p::dashboard;

// More nodes than this are drawn the same way; the bound keeps each run short.
constexpr int kNodesVisited = 4;

void draw_at(DashboardApp& app, int rows, int cols, double now, std::uint64_t& frame) {
  testing::TextCanvas canvas(rows, cols);
  app.draw(canvas, now, ++frame);
  if (canvas.out_of_bounds()) std::abort();
}

void apply_line(DashboardApp& app, std::string_view line, double now) {
  auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (p2p::telemetry::is_valid_record(record)) {
    app.apply(std::move(record), now);
  } else if (!record.is_discarded()) {
    app.on_reply({{"cmd", "nodes"}}, record);
    // The DHT view takes any object: a bt-dht node's whole status, or a bt-peer's `dht` field.
    testing::TextCanvas canvas(12, 60);
    Area area(canvas);
    draw_dht(area, record);
    (void)dht_key_figure(record);
    if (canvas.out_of_bounds()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  DashboardApp app(builtin_panels(), /*owns_lab=*/true);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  double now = 1;
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    apply_line(app, input.substr(0, end), now);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    now += 0.5;
    app.tick(now);
  }
  std::uint64_t frame = 0;
  draw_at(app, 40, 120, now, frame);
  draw_at(app, 6, 24, now, frame);
  (void)app.on_key(keys::kHome);
  for (int i = 0; i < kNodesVisited; ++i) {
    (void)app.on_key(keys::kEnter);
    draw_at(app, 40, 120, now, frame);
    (void)app.on_key(keys::kEscape);
    (void)app.on_key(keys::kDown);
  }
  (void)app.on_key('?');
  draw_at(app, 6, 24, now, frame);
  return 0;
}
