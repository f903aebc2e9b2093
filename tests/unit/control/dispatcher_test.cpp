#include "control/dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "control/error_codes.h"

namespace adbcfault::control {
namespace {

// Dispatches one line and returns every response it produced, parsed.
std::vector<Json> dispatch_all(Dispatcher& dispatcher, std::string_view line) {
  std::vector<Json> responses;
  dispatcher.dispatch(line, [&](std::string response) {
    EXPECT_EQ(response.find('\n'), std::string::npos) << response;
    responses.push_back(Json::parse(response));
  });
  return responses;
}

Json dispatch_one(Dispatcher& dispatcher, std::string_view line) {
  auto responses = dispatch_all(dispatcher, line);
  EXPECT_EQ(responses.size(), 1u) << line;
  return responses.empty() ? Json() : responses.front();
}

std::string error_code(const Json& response) {
  EXPECT_EQ(response["v"], 1);
  EXPECT_EQ(response["ok"], false) << response;
  return response["error"]["code"].get<std::string>();
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher_.add("echo", [](const Json& args) -> Result { return Json{{"args", args}}; });
    dispatcher_.add("status", [](const Json&) -> Result { return Json{{"up", true}}; });
  }
  Dispatcher dispatcher_;
};

TEST_F(DispatcherTest, SuccessWrapsResult) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"echo","args":{"x":1}})");
  EXPECT_EQ(response, Json::parse(R"({"v":1,"ok":true,"result":{"args":{"x":1}}})"));
}

TEST_F(DispatcherTest, MissingArgsMeansEmptyObject) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"echo"})");
  EXPECT_EQ(response["result"]["args"], Json::object());
}

TEST_F(DispatcherTest, MalformedJsonIsBadRequest) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":)");
  EXPECT_EQ(error_code(response), codes::kBadRequest);
  EXPECT_NE(response["error"]["message"].get<std::string>().find("not valid JSON"),
            std::string::npos);
}

TEST_F(DispatcherTest, NonObjectIsBadRequest) {
  auto response = dispatch_one(dispatcher_, R"([1,2])");
  EXPECT_EQ(error_code(response), codes::kBadRequest);
  EXPECT_NE(response["error"]["message"].get<std::string>().find("array"), std::string::npos);
}

TEST_F(DispatcherTest, MissingOrWrongTypedOpIsBadRequest) {
  EXPECT_EQ(error_code(dispatch_one(dispatcher_, R"({"v":1})")), codes::kBadRequest);
  EXPECT_EQ(error_code(dispatch_one(dispatcher_, R"({"v":1,"op":7})")), codes::kBadRequest);
}

TEST_F(DispatcherTest, WrongTypedArgsIsBadRequest) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"echo","args":[1]})");
  EXPECT_EQ(error_code(response), codes::kBadRequest);
  EXPECT_NE(response["error"]["message"].get<std::string>().find("\"args\""), std::string::npos);
}

TEST_F(DispatcherTest, MissingVersionIsBadRequest) {
  EXPECT_EQ(error_code(dispatch_one(dispatcher_, R"({"op":"status"})")), codes::kBadRequest);
  EXPECT_EQ(error_code(dispatch_one(dispatcher_, R"({"v":"1","op":"status"})")),
            codes::kBadRequest);
}

TEST_F(DispatcherTest, WrongVersionIsUnsupported) {
  auto response = dispatch_one(dispatcher_, R"({"v":2,"op":"status","id":9})");
  EXPECT_EQ(error_code(response), codes::kUnsupportedVersion);
  EXPECT_NE(response["error"]["message"].get<std::string>().find("version 2"), std::string::npos);
  EXPECT_EQ(response["id"], 9);
}

TEST_F(DispatcherTest, UnknownOpListsKnownOps) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"frobnicate"})");
  EXPECT_EQ(error_code(response), codes::kUnknownOp);
  auto message = response["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("'frobnicate'"), std::string::npos) << message;
  EXPECT_NE(message.find("echo, status"), std::string::npos) << message;
}

TEST_F(DispatcherTest, HandlerErrorIsPassedThrough) {
  dispatcher_.add("find", [](const Json&) -> Result {
    return Error{codes::kNotFound, "no scenario 'x'"};
  });
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"find"})");
  EXPECT_EQ(error_code(response), codes::kNotFound);
  EXPECT_EQ(response["error"]["message"], "no scenario 'x'");
}

TEST_F(DispatcherTest, ThrowingHandlerBecomesInternal) {
  dispatcher_.add("boom",
                  [](const Json&) -> Result { throw std::runtime_error("disk on fire\nreally"); });
  dispatcher_.add("boom2", [](const Json&) -> Result { throw 42; });
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"boom","id":"a"})");
  EXPECT_EQ(error_code(response), codes::kInternal);
  auto message = response["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("disk on fire really"), std::string::npos) << message;
  EXPECT_EQ(response["id"], "a");
  EXPECT_EQ(error_code(dispatch_one(dispatcher_, R"({"v":1,"op":"boom2"})")), codes::kInternal);
}

TEST_F(DispatcherTest, AsyncHandlerRepliesLaterExactlyOnce) {
  Reply held;
  dispatcher_.add_async("wait", [&](const Json&, Reply reply) { held = std::move(reply); });
  std::vector<Json> responses;
  dispatcher_.dispatch(R"({"v":1,"op":"wait","id":3})",
                       [&](std::string line) { responses.push_back(Json::parse(line)); });
  EXPECT_TRUE(responses.empty());
  held(Json{{"done", true}});
  held(Error{codes::kFailed, "second reply must be dropped"});
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0], Json::parse(R"({"v":1,"ok":true,"result":{"done":true},"id":3})"));
  held = nullptr;
  EXPECT_EQ(responses.size(), 1u);
}

TEST_F(DispatcherTest, AsyncHandlerThatDropsItsReplyAnswersInternal) {
  dispatcher_.add_async("lost", [](const Json&, Reply) {});
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"lost"})");
  EXPECT_EQ(error_code(response), codes::kInternal);
}

TEST_F(DispatcherTest, AsyncHandlerThrowingAfterReplyingSendsOneResponse) {
  dispatcher_.add_async("half", [](const Json&, Reply reply) {
    reply(Json::object());
    throw std::runtime_error("late");
  });
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"half"})");
  EXPECT_EQ(response["ok"], true);
}

TEST_F(DispatcherTest, IdIsEchoedVerbatim) {
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"status","id":{"n":[1,2]}})");
  EXPECT_EQ(response["id"], Json::parse(R"({"n":[1,2]})"));
  EXPECT_FALSE(dispatch_one(dispatcher_, R"({"v":1,"op":"status"})").contains("id"));
  EXPECT_EQ(dispatch_one(dispatcher_, R"({"v":1,"op":"nope","id":null})")["id"], nullptr);
}

TEST_F(DispatcherTest, DuplicateOpThrows) {
  EXPECT_THROW(dispatcher_.add("echo", [](const Json&) -> Result { return Json(); }),
               std::logic_error);
  EXPECT_THROW(dispatcher_.add_async("status", [](const Json&, Reply) {}), std::logic_error);
}

TEST_F(DispatcherTest, OpsAreSorted) {
  dispatcher_.add("alpha", [](const Json&) -> Result { return Json(); });
  EXPECT_EQ(dispatcher_.ops(), (std::vector<std::string>{"alpha", "echo", "status"}));
}

TEST_F(DispatcherTest, InvalidUtf8InResultStillProducesAResponse) {
  dispatcher_.add("bytes", [](const Json&) -> Result { return Json{{"raw", "\xff\xfe"}}; });
  auto response = dispatch_one(dispatcher_, R"({"v":1,"op":"bytes"})");
  EXPECT_EQ(response["ok"], true);
}

}  // namespace
}  // namespace adbcfault::control
