#include "tls/client_hello.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace adbcfault::tls {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  std::string digits;
  for (char c : hex) {
    if (c == ' ') continue;
    digits += c;
    if (digits.size() == 2) {
      out.push_back(static_cast<uint8_t>(std::stoi(digits, nullptr, 16)));
      digits.clear();
    }
  }
  return out;
}

Bytes from_text(std::string_view text) { return Bytes(text.begin(), text.end()); }

// Captured on loopback from OpenSSL 3.0 (Debian 12): the first bytes of
//   openssl s_client -connect 127.0.0.1:PORT -servername example.com -alpn http/1.1
const Bytes kOpenSslHello = from_hex(
    "1603010147010001430303305788827155ff6cd705f6ca54b7a39786a1d45f24cfa0c1ca69db5d8085638120db18ba"
    "3c"
    "43db8a52519ebd966cda0ac941f2bc3213a5064be8f3655715e23966003e130213031301c02cc030009fcca9cca8cc"
    "aa"
    "c02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff010000"
    "bc"
    "00000010000e00000b6578616d706c652e636f6d000b000403000102000a00160014001d0017001e00190018010001"
    "01"
    "010201030104002300000010000b000908687474702f312e310016000000170000000d002a00280403050306030807"
    "08"
    "080809080a080b080408050806040105010601030303010302040205020602002b0009080304030303020301002d00"
    "02"
    "0101003300260024001d00206b4eeb63e969878f7bc9e2d16fb617a849743d318e1ca989b20090aa2f3e9209");

// openssl s_client -connect 127.0.0.1:PORT -noservername
const Bytes kOpenSslNoSniHello = from_hex(
    "1603010124010001200303a22a9d1377cb98fa94c03741144952e535401bb926d65da3ffc7c70e958a29ee200e26a3"
    "23"
    "18edb7c1a3e404cd32e3944acf305dff4ea77569be4c7940e56b4ccc003e130213031301c02cc030009fcca9cca8cc"
    "aa"
    "c02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff010000"
    "99"
    "000b000403000102000a00160014001d0017001e001900180100010101020103010400230000001600000017000000"
    "0d"
    "002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205020602002b00"
    "09"
    "080304030303020301002d00020101003300260024001d00201580b546fd7d6d3d1797b124325a92eb5359920770fe"
    "6e"
    "3444344b4708b6294e");

// openssl s_client -connect 127.0.0.1:PORT -servername Example.COM -tls1_2 -alpn h2,http/1.1
const Bytes kOpenSslTls12Hello = from_hex(
    "16030100dd010000d903036dd9ae03767af2d36c7d2f3fbef55e088c4f54cd1f877215ba19a8401d9bc2f1000038c0"
    "2c"
    "c030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d00"
    "3c"
    "0035002f00ff0100007800000010000e00000b4578616d706c652e434f4d000b000403000102000a000c000a001d00"
    "17"
    "001e00190018002300000010000e000c02683208687474702f312e310016000000170000000d002a00280403050306"
    "03"
    "080708080809080a080b080408050806040105010601030303010302040205020602");

// Parses a copy of exactly `size` bytes, so that a read past the span is a heap overflow that
// AddressSanitizer reports, not a silent read of the next test byte.
HelloResult parse_prefix(const Bytes& bytes, size_t size) {
  const Bytes copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
  return parse_client_hello(copy);
}
HelloResult parse(const Bytes& bytes) { return parse_prefix(bytes, bytes.size()); }

void put16(Bytes& out, size_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}
void put24(Bytes& out, size_t value) {
  out.push_back(static_cast<uint8_t>(value >> 16));
  put16(out, value);
}
void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

struct Extension {
  uint16_t type;
  Bytes data;
};

Extension sni_ext(std::string_view host, uint8_t name_type = 0) {
  Bytes entry{name_type};
  put16(entry, host.size());
  append(entry, from_text(host));
  Bytes data;
  put16(data, entry.size());
  append(data, entry);
  return {0, data};
}

Extension alpn_ext(const std::vector<std::string>& names) {
  Bytes list;
  for (const auto& name : names) {
    list.push_back(static_cast<uint8_t>(name.size()));
    append(list, from_text(name));
  }
  Bytes data;
  put16(data, list.size());
  append(data, list);
  return {16, data};
}

Extension versions_ext(const std::vector<uint16_t>& versions) {
  Bytes data{static_cast<uint8_t>(versions.size() * 2)};
  for (uint16_t v : versions) put16(data, v);
  return {43, data};
}

// A ClientHello built field by field, for the cases no real client sends on request.
struct HelloBuilder {
  uint16_t legacy_version = 0x0303;
  Bytes session_id = Bytes(32, 0x5a);
  std::vector<uint16_t> cipher_suites = {0x1301, 0x1302, 0xc02f};
  Bytes compression = {0};
  std::optional<std::vector<Extension>> extensions = std::vector<Extension>{};

  Bytes message() const {  // handshake header and body
    Bytes body;
    put16(body, legacy_version);
    append(body, Bytes(32, 0x11));
    body.push_back(static_cast<uint8_t>(session_id.size()));
    append(body, session_id);
    put16(body, cipher_suites.size() * 2);
    for (uint16_t suite : cipher_suites) put16(body, suite);
    body.push_back(static_cast<uint8_t>(compression.size()));
    append(body, compression);
    if (extensions) {
      Bytes block;
      for (const auto& ext : *extensions) {
        put16(block, ext.type);
        put16(block, ext.data.size());
        append(block, ext.data);
      }
      put16(body, block.size());
      append(body, block);
    }
    Bytes message{0x01};
    put24(message, body.size());
    append(message, body);
    return message;
  }
  Bytes records(size_t fragment = 16384) const { return as_records(message(), fragment); }

  static Bytes as_records(const Bytes& message, size_t fragment) {
    Bytes out;
    for (size_t pos = 0; pos < message.size(); pos += fragment) {
      const size_t len = std::min(fragment, message.size() - pos);
      append(out, {0x16, 0x03, 0x01});
      put16(out, len);
      out.insert(out.end(), message.begin() + static_cast<std::ptrdiff_t>(pos),
                 message.begin() + static_cast<std::ptrdiff_t>(pos + len));
    }
    return out;
  }
};

HelloBuilder with_extensions(std::vector<Extension> extensions) {
  HelloBuilder builder;
  builder.extensions = std::move(extensions);
  return builder;
}

// The handshake message inside single-record captured bytes.
Bytes message_of(const Bytes& records) { return Bytes(records.begin() + 5, records.end()); }

std::string status_name(HelloStatus status) {
  switch (status) {
    case HelloStatus::kComplete:
      return "kComplete";
    case HelloStatus::kNeedMore:
      return "kNeedMore";
    case HelloStatus::kNotTls:
      return "kNotTls";
    case HelloStatus::kMalformed:
      return "kMalformed";
  }
  return "?";
}

#define EXPECT_STATUS(result, expected) \
  EXPECT_EQ(status_name((result).status), status_name(expected)) << "error: " << (result).error

// ---- Real clients ------------------------------------------------------------------------------

TEST(ClientHello, OpenSslWithSniAndAlpn) {
  const HelloResult result = parse(kOpenSslHello);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "example.com");
  EXPECT_EQ(result.hello.alpn, std::vector<std::string>{"http/1.1"});
  EXPECT_EQ(result.hello.legacy_version, 0x0303);
  EXPECT_TRUE(result.hello.has_tls13_supported_versions);
  EXPECT_EQ(result.error, "");
}

TEST(ClientHello, OpenSslWithoutSni) {
  const HelloResult result = parse(kOpenSslNoSniHello);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
  EXPECT_TRUE(result.hello.alpn.empty());
  EXPECT_EQ(result.error, "");
}

TEST(ClientHello, OpenSslTls12OnlyLowerCasesSni) {
  const HelloResult result = parse(kOpenSslTls12Hello);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "example.com");  // sent as Example.COM
  EXPECT_EQ(result.hello.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_FALSE(result.hello.has_tls13_supported_versions);
}

// The relay peeks whatever has arrived; every split of the hello into two segments must give
// kNeedMore for the first piece, and the total once the handshake length is in.
TEST(ClientHello, EveryPrefixNeedsMore) {
  for (const Bytes* hello : {&kOpenSslHello, &kOpenSslNoSniHello, &kOpenSslTls12Hello}) {
    for (size_t size = 0; size < hello->size(); ++size) {
      const HelloResult result = parse_prefix(*hello, size);
      ASSERT_EQ(status_name(result.status), "kNeedMore") << size << ": " << result.error;
      const size_t expected = size >= 9 ? hello->size() : 0;  // record + handshake headers in
      EXPECT_EQ(result.bytes_needed, expected) << "prefix " << size;
    }
    EXPECT_STATUS(parse(*hello), HelloStatus::kComplete);
  }
}

TEST(ClientHello, BytesAfterTheHelloAreIgnored) {
  Bytes bytes = kOpenSslHello;
  append(bytes, {0x14, 0x03, 0x03, 0x00, 0x01, 0x01});  // ChangeCipherSpec (middlebox compat)
  append(bytes, {0x17, 0x03, 0x03, 0x00, 0x02, 0xde, 0xad});
  const HelloResult result = parse(bytes);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "example.com");
}

// ---- Fragmentation ---------------------------------------------------------------------------

TEST(ClientHello, HandshakeSpreadOverRecordsIsReassembled) {
  const Bytes message = message_of(kOpenSslHello);
  for (size_t fragment : {1, 2, 3, 4, 5, 7, 64, 100, 200}) {
    const Bytes records = HelloBuilder::as_records(message, fragment);
    const HelloResult result = parse(records);
    EXPECT_STATUS(result, HelloStatus::kComplete);
    EXPECT_EQ(result.hello.sni, "example.com") << "fragment " << fragment;
    EXPECT_EQ(result.hello.alpn, std::vector<std::string>{"http/1.1"});
    EXPECT_TRUE(result.hello.has_tls13_supported_versions);
  }
}

TEST(ClientHello, EveryPrefixOfAFragmentedHelloNeedsMore) {
  for (size_t fragment : {1, 7, 100}) {
    const Bytes records = HelloBuilder::as_records(message_of(kOpenSslHello), fragment);
    for (size_t size = 0; size < records.size(); ++size) {
      const HelloResult result = parse_prefix(records, size);
      ASSERT_EQ(status_name(result.status), "kNeedMore")
          << fragment << "/" << size << ": " << result.error;
      // Never claims more than the hello really takes; always asks for at least one more byte.
      EXPECT_LE(result.bytes_needed, records.size()) << fragment << "/" << size;
      if (result.bytes_needed != 0) {
        EXPECT_GT(result.bytes_needed, size);
      }
    }
  }
}

// Post-quantum key shares make hellos of ~16 KiB that no longer fit one record.
TEST(ClientHello, LargePostQuantumHelloOverTwoRecords) {
  Bytes key_share;
  put16(key_share, 2 + 2 + 1216 + 2 + 2 + 32);
  put16(key_share, 0x11ec);  // X25519MLKEM768
  put16(key_share, 1216);
  append(key_share, Bytes(1216, 0x42));
  put16(key_share, 0x001d);
  put16(key_share, 32);
  append(key_share, Bytes(32, 0x43));
  HelloBuilder builder = with_extensions({sni_ext("adb-123.4.azuredatabricks.net"),
                                          {51, key_share},
                                          {21, Bytes(15000, 0)},  // padding
                                          versions_ext({0x0304, 0x0303}),
                                          alpn_ext({"http/1.1"})});
  const Bytes records = builder.records();
  ASSERT_GT(records.size(), 16384u + 5);
  const HelloResult result = parse(records);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "adb-123.4.azuredatabricks.net");
  EXPECT_EQ(result.hello.alpn, std::vector<std::string>{"http/1.1"});
  for (size_t size = 0; size < records.size(); size += 97) {
    const HelloResult partial = parse_prefix(records, size);
    ASSERT_EQ(status_name(partial.status), "kNeedMore") << size << ": " << partial.error;
    // In the first record the estimate assumes the rest follows in one more record: exact here.
    if (size >= 9) {
      EXPECT_EQ(partial.bytes_needed, records.size()) << size;
    }
  }
}

// ---- Extensions --------------------------------------------------------------------------------

TEST(ClientHello, NoExtensionsAtAll) {
  HelloBuilder builder;
  builder.extensions.reset();
  builder.legacy_version = 0x0301;
  const HelloResult result = parse(builder.records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
  EXPECT_TRUE(result.hello.alpn.empty());
  EXPECT_EQ(result.hello.legacy_version, 0x0301);
  EXPECT_FALSE(result.hello.has_tls13_supported_versions);
}

TEST(ClientHello, EmptyExtensionsBlock) {
  const HelloResult result = parse(with_extensions({}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
}

TEST(ClientHello, AlpnH2AndHttp11InOrder) {
  const HelloResult result =
      parse(with_extensions({alpn_ext({"h2", "http/1.1"}), sni_ext("example.com")}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
}

// Chrome-style GREASE (RFC 8701) in cipher suites, extension types, versions and ALPN names.
TEST(ClientHello, GreaseValuesAreIgnored) {
  HelloBuilder builder = with_extensions({{0x0a0a, {}},
                                          sni_ext("dbc-1234.cloud.databricks.com"),
                                          versions_ext({0x7a7a, 0x0304, 0x0303}),
                                          alpn_ext({"\x3a\x3a", "h2", "http/1.1"}),
                                          {0xfafa, {0x00}}});
  builder.cipher_suites = {0x2a2a, 0x1301, 0x1302};
  const HelloResult result = parse(builder.records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "dbc-1234.cloud.databricks.com");
  EXPECT_EQ(result.hello.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_TRUE(result.hello.has_tls13_supported_versions);
}

TEST(ClientHello, SupportedVersionsWithoutTls13) {
  const HelloResult result = parse(with_extensions({versions_ext({0x0303, 0x0302})}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.has_tls13_supported_versions);
}

TEST(ClientHello, SniLongestUsableName) {
  std::string host;
  for (int i = 0; i < 4; ++i) host += std::string(i == 3 ? 61 : 63, 'a' + i) + ".";
  host.pop_back();  // 63+1+63+1+63+1+61 = 253 bytes, labels at most 63
  const HelloResult result = parse(with_extensions({sni_ext(host)}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, host);
}

TEST(ClientHello, SniTrailingDotIsDropped) {
  const HelloResult result = parse(with_extensions({sni_ext("Example.com.")}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "example.com");
  EXPECT_EQ(result.error, "");
}

TEST(ClientHello, OtherNameTypesAreSkipped) {
  const HelloResult result = parse(with_extensions({sni_ext("opaque", 7)}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
  EXPECT_EQ(result.error, "");
}

// ---- Unusable SNI: still a complete hello, the relay decides by address
// --------------------------

struct UnusableSni {
  std::string name;
  std::string host;
  std::string error_part;
};

class UnusableSniTest : public testing::TestWithParam<UnusableSni> {};

TEST_P(UnusableSniTest, SniIsDroppedWithAReason) {
  const HelloResult result =
      parse(with_extensions({sni_ext(GetParam().host), alpn_ext({"http/1.1"})}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
  EXPECT_NE(result.error.find(GetParam().error_part), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("at byte"), std::string::npos) << result.error;
  EXPECT_EQ(result.hello.alpn, std::vector<std::string>{"http/1.1"});  // the rest still parsed
  for (char c : result.error) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unsafe byte in error";
}

INSTANTIATE_TEST_SUITE_P(
    ClientHello, UnusableSniTest,
    testing::Values(
        UnusableSni{"Length300", std::string(300, 'a'), "is 300 bytes, longer than 255"},
        UnusableSni{"Length256", std::string(200, 'a') + "." + std::string(55, 'b'), "255"},
        UnusableSni{"Space", "exa mple.com", "character 0x20"},
        UnusableSni{"ControlChar", "example.com\r\nX-Evil: 1", "character 0x0d"},
        UnusableSni{"Nul", std::string("example.com\0.evil", 17), "character 0x00"},
        UnusableSni{"NonAscii",
                    "b\xc3\xbc"
                    "cher.de",
                    "character 0xc3"},
        UnusableSni{"Wildcard", "*.example.com", "character 0x2a"},
        UnusableSni{"Slash", "example.com/x", "character 0x2f"},
        UnusableSni{"Length254", std::string(200, 'a') + "." + std::string(53, 'b'), "at most 253"},
        UnusableSni{"Empty", "", "empty host name"}, UnusableSni{"OnlyDot", ".", "only a dot"},
        UnusableSni{"LeadingDot", ".example.com", "empty label"},
        UnusableSni{"DoubleDot", "example..com", "empty label"},
        UnusableSni{"LongLabel", std::string(64, 'x') + ".com", "at most 63"},
        UnusableSni{"HyphenEdge", "-x.example.com", "starts or ends with '-'"},
        UnusableSni{"Ipv4Literal", "10.200.1.2", "is an IP address"},
        UnusableSni{"BadIpv4Literal", "1.2.3.256", "looks like an IP address"},
        UnusableSni{"Ipv6Literal", "[::1]", "character 0x5b"}),
    [](const testing::TestParamInfo<UnusableSni>& info) { return info.param.name; });

TEST(ClientHello, TwoHostNamesMakeTheSniUnusable) {
  Bytes entries;
  for (std::string_view host : {"a.example.com", "b.example.com"}) {
    entries.push_back(0);
    put16(entries, host.size());
    append(entries, from_text(host));
  }
  Bytes data;
  put16(data, entries.size());
  append(data, entries);
  const HelloResult result = parse(with_extensions({{0, data}}).records());
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_FALSE(result.hello.sni.has_value());
  EXPECT_NE(result.error.find("more than one host_name"), std::string::npos) << result.error;
}

// ---- Not TLS
// -------------------------------------------------------------------------------------

struct NotTlsCase {
  std::string name;
  Bytes bytes;
};

class NotTlsTest : public testing::TestWithParam<NotTlsCase> {};

TEST_P(NotTlsTest, IsNotTls) {
  const HelloResult result = parse(GetParam().bytes);
  EXPECT_STATUS(result, HelloStatus::kNotTls);
  EXPECT_FALSE(result.error.empty());
  EXPECT_FALSE(looks_like_tls(GetParam().bytes));
}

INSTANTIATE_TEST_SUITE_P(
    ClientHello, NotTlsTest,
    testing::Values(
        NotTlsCase{"HttpGet", from_text("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")},
        NotTlsCase{"HttpGetFirstByte", from_text("G")},
        NotTlsCase{"SshBanner", from_text("SSH-2.0-OpenSSH_9.2p1\r\n")},
        NotTlsCase{
            "Sslv2CompatibleHello",
            from_hex("802b0103010012000000100000040000050000ff0102030405060708090a0b0c0d0e0f")},
        NotTlsCase{"ApplicationDataRecord", from_hex("170303001000")},
        NotTlsCase{"Version0x0305", from_hex("1603050010")},
        NotTlsCase{"Version0x0203", from_hex("160203")},
        NotTlsCase{"MajorOnlyWrong", from_hex("1602")}, NotTlsCase{"ZeroBytes", Bytes(64, 0)},
        NotTlsCase{"HighGarbage", from_hex("ffffffffffffffff")}),
    [](const testing::TestParamInfo<NotTlsCase>& info) { return info.param.name; });

TEST(ClientHello, Sslv2HelloIsNamed) {
  const HelloResult result =
      parse(from_hex("802b0103010012000000100000040000050000ff0102030405060708090a0b0c0d0e0f"));
  EXPECT_NE(result.error.find("SSLv2"), std::string::npos) << result.error;
}

TEST(ClientHello, EmptyAndShortTlsPrefixesNeedMore) {
  for (const Bytes& bytes :
       {Bytes{}, from_hex("16"), from_hex("1603"), from_hex("160301"), from_hex("16030100"),
        from_hex("1603010100"), from_hex("160301010001"), from_hex("16030101000100")}) {
    const HelloResult result = parse(bytes);
    EXPECT_STATUS(result, HelloStatus::kNeedMore);
    EXPECT_EQ(result.bytes_needed, 0u) << bytes.size();
  }
}

// ---- Malformed
// -----------------------------------------------------------------------------------

struct MalformedCase {
  std::string name;
  Bytes bytes;
  std::string error_part;
};

class MalformedTest : public testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedTest, IsMalformedWithOffset) {
  const HelloResult result = parse(GetParam().bytes);
  EXPECT_STATUS(result, HelloStatus::kMalformed);
  EXPECT_NE(result.error.find(GetParam().error_part), std::string::npos) << result.error;
  if (GetParam().error_part != "larger than 64 KiB") {
    EXPECT_NE(result.error.find("at byte"), std::string::npos) << result.error;
  }
}

Bytes with_message_edit(size_t offset, uint8_t value) {  // edits the captured handshake message
  Bytes bytes = kOpenSslHello;
  bytes[5 + offset] = value;
  return bytes;
}

Bytes duplicate_sni() {
  return with_extensions({sni_ext("a.example.com"), sni_ext("b.example.com")}).records();
}

Bytes second_record_of_type(uint8_t type) {
  Bytes records = HelloBuilder::as_records(message_of(kOpenSslHello), 100);
  records[5 + 100] = type;  // header of the second record
  return records;
}

Bytes extensions_length_off_by(int delta) {
  HelloBuilder builder = with_extensions({sni_ext("example.com")});
  Bytes message = builder.message();
  // Extensions length sits right after compression_methods: 4 + 2 + 32 + 1 + 32 + 2 + 6 + 1 + 1.
  const size_t at = 4 + 2 + 32 + 1 + 32 + 2 + 6 + 1 + 1;
  const size_t length = (size_t{message[at]} << 8 | message[at + 1]) + delta;
  message[at] = static_cast<uint8_t>(length >> 8);
  message[at + 1] = static_cast<uint8_t>(length);
  return HelloBuilder::as_records(message, 16384);
}

Bytes builder_records(void (*edit)(HelloBuilder&)) {
  HelloBuilder builder;
  edit(builder);
  return builder.records();
}

INSTANTIATE_TEST_SUITE_P(
    ClientHello, MalformedTest,
    testing::Values(
        MalformedCase{"ServerHelloType", with_message_edit(0, 0x02), "is not a ClientHello"},
        MalformedCase{"ServerHelloTypeFirstByteOnly", from_hex("160303004002"),
                      "is not a ClientHello"},
        MalformedCase{"EmptyRecord", from_hex("1603010000"), "empty handshake record"},
        MalformedCase{"RecordOver16K", from_hex("1603014001"), "exceeds 16384"},
        MalformedCase{"AlertInsideHello", second_record_of_type(0x15), "record type 0x15"},
        MalformedCase{"BadSecondRecordVersion",
                      [] {
                        Bytes r = HelloBuilder::as_records(message_of(kOpenSslHello), 100);
                        r[5 + 100 + 2] = 0x09;
                        return r;
                      }(),
                      "record version minor 0x09 at byte 107"},
        MalformedCase{"DuplicateSni", duplicate_sni(), "duplicate extension 0x0000"},
        MalformedCase{"DuplicateAlpn",
                      with_extensions({alpn_ext({"h2"}), alpn_ext({"http/1.1"})}).records(),
                      "duplicate extension 0x0010"},
        MalformedCase{"ExtensionsLengthShort", extensions_length_off_by(-1), "extensions length"},
        MalformedCase{"ExtensionsLengthLong", extensions_length_off_by(+1), "extensions length"},
        MalformedCase{"SessionId33",
                      builder_records([](HelloBuilder& b) { b.session_id = Bytes(33, 1); }),
                      "session_id length 33 exceeds 32"},
        MalformedCase{"OddCipherSuites", with_message_edit(4 + 2 + 32 + 1 + 32 + 1, 0x3f),
                      "cipher_suites length 63"},
        MalformedCase{"NoCipherSuites",
                      builder_records([](HelloBuilder& b) { b.cipher_suites.clear(); }),
                      "cipher_suites length 0"},
        MalformedCase{"NoCompression",
                      builder_records([](HelloBuilder& b) { b.compression.clear(); }),
                      "compression_methods is empty"},
        MalformedCase{"TooShortBody", from_hex("16030100080100000403030000"), "before its random"},
        MalformedCase{"EmptyAlpnName", with_extensions({alpn_ext({"h2", ""})}).records(),
                      "empty ALPN protocol name"},
        MalformedCase{"AlpnListLength", with_extensions({{16, from_hex("00050268")}}).records(),
                      "ALPN list length"},
        MalformedCase{"SniListLength", with_extensions({{0, from_hex("0009000005")}}).records(),
                      "server_name list length"},
        MalformedCase{"SniNameRunsOver", with_extensions({{0, from_hex("000400ffff61")}}).records(),
                      "server_name entry runs past"},
        MalformedCase{"SniEntryRunsOver",
                      with_extensions({{0, from_hex("0004000005616263")}}).records(),
                      "server_name list length"},
        MalformedCase{"SniEntryNameTooLong",
                      with_extensions({{0, from_hex("0006000009616263")}}).records(),
                      "server_name entry runs past"},
        MalformedCase{"VersionsOdd", with_extensions({{43, from_hex("03030403")}}).records(),
                      "supported_versions list length"},
        MalformedCase{"ExtensionRunsOver",
                      [] {
                        Bytes r = with_extensions({sni_ext("example.com")}).records();
                        r[r.size() - 17] = 0x20;  // extension data length 0x0010 -> 0x0020
                        return r;
                      }(),
                      "runs past the extensions block"},
        MalformedCase{"HandshakeLength64K", from_hex("1603014000010100000303"),
                      "larger than 64 KiB"}),
    [](const testing::TestParamInfo<MalformedCase>& info) { return info.param.name; });

TEST(ClientHello, MalformedOffsetsPointIntoTheInput) {
  // The odd cipher_suites length of the captured hello sits at input byte 5 + 4 + 2 + 32 + 1 + 32.
  const HelloResult single = parse(with_message_edit(4 + 2 + 32 + 1 + 32 + 1, 0x3f));
  EXPECT_NE(single.error.find("at byte 76"), std::string::npos) << single.error;
  // In 10-byte records, message offset 71 is in the 8th record: 7 * 15 + 5 + 1 = 111.
  Bytes message = message_of(kOpenSslHello);
  message[72] = 0x3f;
  const HelloResult split = parse(HelloBuilder::as_records(message, 10));
  EXPECT_NE(split.error.find("at byte 111"), std::string::npos) << split.error;
}

// ---- Size cap ----------------------------------------------------------------------------------

TEST(ClientHello, HandshakeLengthOver64KiBIsRefusedFromItsHeader) {
  // 4 + 0xfffd = 65537 bytes: refused from the first 9 bytes, without waiting for the rest.
  const HelloResult result = parse(from_hex("160301400001 00fffd"));
  EXPECT_STATUS(result, HelloStatus::kMalformed);
  EXPECT_EQ(result.error, "ClientHello larger than 64 KiB");
}

TEST(ClientHello, HelloOfExactly64KiBIsAccepted) {
  // Four records of 16 KiB: 4 record headers and the message fill the cap exactly.
  HelloBuilder builder = with_extensions({sni_ext("example.com"), {21, {}}});
  const size_t padding = kMaxClientHelloBytes - 4 * 5 - builder.message().size();
  builder.extensions->back().data = Bytes(padding, 0);
  const Bytes records = builder.records();
  ASSERT_EQ(records.size(), kMaxClientHelloBytes);
  const HelloResult result = parse(records);
  EXPECT_STATUS(result, HelloStatus::kComplete);
  EXPECT_EQ(result.hello.sni, "example.com");
}

TEST(ClientHello, HelloWhoseRecordsPassTheCapIsRefused) {
  // A 30 KiB message is fine, but in 4-byte records it would take 75 KiB of wire bytes.
  HelloBuilder builder = with_extensions({sni_ext("example.com"), {21, Bytes(30000, 0)}});
  const Bytes records = HelloBuilder::as_records(builder.message(), 4);
  const HelloResult result = parse(records);
  EXPECT_STATUS(result, HelloStatus::kMalformed);
  EXPECT_EQ(result.error, "ClientHello larger than 64 KiB");
  // Decided before all those bytes arrive: as soon as the estimate passes the cap.
  size_t first_refusal = 0;
  for (size_t size = 9; size < records.size(); size += 499) {
    if (parse_prefix(records, size).status == HelloStatus::kMalformed) {
      first_refusal = size;
      break;
    }
  }
  EXPECT_GT(first_refusal, 0u);
  EXPECT_LE(first_refusal, kMaxClientHelloBytes);
}

// ---- looks_like_tls
// --------------------------------------------------------------------------------

TEST(LooksLikeTls, DecidesFromThreeBytes) {
  EXPECT_TRUE(looks_like_tls(from_hex("160300")));
  EXPECT_TRUE(looks_like_tls(from_hex("160301")));
  EXPECT_TRUE(looks_like_tls(from_hex("160303")));
  EXPECT_TRUE(looks_like_tls(from_hex("160304")));
  EXPECT_TRUE(looks_like_tls(kOpenSslHello));
  EXPECT_FALSE(looks_like_tls(from_hex("160305")));
  EXPECT_FALSE(looks_like_tls(from_hex("160203")));
  EXPECT_FALSE(looks_like_tls(from_hex("170303")));
  EXPECT_FALSE(looks_like_tls(from_text("GET")));
  EXPECT_FALSE(looks_like_tls(from_hex("1603")));  // too short to decide
  EXPECT_FALSE(looks_like_tls({}));
}

}  // namespace
}  // namespace adbcfault::tls
