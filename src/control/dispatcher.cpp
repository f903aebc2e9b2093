#include "control/dispatcher.h"

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>

#include "control/error_codes.h"
#include "control/protocol.h"

namespace adbcfault::control {
namespace {

// The first reply wins and later ones are dropped. If the handler loses its Reply without
// calling it, the destructor still answers, so a client is never left waiting on a bug.
class ReplyOnce {
 public:
  ReplyOnce(std::string op, std::optional<Json> id, std::function<void(std::string)> done)
      : op_(std::move(op)), id_(std::move(id)), done_(std::move(done)) {}
  ReplyOnce(const ReplyOnce&) = delete;
  ReplyOnce& operator=(const ReplyOnce&) = delete;

  ~ReplyOnce() {
    if (replied_.exchange(true)) return;
    try {
      done_(encode_response(Error{codes::kInternal, "op '" + op_ +
                                                        "' finished without replying; this is "
                                                        "a bug in adbcfaultd, please report it"},
                            id_));
    } catch (...) {
      // Nowhere left to report to; a destructor must not throw.
    }
  }

  void send(Result result) {
    if (replied_.exchange(true)) return;
    done_(encode_response(result, id_));
  }

 private:
  std::string op_;
  std::optional<Json> id_;
  std::function<void(std::string)> done_;
  std::atomic<bool> replied_{false};  // atomic: a handler may reply from another thread
};

Error bad_request(std::string what) {
  return Error{
      codes::kBadRequest,
      std::move(what) + R"(; send one JSON object per line, like {"v":1,"op":"status","args":{}})"};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

void Dispatcher::add(std::string op, Handler handler) {
  add_async(std::move(op), [handler = std::move(handler)](const Json& args, Reply reply) {
    reply(handler(args));
  });
}

void Dispatcher::add_async(std::string op, AsyncHandler handler) {
  if (handlers_.contains(op)) throw std::logic_error("control op '" + op + "' registered twice");
  handlers_.emplace(std::move(op), std::move(handler));
}

std::vector<std::string> Dispatcher::ops() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers_) names.push_back(name);
  return names;
}

void Dispatcher::dispatch(std::string_view request_line, std::function<void(std::string)> done) {
  Json request =
      Json::parse(request_line.begin(), request_line.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) {
    return done(encode_response(bad_request("request is not valid JSON")));
  }
  if (!request.is_object()) {
    return done(encode_response(
        bad_request("request is a JSON " + std::string(request.type_name()) + ", not an object")));
  }
  std::optional<Json> id;
  if (auto found = request.find("id"); found != request.end()) id = *found;
  auto fail = [&](Error error) { done(encode_response(error, id)); };

  auto version = request.find("v");
  if (version == request.end() || !version->is_number_integer()) {
    return fail(bad_request("request has no integer \"v\" (protocol version)"));
  }
  if (*version != kProtocolVersion) {
    return fail(Error{codes::kUnsupportedVersion,
                      "protocol version " + version->dump() +
                          " is not supported; this adbcfaultd speaks version " +
                          std::to_string(kProtocolVersion) + ": upgrade the older side"});
  }
  auto op = request.find("op");
  if (op == request.end() || !op->is_string()) {
    return fail(bad_request("request has no string \"op\""));
  }
  Json no_args = Json::object();
  auto args = request.find("args");
  if (args != request.end() && !args->is_object()) {
    return fail(
        bad_request("\"args\" is a JSON " + std::string(args->type_name()) + ", not an object"));
  }
  const Json& handler_args = args == request.end() ? no_args : *args;

  const auto& op_name = op->get_ref<const std::string&>();
  auto handler = handlers_.find(op_name);
  if (handler == handlers_.end()) {
    return fail(
        Error{codes::kUnknownOp, "unknown op '" + op_name + "'; known ops: " + join(ops())});
  }

  auto reply = std::make_shared<ReplyOnce>(op_name, std::move(id), std::move(done));
  try {
    handler->second(handler_args, [reply](Result result) { reply->send(std::move(result)); });
  } catch (const std::exception& e) {
    reply->send(Error{codes::kInternal, "op '" + op_name + "' failed inside adbcfaultd: " +
                                            e.what() + "; this is a bug, please report it"});
  } catch (...) {
    reply->send(Error{codes::kInternal, "op '" + op_name +
                                            "' failed inside adbcfaultd; this is a bug, please "
                                            "report it"});
  }
}

}  // namespace adbcfault::control
