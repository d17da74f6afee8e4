// TreeRegistry: the rendezvous's view of the multicast-tree baseline, to place each newcomer under a parent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "common/net/endpoint.h"
#include "common/util/random.h"

namespace p2p::coolstreaming {

// The tree as the rendezvous built it (End-System Multicast, seed 000: a single tree whose inner nodes
// forward the whole stream to each child, so a node can take as many children as its upload holds copies of
// the stream). A newcomer goes under the shallowest member with a free slot, ties at random, which keeps the
// tree short; a node with no upload for a whole stream never gets a child. The rendezvous hears of no
// departure directly: an orphan that joins again tells it that its parent is gone, so the parent leaves the
// registry, its slots with it, and its other children come back the same way.
class TreeRegistry {
 public:
  // The root: the source, with `slots` children.
  TreeRegistry(Endpoint root, std::size_t slots);

  // Places `node` (which can upload `slots` copies of the stream) under a parent; none if every slot is
  // taken. A node already in the tree gives up its old slot; if it is an `orphan` (it joins again, rather
  // than as a fresh node at the same address), its old parent is gone and is dropped too.
  std::optional<Endpoint> place(const Endpoint& node, std::size_t slots, bool orphan, Rng& rng);

  // Bandwidth belongs near the root (End System Multicast builds its tree from the links' bandwidth; Overcast
  // moves a node up as far as its bandwidth to the root allows): when the root's slots are all taken, a
  // newcomer that can forward `slots` copies takes the slot of a child of the root that forwards fewer and
  // has no children. That child leaves the registry, to be cut off by the source and placed again when it
  // joins again. Returns the child, or none if no slot is freed.
  std::optional<Endpoint> make_room_at_root(std::size_t slots);

  std::size_t size() const { return members_.size(); }
  std::optional<Endpoint> parent_of(const Endpoint& node) const;

 private:
  struct Member {
    std::size_t slots = 0;
    std::size_t children = 0;
    std::size_t depth = 0;
    std::optional<Endpoint> parent;
  };
  void drop(const Endpoint& node);

  Endpoint root_;
  std::map<Endpoint, Member> members_;
};

}  // namespace p2p::coolstreaming
