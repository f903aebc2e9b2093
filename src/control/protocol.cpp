#include "control/protocol.h"

#include "control/error_codes.h"

namespace adbcfault::control {
namespace {

// Handlers may put raw bytes in strings; a response must still go out, so invalid UTF-8 is
// replaced rather than thrown about.
std::string dump_line(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Messages are shown as one line on a terminal, whatever a handler or exception put in them.
// The exception is a `failed` check: its message is the call-by-call diagnostics a developer
// reads after a red build, and its line breaks are part of it.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

std::string encode_request(std::string_view op, const Json& args, const std::optional<Json>& id) {
  Json request = {{"v", kProtocolVersion}, {"op", op}, {"args", args}};
  if (id) request["id"] = *id;
  return dump_line(request);
}

std::string encode_response(const Result& result, const std::optional<Json>& id) {
  Json response = {{"v", kProtocolVersion}};
  if (const auto* value = std::get_if<Json>(&result)) {
    response["ok"] = true;
    response["result"] = value->is_null() ? Json::object() : *value;
  } else {
    const auto& error = std::get<Error>(result);
    response["ok"] = false;
    std::string message = error.code == codes::kFailed ? error.message : one_line(error.message);
    response["error"] = {{"code", error.code}, {"message", message}};
  }
  if (id) response["id"] = *id;
  return dump_line(response);
}

std::optional<Response> decode_response(std::string_view line, std::string& error) {
  Json response = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    error = "response is not a JSON object";
    return std::nullopt;
  }
  auto version = response.find("v");
  if (version == response.end() || !version->is_number_integer() ||
      version->get<int>() != kProtocolVersion) {
    error = "response has protocol version " +
            (version == response.end() ? "(none)" : version->dump()) + ", expected " +
            std::to_string(kProtocolVersion);
    return std::nullopt;
  }
  auto ok = response.find("ok");
  if (ok == response.end() || !ok->is_boolean()) {
    error = "response has no boolean \"ok\"";
    return std::nullopt;
  }
  Response decoded;
  if (auto id = response.find("id"); id != response.end()) decoded.id = *id;
  if (ok->get<bool>()) {
    auto result = response.find("result");
    decoded.result = result == response.end() ? Json::object() : *result;
    return decoded;
  }
  auto body = response.find("error");
  if (body == response.end() || !body->is_object() || !body->contains("code") ||
      !(*body)["code"].is_string() || !body->contains("message") ||
      !(*body)["message"].is_string()) {
    error = "error response has no string \"error.code\" and \"error.message\"";
    return std::nullopt;
  }
  decoded.result = Error{(*body)["code"].get<std::string>(), (*body)["message"].get<std::string>()};
  return decoded;
}

}  // namespace adbcfault::control
