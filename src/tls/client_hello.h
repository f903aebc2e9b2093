#pragma once
// Reads a TLS ClientHello from the first bytes a client sent, so that the relay can decide per
// flow (SNI, ALPN) whether to terminate TLS or relay it untouched. The relay peeks the bytes
// (MSG_PEEK) and calls this again with a longer prefix until the answer is not kNeedMore, so the
// parser is pure: no state between calls, nothing read beyond the span, no exceptions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace adbcfault::tls {

// Upper bound on the bytes a ClientHello may occupy on the wire (record headers included). Post-
// quantum key shares bring real hellos to ~16 KiB; four times that leaves room without letting a
// client make the relay buffer without bound. The relay sizes its peek buffer with this.
inline constexpr size_t kMaxClientHelloBytes = 64 * 1024;

struct ClientHello {
  // The host_name entry of server_name in parse_host_name()'s canonical form (lower case, no
  // trailing dot), so glob matching and the leaf cache see one spelling per host. Empty when
  // absent or unusable (not a DNS name a leaf can be minted for); see HelloResult::error.
  std::optional<std::string> sni;
  // ALPN protocol names in the client's order, byte for byte; GREASE names are left out.
  std::vector<std::string> alpn;
  uint16_t legacy_version = 0;                // ClientHello.legacy_version, e.g. 0x0303
  bool has_tls13_supported_versions = false;  // supported_versions lists 0x0304
};

enum class HelloStatus {
  kComplete,   // `hello` is filled in
  kNeedMore,   // a consistent prefix of a ClientHello: peek again with more bytes
  kNotTls,     // not a TLS handshake record (HTTP, SSLv2-compatible hello, other protocols)
  kMalformed,  // starts like TLS but breaks the record or ClientHello rules, or is too large
};

struct HelloResult {
  HelloStatus status = HelloStatus::kNeedMore;
  ClientHello hello;
  // kNeedMore: the total prefix length that completes the hello if it continues in the record
  // being read (the usual case, then exact; a lower bound if it spans further records), or 0
  // while the handshake length is not yet known.
  size_t bytes_needed = 0;
  // kMalformed and kNotTls: why, with the byte offset into the span. kComplete: set only when
  // the SNI was present but unusable (too long, odd characters), which the relay treats as "no
  // usable SNI". The text never contains the client's bytes, only their offsets and hex values,
  // so it is safe to log.
  std::string error;
};

HelloResult parse_client_hello(std::span<const uint8_t> first_bytes);

// A TLS handshake record header: 0x16 0x03 0x00..0x04. Needs 3 bytes; false with fewer, so a
// caller that has fewer should wait (parse_client_hello answers kNeedMore for such prefixes).
bool looks_like_tls(std::span<const uint8_t> first_bytes);

}  // namespace adbcfault::tls
