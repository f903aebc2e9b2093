#pragma once
// One intercepted connection: the accepted client socket, the upstream socket to the original
// destination, a pump each way, and the fault plan it was given at accept. Lives as long as an
// operation on it is pending; the flow table holds it only weakly.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>

#include "fault/connection_fault_plan.h"
#include "relay/byte_stream.h"
#include "relay/fault_hooks.h"
#include "relay/http_exchange.h"
#include "relay/http_hooks.h"
#include "relay/tls_hooks.h"
#include "relay/relay_counters.h"
#include "relay/splice_pump.h"

namespace adbcfault::relay {

class FlowTable;

struct FlowContext {
  RelayCounters& counters;
  FaultHooks& hooks;
  FlowTable& table;
  uint32_t bypass_mark;
  HttpHooks* http = nullptr;  // null: never look inside the bytes
  TlsHooks* tls = nullptr;    // null: TLS is always relayed untouched
};

class Flow : public std::enable_shared_from_this<Flow> {
 public:
  // client_endpoint: the peer address accept() returned with the socket.
  Flow(boost::asio::ip::tcp::socket client, boost::asio::ip::tcp::endpoint client_endpoint, uint64_t id,
       FlowContext context);
  ~Flow();

  void start();
  // Daemon stop: FIN to both sides, everything cancelled.
  void close();
  // A scenario was disabled: a hang it caused ends now.
  void end_scenario(const std::string& name);
  uint64_t id() const { return id_; }

 private:
  enum class Side { kClient, kUpstream };

  void connect_upstream();
  void choose_mode();
  void on_first_client_bytes();
  void decide_from_first_bytes(const char* first, size_t length);
  void sniff_tls(int attempt);
  void intercept_tls(const std::optional<std::string>& sni);
  void count_tls_relayed(const std::optional<std::string>& sni);  // counter and host tally
  void handshake_with_client(const std::string& name, const std::string& upstream_error);
  void answer_upstream_tls_failure(const std::string& error);
  void start_http();
  void start_pumps();
  void on_pump_end(fault::Direction direction, SplicePump::End end);
  void begin_hang();
  void apply_plan_after_hello();
  void discard_client_bytes();
  void end_hang(fault::HangEnd how);
  void refuse_after_first_bytes();
  void report_injected();
  void finish(const char* why);

  boost::asio::ip::tcp::socket client_;
  boost::asio::ip::tcp::socket upstream_;
  uint64_t id_;
  FlowContext context_;
  boost::asio::ip::tcp::endpoint client_endpoint_;
  boost::asio::ip::tcp::endpoint server_endpoint_;
  fault::ConnectionFacts facts_;
  bool mode_chosen_ = false;
  bool upstream_handshake_timed_out_ = false;
  // What the HTTP exchange reads and writes: the sockets themselves, or TLS sessions on them.
  std::unique_ptr<ByteStream> client_stream_;
  std::unique_ptr<ByteStream> upstream_stream_;
  std::optional<HttpExchange> http_;
  fault::ConnectionFaultPlan plan_;
  bool fault_pending_ = false;  // the plan has an effect that has not happened yet
  bool hanging_ = false;
  bool finished_ = false;
  boost::asio::steady_timer timer_;
  std::optional<SplicePump> to_server_;
  std::optional<SplicePump> to_client_;
  bool to_server_eof_ = false;
  bool to_client_eof_ = false;
  char discard_buffer_[4096];
};

}  // namespace adbcfault::relay
