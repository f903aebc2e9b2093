#pragma once
// The error codes of the control protocol (docs/control-protocol.md). Clients switch on these
// spellings, so they never change; add new ones instead.

namespace adbcfault::control::codes {

inline constexpr char kBadRequest[] = "bad_request";  // not JSON, not an object, bad op/args
inline constexpr char kUnsupportedVersion[] = "unsupported_version";
inline constexpr char kUnknownOp[] = "unknown_op";
inline constexpr char kNotFound[] = "not_found";
inline constexpr char kInvalidArgument[] = "invalid_argument";
inline constexpr char kFailed[] = "failed";  // an assertion or wait did not hold (CLI exit 1)
inline constexpr char kTooLarge[] = "too_large";
inline constexpr char kForbidden[] = "forbidden";
inline constexpr char kInternal[] = "internal";

}  // namespace adbcfault::control::codes
