#pragma once
// Well-formed Thrift error replies that a driver's generated client parses like a real server's:
// same method name and seqid as the call, in the call's protocol (Protocol::kUnknown writes
// strict binary, what every driver sends by default).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "thrift/message_types.h"

namespace adbcfault::thrift {

// An EXCEPTION message carrying TApplicationException {message, type}. Drivers raise it as a
// transport-level Thrift error. Empty only if memory ran out. Never throws.
std::string application_exception_reply(std::string_view method, int32_t seqid, Protocol protocol,
                                        ApplicationExceptionType type, std::string_view message);

// The method's REPLY whose response struct carries TStatus {code, message, sql_state,
// error_code} and every other required field at a harmless value (serverProtocolVersion V10 for
// OpenSession), so strict generated readers accept it. An empty sql_state and a missing
// error_code are left unset. nullopt for methods not in tcli_service.thrift. Never throws.
std::optional<std::string> status_error_reply(std::string_view method, int32_t seqid,
                                              Protocol protocol, StatusCode code,
                                              std::string_view message,
                                              std::string_view sql_state = {},
                                              std::optional<int32_t> error_code = std::nullopt);

}  // namespace adbcfault::thrift
