#pragma once
// Follows one direction of an HTTP/1.x connection message by message without changing a byte:
// the relay forwards the original bytes and uses this only to know where messages start and
// end, what their heads say and (when asked) what their bodies hold. Built on Beast's
// basic_parser. Keep-alive and pipelining: a new message starts right after the previous one.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/message_head.h"

namespace adbcfault::http {

class MessageObserver {
 public:
  virtual ~MessageObserver() = default;
  virtual void on_head(const MessageHead& head) = 0;
  virtual void on_body(std::string_view decoded) = 0;  // de-chunked body bytes, in pieces
  virtual void on_end() = 0;                             // the message is complete
};

class StreamParser {
 public:
  enum class Kind { kRequest, kResponse };
  struct Limits {
    uint32_t header_bytes = 64 * 1024;
  };
  class BeastParser;  // implementation detail (stream_parser.cpp)

  StreamParser(Kind kind, MessageObserver& observer) : StreamParser(kind, observer, Limits{}) {}
  StreamParser(Kind kind, MessageObserver& observer, Limits limits);
  ~StreamParser();

  // Consumes a prefix of `data` and returns its length. Stops right after a message head (so
  // the caller can decide about that message before more bytes move), right after a message
  // ends (so the bytes of one call always belong to one message), and when it needs more
  // input; the caller feeds the unconsumed rest again together with new bytes.
  size_t feed(std::string_view data);
  // The peer closed: completes a body delimited by close, or reports a truncated message.
  void feed_eof();

  // For responses: the next message answers a HEAD request, so it has no body whatever its
  // headers say. Applies to the next message that starts.
  void next_response_answers_head(bool value) { next_answers_head_ = value; }

  // After a head with framing kContentLength or kUntilClose, the caller may move the body
  // itself (e.g. with splice); the parser then expects the next message's head.
  void skip_body();

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  bool in_message() const;  // a message has started and not ended
  uint64_t messages_completed() const { return completed_; }

 private:
  Kind kind_;
  MessageObserver& observer_;
  Limits limits_;
  std::unique_ptr<BeastParser> parser_;
  bool next_answers_head_ = false;
  std::string error_;
  uint64_t completed_ = 0;
};

}  // namespace adbcfault::http
