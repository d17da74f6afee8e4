// The dashboard reads telemetry fields leniently, with the project's shared readers.
#pragma once

#include "common/telemetry/fields.h"

namespace p2p::dashboard {

using telemetry::bool_at;  // a false field differs from a missing one
using telemetry::field_at;
using telemetry::flag_at;
using telemetry::number_at;
using telemetry::string_at;
using telemetry::whole_at;

}  // namespace p2p::dashboard
