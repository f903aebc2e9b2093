#include "binaries.h"

namespace adbcfault::testing {

std::string adbcfaultd_path() { return ADBCFAULTD_PATH; }
std::string adbcfault_cli_path() { return ADBCFAULT_CLI_PATH; }
std::string tcp_server_path() { return ADBCF_TCP_SERVER_PATH; }
std::string tcp_client_path() { return ADBCF_TCP_CLIENT_PATH; }

}  // namespace adbcfault::testing
