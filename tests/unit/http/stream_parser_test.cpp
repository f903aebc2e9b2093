#include "http/stream_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace adbcfault::http {
namespace {

struct Recorder : MessageObserver {
  std::vector<MessageHead> heads;
  std::vector<std::string> bodies;
  int ends = 0;
  void on_head(const MessageHead& head) override {
    heads.push_back(head);
    bodies.emplace_back();
  }
  void on_body(std::string_view decoded) override { bodies.back() += decoded; }
  void on_end() override { ++ends; }
};

// Feeds like a relay does: unconsumed bytes are offered again together with new ones.
size_t feed_all(StreamParser& parser, std::string_view data, size_t step = SIZE_MAX) {
  std::string pending;
  size_t offered = 0;
  while (offered < data.size() || !pending.empty()) {
    size_t take = std::min(step, data.size() - offered);
    pending.append(data.substr(offered, take));
    offered += take;
    size_t before = pending.size();
    size_t used = parser.feed(pending);
    pending.erase(0, used);
    if (parser.failed()) return offered;
    if (used == 0 && offered == data.size() && pending.size() == before) break;
  }
  return offered;
}

TEST(StreamParser, KeepAliveRequestsOneAfterAnother) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kRequest, r);
  feed_all(p,
           "POST /sql/1.0/warehouses/abc?token=s3cr3t HTTP/1.1\r\nHost: ws.example\r\n"
           "Content-Type: application/x-thrift\r\nContent-Length: 5\r\n\r\nhello"
           "GET /health HTTP/1.1\r\nHost: ws.example\r\n\r\n");
  ASSERT_EQ(r.heads.size(), 2u);
  EXPECT_EQ(r.heads[0].method, "POST");
  EXPECT_EQ(r.heads[0].path_without_query(), "/sql/1.0/warehouses/abc");
  EXPECT_TRUE(r.heads[0].is_thrift());
  EXPECT_EQ(r.heads[0].framing, BodyFraming::kContentLength);
  EXPECT_EQ(r.bodies[0], "hello");
  EXPECT_EQ(r.heads[1].method, "GET");
  EXPECT_EQ(r.heads[1].framing, BodyFraming::kNone);
  EXPECT_EQ(r.ends, 2);
  EXPECT_FALSE(p.in_message());
}

TEST(StreamParser, ByteByByteGivesTheSameResult) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kRequest, r);
  feed_all(p, "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\n\r\n", 1);
  ASSERT_EQ(r.heads.size(), 2u);
  EXPECT_EQ(r.bodies[0], "xyz");
  EXPECT_EQ(r.ends, 2);
}

TEST(StreamParser, ChunkedBodyIsDechunked) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  feed_all(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_EQ(r.heads.size(), 1u);
  EXPECT_EQ(r.heads[0].status, 200);
  EXPECT_EQ(r.heads[0].framing, BodyFraming::kChunked);
  EXPECT_EQ(r.bodies[0], "abcde");
  EXPECT_EQ(r.ends, 1);
}

TEST(StreamParser, ResponseToHeadHasNoBody) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  p.next_response_answers_head(true);
  feed_all(p, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_EQ(r.heads.size(), 2u);
  EXPECT_EQ(r.heads[0].framing, BodyFraming::kNone);
  EXPECT_EQ(r.ends, 2);
}

TEST(StreamParser, ContinueThenFinalResponse) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  feed_all(p, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_EQ(r.heads.size(), 2u);
  EXPECT_EQ(r.heads[0].status, 100);
  EXPECT_EQ(r.heads[1].status, 200);
  EXPECT_EQ(r.bodies[1], "ok");
}

TEST(StreamParser, ExpectContinueIsFlagged) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kRequest, r);
  feed_all(p, "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  ASSERT_EQ(r.heads.size(), 1u);
  EXPECT_TRUE(r.heads[0].expect_continue);
  EXPECT_TRUE(p.in_message());
}

TEST(StreamParser, StopsAfterEachHeadSoTheCallerCanDecide) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  std::string two = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbodyHTTP/1.1 200 OK\r\n\r\n";
  size_t used = p.feed(two);
  EXPECT_EQ(two.substr(used, 4), "body") << "the body is left for the caller";
  EXPECT_EQ(r.heads.size(), 1u);
  p.skip_body();  // the caller splices the 4 bytes itself
  p.feed(std::string_view(two).substr(used + 4));
  EXPECT_EQ(r.heads.size(), 2u);
}

TEST(StreamParser, BodyUntilCloseEndsAtEof) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  feed_all(p, "HTTP/1.0 200 OK\r\n\r\nall of it");
  ASSERT_EQ(r.heads.size(), 1u);
  EXPECT_EQ(r.heads[0].framing, BodyFraming::kUntilClose);
  EXPECT_EQ(r.ends, 0);
  p.feed_eof();
  EXPECT_EQ(r.bodies[0], "all of it");
  EXPECT_EQ(r.ends, 1);
}

TEST(StreamParser, TruncatedMessageAtEofIsAnError) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kResponse, r);
  feed_all(p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  p.feed_eof();
  EXPECT_TRUE(p.failed());
  EXPECT_NE(p.error().find("connection closed inside a message"), std::string::npos);
}

TEST(StreamParser, GarbageIsAnErrorNotACrash) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kRequest, r);
  feed_all(p, std::string("\x16\x03\x01\x02\x00garbage\r\n\r\n", 20));
  EXPECT_TRUE(p.failed());
  EXPECT_TRUE(r.heads.empty());
}

TEST(StreamParser, OversizedHeaderIsRefused) {
  Recorder r;
  StreamParser p(StreamParser::Kind::kRequest, r, {1024});
  feed_all(p, "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(p.failed());
}

TEST(MessageHead, HeaderLookupIgnoresCase) {
  MessageHead head;
  head.headers = {{"X-Databricks-Org-Id", "42"}};
  EXPECT_EQ(head.header("x-databricks-org-id"), "42");
  EXPECT_FALSE(head.header("authorization"));
}

}  // namespace
}  // namespace adbcfault::http
