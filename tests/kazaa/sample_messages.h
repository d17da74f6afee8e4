// One message of every KaZaA kind with plausible contents: the round-trip test's inputs, the Wireshark test's
// capture and the fuzz target's seeds.
#pragma once

#include <vector>

#include "kazaa/message.h"

namespace p2p::kazaa {

// In the order of kazaa::Message's alternatives, one each.
std::vector<Message> sample_messages();

}  // namespace p2p::kazaa
