// CoolStreaming's lab summariser: the live-streaming lab's figures (issue 14, labs/06-coolstreaming), from a
// run's telemetry records.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Reads telemetry records (schema v1, common/telemetry/schema.h: every event, then each node's last status)
// and returns the `metrics` of summary.json. Only records of system "coolstreaming" and role "peer" count:
// the source and the hybrid server are not audience. Each peer's figures come from its last status `sys`
// (coolstreaming/PROTOCOL.md, "Telemetry"), so a peer killed mid-run counts with what it had reported by
// then. A peer the launcher restarts (churn's rejoin) is a new viewer under the same name, and its last
// status is the new process's: the counters of its earlier sessions are not in the figures below (the
// summary keeps one status per node, labs/launcher/summary.h), except for start-up, which every `playing`
// event gives.
//   peers               distinct peers that published any record
//   peers_playing       peers whose player started: a `playing` event, or a start-up delay in the last status
//   continuity_mean     mean of the last statuses' `continuity` (segments on time / segments due, the
//                       continuity index of Zhang et al., INFOCOM 2005), over peers that have one;
//                       a peer that never played has none and shows up as peers - peers_playing instead
//   continuity_audience the same sum over every peer, one that never played counting 0: what the audience as
//                       a whole saw, which a tree that refuses most joins cannot hide behind its few players
//   continuity_p10      the 10th percentile of the same values, nearest rank (the value at rank
//                       ceil(0.1 n) in ascending order): the continuity the worst tenth of the audience gets
//   startup_s_median    median of `playing.startup_ms` / 1000 over every `playing` event (a peer that
//                       rejoined plays, and is counted, again), or the last status's `startup_ms` for a peer
//                       without the event
//   lag_s_median        median of the last statuses' `lag_s` (how far playback runs behind the source)
//   control_overhead    sum of `control_bytes` / sum of `video_bytes`: the control overhead Zhang et al.
//                       report (1-2 %, growing with M)
//   server_bytes_ratio  sum of `server_bytes` / sum of `video_bytes`: the share of the video the hybrid
//                       server supplied
//   join_retry_share    peers that needed more than one join attempt / peers that tried to join. A peer's
//                       attempts are the most any of its records names: the status's `join_attempts`, the
//                       `joined` event's `attempts`, a `join_refused` event's `attempt` (refused on attempt
//                       N means N attempts so far)
// After SIGKILLs (a run where the launcher killed some node), the survivors: the peers not killed for good
// (node_runs.h), and of their last statuses
//   survivors, survivors_playing (those with a continuity), continuity_survivors_mean and _min
// Ratios, means and medians with nothing to count are null. Records that lack a field or carry the wrong
// type are skipped, never thrown on.
nlohmann::json coolstreaming_summary(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
