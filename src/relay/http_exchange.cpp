#include "relay/http_exchange.h"

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "http/response_writer.h"
#include "relay/graceful_reset.h"
#include "relay/socket_ops.h"

namespace adbcfault::relay {
namespace {

using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Plain bodies at least this long are spliced instead of copied through userspace.
constexpr uint64_t kSpliceThreshold = 64 * 1024;
// Stop reading a side while this much is queued for the other: memory stays bounded.
constexpr size_t kMaxQueued = 1u << 20;

std::string endpoint_text(uint32_t ip, uint16_t port) {
  return boost::asio::ip::address_v4(ip).to_string() + ":" + std::to_string(port);
}

}  // namespace

struct HttpExchange::Pending {
  uint64_t journal_id = 0;
  http::MessageHead head;
  bool answers_head = false;
  Clock::time_point started = Clock::now();
  bool is_thrift = false;
  bool decided = false;
  bool complete = false;  // the whole request has been received
  std::string thrift_body;
  ThriftCall thrift;
  // Request-phase answer, delivered when this request's turn in the response order comes.
  std::optional<std::string> synthetic;
  int synthetic_status = 0;
  std::string synthetic_thrift_status;
  std::string synthetic_thrift_error;
  enum class Slot { kNone, kReset, kClose, kHang } slot = Slot::kNone;
  fault::HttpFaultPlan plan;  // the fault decided for this request, if any
  bool fault_done = false;    // reported injected or not injected: never report twice
};

class HttpExchange::RequestObserver final : public http::MessageObserver {
 public:
  explicit RequestObserver(HttpExchange& x) : x_(x) {}
  void on_head(const http::MessageHead& head) override { x_.on_request_head(head); }
  void on_body(std::string_view body) override { x_.on_request_body(body); }
  void on_end() override { x_.on_request_end(); }

 private:
  HttpExchange& x_;
};

class HttpExchange::ResponseObserver final : public http::MessageObserver {
 public:
  explicit ResponseObserver(HttpExchange& x) : x_(x) {}
  void on_head(const http::MessageHead& head) override { x_.on_response_head(head); }
  void on_body(std::string_view body) override { x_.on_response_body(body); }
  void on_end() override { x_.on_response_end(); }

 private:
  HttpExchange& x_;
};

HttpExchange::HttpExchange(boost::asio::any_io_executor executor, ByteStream& client,
                           ByteStream& upstream, fault::ConnectionFacts facts, HttpHooks& hooks,
                           FaultHooks& fault_hooks, RelayCounters& counters,
                           std::weak_ptr<void> owner, std::function<void(Outcome)> on_outcome)
    : executor_(executor),
      client_(client),
      upstream_(upstream),
      facts_(std::move(facts)),
      hooks_(hooks),
      fault_hooks_(fault_hooks),
      counters_(counters),
      owner_(std::move(owner)),
      on_outcome_(std::move(on_outcome)),
      request_observer_(std::make_unique<RequestObserver>(*this)),
      response_observer_(std::make_unique<ResponseObserver>(*this)),
      request_parser_(http::StreamParser::Kind::kRequest, *request_observer_),
      response_parser_(http::StreamParser::Kind::kResponse, *response_observer_),
      request_timer_(executor),
      response_timer_(executor),
      hang_timer_(executor) {}

HttpExchange::~HttpExchange() = default;

void HttpExchange::start() {
  read_client();
  read_upstream();
}

void HttpExchange::stop() {
  if (finished_) return;
  finished_ = true;
  request_timer_.cancel();
  response_timer_.cancel();
  hang_timer_.cancel();
  if (body_pump_) body_pump_->stop();
}

// ---------------------------------------------------------------- request direction

void HttpExchange::read_client() {
  if (client_reading_ || client_eof_ || finished_ || falling_back_) return;
  if (to_upstream_.size() + request_held_.size() > kMaxQueued) return;
  client_reading_ = true;
  client_.async_read_some(
      boost::asio::buffer(read_buffer_),
      [this, keep = owner_.lock()](const boost::system::error_code& ec, size_t n) {
        client_reading_ = false;
        if (finished_) return;
        if (falling_back_) {
          on_read_while_handing_over(ec, read_buffer_, n, to_upstream_);
          return;
        }
        if (ec == boost::asio::error::eof) {
          client_eof_ = true;
          request_parser_.feed_eof();
          if (request_parser_.failed() && current_) {
            journal_update(current_->journal_id, [](journal::CallEntry& e) {
              e.note = "client closed before the request was complete";
            });
          }
          if (to_upstream_.empty() && !upstream_writing_) on_upstream_drained();
          return;
        }
        if (ec) {
          reset_both(true);
          return;
        }
        client_in_.append(read_buffer_, n);
        process_client_bytes();
        read_client();
      });
}

void HttpExchange::process_client_bytes() {
  parsing_ = true;
  process_client_bytes_unflushed();
  parsing_ = false;
  write_upstream();
  write_client();
}

void HttpExchange::process_client_bytes_unflushed() {
  if (opaque_) {
    to_upstream_ += client_in_;
    client_in_.clear();
    return;
  }
  size_t offset = 0;
  while (offset < client_in_.size() && !finished_ && !falling_back_ && !request_delayed_) {
    size_t used = request_parser_.feed(std::string_view(client_in_).substr(offset));
    if (request_parser_.failed()) {
      client_in_.erase(0, offset);
      fall_back_to_raw("request bytes are not HTTP/1.x (" + request_parser_.error() + ")");
      return;
    }
    route_request(std::string_view(client_in_).substr(offset, used));
    offset += used;
    if (used == 0) break;
  }
  client_in_.erase(0, offset);
}

void HttpExchange::route_request(std::string_view chunk) {
  switch (request_route_) {
    case Route::kHold:
      request_held_.append(chunk);
      break;
    case Route::kForward:
      to_upstream_ += request_held_;
      request_held_.clear();
      to_upstream_.append(chunk);
      break;
    case Route::kDrop:
      request_held_.clear();
      break;
  }
}

void HttpExchange::on_request_head(const http::MessageHead& head) {
  current_ = std::make_shared<Pending>();
  current_->head = head;
  current_->answers_head = head.method == "HEAD";
  if (hooks_.journal) {
    journal::CallEntry entry;
    entry.time = std::chrono::system_clock::now();
    entry.flow_id = facts_.flow_id;
    entry.client = endpoint_text(facts_.client_ip, facts_.client_port);
    entry.server = endpoint_text(facts_.server_ip, facts_.server_port);
    entry.host = head.host.empty() ? facts_.host.value_or("") : head.host;
    entry.http_method = head.method;
    entry.path = head.path_without_query();  // presigned signatures live in the query
    current_->journal_id = hooks_.journal->append(std::move(entry));
  }
  pending_.push_back(current_);
  // A Thrift request is held until its body is complete, so the decision can see the method
  // and a request-phase fault keeps it from the server. Not with Expect: 100-continue, where
  // the client waits for the server before sending the body.
  current_->is_thrift = head.is_thrift() && !head.expect_continue && hooks_.decode_request;
  if (current_->is_thrift) {
    request_route_ = Route::kHold;
  } else {
    decide_current_request();
  }
}

void HttpExchange::on_request_body(std::string_view body) {
  if (!current_ || !current_->is_thrift || current_->decided) return;
  if (current_->thrift_body.size() + body.size() > hooks_.thrift_body_cap) {
    current_->thrift_body.clear();
    journal_update(current_->journal_id, [](journal::CallEntry& e) {
      e.note = "Thrift body larger than the decode cap: relayed without decoding";
    });
    decide_current_request();
    return;
  }
  current_->thrift_body.append(body);
}

void HttpExchange::on_request_end() {
  if (!current_) return;
  current_->complete = true;
  if (current_->is_thrift && !current_->decided) {
    auto& pending = *current_;
    journal_update(pending.journal_id, [&](journal::CallEntry& e) {
      pending.thrift = hooks_.decode_request(pending.thrift_body, e);
    });
    pending.thrift_body.clear();
    pending.thrift_body.shrink_to_fit();
    decide_current_request();
  }
  current_.reset();
}

void HttpExchange::decide_current_request() {
  Pending& p = *current_;
  p.decided = true;
  request_route_ = Route::kForward;
  if (!hooks_.decide) return;
  fault::HttpRequestFacts facts{facts_, p.head.method, p.head.path_without_query(),
                                p.head.host, &p.head.headers, p.thrift.method};
  fault::HttpFaultPlan plan = hooks_.decide(facts);
  if (plan.empty()) return;
  p.plan = plan;
  journal_update(p.journal_id, [&](journal::CallEntry& e) { e.scenario = plan.scenario; });
  LOG_INFO("flow=" << facts_.flow_id << " event=fault_planned scenario=" << plan.scenario
                   << " action=" << plan.action << " phase="
                   << (plan.phase == fault::Phase::kRequest ? "request" : "response")
                   << " method=" << (p.thrift.method.empty() ? p.head.method : p.thrift.method));
  if (plan.phase == fault::Phase::kRequest && plan.kind != fault::HttpFaultPlan::Kind::kTruncate) {
    apply_request_plan(p, plan);
  }
}

void HttpExchange::apply_request_plan(Pending& p, const fault::HttpFaultPlan& plan) {
  using Kind = fault::HttpFaultPlan::Kind;
  switch (plan.kind) {
    case Kind::kRespond:
      p.synthetic = http::make_response(plan.status, plan.headers, plan.body);
      p.synthetic_status = plan.status;
      request_route_ = Route::kDrop;
      break;
    case Kind::kThriftError: {
      std::optional<std::string> body;
      if (p.thrift.decoded && hooks_.make_thrift_error) body = hooks_.make_thrift_error(p.thrift, plan.thrift);
      if (!body) {
        report(plan.scenario, false,
               p.thrift.decoded ? "no Thrift reply shape for method " + p.thrift.method
                                : "the request is not a decoded Thrift call");
        p.fault_done = true;
        p.plan = {};
        return;  // forwarded unchanged
      }
      p.synthetic = http::make_response(200, {{"Content-Type", "application/x-thrift"}}, *body);
      p.synthetic_status = 200;
      p.synthetic_thrift_status =
          plan.thrift.form == fault::ThriftErrorSpec::Form::kStatus ? plan.thrift.status_code
                                                                    : "TApplicationException";
      p.synthetic_thrift_error = plan.thrift.message;
      request_route_ = Route::kDrop;
      break;
    }
    case Kind::kDelay:
      mark_injected(p);
      p.plan = {};
      request_route_ = Route::kHold;
      request_delayed_ = true;
      request_timer_.expires_after(plan.delay);
      request_timer_.async_wait([this, keep = owner_.lock()](const boost::system::error_code& ec) {
        if (ec || finished_) return;
        request_delayed_ = false;
        request_route_ = Route::kForward;
        route_request({});
        process_client_bytes();
      });
      return;
    case Kind::kHang:
      p.slot = Pending::Slot::kHang;
      request_route_ = Route::kDrop;
      break;
    case Kind::kReset:
      p.slot = Pending::Slot::kReset;
      request_route_ = Route::kDrop;
      break;
    case Kind::kClose:
      p.slot = Pending::Slot::kClose;
      request_route_ = Route::kDrop;
      break;
    case Kind::kTruncate:
    case Kind::kNone:
      return;
  }
  advance_slots();
}

// ---------------------------------------------------------------- answers in response order

void HttpExchange::advance_slots() {
  while (!pending_.empty() && !response_in_progress_ && !paused_for_slot_ && !finished_) {
    Pending& p = *pending_.front();
    if (p.synthetic) {
      to_client_ += *p.synthetic;
      auto latency = std::chrono::duration<double, std::milli>(Clock::now() - p.started).count();
      journal_update(p.journal_id, [&](journal::CallEntry& e) {
        e.http_status = p.synthetic_status;
        e.thrift_status = p.synthetic_thrift_status;
        e.thrift_error = p.synthetic_thrift_error;
        e.latency_ms = latency;
        e.response_bytes = p.synthetic->size();
        e.note = "answered by adbcfault; the server never saw this request";
      });
      mark_injected(p);
      pending_.pop_front();
      continue;
    }
    if (p.slot == Pending::Slot::kReset || p.slot == Pending::Slot::kClose) {
      mark_injected(p);
      journal_update(p.journal_id, [&](journal::CallEntry& e) {
        e.note = p.slot == Pending::Slot::kReset ? "connection reset by adbcfault before the server saw it"
                                                  : "connection closed by adbcfault before the server saw it";
      });
      paused_for_slot_ = true;
      close_client_after_drain(p.slot == Pending::Slot::kReset);
      return;
    }
    if (p.slot == Pending::Slot::kHang) {
      paused_for_slot_ = true;
      mark_injected(p);
      start_hang(p.plan.scenario, p.plan.hang_duration, p.plan.hang_end);
      return;
    }
    break;  // a forwarded request: its answer comes from the server
  }
  write_client();
}

// ---------------------------------------------------------------- response direction

void HttpExchange::read_upstream() {
  if (upstream_reading_ || upstream_eof_ || finished_ || falling_back_ || splice_remaining_ ||
      paused_for_slot_ || response_delayed_) {
    return;
  }
  if (to_client_.size() + response_held_.size() > kMaxQueued) return;
  upstream_reading_ = true;
  upstream_.async_read_some(
      boost::asio::buffer(upstream_read_buffer_),
      [this, keep = owner_.lock()](const boost::system::error_code& ec, size_t n) {
        upstream_reading_ = false;
        if (finished_) return;
        if (falling_back_) {
          on_read_while_handing_over(ec, upstream_read_buffer_, n, to_client_);
          return;
        }
        if (ec == boost::asio::error::eof) {
          upstream_eof_ = true;
          response_parser_.feed_eof();
          for (const auto& p : pending_) {
            journal_update(p->journal_id, [](journal::CallEntry& e) {
              if (e.http_status) return;
              constexpr const char* kNoAnswer = "the server closed the connection without answering";
              e.note = e.note.empty() ? kNoAnswer : e.note + "; " + kNoAnswer;
            });
          }
          if (to_client_.empty() && !client_writing_) on_client_drained();
          return;
        }
        if (ec) {
          reset_both(true);
          return;
        }
        upstream_in_.append(upstream_read_buffer_, n);
        process_upstream_bytes();
        read_upstream();
      });
}

bool HttpExchange::front_answers_head() const {
  return !pending_.empty() && pending_.front()->answers_head;
}

void HttpExchange::process_upstream_bytes() {
  parsing_ = true;
  process_upstream_bytes_unflushed();
  parsing_ = false;
  write_client();
  if (splice_remaining_ && !body_pump_ && to_client_.empty() && !client_writing_) {
    splice_body_remainder();
  }
}

void HttpExchange::process_upstream_bytes_unflushed() {
  if (opaque_) {
    to_client_ += upstream_in_;
    upstream_in_.clear();
    return;
  }
  size_t offset = 0;
  while (offset < upstream_in_.size() && !finished_ && !falling_back_ && !splice_remaining_ &&
         !paused_for_slot_ && !response_delayed_) {
    if (!response_parser_.in_message()) response_parser_.next_response_answers_head(front_answers_head());
    size_t used = response_parser_.feed(std::string_view(upstream_in_).substr(offset));
    if (response_parser_.failed()) {
      upstream_in_.erase(0, offset);
      fall_back_to_raw("response bytes are not HTTP/1.x (" + response_parser_.error() + ")");
      return;
    }
    route_response(std::string_view(upstream_in_).substr(offset, used));
    offset += used;
    if (close_after_head_) {
      bool reset = *close_after_head_;
      close_after_head_.reset();
      upstream_in_.erase(0, offset);
      close_client_after_drain(reset);
      return;
    }
    if (splice_after_head_) {
      // Body bytes already read go out from the buffer; the rest is spliced.
      splice_after_head_ = false;
      response_parser_.skip_body();
      uint64_t take = std::min<uint64_t>(*splice_remaining_, upstream_in_.size() - offset);
      to_client_.append(upstream_in_, offset, take);
      offset += take;
      response_body_seen_ += take;
      *splice_remaining_ -= take;
      if (*splice_remaining_ == 0) {
        splice_remaining_.reset();
        on_response_end();
      }
      continue;
    }
    if (used == 0) break;
  }
  upstream_in_.erase(0, offset);
}

void HttpExchange::route_response(std::string_view chunk) {
  switch (response_route_) {
    case Route::kHold:
      response_held_.append(chunk);
      break;
    case Route::kForward:
      to_client_ += response_held_;
      response_held_.clear();
      to_client_.append(chunk);
      break;
    case Route::kDrop:
      response_held_.clear();
      break;
  }
}

void HttpExchange::on_response_head(const http::MessageHead& head) {
  response_route_ = Route::kForward;
  if (head.status >= 100 && head.status < 200 && head.status != 101) {
    current_response_informational_ = true;  // e.g. 100 Continue: not the answer yet
    return;
  }
  current_response_informational_ = false;
  response_in_progress_ = true;
  response_body_seen_ = 0;
  truncate_after_.reset();
  response_is_thrift_ = head.is_thrift() && static_cast<bool>(hooks_.decode_reply);
  response_thrift_body_.clear();
  if (pending_.empty()) {
    LOG_DEBUG("flow=" << facts_.flow_id << " event=unsolicited_response status=" << head.status);
    return;
  }
  Pending& p = *pending_.front();
  auto latency = std::chrono::duration<double, std::milli>(Clock::now() - p.started).count();
  journal_update(p.journal_id, [&](journal::CallEntry& e) {
    e.http_status = head.status;
    e.latency_ms = latency;
  });
  if (!p.plan.empty() && p.plan.phase == fault::Phase::kResponse) {
    apply_response_plan(p.plan, head);
    return;
  }
  if (head.status == 101) return;  // upgrade: handled at the end of this head
  if (head.framing == http::BodyFraming::kContentLength && !response_is_thrift_ &&
      *head.content_length >= kSpliceThreshold && client_.spliceable() && upstream_.spliceable()) {
    splice_remaining_ = *head.content_length;
    splice_after_head_ = true;
  }
}

void HttpExchange::apply_response_plan(const fault::HttpFaultPlan& plan, const http::MessageHead& head) {
  using Kind = fault::HttpFaultPlan::Kind;
  Pending& p = *pending_.front();
  auto note = [&](std::string text) {
    journal_update(p.journal_id, [&](journal::CallEntry& e) {
      e.note = text + " (the server answered " + std::to_string(head.status) + ")";
    });
  };
  switch (plan.kind) {
    case Kind::kRespond:
      response_route_ = Route::kDrop;
      to_client_ += http::make_response(plan.status, plan.headers, plan.body);
      journal_update(p.journal_id, [&](journal::CallEntry& e) { e.http_status = plan.status; });
      note("response replaced by adbcfault");
      mark_injected(p);
      break;
    case Kind::kThriftError: {
      std::optional<std::string> body;
      if (p.thrift.decoded && hooks_.make_thrift_error) body = hooks_.make_thrift_error(p.thrift, plan.thrift);
      if (!body) {
        report(plan.scenario, false, "the request is not a decoded Thrift call");
        p.fault_done = true;
        break;
      }
      response_route_ = Route::kDrop;
      to_client_ += http::make_response(200, {{"Content-Type", "application/x-thrift"}}, *body);
      std::string status = plan.thrift.form == fault::ThriftErrorSpec::Form::kStatus
                               ? plan.thrift.status_code
                               : "TApplicationException";
      journal_update(p.journal_id, [&](journal::CallEntry& e) {
        e.http_status = 200;
        e.thrift_status = status;
        e.thrift_error = plan.thrift.message;
      });
      note("Thrift reply replaced by adbcfault");
      mark_injected(p);
      break;
    }
    case Kind::kDelay:
      mark_injected(p);
      response_route_ = Route::kHold;
      response_delayed_ = true;
      response_timer_.expires_after(plan.delay);
      response_timer_.async_wait([this, keep = owner_.lock()](const boost::system::error_code& ec) {
        if (ec || finished_) return;
        response_delayed_ = false;
        response_route_ = Route::kForward;
        route_response({});
        process_upstream_bytes();
        read_upstream();
      });
      break;
    case Kind::kHang:
      response_route_ = Route::kDrop;
      note("response withheld by adbcfault (hang)");
      mark_injected(p);
      paused_for_slot_ = true;
      start_hang(plan.scenario, plan.hang_duration, plan.hang_end);
      break;
    case Kind::kReset:
    case Kind::kClose:
      response_route_ = plan.after_headers ? Route::kForward : Route::kDrop;
      close_after_head_ = plan.kind == Kind::kReset;
      note(std::string(plan.kind == Kind::kReset ? "connection reset" : "connection closed") +
           " by adbcfault " + (plan.after_headers ? "after" : "before") + " the response headers");
      mark_injected(p);
      break;
    case Kind::kTruncate:
      truncate_after_ = plan.truncate_after;
      note("response body cut after " + std::to_string(plan.truncate_after) + " bytes by adbcfault");
      break;
    case Kind::kNone:
      break;
  }
}

void HttpExchange::on_response_body(std::string_view body) {
  response_body_seen_ += body.size();
  if (response_is_thrift_ && response_thrift_body_.size() + body.size() <= hooks_.thrift_body_cap) {
    response_thrift_body_.append(body);
  }
  if (truncate_after_ && response_body_seen_ >= *truncate_after_) {
    // Forward exactly the allowed bytes of this piece, then FIN.
    uint64_t over = response_body_seen_ - *truncate_after_;
    to_client_.append(body.substr(0, body.size() - over));
    response_route_ = Route::kDrop;
    bool reset = false;
    if (!pending_.empty()) {
      reset = pending_.front()->plan.truncate_with_reset;
      mark_injected(*pending_.front());
    }
    truncate_after_.reset();
    close_after_head_ = reset;
  }
}

void HttpExchange::on_response_end() {
  if (current_response_informational_) {
    current_response_informational_ = false;
    return;
  }
  response_in_progress_ = false;
  if (!pending_.empty()) {
    auto p = pending_.front();
    pending_.pop_front();
    uint64_t bytes = response_body_seen_;
    journal_update(p->journal_id, [&](journal::CallEntry& e) {
      e.response_bytes = bytes;
      if (response_is_thrift_ && !response_thrift_body_.empty() && e.thrift_status.empty()) {
        hooks_.decode_reply(response_thrift_body_, e);
      }
    });
    if (!p->plan.empty() && p->plan.kind == fault::HttpFaultPlan::Kind::kTruncate && !p->fault_done) {
      report(p->plan.scenario, false, "the response body was shorter than the cut point");
      p->fault_done = true;
    }
  }
  response_thrift_body_.clear();
  advance_slots();
}

void HttpExchange::splice_body_remainder() {
  if (body_pump_ || !splice_remaining_ || finished_) return;
  SplicePump::Options options;
  options.stop_after = *splice_remaining_;
  body_pump_.emplace(*upstream_.spliceable(), *client_.spliceable(), counters_.bytes_server_to_client,
                     std::move(options),
                     [this](SplicePump::End end) {
                       uint64_t moved = body_pump_->forwarded();
                       boost::asio::post(executor_, [this, end, moved, keep = owner_.lock()] {
                         body_pump_.reset();
                         if (finished_) return;
                         response_body_seen_ += moved;
                         if (end == SplicePump::End::kLimitReached) {
                           splice_remaining_.reset();
                           on_response_end();
                           process_upstream_bytes();
                           read_upstream();
                         } else if (end == SplicePump::End::kEof) {
                           // The server closed inside the body; the client sees it end too.
                           splice_remaining_.reset();
                           upstream_eof_ = true;
                           client_shut_ = true;
                           maybe_finish_cleanly();
                         } else {
                           reset_both(true);
                         }
                       });
                     },
                     owner_);
  body_pump_->start();
}

// ---------------------------------------------------------------- writing

void HttpExchange::write_client() {
  // Inside a parse loop the rest of the message is still being routed: flush once at its end,
  // so a response goes out in one write, not head and body apart.
  if (client_writing_ || finished_ || parsing_) return;
  if (to_client_.empty()) return;
  client_writing_ = true;
  // Writes go from a buffer nobody appends to while the write is in flight.
  client_in_flight_.swap(to_client_);
  client_.async_write(
      boost::asio::buffer(client_in_flight_),
      [this, keep = owner_.lock()](const boost::system::error_code& ec, size_t n) {
        client_writing_ = false;
        client_in_flight_.clear();
        if (finished_) return;
        if (ec) {
          reset_both(true);
          return;
        }
        counters_.bytes_server_to_client += n;
        if (!to_client_.empty()) {
          write_client();
          return;
        }
        on_client_drained();
      });
}

void HttpExchange::write_upstream() {
  if (upstream_writing_ || finished_ || parsing_ || to_upstream_.empty()) return;
  upstream_writing_ = true;
  upstream_in_flight_.swap(to_upstream_);
  upstream_.async_write(
      boost::asio::buffer(upstream_in_flight_),
      [this, keep = owner_.lock()](const boost::system::error_code& ec, size_t n) {
        upstream_writing_ = false;
        upstream_in_flight_.clear();
        if (finished_) return;
        if (ec) {
          reset_both(true);
          return;
        }
        counters_.bytes_client_to_server += n;
        if (!to_upstream_.empty()) {
          write_upstream();
          return;
        }
        on_upstream_drained();
      });
}

void HttpExchange::on_client_drained() {
  if (finished_) return;
  if (close_after_drain_) {
    if (*close_after_drain_) {
      // Everything written so far must reach the client before the RST throws it away.
      close_after_drain_.reset();
      after_send_queue_drains(client_.native_handle(), hang_timer_, owner_.lock(), [this] {
        if (finished_) return;
        client_.reset();
        upstream_.close();
        finish();
      });
      return;
    }
    client_.close();
    upstream_.close();
    finish();
    return;
  }
  if (falling_back_) {
    maybe_hand_over();
    return;
  }
  if (splice_remaining_) {
    splice_body_remainder();
    return;
  }
  if (upstream_eof_ && !client_shut_ && !response_in_progress_) {
    client_.shutdown_send();
    client_shut_ = true;
    maybe_finish_cleanly();
    return;
  }
  read_upstream();
}

void HttpExchange::on_upstream_drained() {
  if (finished_) return;
  if (falling_back_) {
    maybe_hand_over();
    return;
  }
  if (client_eof_ && !upstream_shut_) {
    upstream_.shutdown_send();
    upstream_shut_ = true;
    maybe_finish_cleanly();
    return;
  }
  read_client();
}

// ---------------------------------------------------------------- endings

void HttpExchange::start_hang(const std::string& scenario,
                              std::optional<std::chrono::milliseconds> duration, fault::HangEnd end) {
  hang_scenario_ = scenario;  // the caller reported the injection
  if (duration && end != fault::HangEnd::kHold) {
    hang_timer_.expires_after(*duration);
    hang_timer_.async_wait([this, end, keep = owner_.lock()](const boost::system::error_code& ec) {
      if (ec || finished_) return;
      close_client_after_drain(end == fault::HangEnd::kReset);
    });
  }
}

void HttpExchange::end_scenario(const std::string& name) {
  if (!finished_ && !hang_scenario_.empty() && hang_scenario_ == name) close_client_after_drain(false);
}

void HttpExchange::close_client_after_drain(bool reset) {
  close_after_drain_ = reset;
  hang_timer_.cancel();
  if (to_client_.empty() && !client_writing_) on_client_drained();
}

void HttpExchange::fall_back_to_raw(const std::string& why) {
  LOG_INFO("flow=" << facts_.flow_id << " event=http_fallback reason=\"" << why << "\"");
  if (current_) {
    journal_update(current_->journal_id, [&](journal::CallEntry& e) { e.note = why + "; relayed as TCP"; });
  }
  parsing_ = false;  // called from inside a parse loop; everything below is final
  request_timer_.cancel();
  response_timer_.cancel();
  to_upstream_ += request_held_;
  to_upstream_ += client_in_;
  to_client_ += response_held_;
  to_client_ += upstream_in_;
  request_held_.clear();
  client_in_.clear();
  response_held_.clear();
  upstream_in_.clear();
  if (client_.spliceable() && upstream_.spliceable()) {
    // Plain TCP: hand the sockets to the splice pumps once every byte we hold is out and no
    // read of ours is pending (a cancelled read may still bring bytes: they are forwarded).
    falling_back_ = true;
    client_.cancel();
    upstream_.cancel();
    write_upstream();
    write_client();
    maybe_hand_over();
    return;
  }
  // Inside TLS the sessions stay ours: keep copying the decrypted bytes, without parsing.
  opaque_ = true;
  write_upstream();
  write_client();
  read_client();
  read_upstream();
}

void HttpExchange::on_read_while_handing_over(const boost::system::error_code& ec, const char* data,
                                              size_t n, std::string& forward_to) {
  if (n > 0) forward_to.append(data, n);
  if (ec && ec != boost::asio::error::eof && ec != boost::asio::error::operation_aborted) {
    reset_both(true);  // the error is consumed now; the pumps would not see it again
    return;
  }
  write_upstream();
  write_client();
  maybe_hand_over();
}

void HttpExchange::maybe_hand_over() {
  if (!falling_back_ || finished_ || client_reading_ || upstream_reading_ || client_writing_ ||
      upstream_writing_ || !to_client_.empty() || !to_upstream_.empty()) {
    return;
  }
  finished_ = true;
  on_outcome_(Outcome::kFallbackToRaw);
}

void HttpExchange::maybe_finish_cleanly() {
  if (client_shut_ && upstream_shut_) {
    client_.close();
    upstream_.close();
    finish();
  }
}

void HttpExchange::reset_both(bool count_as_propagated) {
  if (finished_) return;
  if (count_as_propagated) ++counters_.resets_propagated;
  client_.reset();
  upstream_.reset();
  finish();
}

void HttpExchange::finish() {
  if (finished_) return;
  stop();
  for (const auto& p : pending_) {
    if (!p->plan.empty() && !p->fault_done) {
      report(p->plan.scenario, false, "the connection ended before the fault's turn came");
    }
  }
  pending_.clear();
  on_outcome_(Outcome::kFinished);
}

void HttpExchange::mark_injected(Pending& p) {
  if (p.fault_done) return;
  p.fault_done = true;
  report(p.plan.scenario, true);
}

void HttpExchange::report(const std::string& scenario, bool injected, const std::string& reason) {
  if (scenario.empty()) return;
  if (injected) {
    ++counters_.faults_injected;
    LOG_INFO("flow=" << facts_.flow_id << " event=fault_injected scenario=" << scenario);
    if (fault_hooks_.injected) fault_hooks_.injected(scenario, facts_.flow_id);
  } else {
    ++counters_.faults_not_injected;
    LOG_WARN("flow=" << facts_.flow_id << " event=fault_not_injected scenario=" << scenario
                     << " reason=\"" << reason << "\"");
    if (fault_hooks_.not_injected) fault_hooks_.not_injected(scenario, facts_.flow_id, reason);
  }
}

void HttpExchange::journal_update(uint64_t id, const std::function<void(journal::CallEntry&)>& change) {
  if (hooks_.journal && id) hooks_.journal->update(id, change);
}

}  // namespace adbcfault::relay
