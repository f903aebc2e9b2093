#include "tls/ca_store.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include "tls/cert_builder.h"
#include "tls/leaf_minter.h"
#include "tls/pem_file.h"
#include "tls_test_support.h"

namespace adbcfault::tls {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// The message of the CaError that loading `dir` throws ("" if it loads).
std::string load_error(const fs::path& dir) {
  try {
    CaStore::load_or_create(dir);
  } catch (const CaError& e) {
    return e.what();
  }
  return "";
}

TEST(CaStore, FirstStartCreatesTheFilesWithTheirModesEvenUnderAPermissiveUmask) {
  TempDir dir;
  mode_t old_umask = ::umask(0);
  CaStore ca = CaStore::load_or_create(dir.path() / "state");
  ::umask(old_umask);
  EXPECT_TRUE(ca.created());
  EXPECT_TRUE(ca.warnings().empty());
  EXPECT_EQ(ca.certificate_path(), dir.path() / "state" / "ca.pem");
  EXPECT_EQ(testing::file_mode(dir.path() / "state" / "ca.key"), 0600u);
  EXPECT_EQ(testing::file_mode(dir.path() / "state" / "ca.pem"), 0644u);
  EXPECT_EQ(testing::read_file(ca.certificate_path()), ca.certificate_pem());
  for (const auto& entry : fs::directory_iterator(dir.path() / "state")) {
    EXPECT_TRUE(entry.path().filename() == "ca.pem" || entry.path().filename() == "ca.key")
        << "left behind: " << entry.path();
  }
}

TEST(CaStore, GeneratedCaHasTheExtensionsStrictClientsWant) {
  TempDir dir;
  CaStore ca = CaStore::load_or_create(dir.path());
  X509* cert = ca.certificate();
  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(cert), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)), 0);

  int critical = -1;
  auto* constraints = static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr));
  ASSERT_NE(constraints, nullptr);
  EXPECT_EQ(critical, 1);
  EXPECT_TRUE(constraints->ca);
  ASSERT_NE(constraints->pathlen, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(constraints->pathlen), 0);
  BASIC_CONSTRAINTS_free(constraints);

  auto* usage =
      static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(cert, NID_key_usage, &critical, nullptr));
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(critical, 1);
  ASN1_BIT_STRING_free(usage);
  EXPECT_EQ(X509_get_key_usage(cert), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_NE(X509_get0_subject_key_id(cert), nullptr);

  char cn[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  EXPECT_EQ(std::string(cn).rfind("adbcfault test CA (", 0), 0u) << cn;
  char org[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_organizationName, org, sizeof org);
  EXPECT_STREQ(org, "adbcfault");

  EXPECT_EQ(EVP_PKEY_get_base_id(ca.key()), EVP_PKEY_EC);
  BigNumPtr serial(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr));
  EXPECT_GT(BN_num_bits(serial.get()), 64) << "a 128-bit random serial";
  EXPECT_LE(BN_num_bits(serial.get()), 128);

  std::time_t now = std::time(nullptr);
  std::time_t not_before = to_time_t(X509_get0_notBefore(cert)).value_or(0);
  std::time_t not_after = to_time_t(X509_get0_notAfter(cert)).value_or(0);
  EXPECT_NEAR(static_cast<double>(now - not_before), 3600.0, 60.0) << "backdated an hour";
  EXPECT_NEAR(static_cast<double>(not_after - now) / 86400, 3652.4, 1.0) << "ten years";
}

TEST(CaStore, SecondStartReusesTheSameCa) {
  TempDir dir;
  std::string first_serial;
  {
    CaStore ca = CaStore::load_or_create(dir.path());
    first_serial = testing::serial_hex(ca.certificate());
  }
  CaStore again = CaStore::load_or_create(dir.path());
  EXPECT_FALSE(again.created());
  EXPECT_EQ(testing::serial_hex(again.certificate()), first_serial);
}

TEST(CaStore, MissingNestedStateDirectoryIsCreated) {
  TempDir dir;
  fs::path state = dir.path() / "a" / "b" / "c";
  CaStore ca = CaStore::load_or_create(state);
  EXPECT_TRUE(fs::is_regular_file(state / "ca.pem"));
}

TEST(CaStore, UncreatableStateDirectoryIsNamed) {
  TempDir dir;
  testing::write_file(dir.path() / "plain-file", "x", 0644);
  fs::path state = dir.path() / "plain-file" / "state";
  EXPECT_EQ(load_error(state).rfind(state.string() + ": cannot create the state directory", 0), 0u)
      << load_error(state);
}

// A CA made by the user with the openssl tool, as ca.pem and ca.key in `dir`.
void make_user_ca(const fs::path& dir, const std::string& key_type, const std::string& extra = "") {
  std::string output;
  std::string command = "cd " + dir.string() + " && openssl req -x509 -newkey " + key_type +
                        " -nodes -keyout ca.key -out ca.pem -subj '/CN=User Test CA' -days 365 " +
                        extra;
  ASSERT_EQ(testing::run_command(command, output), 0) << output;
  ::chmod((dir / "ca.key").c_str(), 0600);
}

class UserCa : public ::testing::TestWithParam<const char*> {};

// A user replaces the files with their own CA; any key type OpenSSL reads works. The openssl
// tool's default CA has no keyUsage, which only strict verifiers mind: it is reported.
TEST_P(UserCa, IsLoadedAndSignsLeavesThatVerify) {
  TempDir dir;
  make_user_ca(dir.path(), GetParam());
  CaStore ca = CaStore::load_or_create(dir.path());
  EXPECT_FALSE(ca.created());
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(ca.certificate()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "User Test CA");
  ASSERT_EQ(ca.warnings().size(), 1u);
  EXPECT_NE(ca.warnings()[0].find("CA has no keyUsage extension"), std::string::npos);

  LeafMinter minter(ca);
  std::string error;
  auto leaf = minter.mint("warehouse.example.test", error);
  ASSERT_NE(leaf, nullptr) << error;
  EXPECT_EQ(testing::verify_leaf(ca.certificate(), leaf->certificate.get(),
                                 "warehouse.example.test", false, testing::Strictness::kDefault),
            X509_V_OK);
}

INSTANTIATE_TEST_SUITE_P(KeyTypes, UserCa,
                         ::testing::Values("rsa:2048", "ec -pkeyopt ec_paramgen_curve:P-384",
                                           "ed25519"));

TEST(CaStore, UserCaWithKeyUsageSatisfiesStrictVerifiers) {
  TempDir dir;
  make_user_ca(dir.path(), "rsa:2048", "-addext keyUsage=critical,keyCertSign,cRLSign");
  CaStore ca = CaStore::load_or_create(dir.path());
  EXPECT_TRUE(ca.warnings().empty()) << ca.warnings()[0];
  LeafMinter minter(ca);
  std::string error;
  auto leaf = minter.mint("warehouse.example.test", error);
  ASSERT_NE(leaf, nullptr) << error;
  EXPECT_EQ(X509_get_signature_nid(leaf->certificate.get()), NID_sha256WithRSAEncryption);
  EXPECT_EQ(
      testing::verify_leaf(ca.certificate(), leaf->certificate.get(), "warehouse.example.test"),
      X509_V_OK);
}

TEST(CaStoreErrors, CorruptCertificatePem) {
  TempDir dir;
  CaStore::load_or_create(dir.path());
  testing::write_file(dir.path() / "ca.pem", "-----BEGIN CERTIFICATE-----\nnot base64!\n", 0644);
  EXPECT_EQ(load_error(dir.path()), (dir.path() / "ca.pem").string() + ": not a PEM certificate");
}

TEST(CaStoreErrors, CorruptKeyPemIsNamedWithoutEchoingIt) {
  TempDir dir;
  CaStore::load_or_create(dir.path());
  testing::write_file(dir.path() / "ca.key",
                      "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n"
                      "-----END PRIVATE KEY-----\n",
                      0600);
  std::string message = load_error(dir.path());
  EXPECT_EQ(message, (dir.path() / "ca.key").string() + ": not a PEM private key");
  EXPECT_EQ(message.find("MIGH"), std::string::npos);
}

TEST(CaStoreErrors, UnreadableCertificate) {
  TempDir dir;
  CaStore::load_or_create(dir.path());
  fs::remove(dir.path() / "ca.pem");
  fs::create_directory(dir.path() / "ca.pem");  // root reads any file, but not a directory
  EXPECT_EQ(load_error(dir.path()),
            (dir.path() / "ca.pem").string() + ": cannot read: it is a directory");
}

TEST(CaStoreErrors, KeyOfAnotherCa) {
  TempDir dir, other;
  CaStore::load_or_create(dir.path());
  CaStore::load_or_create(other.path());
  fs::copy_file(other.path() / "ca.key", dir.path() / "ca.key",
                fs::copy_options::overwrite_existing);
  EXPECT_EQ(load_error(dir.path()), (dir.path() / "ca.key").string() +
                                        ": private key does not match the certificate in " +
                                        (dir.path() / "ca.pem").string());
}

TEST(CaStoreErrors, CertificateThatIsNotACa) {
  TempDir dir;
  std::time_t now = std::time(nullptr);
  testing::write_self_signed(dir.path(), /*is_ca=*/false, now - 60, now + 86400);
  EXPECT_EQ(load_error(dir.path())
                .rfind((dir.path() / "ca.pem").string() + ": certificate is not a CA", 0),
            0u)
      << load_error(dir.path());
}

TEST(CaStoreErrors, ExpiredCa) {
  TempDir dir;
  std::time_t now = std::time(nullptr);
  testing::write_self_signed(dir.path(), /*is_ca=*/true, now - 7200, now - 3600);
  EXPECT_EQ(load_error(dir.path())
                .rfind((dir.path() / "ca.pem").string() + ": certificate expired on ", 0),
            0u)
      << load_error(dir.path());
}

TEST(CaStoreErrors, KeyReadableByOthersIsRefused) {
  TempDir dir;
  CaStore::load_or_create(dir.path());
  ::chmod((dir.path() / "ca.key").c_str(), 0644);
  EXPECT_EQ(load_error(dir.path()),
            (dir.path() / "ca.key").string() + " is readable by others (mode 0644); chmod 600 it");
  ::chmod((dir.path() / "ca.key").c_str(), 0640);
  EXPECT_EQ(load_error(dir.path()),
            (dir.path() / "ca.key").string() + " is readable by others (mode 0640); chmod 600 it");
  ::chmod((dir.path() / "ca.key").c_str(), 0400);
  EXPECT_EQ(load_error(dir.path()), "") << "owner-only modes narrower than 0600 are fine";
}

TEST(CaStoreErrors, EncryptedKeyIsRefusedWithoutPrompting) {
  TempDir dir;
  CaStore ca = CaStore::load_or_create(dir.path());
  BioPtr bio(BIO_new(BIO_s_mem()));
  static char passphrase[] = "secret";
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), ca.key(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                     passphrase),
            1);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  testing::write_file(dir.path() / "ca.key", std::string(data, static_cast<size_t>(length)), 0600);
  EXPECT_EQ(load_error(dir.path()),
            (dir.path() / "ca.key").string() +
                ": private key is encrypted; adbcfault needs it unencrypted (mode 0600)");
}

TEST(CaStoreErrors, OnlyOneOfTheTwoFiles) {
  TempDir dir;
  CaStore::load_or_create(dir.path());
  fs::remove(dir.path() / "ca.key");
  EXPECT_EQ(load_error(dir.path()),
            (dir.path() / "ca.pem").string() + " exists but " + (dir.path() / "ca.key").string() +
                " is missing; restore it, or delete both to generate a new CA");
}

}  // namespace
}  // namespace adbcfault::tls
