#include "relay/relay.h"

#include "common/log.h"
#include "relay/flow.h"
#include "relay/transparent_listener.h"

namespace adbcfault::relay {

Relay::Relay(boost::asio::io_context& io, RelayOptions options, FaultHooks hooks)
    : io_(io),
      options_(options),
      hooks_(std::move(hooks)),
      acceptor_(open_transparent_listener(io, options.listen_port)),
      accept_retry_(io) {}

Relay::~Relay() { stop(); }

void Relay::start() { accept_next(); }

void Relay::accept_next() {
  acceptor_.async_accept(accepted_peer_, [this](const boost::system::error_code& ec,
                                boost::asio::ip::tcp::socket client) {
    if (stopped_ || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      // EMFILE and friends: say so, back off briefly instead of spinning, keep serving.
      ++counters_.accept_errors;
      LOG_WARN("event=accept_failed error=\"" << ec.message() << "\"");
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](const boost::system::error_code& wait_ec) {
        if (!wait_ec && !stopped_) accept_next();
      });
      return;
    }
    auto flow = std::make_shared<Flow>(std::move(client), accepted_peer_, next_flow_id_++,
                                       FlowContext{counters_, hooks_, table_, options_.bypass_mark, options_.http,
                                                   options_.tls});
    flow->start();
    accept_next();
  });
}

void Relay::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  for (auto& flow : table_.snapshot()) flow->close();
}

void Relay::end_scenario(const std::string& name) {
  for (auto& flow : table_.snapshot()) flow->end_scenario(name);
}

}  // namespace adbcfault::relay
