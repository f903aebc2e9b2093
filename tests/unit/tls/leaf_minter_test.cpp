#include "tls/leaf_minter.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

#include "tls/cert_builder.h"
#include "tls_test_support.h"

namespace adbcfault::tls {
namespace {

using testing::TempDir;

class LeafMinterTest : public ::testing::Test {
 protected:
  TempDir dir_;
  CaStore ca_ = CaStore::load_or_create(dir_.path());
  LeafMinter minter_{ca_};

  std::shared_ptr<const Leaf> mint(const std::string& name) {
    std::string error;
    auto leaf = minter_.mint(name, error);
    EXPECT_NE(leaf, nullptr) << name << ": " << error;
    EXPECT_EQ(error, "");
    return leaf;
  }
};

std::vector<GENERAL_NAME*> alt_names(X509* cert, GENERAL_NAMES*& holder) {
  holder =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  std::vector<GENERAL_NAME*> names;
  for (int i = 0; holder != nullptr && i < sk_GENERAL_NAME_num(holder); ++i) {
    names.push_back(sk_GENERAL_NAME_value(holder, i));
  }
  return names;
}

std::string common_name(X509* cert) {
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  return cn;
}

TEST_F(LeafMinterTest, DnsLeafVerifiesForItsNameAndNoOther) {
  auto leaf = mint("adb-1234567890.12.azuredatabricks.net");
  ASSERT_NE(leaf, nullptr);
  X509* cert = leaf->certificate.get();
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), cert, "adb-1234567890.12.azuredatabricks.net"),
            X509_V_OK);
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), cert, "other.azuredatabricks.net"),
            X509_V_ERR_HOSTNAME_MISMATCH);

  TempDir other_dir;
  CaStore other = CaStore::load_or_create(other_dir.path());
  EXPECT_EQ(
      testing::verify_leaf(other.certificate(), cert, "adb-1234567890.12.azuredatabricks.net"),
      X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_F(LeafMinterTest, LeafHasTheExtensionsStrictClientsRequire) {
  auto leaf = mint("example.test");
  ASSERT_NE(leaf, nullptr);
  X509* cert = leaf->certificate.get();
  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(cert), 0);
  EXPECT_EQ(X509_get_extension_flags(cert) & EXFLAG_CA, 0u);
  EXPECT_EQ(X509_get_key_usage(cert), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(cert), static_cast<uint32_t>(XKU_SSL_SERVER));
  EXPECT_EQ(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(ca_.certificate())), 0);
  EXPECT_EQ(common_name(cert), "example.test");

  const ASN1_OCTET_STRING* authority = X509_get0_authority_key_id(cert);
  ASSERT_NE(authority, nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(authority, X509_get0_subject_key_id(ca_.certificate())), 0);
  EXPECT_NE(X509_get0_subject_key_id(cert), nullptr);

  GENERAL_NAMES* holder = nullptr;
  auto names = alt_names(cert, holder);
  ASSERT_EQ(names.size(), 1u);
  ASSERT_EQ(names[0]->type, GEN_DNS);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(names[0]->d.dNSName)),
                        ASN1_STRING_length(names[0]->d.dNSName)),
            "example.test");
  GENERAL_NAMES_free(holder);
}

TEST_F(LeafMinterTest, IpLiteralsGetAnIpSubjectAltName) {
  struct Case {
    const char* given;
    const char* canonical;
    int family;
  };
  for (Case c :
       {Case{"10.200.0.2", "10.200.0.2", AF_INET}, Case{"2001:DB8:0:0::1", "2001:db8::1", AF_INET6},
        Case{"[fd00::2]", "fd00::2", AF_INET6}}) {
    auto leaf = mint(c.given);
    ASSERT_NE(leaf, nullptr);
    EXPECT_EQ(leaf->name, c.canonical);
    X509* cert = leaf->certificate.get();
    GENERAL_NAMES* holder = nullptr;
    auto names = alt_names(cert, holder);
    ASSERT_EQ(names.size(), 1u);
    ASSERT_EQ(names[0]->type, GEN_IPADD) << c.given;
    unsigned char expected[16];
    ASSERT_EQ(inet_pton(c.family, c.canonical, expected), 1);
    EXPECT_EQ(ASN1_STRING_length(names[0]->d.iPAddress), c.family == AF_INET ? 4 : 16);
    EXPECT_EQ(std::memcmp(ASN1_STRING_get0_data(names[0]->d.iPAddress), expected,
                          static_cast<size_t>(ASN1_STRING_length(names[0]->d.iPAddress))),
              0);
    GENERAL_NAMES_free(holder);
    EXPECT_EQ(testing::verify_leaf(ca_.certificate(), cert, c.canonical, /*is_ip=*/true), X509_V_OK)
        << c.given;
    EXPECT_EQ(testing::verify_leaf(ca_.certificate(), cert,
                                   c.family == AF_INET ? "10.200.0.3" : "fd00::3",
                                   /*is_ip=*/true),
              X509_V_ERR_IP_ADDRESS_MISMATCH);
  }
}

TEST_F(LeafMinterTest, ValidityIsBackdatedAndAtMost397Days) {
  auto leaf = mint("example.test");
  ASSERT_NE(leaf, nullptr);
  std::time_t now = std::time(nullptr);
  std::time_t not_before = to_time_t(X509_get0_notBefore(leaf->certificate.get())).value_or(0);
  std::time_t not_after = to_time_t(X509_get0_notAfter(leaf->certificate.get())).value_or(0);
  EXPECT_NEAR(static_cast<double>(now - not_before), 3600.0, 60.0);
  EXPECT_NEAR(static_cast<double>(not_after - now), 397.0 * 86400, 60.0);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(leaf->not_after), not_after);
}

TEST(LeafMinterValidity, NeverOutlivesTheCa) {
  TempDir dir;
  std::time_t now = std::time(nullptr);
  testing::write_self_signed(dir.path(), /*is_ca=*/true, now - 86400, now + 2 * 86400);
  CaStore ca = CaStore::load_or_create(dir.path());
  ASSERT_EQ(ca.warnings().size(), 1u);
  EXPECT_NE(ca.warnings()[0].find(": CA expires on "), std::string::npos) << ca.warnings()[0];
  LeafMinter minter(ca);
  std::string error;
  auto leaf = minter.mint("example.test", error);
  ASSERT_NE(leaf, nullptr) << error;
  EXPECT_EQ(X509_cmp_time(X509_get0_notAfter(leaf->certificate.get()), nullptr), 1);
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notAfter(leaf->certificate.get()),
                              X509_get0_notAfter(ca.certificate())),
            0);
  EXPECT_EQ(testing::verify_leaf(ca.certificate(), leaf->certificate.get(), "example.test"),
            X509_V_OK);
}

TEST_F(LeafMinterTest, NamesAreCanonicalAndLongOnesKeepTheFullNameInTheSan) {
  auto leaf = mint("Example.TEST.");
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(leaf->name, "example.test");
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), leaf->certificate.get(), "example.test"),
            X509_V_OK);

  std::string long_name = std::string(63, 'a') + "." + std::string(63, 'b') + ".example.test";
  leaf = mint(long_name);
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(common_name(leaf->certificate.get()), long_name.substr(0, 64));
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), leaf->certificate.get(), long_name), X509_V_OK);
}

TEST_F(LeafMinterTest, LeavesShareOneKeyAndHaveDistinctSerials) {
  auto a = mint("a.example.test");
  auto b = mint("b.example.test");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->key.get(), b->key.get());
  EXPECT_EQ(a->key.get(), minter_.leaf_key());
  EXPECT_EQ(X509_check_private_key(a->certificate.get(), a->key.get()), 1);
  EXPECT_NE(testing::serial_hex(a->certificate.get()), testing::serial_hex(b->certificate.get()));
}

TEST_F(LeafMinterTest, BadNamesAreRefusedWithAReason) {
  const std::string bad[] = {
      "",
      ".",
      std::string(300, 'a'),           // an SNI of 300 bytes
      std::string(64, 'a') + ".test",  // label longer than 63
      std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
          std::string(62, 'd'),  // 254 characters in all
      "exa mple.test",
      "a..b.test",
      ".a.test",
      "-a.test",
      "a-.test",
      "*.example.test",
      "foo/bar.test",
      "a,DNS:evil.test",
      std::string("a\0b.test", 8),
      "caf\xc3\xa9.test",
      "1.2.3.256",
      "10.0.0",
      "fe80::1%eth0",
      "[::1",
  };
  for (const std::string& name : bad) {
    std::string error;
    EXPECT_EQ(minter_.mint(name, error), nullptr) << name;
    EXPECT_NE(error, "") << name;
  }
}

}  // namespace
}  // namespace adbcfault::tls
