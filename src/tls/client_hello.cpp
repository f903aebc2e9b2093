#include "tls/client_hello.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "tls/host_name.h"

namespace adbcfault::tls {
namespace {

// Wire constants (RFC 8446 sections 4, 5.1; RFC 6066 section 3; RFC 7301; RFC 8701).
constexpr uint8_t kHandshakeRecord = 0x16;
constexpr uint8_t kClientHelloType = 0x01;
constexpr size_t kRecordHeaderBytes = 5;
constexpr size_t kHandshakeHeaderBytes = 4;
constexpr size_t kMaxRecordPayload = 16384;  // 2^14; a peer must reject longer plaintext records
constexpr size_t kRandomBytes = 32;
constexpr size_t kMaxSessionIdBytes = 32;
constexpr uint16_t kExtServerName = 0;
constexpr uint16_t kExtAlpn = 16;
constexpr uint16_t kExtSupportedVersions = 43;
constexpr uint8_t kHostNameType = 0;
constexpr uint16_t kTls13 = 0x0304;
constexpr size_t kMaxHostNameBytes = 255;

std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

std::string at(size_t offset) { return " at byte " + std::to_string(offset); }

HelloResult not_tls(std::string why) {
  return HelloResult{HelloStatus::kNotTls, {}, 0, std::move(why)};
}

HelloResult malformed(std::string why) {
  return HelloResult{HelloStatus::kMalformed, {}, 0, std::move(why)};
}

HelloResult too_large() { return malformed("ClientHello larger than 64 KiB"); }

HelloResult need_more(size_t bytes_needed) {
  if (bytes_needed > kMaxClientHelloBytes) return too_large();
  return HelloResult{HelloStatus::kNeedMore, {}, bytes_needed, {}};
}

// RFC 8701 reserves 0x?A?A with equal bytes; clients sprinkle them to keep servers tolerant.
bool is_grease(uint8_t high, uint8_t low) { return high == low && (low & 0x0f) == 0x0a; }

// The handshake message as pieces of the input: one piece in the usual case, one per record
// when a client splits the hello. Remembers where each piece sits so errors name input offsets.
class Fragments {
 public:
  void add(size_t input_offset, std::span<const uint8_t> bytes) {
    if (!bytes.empty()) pieces_.push_back({input_offset, size_, bytes});
    size_ += bytes.size();
  }
  void truncate(size_t size) {  // drops bytes past the hello (only ever from the last piece)
    while (size_ > size) {
      Piece& last = pieces_.back();
      const size_t drop = std::min(size_ - size, last.bytes.size());
      last.bytes = last.bytes.first(last.bytes.size() - drop);
      size_ -= drop;
      if (last.bytes.empty()) pieces_.pop_back();
    }
  }
  size_t size() const { return size_; }
  uint8_t byte(size_t offset) const {
    return piece_of(offset).bytes[offset - piece_of(offset).start];
  }
  size_t input_offset(size_t offset) const {
    if (offset >= size_) {  // "at the end": just past the last byte
      const Piece& last = pieces_.back();
      return last.input_offset + last.bytes.size() + (offset - size_);
    }
    const Piece& piece = piece_of(offset);
    return piece.input_offset + (offset - piece.start);
  }
  // Contiguous bytes: a view into the input when the hello came in one record, else a copy.
  std::span<const uint8_t> contiguous(std::vector<uint8_t>& storage) const {
    if (pieces_.size() == 1) return pieces_.front().bytes;
    storage.clear();
    storage.reserve(size_);
    for (const Piece& piece : pieces_)
      storage.insert(storage.end(), piece.bytes.begin(), piece.bytes.end());
    return storage;
  }

 private:
  struct Piece {
    size_t input_offset;  // where the piece starts in the input
    size_t start;         // where it starts in the handshake message
    std::span<const uint8_t> bytes;
  };
  const Piece& piece_of(size_t offset) const {
    auto it = std::upper_bound(pieces_.begin(), pieces_.end(), offset,
                               [](size_t value, const Piece& p) { return value < p.start; });
    return *(it - 1);
  }
  std::vector<Piece> pieces_;
  size_t size_ = 0;
};

// Bounds-checked reads over [pos, end) of the handshake message; every read that does not fit
// returns false and leaves the position alone.
class Reader {
 public:
  Reader(std::span<const uint8_t> data, size_t pos, size_t end)
      : data_(data), pos_(pos), end_(end) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }
  bool u8(uint8_t& value) {
    if (remaining() < 1) return false;
    value = data_[pos_++];
    return true;
  }
  bool u16(uint16_t& value) {
    if (remaining() < 2) return false;
    value = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  bool sub(size_t n, Reader& out) {  // the next n bytes as their own reader
    if (remaining() < n) return false;
    out = Reader(data_, pos_, pos_ + n);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> bytes() const { return data_.subspan(pos_, remaining()); }

 private:
  std::span<const uint8_t> data_;
  size_t pos_;
  size_t end_;
};

// Reads the ClientHello body out of a complete handshake message. Structural errors make the
// hello malformed; a bad host name only makes the SNI unusable, because the relay can still
// decide the flow (by destination address) and the real server will judge the name itself.
class BodyParser {
 public:
  BodyParser(const Fragments& fragments, std::span<const uint8_t> message)
      : fragments_(fragments), message_(message) {}

  HelloResult parse() {
    Reader r(message_, kHandshakeHeaderBytes, message_.size());
    ClientHello& hello = result_.hello;
    uint8_t session_id_len = 0;
    uint16_t cipher_suites_len = 0;
    uint8_t compression_len = 0;
    if (!r.u16(hello.legacy_version) || !r.skip(kRandomBytes))
      return fail("ClientHello ends before its random", r.pos());
    if (!r.u8(session_id_len)) return fail("ClientHello ends before session_id", r.pos());
    if (session_id_len > kMaxSessionIdBytes)
      return fail("session_id length " + std::to_string(session_id_len) + " exceeds 32",
                  r.pos() - 1);
    if (!r.skip(session_id_len)) return fail("session_id runs past the ClientHello", r.pos());
    if (!r.u16(cipher_suites_len)) return fail("ClientHello ends before cipher_suites", r.pos());
    if (cipher_suites_len == 0 || cipher_suites_len % 2 != 0)
      return fail("cipher_suites length " + std::to_string(cipher_suites_len) +
                      " is not a positive even number",
                  r.pos() - 2);
    if (!r.skip(cipher_suites_len)) return fail("cipher_suites run past the ClientHello", r.pos());
    if (!r.u8(compression_len)) return fail("ClientHello ends before compression_methods", r.pos());
    if (compression_len == 0) return fail("compression_methods is empty", r.pos() - 1);
    if (!r.skip(compression_len))
      return fail("compression_methods run past the ClientHello", r.pos());
    // Before TLS 1.3 the extensions block may be absent altogether.
    if (r.remaining() > 0 && !parse_extensions(r)) return std::move(result_);
    result_.status = HelloStatus::kComplete;
    result_.error = std::move(sni_problem_);
    return std::move(result_);
  }

 private:
  HelloResult fail(const std::string& why, size_t message_offset) {
    return malformed(why + at(fragments_.input_offset(message_offset)));
  }
  // For the extension parsers: records the failure for parse() to return.
  bool fail_ext(const std::string& why, size_t message_offset) {
    result_ = fail(why, message_offset);
    return false;
  }

  bool parse_extensions(Reader& r) {
    uint16_t total = 0;
    const size_t block_start = r.pos();
    if (!r.u16(total)) return fail_ext("truncated extensions length", block_start);
    if (total != r.remaining())
      return fail_ext("extensions length " + std::to_string(total) + " does not match the " +
                          std::to_string(r.remaining()) + " bytes left in the ClientHello",
                      block_start);
    bool seen_sni = false, seen_alpn = false, seen_versions = false;
    while (r.remaining() > 0) {
      const size_t ext_start = r.pos();
      uint16_t type = 0, length = 0;
      Reader data(message_, 0, 0);
      if (!r.u16(type) || !r.u16(length)) return fail_ext("truncated extension header", ext_start);
      if (!r.sub(length, data))
        return fail_ext("extension " + hex(type, 4) + " runs past the extensions block", ext_start);
      // Two copies of an extension we act on would let us and the server read different values.
      auto once = [&](bool& seen) {
        if (seen) return fail_ext("duplicate extension " + hex(type, 4), ext_start);
        seen = true;
        return true;
      };
      bool ok = true;
      if (type == kExtServerName)
        ok = once(seen_sni) && parse_server_name(data);
      else if (type == kExtAlpn)
        ok = once(seen_alpn) && parse_alpn(data);
      else if (type == kExtSupportedVersions)
        ok = once(seen_versions) && parse_supported_versions(data);
      if (!ok) return false;
    }
    return true;
  }

  bool parse_server_name(Reader& ext) {
    uint16_t list_len = 0;
    const size_t start = ext.pos();
    if (!ext.u16(list_len) || list_len == 0 || list_len != ext.remaining())
      return fail_ext("server_name list length does not match its extension", start);
    bool have_host_name = false;
    while (ext.remaining() > 0) {
      const size_t entry = ext.pos();
      uint8_t name_type = 0;
      uint16_t name_len = 0;
      Reader name(message_, 0, 0);
      if (!ext.u8(name_type) || !ext.u16(name_len) || !ext.sub(name_len, name))
        return fail_ext("server_name entry runs past its extension", entry);
      if (name_type != kHostNameType) continue;  // no other types are defined; skip, as servers do
      if (have_host_name) {
        set_unusable("SNI has more than one host_name" + at(fragments_.input_offset(entry)));
        continue;
      }
      have_host_name = true;
      take_host_name(name);
    }
    return true;
  }

  // The SNI is usable only if a leaf can be minted for it, so the DNS rules are those of
  // parse_host_name(); the byte scan before it only adds where the first odd character is.
  void take_host_name(const Reader& name) {
    const std::span<const uint8_t> bytes = name.bytes();
    const std::string prefix = "SNI host_name" + at(fragments_.input_offset(name.pos()));
    if (bytes.size() > kMaxHostNameBytes)
      return set_unusable(prefix + " is " + std::to_string(bytes.size()) +
                          " bytes, longer than 255");
    for (size_t i = 0; i < bytes.size(); ++i) {
      const uint8_t c = bytes[i];
      const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum && c != '-' && c != '_' && c != '.')
        return set_unusable(prefix + " has character " + hex(c, 2) +
                            at(fragments_.input_offset(name.pos() + i)) +
                            ", not allowed in a DNS name");
    }
    std::string reason;
    std::optional<HostName> host = parse_host_name(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), reason);
    if (!host) return set_unusable(prefix + ": " + reason);
    // RFC 6066 forbids literal addresses here; such a flow is decided by its destination.
    if (host->kind != HostName::Kind::kDns)
      return set_unusable(prefix + " is an IP address, which server_name must not carry");
    result_.hello.sni = std::move(host->text);  // lower case, no trailing dot
  }

  void set_unusable(std::string why) {
    result_.hello.sni.reset();
    if (sni_problem_.empty()) sni_problem_ = std::move(why);
  }

  bool parse_alpn(Reader& ext) {
    uint16_t list_len = 0;
    const size_t start = ext.pos();
    if (!ext.u16(list_len) || list_len == 0 || list_len != ext.remaining())
      return fail_ext("ALPN list length does not match its extension", start);
    while (ext.remaining() > 0) {
      const size_t entry = ext.pos();
      uint8_t len = 0;
      Reader name(message_, 0, 0);
      if (!ext.u8(len) || len == 0) return fail_ext("empty ALPN protocol name", entry);
      if (!ext.sub(len, name)) return fail_ext("ALPN protocol name runs past its extension", entry);
      const std::span<const uint8_t> bytes = name.bytes();
      if (bytes.size() == 2 && is_grease(bytes[0], bytes[1])) continue;
      result_.hello.alpn.emplace_back(bytes.begin(), bytes.end());
    }
    return true;
  }

  bool parse_supported_versions(Reader& ext) {
    uint8_t list_len = 0;
    const size_t start = ext.pos();
    if (!ext.u8(list_len) || list_len == 0 || list_len % 2 != 0 || list_len != ext.remaining())
      return fail_ext("supported_versions list length does not match its extension", start);
    uint16_t version = 0;
    while (ext.u16(version)) {
      if (version == kTls13) result_.hello.has_tls13_supported_versions = true;
    }
    return true;
  }

  const Fragments& fragments_;
  std::span<const uint8_t> message_;
  HelloResult result_;
  std::string sni_problem_;
};

// Judges a record header from however many of its bytes are in, so that a prefix that cannot be
// TLS is refused as soon as possible instead of waiting for more bytes that may never come.
// The first record decides "TLS or not"; a bad header on a later record breaks a TLS hello.
std::optional<HelloResult> check_record_header(std::span<const uint8_t> in, size_t pos) {
  const size_t have = std::min(in.size() - pos, size_t{3});
  auto reject = [&](std::string why) {
    return pos == 0 ? not_tls(std::move(why)) : malformed(std::move(why));
  };
  if (have >= 1 && in[pos] != kHandshakeRecord) {
    if (pos == 0 && (in[0] & 0x80) != 0 && in.size() >= 3 && in[2] == kClientHelloType)
      return not_tls("SSLv2-compatible ClientHello at byte 0 (not supported)");
    return reject("record type " + hex(in[pos], 2) + at(pos) +
                  " is not a TLS handshake record (0x16)");
  }
  if (have >= 2 && in[pos + 1] != 0x03)
    return reject("record version major " + hex(in[pos + 1], 2) + at(pos + 1) +
                  " is not TLS (0x03)");
  if (have >= 3 && in[pos + 2] > 0x04)
    return reject("record version minor " + hex(in[pos + 2], 2) + at(pos + 2) +
                  " is not TLS (0x00-0x04)");
  return std::nullopt;
}

}  // namespace

HelloResult parse_client_hello(std::span<const uint8_t> in) {
  Fragments message;
  std::optional<size_t> message_size;  // handshake header + body, once its length is in
  size_t pos = 0;                      // start of the current record
  // Each turn consumes one whole record (at least 6 bytes) or returns.
  for (;;) {
    if (auto verdict = check_record_header(in, pos)) return std::move(*verdict);
    if (in.size() - pos < kRecordHeaderBytes) {
      if (!message_size) return need_more(0);
      return need_more(pos + kRecordHeaderBytes + (*message_size - message.size()));
    }
    const size_t record_len = size_t{in[pos + 3]} << 8 | in[pos + 4];
    if (record_len == 0) return malformed("empty handshake record" + at(pos));
    if (record_len > kMaxRecordPayload)
      return malformed("record length " + std::to_string(record_len) + at(pos + 3) +
                       " exceeds 16384");
    const size_t payload = pos + kRecordHeaderBytes;
    const size_t available = std::min(record_len, in.size() - payload);
    message.add(payload, in.subspan(payload, available));

    if (!message_size) {
      if (message.size() >= 1 && message.byte(0) != kClientHelloType)
        return malformed("handshake message type " + hex(message.byte(0), 2) +
                         at(message.input_offset(0)) + " is not a ClientHello (0x01)");
      if (message.size() >= kHandshakeHeaderBytes) {
        const size_t body_len =
            size_t{message.byte(1)} << 16 | size_t{message.byte(2)} << 8 | message.byte(3);
        message_size = kHandshakeHeaderBytes + body_len;
        if (*message_size > kMaxClientHelloBytes) return too_large();
      }
    }
    if (message_size && message.size() >= *message_size) {
      message.truncate(*message_size);  // whatever follows in the record is not ours to read
      if (message.input_offset(*message_size) > kMaxClientHelloBytes) return too_large();
      std::vector<uint8_t> storage;
      return BodyParser(message, message.contiguous(storage)).parse();
    }
    if (available < record_len) {  // the record itself is still arriving
      if (!message_size) return need_more(0);
      const size_t left_in_record = record_len - available;
      const size_t still_missing = *message_size - message.size();
      if (still_missing <= left_in_record) return need_more(payload + available + still_missing);
      return need_more(payload + record_len + kRecordHeaderBytes +
                       (still_missing - left_in_record));
    }
    pos = payload + record_len;
  }
}

bool looks_like_tls(std::span<const uint8_t> first_bytes) {
  return first_bytes.size() >= 3 && first_bytes[0] == kHandshakeRecord && first_bytes[1] == 0x03 &&
         first_bytes[2] <= 0x04;
}

}  // namespace adbcfault::tls
