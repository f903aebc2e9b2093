// The openssl command-line client as an independent judge: it reads our files the way users'
// tools do and applies its own server-certificate checks.

#include <gtest/gtest.h>

#include "tls/leaf_minter.h"
#include "tls/pem_file.h"
#include "tls_test_support.h"

namespace adbcfault::tls {
namespace {

using testing::TempDir;

class OpensslCli : public ::testing::Test {
 protected:
  TempDir state_;
  TempDir work_;
  CaStore ca_ = CaStore::load_or_create(state_.path());
  LeafMinter minter_{ca_};

  // Writes the leaf for `name` as leaf.pem and runs openssl verify with `check`.
  int verify(const std::string& name, const std::string& check, std::string& output) {
    std::string error;
    auto leaf = minter_.mint(name, error);
    EXPECT_NE(leaf, nullptr) << error;
    if (!leaf) return -1;
    testing::write_file(work_.path() / "leaf.pem", certificate_to_pem(leaf->certificate.get()),
                        0644);
    return testing::run_command("cd " + work_.path().string() + " && openssl verify -CAfile " +
                                    ca_.certificate_path().string() +
                                    " -purpose sslserver -x509_strict " + check + " leaf.pem",
                                output);
  }
};

TEST_F(OpensslCli, VerifiesAHostLeaf) {
  std::string output;
  EXPECT_EQ(verify("example.test", "-verify_hostname example.test", output), 0) << output;
  EXPECT_EQ(output, "leaf.pem: OK\n");
  EXPECT_NE(verify("example.test", "-verify_hostname other.test", output), 0) << output;
  EXPECT_NE(output.find("hostname mismatch"), std::string::npos) << output;
}

TEST_F(OpensslCli, VerifiesAnIpLeaf) {
  std::string output;
  EXPECT_EQ(verify("10.200.0.2", "-verify_ip 10.200.0.2", output), 0) << output;
  EXPECT_EQ(verify("fd00::2", "-verify_ip fd00::2", output), 0) << output;
  EXPECT_NE(verify("10.200.0.2", "-verify_ip 10.200.0.3", output), 0) << output;
}

}  // namespace
}  // namespace adbcfault::tls
