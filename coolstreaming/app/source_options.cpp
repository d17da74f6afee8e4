// Reading the cs-source flags into a SourceConfig.
#include "coolstreaming/app/source_options.h"

#include "coolstreaming/app/input_file.h"
#include "coolstreaming/stream_bytes.h"

namespace p2p::coolstreaming {

void add_source_options(po::options_description& options) {
  // clang-format off
  po::options_description stream("Stream");
  stream.add_options()
      ("bitrate-kbps", po::value<std::uint32_t>()->default_value(500), "the stream's rate")
      ("segment-ms", po::value<std::uint32_t>()->default_value(1000), "the length of one segment")
      ("window", po::value<std::uint16_t>()->default_value(kDefaultWindow),
       "segments in the buffer map (1 to 1024)")
      ("input", po::value<std::string>()->value_name("FILE"),
       "stream this file's bytes at the bitrate (default: synthetic bytes); the stream ends with the file");
  po::options_description rendezvous("Rendezvous");
  rendezvous.add_options()
      ("max-partners", po::value<std::size_t>()->default_value(4), "partners the source serves itself")
      ("join-capacity", po::value<std::uint32_t>()->default_value(20),
       "joins handled per second; more are refused with a retry-after")
      ("retry-after-ms", po::value<std::uint32_t>()->default_value(2000), "the retry-after of a refused join")
      ("upload-kbps", po::value<std::uint32_t>(),
       "upload the source advertises and queues within (default: --up-kbps, or 10000)");
  // clang-format on
  options.add(stream).add(rendezvous);
}

Expected<SourceConfig> read_source_options(const po::variables_map& vm) {
  SourceConfig config;
  config.bitrate_kbps = vm["bitrate-kbps"].as<std::uint32_t>();
  if (config.bitrate_kbps == 0) return make_error("--bitrate-kbps: at least 1");
  config.segment_ms = vm["segment-ms"].as<std::uint32_t>();
  if (config.segment_ms == 0 || config.segment_ms > kMaxSegmentMs)
    return make_error("--segment-ms: 1 to 60000");
  if (segment_size(config.bitrate_kbps, config.segment_ms) > kMaxSegmentPayload)
    return make_error("--bitrate-kbps: a segment would exceed 1 MiB; lower it or --segment-ms");
  config.window = vm["window"].as<std::uint16_t>();
  if (config.window == 0 || config.window > kMaxWindowSegments) return make_error("--window: 1 to 1024");
  config.max_partners = vm["max-partners"].as<std::size_t>();
  if (config.max_partners == 0) return make_error("--max-partners: at least 1");
  config.joins.capacity = vm["join-capacity"].as<std::uint32_t>();
  if (config.joins.capacity == 0) return make_error("--join-capacity: at least 1");
  config.joins.retry_after = milliseconds(vm["retry-after-ms"].as<std::uint32_t>());
  const auto up_kbps = vm["up-kbps"].as<std::uint64_t>();
  config.upload_kbps = vm.count("upload-kbps") ? vm["upload-kbps"].as<std::uint32_t>()
                       : up_kbps > 0           ? static_cast<std::uint32_t>(up_kbps)
                                               : 10'000;
  if (vm.count("input")) {
    auto payload = input_segments(vm["input"].as<std::string>());
    if (!payload) return make_error("--input: " + payload.reason());
    config.payload = std::move(payload).value();
  }
  return config;
}

}  // namespace p2p::coolstreaming
