#pragma once
// Fills the relay's Thrift hooks from the Thrift layer: decode request and reply bodies into
// journal entries, and build error replies for thrift_error scenarios.

#include "relay/http_hooks.h"

namespace adbcfault::daemon {

void install_thrift_hooks(relay::HttpHooks& hooks);

}  // namespace adbcfault::daemon
