// bench-dht (issue 16, point 7): queries answered per second by one bt-dht process, loaded over UDP with
// real KRPC queries from many source ids (goal: 50,000/s), and a 10,000-node SimNet lookup campaign
// (lookups per wall-clock second, peak RSS). Prints figures with the machine's load; passes or fails
// nothing.
#include <iomanip>
#include <iostream>

#include "common/host/cli.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/dht/sim_campaign.h"
#include "tests/bench/dht/udp_load.h"

namespace p2p::bench {
namespace {

constexpr double kGoalQueriesPerSecond = 50'000;

int run_process(const UdpLoadSettings& s) {
  int port = free_port();
  Endpoint node{"127.0.0.1", static_cast<std::uint16_t>(port)};
  std::vector<std::string> argv = node_args("bt-dht", node, "bench-dht");
  argv.insert(argv.end(), {"--query-rate", "0"});
  pid_t pid = spawn(argv);
  if (!wait_listening(port, 5000)) {
    stop(pid);
    std::cout << "bt-dht did not start on " << node.str() << "\n";
    return 1;
  }
  std::cout << "  load average before: " << load_text() << "\n";
  double cpu_before = cpu_seconds(pid);
  std::vector<double> rates = measure_queries_answered(node, s);
  double cpu = cpu_seconds(pid) - cpu_before;
  stop(pid);
  std::cout << std::fixed << std::setprecision(0) << "queries answered by one bt-dht: " << median(rates)
            << " per second, median of " << rates.size() << " runs of " << std::setprecision(1) << s.seconds
            << " s (goal: 50,000: " << (median(rates) >= kGoalQueriesPerSecond ? "met" : "MISSED")
            << "); runs:";
  for (double rate : rates) std::cout << " " << std::setprecision(0) << rate;
  double answered = 0;
  for (double rate : rates) answered += rate * s.seconds;
  // On a machine shared with other work the node may not get a whole core: its own CPU time says what
  // one core would give.
  std::cout << "\n"
            << std::setprecision(2) << "  bt-dht CPU: " << cpu << " s over the runs, " << std::setprecision(0)
            << answered / cpu << " queries answered per CPU second\n";
  std::cout << "  load average after: " << load_text() << "\n";
  return 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  CliSpec spec = bench::cli_spec(
      "bench-dht",
      "The BitTorrent DHT: queries answered per second by one bt-dht process under a UDP load of real KRPC "
      "queries, and a SimNet lookup campaign over 10,000 DhtCores (lookups per wall-clock second, peak "
      "RSS).");
  bench::UdpLoadSettings load;
  bench::SimCampaignSettings campaign;
  std::string part = "both";
  spec.options.add_options()("part", po::value(&part)->default_value(part), "process, sim or both")(
      "seconds", po::value(&load.seconds)->default_value(load.seconds), "length of each query-rate run")(
      "runs", po::value(&load.runs)->default_value(load.runs), "query-rate runs; the median is reported")(
      "sockets", po::value(&load.sockets)->default_value(load.sockets), "source ports of the load")(
      "window", po::value(&load.window)->default_value(load.window), "queries in flight per source port")(
      "nodes", po::value(&campaign.nodes)->default_value(campaign.nodes), "DHT nodes in the campaign")(
      "lookups", po::value(&campaign.lookups)->default_value(campaign.lookups), "lookups in the campaign")(
      "concurrent", po::value(&campaign.concurrent)->default_value(campaign.concurrent),
      "campaign lookups in flight at once");
  parse_cli(argc, argv, spec);
  if (part != "process" && part != "sim" && part != "both")
    fail_setup(spec.program, "--part: process, sim or both");
  if (load.runs < 1 || !(load.seconds > 0) || load.sockets == 0 || load.window == 0)
    fail_setup(spec.program, "--runs, --seconds, --sockets and --window must be positive");
  if (campaign.nodes < 2 || campaign.lookups == 0 || campaign.concurrent == 0)
    fail_setup(spec.program, "--nodes must be at least 2, --lookups and --concurrent positive");
  bench::catch_interrupts();
  int code = 0;
  if (part != "sim") code = bench::run_process(load);
  if (part != "process") {
    std::cout << "  load average before the campaign: " << bench::load_text() << "\n";
    bench::run_sim_campaign(campaign);
    std::cout << "  load average after the campaign: " << bench::load_text() << "\n";
  }
  return code;
}
