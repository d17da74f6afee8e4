// Helpers shared by the benchmarks: their command line, child processes and interrupts, medians, CPU time
// from /proc, and free loopback ports.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "common/host/cli.h"
#include "common/net/endpoint.h"

namespace p2p::bench {

// A benchmark's command line, "PROGRAM [options]": --help and exit code 2 on a bad flag as every binary, but
// no --config (a benchmark's settings are its flags).
CliSpec cli_spec(const std::string& program, std::string summary);
// The start of a node's command line as benchmarks start nodes: PROGRAM listening on `listen`, named
// `node_id` in telemetry, logging warnings only.
std::vector<std::string> node_args(const std::string& program, const Endpoint& listen,
                                   const std::string& node_id);

// Starts `argv[0]` with the given arguments (found in P2P_BIN when it has no slash, else on PATH).
// stdout_path, when set, receives the child's standard output; otherwise it goes to /dev/null.
pid_t spawn(const std::vector<std::string>& argv, const std::string& stdout_path = "");
// Waits for a child; returns its exit code, or 128 + signal.
int wait_for(pid_t pid);
// What a child cost, read when it is reaped (wait4): its CPU time, with that of the children it reaped itself
// (a launcher's nodes), and its own peak RSS.
struct Finished {
  int code = 0;  // exit code, or 128 + signal
  double cpu_seconds = 0;
  double max_rss_mib = 0;
};
// Waits for a child at most `limit_s` seconds, returning early, with nothing, on Ctrl-C or SIGTERM (see
// catch_interrupts). With nothing the child still runs: stop() it.
std::optional<Finished> wait_until(pid_t pid, double limit_s);
// SIGTERM, then SIGKILL after `grace_ms` if it is still there.
void stop(pid_t pid, int grace_ms = 2000);

// CPU time of a process in seconds, all its threads, or a negative number if it is gone.
double cpu_seconds(pid_t pid);
// Resident set size in MiB, or a negative number if it is gone. It counts every shared library page the
// process has touched, although many processes share one copy of it.
double rss_mib(pid_t pid);
// Proportional set size in MiB (each shared page divided among the processes that map it): what one
// process of many really costs. Negative if it is gone.
double pss_mib(pid_t pid);
// The memory the machine can still give without swapping (/proc/meminfo's MemAvailable), in MiB.
double available_memory_mib();

double median(std::vector<double> values);
// Seconds on the steady clock since `start`.
double seconds_since(std::chrono::steady_clock::time_point start);
// The machine's load averages over 1 and 5 minutes (/proc/loadavg): how busy the machine was around a run.
struct LoadAverage {
  double one = 0, five = 0;
};
LoadAverage load_average();
// The load averages as every benchmark prints them beside its figures: "1.6 (1 min), 2.3 (5 min) on 2 cores".
std::string load_text();
// The seconds of CPU the whole machine has spent busy so far (/proc/stat): over a run, whether it was slow
// because it kept the cores busy, or because other programs had them.
double machine_busy_seconds();
// From now on Ctrl-C and SIGTERM only set a flag, so that a benchmark can stop its children before it ends.
void catch_interrupts();
bool interrupted();
// A TCP port on 127.0.0.1 that was free a moment ago (for outside tools that cannot report theirs).
int free_port();
// Whether a TCP port on 127.0.0.1 can be bound right now.
bool port_is_free(int port);
// The first of `count` consecutive ports on 127.0.0.1 that are free now, or 0. They lie below the range the
// kernel draws ephemeral ports from (/proc/sys/net/ipv4/ip_local_port_range), so no other program's outbound
// connection or port-0 listener takes one of them later (for `p2plab run --first-port`).
int free_port_run(int count);
// Whether something accepts TCP connections on 127.0.0.1:port within `limit_ms` (a child starting up).
bool wait_listening(int port, int limit_ms);
// The folder of this program's siblings in build/bin.
std::string bin_dir();
std::string read_file(const std::string& path);

}  // namespace p2p::bench
