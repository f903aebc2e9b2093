#include "http/stream_parser.h"

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/core/string.hpp>
#include <limits>

namespace adbcfault::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Type-erases Beast's parser so requests and responses share one driver below.
class StreamParser::BeastParser {
 public:
  virtual ~BeastParser() = default;
  virtual size_t put(std::string_view data, beast::error_code& ec) = 0;
  virtual void put_eof(beast::error_code& ec) = 0;
  virtual bool is_done() const = 0;
  bool head_reported = false;  // set by on_header_impl, cleared by the driver
};

namespace {

template <bool isRequest>
class ObservingParser final : public StreamParser::BeastParser,
                              private bhttp::basic_parser<isRequest> {
  using Base = bhttp::basic_parser<isRequest>;

 public:
  ObservingParser(MessageObserver& observer, uint32_t header_limit, bool answers_head)
      : observer_(observer) {
    Base::header_limit(header_limit);
    // Bodies stream through; nothing is buffered here. Not boost::none: Beast 1.74 compares the
    // Content-Length against the optional and treats none as smaller than any length.
    Base::body_limit(std::numeric_limits<uint64_t>::max());
    Base::eager(false);             // stop after the head so the caller can decide
    if (answers_head) Base::skip(true);
  }

  size_t put(std::string_view data, beast::error_code& ec) override {
    return Base::put(boost::asio::const_buffer(data.data(), data.size()), ec);
  }
  void put_eof(beast::error_code& ec) override { Base::put_eof(ec); }
  bool is_done() const override { return Base::is_done(); }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target,
                       int version, beast::error_code&) override {
    head_.method.assign(method.data(), method.size());
    head_.target.assign(target.data(), target.size());
    head_.version = version;
  }
  void on_response_impl(int code, beast::string_view, int version, beast::error_code&) override {
    head_.status = code;
    head_.version = version;
  }
  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code&) override {
    std::string v(value.data(), value.size());
    if (name == bhttp::field::host) head_.host = v;
    if (name == bhttp::field::content_type) head_.content_type = v;
    if (name == bhttp::field::expect && beast::iequals(value, "100-continue"))
      head_.expect_continue = true;
    head_.headers.emplace_back(std::string(name_string.data(), name_string.size()), std::move(v));
  }
  void on_header_impl(beast::error_code&) override {
    head_.keep_alive = Base::keep_alive();
    head_.upgrade = Base::upgrade();
    if (auto length = Base::content_length()) head_.content_length = *length;
    if (Base::chunked()) {
      head_.framing = BodyFraming::kChunked;
    } else if (head_.content_length) {
      head_.framing = *head_.content_length ? BodyFraming::kContentLength : BodyFraming::kNone;
    } else if (Base::is_done()) {
      head_.framing = BodyFraming::kNone;
    } else {
      head_.framing = Base::need_eof() ? BodyFraming::kUntilClose : BodyFraming::kNone;
    }
    if (Base::skip()) head_.framing = BodyFraming::kNone;
    head_reported = true;
    observer_.on_head(head_);
  }
  void on_body_init_impl(const boost::optional<uint64_t>&, beast::error_code&) override {}
  size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    observer_.on_body(std::string_view(body.data(), body.size()));
    return body.size();
  }
  void on_chunk_header_impl(uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(uint64_t, beast::string_view body, beast::error_code&) override {
    observer_.on_body(std::string_view(body.data(), body.size()));
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  MessageObserver& observer_;
  MessageHead head_;
};

}  // namespace

StreamParser::StreamParser(Kind kind, MessageObserver& observer, Limits limits)
    : kind_(kind), observer_(observer), limits_(limits) {}

StreamParser::~StreamParser() = default;

bool StreamParser::in_message() const { return parser_ != nullptr; }

size_t StreamParser::feed(std::string_view data) {
  size_t consumed = 0;
  while (!failed() && consumed < data.size()) {
    if (!parser_) {
      if (kind_ == Kind::kRequest) {
        parser_ = std::make_unique<ObservingParser<true>>(observer_, limits_.header_bytes, false);
      } else {
        parser_ = std::make_unique<ObservingParser<false>>(observer_, limits_.header_bytes,
                                                           next_answers_head_);
        next_answers_head_ = false;
      }
    }
    beast::error_code ec;
    size_t n = parser_->put(data.substr(consumed), ec);
    consumed += n;
    if (ec == bhttp::error::need_more) break;
    if (ec) {
      error_ = ec.message();
      break;
    }
    bool stop_for_head = parser_->head_reported;
    parser_->head_reported = false;
    if (parser_->is_done()) {
      parser_.reset();
      ++completed_;
      observer_.on_end();
      break;  // every call covers bytes of one message only
    }
    if (stop_for_head) break;
    if (n == 0) break;
  }
  return consumed;
}

void StreamParser::feed_eof() {
  if (!parser_ || failed()) return;
  beast::error_code ec;
  parser_->put_eof(ec);
  if (ec) {
    error_ = "connection closed inside a message (" + ec.message() + ")";
    return;
  }
  parser_.reset();
  ++completed_;
  observer_.on_end();
}

void StreamParser::skip_body() {
  // The caller moves the body bytes itself; the message is over as far as parsing goes.
  parser_.reset();
  ++completed_;
}

}  // namespace adbcfault::http
