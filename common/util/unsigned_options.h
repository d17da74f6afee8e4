// Boost.Program_options reads an unsigned option through lexical_cast, which takes "-1" and wraps it to the
// type's largest value: `--numwant=-1` would announce numwant=4294967295. Every program's parser refuses a
// negative value for an unsigned option here, in one place, instead of a check per flag.
#pragma once

#include <string_view>

#include <boost/program_options.hpp>

#include "common/util/expected.h"

namespace p2p {

// An error naming the first option in `parsed` whose declared type is unsigned (or a list of unsigned) and
// whose value is written with a minus sign, as `key_prefix` + its key ("--numwant" on a command line,
// "role.peer.count" in a scenario); Ok otherwise.
Status refuse_negative_unsigned(const boost::program_options::parsed_options& parsed,
                                std::string_view key_prefix = "--");

}  // namespace p2p
