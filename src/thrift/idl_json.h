#pragma once
// The TCLIService IDL subset as `thrift --gen json` output, embedded at build time from
// tcli_service.thrift (the same file the C++ classes are generated from).

#include <string_view>

namespace adbcfault::thrift {

std::string_view tcli_service_idl_json();

}  // namespace adbcfault::thrift
