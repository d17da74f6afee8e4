// A peer's shared folder as the peer core sees it: list, read a range, and store a verified download.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/content/catalogue.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::napster {

struct SharedFile {
  std::string name;
  std::uint64_t size = 0;
  Md5Digest md5{};
  bool operator==(const SharedFile&) const = default;
};

// Receives one download's bytes in order. Nothing becomes shared until commit(); destroying an uncommitted
// sink discards what it received.
class FileSink {
 public:
  virtual ~FileSink() = default;
  virtual Status write(ByteView data) = 0;
  virtual Status commit() = 0;
};

// The files a peer shares, kept apart from the core so the core does no file I/O: tests and SimNet use the
// in-memory and catalogue-backed folders below, and the process main a folder on disk. Names are plain file
// names inside the folder; callers check them with content::check_safe_name before asking.
class SharedFiles {
 public:
  virtual ~SharedFiles() = default;
  // Called at every login and status record: implementations keep it cheap (digests computed once).
  virtual std::vector<SharedFile> list() const = 0;
  virtual std::optional<SharedFile> find(std::string_view name) const = 0;
  // Up to `length` bytes from `offset`, fewer at the end of the file.
  virtual Expected<Bytes> read(std::string_view name, std::uint64_t offset, std::size_t length) const = 0;
  // A sink for a file about to be downloaded; once committed it is listed like the others.
  virtual Expected<std::unique_ptr<FileSink>> create(const SharedFile& file) = 0;
};

// Files held in memory, for unit tests.
class MemorySharedFiles : public SharedFiles {
 public:
  // Adds a file with its MD5 computed from `content`.
  void add(std::string name, Bytes content);

  std::vector<SharedFile> list() const override;
  std::optional<SharedFile> find(std::string_view name) const override;
  Expected<Bytes> read(std::string_view name, std::uint64_t offset, std::size_t length) const override;
  Expected<std::unique_ptr<FileSink>> create(const SharedFile& file) override;

 private:
  std::map<std::string, Bytes, std::less<>> files_;
};

// A node's share of the synthetic catalogue: the bytes come from content::content_bytes, so nothing is
// stored, and a download of a catalogue file is "stored" by adding its index to the shared set. For SimNet,
// where many peers share one catalogue.
class CatalogueSharedFiles : public SharedFiles {
 public:
  // The catalogue must outlive this folder.
  CatalogueSharedFiles(const content::Catalogue& catalogue, const std::vector<std::size_t>& indices);

  std::vector<SharedFile> list() const override;
  std::optional<SharedFile> find(std::string_view name) const override;
  Expected<Bytes> read(std::string_view name, std::uint64_t offset, std::size_t length) const override;
  Expected<std::unique_ptr<FileSink>> create(const SharedFile& file) override;

 private:
  void add(std::size_t index);

  const content::Catalogue& catalogue_;
  std::map<std::string, SharedFile, std::less<>> shared_;
};

}  // namespace p2p::napster
