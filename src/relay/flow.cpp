#include "relay/flow.h"

#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <string_view>

#include "common/log.h"
#include "relay/flow_table.h"
#include "relay/graceful_reset.h"
#include "relay/socket_ops.h"
#include "relay/tls_byte_stream.h"

namespace adbcfault::relay {
namespace {

using boost::asio::ip::tcp;

fault::ConnectionFacts facts_of(uint64_t id, const tcp::endpoint& client, const tcp::endpoint& server) {
  fault::ConnectionFacts facts;
  facts.flow_id = id;
  if (client.address().is_v4()) facts.client_ip = client.address().to_v4().to_uint();
  facts.client_port = client.port();
  if (server.address().is_v4()) facts.server_ip = server.address().to_v4().to_uint();
  facts.server_port = server.port();
  return facts;
}

void no_delay(tcp::socket& socket) {
  // A transparent relay must not add coalescing delays the direct path would not have.
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
}

bool looks_like_http_request(const char* data, size_t length) {
  static constexpr std::string_view kMethods[] = {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ",
                                                  "OPTIONS ", "PATCH "};
  std::string_view start(data, length);
  for (auto method : kMethods) {
    // A short first segment that is a prefix of a method counts: the parser falls back to
    // TCP relaying if it was not HTTP after all.
    if (start.substr(0, std::min(start.size(), method.size())) == method.substr(0, start.size()))
      return true;
  }
  return false;
}

const char* name_of(SplicePump::End end) {
  switch (end) {
    case SplicePump::End::kEof: return "eof";
    case SplicePump::End::kLimitReached: return "limit";
    case SplicePump::End::kSourceReset: return "source_reset";
    case SplicePump::End::kSinkReset: return "sink_reset";
    case SplicePump::End::kNoResources: return "no_resources";
  }
  return "?";
}

}  // namespace

Flow::Flow(tcp::socket client, tcp::endpoint client_endpoint, uint64_t id, FlowContext context)
    : client_(std::move(client)),
      upstream_(client_.get_executor()),
      id_(id),
      context_(context),
      client_endpoint_(client_endpoint),
      timer_(client_.get_executor()) {
  ++context_.counters.flows_live;
  ++context_.counters.flows_total;
}

Flow::~Flow() { finish("destroyed"); }

void Flow::start() {
  boost::system::error_code ec;
  server_endpoint_ = client_.local_endpoint(ec);  // TPROXY: our local address is the original
  if (ec) {
    finish("client vanished before start");
    return;
  }
  context_.table.add(id_, weak_from_this());
  client_.non_blocking(true, ec);  // TCP_NODELAY it inherited from the listener
  LOG_DEBUG("flow=" << id_ << " event=accept client=" << to_string(client_endpoint_)
                    << " server=" << to_string(server_endpoint_));

  facts_ = facts_of(id_, client_endpoint_, server_endpoint_);
  if (context_.hooks.decide) plan_ = context_.hooks.decide(facts_);
  fault_pending_ = !plan_.empty();
  if (fault_pending_) {
    LOG_INFO("flow=" << id_ << " event=fault_planned scenario=" << plan_.scenario
                     << " action=" << plan_.action);
  }

  if (plan_.reset_on_accept) {
    report_injected();
    reset_and_close(client_);
    finish("reset on accept");
    return;
  }
  if (plan_.hang) {
    begin_hang();
    return;
  }
  if (plan_.refuse_upstream) {
    refuse_after_first_bytes();
    return;
  }
  if (plan_.connect_delay.count() > 0) {
    report_injected();
    timer_.expires_after(plan_.connect_delay);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->finished_) self->connect_upstream();
    });
    return;
  }
  connect_upstream();
}

void Flow::connect_upstream() {
  boost::system::error_code ec;
  upstream_.open(tcp::v4(), ec);
  if (ec || !set_socket_mark(upstream_, context_.bypass_mark)) {
    // Without the bypass mark our own rules would steer this socket back to us.
    LOG_ERROR("flow=" << id_ << " event=upstream_socket_failed error=\""
                      << (ec ? ec.message() : "SO_MARK refused") << "\"");
    reset_and_close(client_);
    finish("upstream socket failed");
    return;
  }
  no_delay(upstream_);
  // Once, before connect: asio's connect then skips its own FIONBIO, and the raw recv/splice
  // calls of every later mode find the socket non-blocking.
  upstream_.non_blocking(true, ec);
  upstream_.async_connect(server_endpoint_, [self = shared_from_this()](
                                                const boost::system::error_code& ec) {
    if (self->finished_) return;
    if (ec) {
      ++self->context_.counters.upstream_connect_failures;
      LOG_INFO("flow=" << self->id_ << " event=upstream_connect_failed server="
                       << to_string(self->server_endpoint_) << " error=\"" << ec.message()
                       << "\"");
      // The nearest thing to what the client would have seen going direct.
      reset_and_close(self->client_);
      self->finish("upstream connect failed");
      return;
    }
    self->choose_mode();
  });
}

void Flow::choose_mode() {
  const bool pump_faults = plan_.reset_after || plan_.close_after_response_bytes || plan_.throttle ||
                           plan_.first_response_byte_delay.count() > 0;
  if (!context_.http || pump_faults) {
    // Byte-level faults are carried out by the splice pumps; such a flow is not parsed.
    start_pumps();
    return;
  }
  // Usually the client's first bytes are already here (it sent them while we connected): then
  // decide now, without arming any wait.
  char first[8];
  ssize_t n = recv(client_.native_handle(), first, sizeof first, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) {
    mode_chosen_ = true;
    decide_from_first_bytes(first, static_cast<size_t>(n));
    return;
  }
  // HTTP clients speak first; a server that speaks first (SSH-like, SMTP, MySQL) is not HTTP.
  client_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->mode_chosen_ || self->finished_) return;
    self->on_first_client_bytes();
  });
  upstream_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->mode_chosen_ || self->finished_) return;
    self->mode_chosen_ = true;
    boost::system::error_code ignored;
    self->client_.cancel(ignored);
    self->start_pumps();
  });
}

void Flow::on_first_client_bytes() {
  mode_chosen_ = true;
  boost::system::error_code ignored;
  upstream_.cancel(ignored);
  char first[8];
  ssize_t n = recv(client_.native_handle(), first, sizeof first, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) {
    decide_from_first_bytes(first, static_cast<size_t>(n));
  } else {
    start_pumps();
  }
}

void Flow::decide_from_first_bytes(const char* first, size_t length) {
  if (looks_like_http_request(first, length)) {
    start_http();
  } else if (context_.tls && static_cast<unsigned char>(first[0]) == 0x16) {
    sniff_tls(0);  // a TLS handshake record
  } else {
    start_pumps();
  }
}

void Flow::start_http() {
  if (!client_stream_) client_stream_ = std::make_unique<TcpByteStream>(client_);
  if (!upstream_stream_) upstream_stream_ = std::make_unique<TcpByteStream>(upstream_);
  http_.emplace(client_.get_executor(), *client_stream_, *upstream_stream_, facts_, *context_.http,
                context_.hooks, context_.counters,
                std::weak_ptr<void>(shared_from_this()), [this](HttpExchange::Outcome outcome) {
                  // Not from inside the exchange's own call stack: it may be destroyed next.
                  boost::asio::post(client_.get_executor(), [this, outcome, self = shared_from_this()] {
                    if (finished_) return;
                    if (outcome == HttpExchange::Outcome::kFallbackToRaw) {
                      start_pumps();
                    } else {
                      finish("http exchange ended");
                    }
                  });
                });
  http_->start();
}

void Flow::start_pumps() {
  SplicePump::Options up, down;
  if (plan_.reset_after) {
    (plan_.reset_after->direction == fault::Direction::kClientToServer ? up : down).stop_after =
        plan_.reset_after->bytes;
  }
  if (plan_.close_after_response_bytes) down.stop_after = plan_.close_after_response_bytes;
  if (plan_.throttle) {
    (plan_.throttle->direction == fault::Direction::kClientToServer ? up : down)
        .bytes_per_second = plan_.throttle->bytes_per_second;
    report_injected();
  }
  if (plan_.first_response_byte_delay.count() > 0) {
    down.first_byte_delay = plan_.first_response_byte_delay;
    down.on_first_byte_delayed = [this] { report_injected(); };
  }
  auto owner = std::weak_ptr<void>(shared_from_this());
  to_server_.emplace(client_, upstream_, context_.counters.bytes_client_to_server, std::move(up),
                     [this](SplicePump::End end) { on_pump_end(fault::Direction::kClientToServer, end); },
                     owner);
  to_client_.emplace(upstream_, client_, context_.counters.bytes_server_to_client, std::move(down),
                     [this](SplicePump::End end) { on_pump_end(fault::Direction::kServerToClient, end); },
                     owner);
  to_server_->start();
  if (!finished_) to_client_->start();
}

void Flow::on_pump_end(fault::Direction direction, SplicePump::End end) {
  if (finished_) return;
  const bool upward = direction == fault::Direction::kClientToServer;
  LOG_DEBUG("flow=" << id_ << " event=pump_end direction=" << (upward ? "request" : "response")
                    << " end=" << name_of(end));
  switch (end) {
    case SplicePump::End::kEof:
      (upward ? to_server_eof_ : to_client_eof_) = true;
      if (to_server_eof_ && to_client_eof_) finish("both sides closed");
      return;
    case SplicePump::End::kLimitReached:
      report_injected();
      reset_and_close(upstream_);
      if (plan_.close_after_response_bytes && !upward) {
        close_quietly(client_);  // FIN: the client sees a response cut short
        finish("fault fired");
        return;
      }
      // Exactly N bytes, then the RST: only once the client has them all.
      after_send_queue_drains(client_.native_handle(), timer_, shared_from_this(), [this] {
        reset_and_close(client_);
        finish("fault fired");
      });
      return;
    case SplicePump::End::kSourceReset:
    case SplicePump::End::kSinkReset: {
      // Whichever side failed, the other learns it the way it would have directly: a RST.
      ++context_.counters.resets_propagated;
      reset_and_close(client_);
      reset_and_close(upstream_);
      finish("reset");
      return;
    }
    case SplicePump::End::kNoResources:
      LOG_ERROR("flow=" << id_ << " event=no_pipe error=\"out of file descriptors\"");
      reset_and_close(client_);
      reset_and_close(upstream_);
      finish("no resources");
      return;
  }
}

void Flow::begin_hang() {
  hanging_ = true;
  report_injected();
  const auto& hang = *plan_.hang;
  if (hang.duration && hang.end != fault::HangEnd::kHold) {
    timer_.expires_after(*hang.duration);
    timer_.async_wait([self = shared_from_this(), how = hang.end](const boost::system::error_code& ec) {
      if (!ec) self->end_hang(how);
    });
  }
  discard_client_bytes();
}

void Flow::apply_plan_after_hello() {
  // A connection-level fault chosen by the SNI: upstream is connected already, so each action
  // shows the client what it would have at accept, and the TLS bytes go untouched (the fault is
  // on the connection, not on what TLS carries).
  if (plan_.reset_on_accept || plan_.refuse_upstream) {
    report_injected();
    reset_and_close(client_);
    finish(plan_.reset_on_accept ? "reset on accept" : "refused upstream");
    return;
  }
  if (plan_.hang) {
    close_quietly(upstream_);
    begin_hang();
    return;
  }
  if (plan_.connect_delay.count() > 0) {
    report_injected();
    timer_.expires_after(plan_.connect_delay);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->finished_) self->start_pumps();
    });
    return;
  }
  start_pumps();  // byte-level faults: the pumps carry them out
}

void Flow::discard_client_bytes() {
  // Reading (and dropping) what the client sends lets us notice when it gives up.
  client_.async_read_some(boost::asio::buffer(discard_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                            if (self->finished_) return;
                            if (ec) {
                              close_quietly(self->client_);
                              self->finish("client left during hang");
                              return;
                            }
                            self->discard_client_bytes();
                          });
}

void Flow::end_hang(fault::HangEnd how) {
  if (!hanging_ || finished_) return;
  hanging_ = false;
  LOG_INFO("flow=" << id_ << " event=hang_end scenario=" << plan_.scenario
                   << " how=" << (how == fault::HangEnd::kReset ? "reset" : "close"));
  if (how == fault::HangEnd::kReset) {
    reset_and_close(client_);
  } else {
    close_quietly(client_);
  }
  finish("hang ended");
}

void Flow::refuse_after_first_bytes() {
  client_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->finished_) return;
    self->report_injected();
    reset_and_close(self->client_);
    self->finish("refused upstream");
  });
}

void Flow::close() {
  if (finished_) return;
  if (http_) http_->stop();
  end_hang(fault::HangEnd::kClose);
  close_quietly(client_);
  close_quietly(upstream_);
  finish("daemon stopping");
}

void Flow::end_scenario(const std::string& name) {
  if (hanging_ && plan_.scenario == name) end_hang(fault::HangEnd::kClose);
  if (http_) http_->end_scenario(name);
}

void Flow::report_injected() {
  if (!fault_pending_) return;
  fault_pending_ = false;
  ++context_.counters.faults_injected;
  LOG_INFO("flow=" << id_ << " event=fault_injected scenario=" << plan_.scenario
                   << " action=" << plan_.action);
  if (context_.hooks.injected) context_.hooks.injected(plan_.scenario, id_);
}

void Flow::finish(const char* why) {
  if (finished_) return;
  finished_ = true;
  if (fault_pending_) {
    // A scenario that matched must inject or say why not.
    fault_pending_ = false;
    ++context_.counters.faults_not_injected;
    std::string reason = std::string("flow ended before the fault could fire (") + why + ")";
    LOG_WARN("flow=" << id_ << " event=fault_not_injected scenario=" << plan_.scenario
                     << " reason=\"" << reason << "\"");
    if (context_.hooks.not_injected) context_.hooks.not_injected(plan_.scenario, id_, reason);
  }
  timer_.cancel();
  if (http_) http_->stop();
  if (to_server_) to_server_->stop();
  if (to_client_) to_client_->stop();
  close_quietly(client_);
  close_quietly(upstream_);
  --context_.counters.flows_live;
  context_.table.remove(id_);
  LOG_DEBUG("flow=" << id_ << " event=closed why=\"" << why << "\"");
}

}  // namespace adbcfault::relay
