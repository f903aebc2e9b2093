#include "control/protocol.h"

#include <gtest/gtest.h>

namespace adbcfault::control {
namespace {

TEST(Protocol, RequestLine) {
  EXPECT_EQ(Json::parse(encode_request("enable", Json{{"name", "x"}}, Json(4))),
            Json::parse(R"({"v":1,"op":"enable","args":{"name":"x"},"id":4})"));
  EXPECT_FALSE(Json::parse(encode_request("status", Json::object())).contains("id"));
}

TEST(Protocol, ErrorMessagesAreOneLine) {
  auto line = encode_response(Error{"internal", "a\nb\r\nc"});
  EXPECT_EQ(Json::parse(line)["error"]["message"], "a b  c");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Protocol, FailedChecksKeepTheirDiagnosticLines) {
  auto line = encode_response(Error{"failed", "DIFFERENT handles\n\nFirst Call:\n  GUID: 'a'"});
  EXPECT_EQ(line.find('\n'), std::string::npos) << "the JSON line itself stays one line";
  EXPECT_EQ(Json::parse(line)["error"]["message"], "DIFFERENT handles\n\nFirst Call:\n  GUID: 'a'");
}

TEST(Protocol, DecodesSuccessAndError) {
  std::string error;
  auto ok = decode_response(R"({"v":1,"ok":true,"result":{"a":1},"id":"q"})", error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(std::get<Json>(ok->result), Json::parse(R"({"a":1})"));
  EXPECT_EQ(ok->id, Json("q"));

  auto failed =
      decode_response(R"({"v":1,"ok":false,"error":{"code":"failed","message":"m"}})", error);
  ASSERT_TRUE(failed) << error;
  EXPECT_EQ(std::get<Error>(failed->result).code, "failed");
  EXPECT_EQ(std::get<Error>(failed->result).message, "m");
}

TEST(Protocol, RoundTripsThroughEncode) {
  std::string error;
  auto decoded = decode_response(encode_response(Error{"not_found", "no such"}, Json(1)), error);
  ASSERT_TRUE(decoded) << error;
  EXPECT_EQ(std::get<Error>(decoded->result).code, "not_found");
}

TEST(Protocol, RejectsMalformedResponses) {
  for (const char* line :
       {"garbage", "[]", R"({"ok":true})", R"({"v":2,"ok":true})", R"({"v":1})",
        R"({"v":1,"ok":false})", R"({"v":1,"ok":false,"error":{"code":1,"message":"m"}})"}) {
    std::string error;
    EXPECT_FALSE(decode_response(line, error)) << line;
    EXPECT_FALSE(error.empty()) << line;
  }
}

}  // namespace
}  // namespace adbcfault::control
