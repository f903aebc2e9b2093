#pragma once
// What the relay knows about one HTTP request when it asks the scenario engine for a decision.

#include <string>
#include <utility>
#include <vector>

#include "fault/connection_facts.h"

namespace adbcfault::fault {

struct HttpRequestFacts {
  ConnectionFacts connection;
  std::string method;  // "POST"
  std::string path;    // without query string
  std::string host;    // Host header (or SNI)
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;  // for `header`
  std::string thrift_method;  // empty when the body is not Thrift (or not decoded)
};

}  // namespace adbcfault::fault
