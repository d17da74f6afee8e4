// The server's index: the common multi-user file index, over Napster's users and file records.
#pragma once

#include <cstdint>

#include "common/index/file_index.h"
#include "common/util/ids.h"
#include "napster/message.h"

namespace p2p::napster {

// Who shares a file, as the server numbers its logged-in users. 0 is never a user.
using UserId = StrongId<struct UserTag, std::uint32_t>;

using FileIndex = index::FileIndex<UserId, FileInfo>;
using IndexHit = FileIndex::Hit;
using IndexStats = FileIndex::Stats;

}  // namespace p2p::napster
