#pragma once
// An intercepted HTTP/1.x connection, both directions, message by message: every request is
// journaled and offered to the scenario engine; the original bytes are forwarded unchanged
// unless a fault says otherwise. Responses pair with requests in order (keep-alive, pipelining).
// Large plain response bodies of known length are spliced, so downloads stay zero-copy.
// Bytes that are not HTTP make the flow fall back to plain TCP relaying, unharmed.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "fault/connection_facts.h"
#include "http/stream_parser.h"
#include "relay/byte_stream.h"
#include "relay/fault_hooks.h"
#include "relay/http_hooks.h"
#include "relay/relay_counters.h"
#include "relay/splice_pump.h"

namespace adbcfault::relay {

class HttpExchange {
 public:
  enum class Outcome {
    kFinished,       // both sockets are closed (cleanly, by reset, or by a fault)
    kFallbackToRaw,  // not HTTP: buffered bytes were delivered; relay the rest as TCP
  };

  // `client` and `upstream` are plain sockets or TLS sessions; bodies are spliced only when both
  // are plain.
  HttpExchange(boost::asio::any_io_executor executor, ByteStream& client, ByteStream& upstream,
               fault::ConnectionFacts facts, HttpHooks& hooks, FaultHooks& fault_hooks,
               RelayCounters& counters, std::weak_ptr<void> owner,
               std::function<void(Outcome)> on_outcome);
  ~HttpExchange();

  void start();
  void stop();  // no callbacks after this
  void end_scenario(const std::string& name);

 private:
  struct Pending;
  class RequestObserver;
  class ResponseObserver;
  enum class Route { kHold, kForward, kDrop };

  // Request direction.
  void read_client();
  void process_client_bytes();
  void process_client_bytes_unflushed();
  void on_request_head(const http::MessageHead& head);
  void on_request_body(std::string_view body);
  void on_request_end();
  void decide_current_request();
  void route_request(std::string_view chunk);
  void route_response(std::string_view chunk);
  bool front_answers_head() const;
  void apply_request_plan(Pending& slot, const fault::HttpFaultPlan& plan);

  // Response direction.
  void read_upstream();
  void process_upstream_bytes();
  void process_upstream_bytes_unflushed();
  void on_response_head(const http::MessageHead& head);
  void on_response_body(std::string_view body);
  void on_response_end();
  void apply_response_plan(const fault::HttpFaultPlan& plan, const http::MessageHead& head);
  void splice_body_remainder();

  // Answers decided at request time, delivered when their turn in the response order comes.
  void advance_slots();

  void write_client();
  void write_upstream();
  void on_client_drained();
  void on_upstream_drained();
  void start_hang(const std::string& scenario, std::optional<std::chrono::milliseconds> duration,
                  fault::HangEnd end);
  void fall_back_to_raw(const std::string& why);
  void on_read_while_handing_over(const boost::system::error_code& ec, const char* data, size_t n,
                                  std::string& forward_to);
  void maybe_hand_over();
  void maybe_finish_cleanly();
  void reset_both(bool count_as_propagated);
  void close_client_after_drain(bool reset);
  void finish();
  void mark_injected(Pending& p);
  void report(const std::string& scenario, bool injected, const std::string& reason = "");
  void journal_update(uint64_t id, const std::function<void(journal::CallEntry&)>& change);

  boost::asio::any_io_executor executor_;
  ByteStream& client_;
  ByteStream& upstream_;
  fault::ConnectionFacts facts_;
  HttpHooks& hooks_;
  FaultHooks& fault_hooks_;
  RelayCounters& counters_;
  std::weak_ptr<void> owner_;
  std::function<void(Outcome)> on_outcome_;

  std::unique_ptr<RequestObserver> request_observer_;
  std::unique_ptr<ResponseObserver> response_observer_;
  http::StreamParser request_parser_;
  http::StreamParser response_parser_;

  std::string client_in_;  // read from the client, not yet parsed
  std::string upstream_in_;
  std::string request_held_;   // bytes of the current request waiting for a decision
  std::string response_held_;  // bytes of the current response waiting for a delay
  std::string to_upstream_;
  std::string to_client_;
  std::string client_in_flight_;
  std::string upstream_in_flight_;
  Route request_route_ = Route::kForward;
  Route response_route_ = Route::kForward;

  // Requests awaiting their answer, in order; shared so a request still being parsed stays valid
  // if an early response retires it.
  std::deque<std::shared_ptr<Pending>> pending_;
  std::shared_ptr<Pending> current_;  // the request being parsed
  bool response_in_progress_ = false;
  bool current_response_informational_ = false;
  uint64_t response_body_seen_ = 0;
  std::optional<uint64_t> truncate_after_;
  std::string response_thrift_body_;
  bool response_is_thrift_ = false;

  std::optional<uint64_t> splice_remaining_;  // body bytes still to splice
  std::optional<SplicePump> body_pump_;

  bool client_reading_ = false;
  bool upstream_reading_ = false;
  bool client_writing_ = false;
  bool upstream_writing_ = false;
  bool client_eof_ = false;
  bool upstream_eof_ = false;
  bool upstream_shut_ = false;
  bool client_shut_ = false;
  bool paused_for_slot_ = false;  // a hang/close/reset stopped the response side
  bool request_delayed_ = false;
  bool response_delayed_ = false;
  bool splice_after_head_ = false;
  std::optional<bool> close_after_head_;  // true: reset, false: FIN
  bool falling_back_ = false;  // plain TCP: handing the sockets to splice pumps
  bool opaque_ = false;        // TLS: bytes copied as they are, no longer parsed
  bool finished_ = false;
  bool parsing_ = false;  // inside a parse loop: writes wait until it ends
  std::optional<bool> close_after_drain_;  // true: reset, false: FIN
  std::string hang_scenario_;
  boost::asio::steady_timer request_timer_;
  boost::asio::steady_timer response_timer_;
  boost::asio::steady_timer hang_timer_;
  char read_buffer_[64 * 1024];
  char upstream_read_buffer_[64 * 1024];
};

}  // namespace adbcfault::relay
