#pragma once
// Absolute paths of the programs under test and of our fixture programs, fixed by CMake.

#include <string>

namespace adbcfault::testing {

std::string adbcfaultd_path();
std::string adbcfault_cli_path();
std::string tcp_server_path();  // tests/fixtures/tcp_server.cpp
std::string tcp_client_path();  // tests/fixtures/tcp_client.cpp

}  // namespace adbcfault::testing
