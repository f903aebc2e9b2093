#pragma once
// Secrets never enter the journal: a value is redacted when the name it is stored under (a field
// name from the IDL or a map key) looks like a credential.

#include <string_view>

namespace adbcfault::thrift {

inline constexpr std::string_view kRedacted = "<redacted>";

// True when name contains token, secret, password, authorization or cookie, in any case.
bool is_secret_name(std::string_view name);

}  // namespace adbcfault::thrift
