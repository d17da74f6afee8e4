// A sweep's combined table: one row per run (value x repeat) of its summary figures, and their means per
// value.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/expected.h"

namespace p2p::labs {

struct SweepRun {
  std::string value;  // the varied key's value in this run
  std::size_t value_index = 0;
  std::size_t repeat = 0;
  std::uint64_t seed = 0;
  std::string out;         // the run's folder
  nlohmann::json summary;  // its summary.json (null if the run failed)
};

// "key=v1,v2,v3" -> key and values. Fails without a key, without values, or with an empty value.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
  bool numeric = false;  // every value is a number
};
Expected<SweepAxis> parse_vary(std::string_view text);

// The figures worth plotting: numeric generic figures and numeric or boolean metrics ("metrics.NAME"), in
// the order of the first run that has them, without the bookkeeping ones (seed, started_at, records).
std::vector<std::string> sweep_figures(const std::vector<SweepRun>& runs);

// The timelines worth plotting over time: metrics named NAME_timeline that hold [seconds, value] pairs
// (completed_timeline, entropy_timeline), in the order of the first run that has them.
std::vector<std::string> sweep_timelines(const std::vector<SweepRun>& runs);

// The timeline `name` (a metric) of every run that has it, one block per run as gnuplot's `index` reads
// them (`seconds,value` lines, blocks apart by two empty lines), each headed by a comment naming the run.
// Returns the label of each block, in order: "VALUE" or, with repeats, "VALUE r2".
std::vector<std::string> write_sweep_timeline(std::ostream& out, const std::vector<SweepRun>& runs,
                                              const std::string& name);

// value_index,value,repeat,seed,out,FIGURES...   (a figure a run lacks is an empty cell)
void write_sweep_runs(std::ostream& out, const std::vector<SweepRun>& runs,
                      const std::vector<std::string>& figures);
// value_index,value,FIGURES...   the mean over the repeats that have the figure
void write_sweep_means(std::ostream& out, const std::vector<SweepRun>& runs,
                       const std::vector<std::string>& figures);

}  // namespace p2p::labs
