#include "hs2_fixture.h"
#include "wait.h"
#include <iostream>

namespace adbcfault::testing {
namespace {

class Explore : public Hs2Test {};

TEST_F(Explore, Dump) {
  auto e = enable("service_unavailable_503_open_session");
  std::cout << "ENABLE " << e.dump() << "\n";
  auto r = hs2_client({"--script", "refetch", "--config", "spark.x=1", "--config", "access_token=hunter2"});
  std::cout << r.describe() << "\n";
  std::cout << "SERVER\n" << dump(server_log());
  auto j = cli({"--json", "calls"});
  std::cout << j.out << "\n";
  std::cout << cli({"calls"}).describe() << "\n";
  std::cout << cli({"calls", "assert-same-operation", "--method", "FetchResults"}).describe() << "\n";
  std::cout << cli({"calls", "assert-same-operation", "--method", "ExecuteStatement"}).describe() << "\n";
  std::cout << cli({"calls", "wait", "--method", "Bogus", "--count", "1", "--timeout", "1"}).describe() << "\n";
  std::cout << daemon_log() << "\n";
}

}  // namespace
}  // namespace adbcfault::testing
