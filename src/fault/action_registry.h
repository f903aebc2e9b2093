#pragma once
// Every action the scenario files may name, built in one place (action_registry.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "fault/action.h"

namespace adbcfault::fault {

// Sorted by type. Entries live as long as the program, so scenarios may point at them.
const std::vector<ActionSpec>& action_registry();
// The entry of `type` at the connection layer if it has one, else at the HTTP layer; or the
// entry at `layer` ("tcp" or "http").
const ActionSpec* find_action(std::string_view type);
const ActionSpec* find_action(std::string_view type, std::string_view layer);
std::string known_action_types();  // "close, delay, hang, ..."

}  // namespace adbcfault::fault
