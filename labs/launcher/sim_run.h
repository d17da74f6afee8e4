// `p2plab run --sim`: a lab's protocol cores in SimNet on a virtual clock, for sizes past what processes
// allow.
#pragma once

#include "labs/launcher/lab_run.h"

namespace p2p::labs {

// Runs the lab of `options` in this one process: the plan a process run follows (roles, counts, link mixes,
// arrivals, the timeline, churn), the cores SimCores builds from the roles' args, SimNet's links shaped as
// the profiles say, and virtual time as fast as the machine goes. It writes OUT/events.jsonl and
// OUT/summary.json as run_lab does, so `p2plab report` reads either; the summary adds `sim_speedup`
// (virtual seconds per wall second), `wall_s`, `cpu_s` and `peak_rss_mib`. Returns the exit code: 0 at the
// scenario's end or once its done events are in, 128 + the signal when interrupted (the summary is still
// written), and 2 with one line on stderr for a scenario --sim cannot run.
int run_sim_lab(const RunOptions& options, int signal_fd);

}  // namespace p2p::labs
