// A node's shared folder on disk: this node's share of the catalogue, written out as real files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

#include "common/content/catalogue.h"
#include "common/util/expected.h"

namespace p2p::content {

// Writes the files `indices` of `catalogue` into `folder` (created if missing), so real clients and tools can
// share them. A file already there with the right size is left alone, which makes a second run of a lab
// cheap. Fails with a reason on an index outside the catalogue, an unsafe name or a write error.
Status materialise(const std::filesystem::path& folder, const Catalogue& catalogue,
                   std::span<const std::size_t> indices);

}  // namespace p2p::content
