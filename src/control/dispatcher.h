#pragma once
// Maps control ops to handlers and turns one request line into exactly one response line.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace adbcfault::control {

using Json = nlohmann::json;

struct Error {
  std::string code;     // one of control/error_codes.h
  std::string message;  // one line: what was wrong and what to do
};

using Result = std::variant<Json, Error>;  // Json: the "result" object
using Reply = std::function<void(Result)>;
using Handler = std::function<Result(const Json& args)>;
// Replies exactly once, maybe later. `args` is only valid during the call: copy what you keep.
// Later replies are ignored; dropping the Reply without calling it answers `internal`.
using AsyncHandler = std::function<void(const Json& args, Reply reply)>;

class Dispatcher {
 public:
  void add(std::string op, Handler handler);  // std::logic_error on a duplicate op
  void add_async(std::string op, AsyncHandler handler);

  // Parses one request line; calls `done` exactly once with one response line (no newline).
  // A handler that throws becomes an `internal` error response.
  void dispatch(std::string_view request_line, std::function<void(std::string)> done);

  std::vector<std::string> ops() const;  // sorted

 private:
  std::map<std::string, AsyncHandler, std::less<>> handlers_;
};

}  // namespace adbcfault::control
