// The supernode's index of its children's files: the shared file index plus who each child is.
#include "kazaa/supernode_index.h"

namespace p2p::kazaa {

Status SupernodeIndex::share(ConnId child, SharedFile file) {
  if (!children_.contains(child)) return make_error("share from a node that is not a child");
  return files_.share(child, std::move(file));
}

std::size_t SupernodeIndex::remove_child(ConnId child) {
  children_.erase(child);
  return files_.remove_user(child);
}

std::vector<IndexMatch> SupernodeIndex::search(std::string_view words, std::size_t max_results) const {
  std::vector<IndexMatch> matches;
  for (const Files::Hit& hit : files_.search(words, max_results))
    matches.push_back({&children_.at(hit.owner), hit.file});
  return matches;
}

}  // namespace p2p::kazaa
