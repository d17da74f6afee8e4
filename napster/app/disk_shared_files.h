// A peer's shared folder on disk, for the napster-peer process (the cores never touch files themselves).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "napster/shared_files.h"

namespace p2p::napster {

// The files of one folder: every regular file directly inside it whose name passes content::check_safe_name
// and does not start with '.', with its MD5 computed once when the folder is opened. Downloads are written
// under FOLDER/.incoming and moved into the folder only on commit (after the core checked the MD5), so a
// broken or corrupt transfer never shows up as a shared file. Reads go through a few cached open streams,
// since an upload reads its file one chunk at a time.
class DiskSharedFiles : public SharedFiles {
 public:
  // Opens (and creates, if missing) `folder`. Downloads larger than `max_download_bytes` are refused.
  static Expected<std::unique_ptr<DiskSharedFiles>> open(const std::filesystem::path& folder,
                                                         std::uint64_t max_download_bytes);

  std::vector<SharedFile> list() const override;
  std::optional<SharedFile> find(std::string_view name) const override;
  Expected<Bytes> read(std::string_view name, std::uint64_t offset, std::size_t length) const override;
  Expected<std::unique_ptr<FileSink>> create(const SharedFile& file) override;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  DiskSharedFiles(std::filesystem::path folder, std::uint64_t max_download_bytes)
      : folder_(std::move(folder)), max_download_bytes_(max_download_bytes) {}
  Status scan();

  std::filesystem::path folder_;
  std::uint64_t max_download_bytes_;
  std::map<std::string, SharedFile, std::less<>> files_;
  mutable std::map<std::string, std::ifstream, std::less<>> open_;  // at most kOpenStreams
};

}  // namespace p2p::napster
