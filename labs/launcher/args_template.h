// A role's args template: the node's own flags, with {placeholders} the launcher fills in when the node
// starts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

// What a {placeholder} names:
//   {server-0}      the listen endpoint (HOST:PORT) of that node; the node waits until it has announced it
//   {role:server}   the endpoint of the role's first node (NAME-0); waits the same way
//   {all:peer}      the endpoints of the role's nodes listening so far, comma-separated (may be empty; no
//                   wait)
//   {napster.KEY}   the value of a system key from the scenario's [napster] section (or --set)
//   {neighbours}    the endpoints this node dials in its role's topology, comma-separated (may be empty;
//                   waits while one of them is starting: overlay_plan.h)
//   {id} {role} {index} {count} {seed} {out} {dir}   the node's id, role, index in its role, the role's
//                   count, the node's seed, the run folder, and the scenario's folder
struct Placeholder {
  enum class Kind { Node, FirstOfRole, AllOfRole, SystemKey, Neighbours, Builtin };
  Kind kind;
  std::string name;  // the node id, the role, the full system key, or the placeholder's own name
};

// The template split into words (blanks separate; single or double quotes group), each with placeholders.
class ArgsTemplate {
 public:
  // Fails on an unclosed quote or brace, or an empty or unknown built-in placeholder.
  static Expected<ArgsTemplate> parse(std::string_view text);

  const std::vector<Placeholder>& placeholders() const { return placeholders_; }

  // The node's arguments, or nothing while some placeholder has no value yet (lookup returns nullopt).
  using Lookup = std::function<std::optional<std::string>(const Placeholder&)>;
  std::optional<std::vector<std::string>> expand(const Lookup& lookup) const;

 private:
  // A word is literal text and placeholders in turn: an odd piece is placeholders_[index].
  struct Piece {
    std::string text;
    std::optional<std::size_t> placeholder;
  };
  std::vector<std::vector<Piece>> words_;
  std::vector<Placeholder> placeholders_;
};

}  // namespace p2p::labs
