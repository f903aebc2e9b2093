#include "daemon/daemon.h"

#include <signal.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "common/log.h"
#include "control/dispatcher.h"
#include "control/error_codes.h"
#include "control/server.h"
#include "daemon/journal_handlers.h"
#include "daemon/scenario_handlers.h"
#include "fault/clock.h"
#include "fault/scenario_engine.h"
#include "fault/scenario_loader.h"
#include "daemon/status_report.h"
#include "daemon/thrift_hooks.h"
#include "daemon/tls_setup.h"
#include "journal/call_journal.h"
#include "relay/relay.h"
#include "steer/iptables.h"
#include "steer/marks.h"
#include "steer/classifier_thread.h"
#include "steer/policy_route.h"
#include "steer/steering_rules.h"

namespace adbcfault::daemon {
namespace {

constexpr steer::PolicyRouteSpec kRouteSpec{steer::kInterceptMark, steer::kRouteTable,
                                            steer::kRulePriority};

bool is_root() { return geteuid() == 0; }

// Booted with ipv6.disable=1 (or built without it), the kernel has no IPv6 and ip6tables fails.
bool kernel_has_ipv6() { return std::filesystem::exists("/proc/net/if_inet6"); }

std::string load_errors_text(const fault::LoadResult& loaded) {
  std::string text = "scenario files have errors; nothing was started:";
  for (const auto& error : loaded.errors) text += "\n  " + error;
  return text;
}

// How often the window timer looks again when no scenario window is running; a window that
// starts in between is then timed exactly.
constexpr auto kWindowPoll = std::chrono::milliseconds(250);

// Everything the running daemon owns, declared in start-up order so destruction (reverse order)
// tears down rules before the route, the queue and the listener.
class RunningDaemon {
 public:
  explicit RunningDaemon(const DaemonOptions& options) : options_(options) {}

  void start() {
    fault::LoadResult loaded = fault::load_scenarios(options_.scenario_paths);
    if (!loaded.ok()) throw std::runtime_error(load_errors_text(loaded));
    engine_ = std::make_unique<fault::ScenarioEngine>(
        std::move(loaded.scenarios), clock_, options_.seed.value_or(std::random_device{}()));
    if (options_.inspect_http) {
      tls_ = std::make_unique<TlsSetup>(TlsOptions{
          options_.state_dir, options_.tls_intercept, options_.upstream_ca,
          [this] { return engine_->enabled_host_globs(); }});
    }
    server_ = std::make_unique<control::Server>(
        io_, dispatcher_,
        control::ServerOptions{options_.socket_path, 0660,
                               [](std::string_view line) { LOG_WARN("control " << line); }});
    server_->start();
    http_hooks_.journal = &journal_;
    http_hooks_.thrift_body_cap = options_.thrift_body_cap;
    install_thrift_hooks(http_hooks_);
    http_hooks_.decide = [this](const fault::HttpRequestFacts& facts) {
      return engine_->on_http_request(facts);
    };
    relay_ = std::make_unique<relay::Relay>(
        io_, relay::RelayOptions{options_.tproxy_port, steer::kBypassMark,
                             options_.inspect_http ? &http_hooks_ : nullptr,
                             tls_ ? &tls_->hooks() : nullptr},
        fault_hooks());
    engine_->set_on_disabled([this](const std::string& name) {
      // May be called from a control handler; ending hangs touches flows, so do it on the loop.
      boost::asio::post(io_, [this, name] {
        if (relay_) relay_->end_scenario(name);
      });
    });
    classifier_ = std::make_unique<steer::ClassifierThread>(
        options_.queue_num, steer::kInterceptMark,
        [](const steer::SynPacket&) { return steer::SynVerdict::kIntercept; });
    route_ = std::make_unique<steer::PolicyRoute>(kRouteSpec);
    rules_ = std::make_unique<steer::SteeringRules>(iptables_, rule_params());
    rules_->install();
    ipv6_watch_ = install_ipv6_watch();
    register_handlers();
    relay_->start();
    arm_window_timer();
    signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
      if (!ec) stop(signal_number);
    });
  }

  void run() {
    std::string targets;
    for (const auto& t : options_.intercepts) targets += (targets.empty() ? "" : ",") + t.to_string();
    // One line, only once everything is up: a refused start prints its reason alone.
    LOG_INFO("event=ready version=" << ADBCFAULT_VERSION << " intercept=" << targets
                                    << " socket=" << options_.socket_path.string()
                                    << " tproxy_port=" << options_.tproxy_port
                                    << " queue=" << options_.queue_num
                                    << " ipv6_watch=" << (ipv6_watch_ ? "on" : "off")
                                    << " scenarios=" << engine_->list().size() << " ca="
                                    << (tls_ ? tls_->ca().certificate_path().string() : "-")
                                    << (tls_ && tls_->ca().created() ? " (created)" : ""));
    sd_notify(0, "READY=1");
    io_.run();
    // Let the handlers of everything stop() cancelled run, so no flow outlives the relay.
    io_.restart();
    io_.run_for(std::chrono::seconds(2));
  }

 private:
  void stop(int signal_number) {
    LOG_INFO("event=stopping signal=" << signal_number);
    sd_notify(0, "STOPPING=1");
    if (std::string error = rules_->remove(); !error.empty()) {
      LOG_ERROR("event=rules_removal_failed error=\"" << error
                                                      << "\" hint=\"run adbcfaultd --cleanup\"");
    }
    if (ipv6_watch_) {
      if (std::string error = ipv6_watch_->remove(); !error.empty()) {
        LOG_ERROR("event=ipv6_watch_removal_failed error=\""
                  << error << "\" hint=\"run adbcfaultd --cleanup\"");
      }
    }
    window_timer_.cancel();
    relay_->stop();
    journal_handlers_.cancel_waits();
    classifier_.reset();
    route_.reset();
    server_->stop();
    io_.stop();
  }

  // The IPv6 watch (iptables/adbcfault6.rules.in) only makes IPv6 connections to targets
  // visible; a kernel without IPv6 has none to miss, and one that refuses the rules still steers
  // IPv4 as asked, so neither stops the start. Null when there is nothing to watch.
  std::unique_ptr<steer::SteeringRules> install_ipv6_watch() {
    if (!kernel_has_ipv6()) return nullptr;
    std::string rules = steer::render_ipv6_watch_rules(rule_params());
    if (rules.empty()) return nullptr;
    auto watch = std::make_unique<steer::SteeringRules>(
        ip6tables_, std::move(rules), "needs ip6tables' mangle table and the NFQUEUE target");
    try {
      watch->install();
    } catch (const steer::SteerError& e) {
      LOG_WARN("event=ipv6_watch_off error=\"" << e.what()
               << "\" hint=\"IPv6 connections to the targets will pass unseen\"");
      return nullptr;
    }
    return watch;
  }

  steer::RuleParams rule_params() const {
    return {options_.intercepts, options_.tproxy_port, options_.queue_num};
  }

  relay::FaultHooks fault_hooks() {
    relay::FaultHooks hooks;
    hooks.decide = [this](const fault::ConnectionFacts& facts) { return engine_->on_connection(facts); };
    hooks.decide_by_host = [this](const fault::ConnectionFacts& facts) {
      return engine_->on_connection_host(facts);
    };
    hooks.injected = [this](const std::string& name, uint64_t flow) { engine_->report_injected(name, flow); };
    hooks.not_injected = [this](const std::string& name, uint64_t flow, const std::string& reason) {
      engine_->report_not_injected(name, flow, reason);
    };
    return hooks;
  }

  // One timer for every scenario's duration window.
  void arm_window_timer() {
    auto next = std::chrono::steady_clock::now() + kWindowPoll;
    if (auto deadline = engine_->next_deadline()) next = std::min(next, *deadline);
    window_timer_.expires_at(next);
    window_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      engine_->expire_due();
      arm_window_timer();
    });
  }

  void register_handlers() {
    journal_handlers_.register_with(dispatcher_);
    register_scenario_handlers(dispatcher_, *engine_, [this] { return journal_.next_id(); },
                               options_.scenario_paths);
    dispatcher_.add("ca", [this](const control::Json&) -> control::Result {
      if (!tls_) {
        return control::Error{control::codes::kNotFound,
                              "TLS interception is off (--no-inspect): there is no CA to trust"};
      }
      return control::Json{{"path", tls_->ca().certificate_path().string()},
                           {"pem", tls_->ca().certificate_pem()}};
    });
    dispatcher_.add("status", [this](const control::Json&) -> control::Result {
      return status_report({std::chrono::steady_clock::now() - started_, options_.intercepts,
                            rules_ && rules_->installed(), relay_->counters(),
                            classifier_->counters()});
    });
  }

  const DaemonOptions& options_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_{io_, SIGTERM, SIGINT};
  fault::SystemClock clock_;
  std::unique_ptr<fault::ScenarioEngine> engine_;
  std::unique_ptr<TlsSetup> tls_;
  boost::asio::steady_timer window_timer_{io_};
  control::Dispatcher dispatcher_;
  journal::CallJournal journal_{options_.journal_size};
  daemon::JournalHandlers journal_handlers_{io_, journal_};
  relay::HttpHooks http_hooks_;
  steer::SystemIptables iptables_;
  std::unique_ptr<control::Server> server_;
  std::unique_ptr<relay::Relay> relay_;
  std::unique_ptr<steer::ClassifierThread> classifier_;
  std::unique_ptr<steer::PolicyRoute> route_;
  std::unique_ptr<steer::SteeringRules> rules_;
  steer::SystemIptables ip6tables_{steer::IpFamily::kIpv6};
  std::unique_ptr<steer::SteeringRules> ipv6_watch_;
};

}  // namespace

int run_daemon(const DaemonOptions& options) {
  if (!is_root()) {
    std::cerr << "adbcfaultd: must run as root (it installs iptables rules and a policy route); "
                 "try: sudo adbcfaultd\n";
    return 2;
  }
  // A peer that vanished mid-splice must become an error code, not a signal that kills us.
  signal(SIGPIPE, SIG_IGN);
  try {
    RunningDaemon daemon(options);
    daemon.start();
    daemon.run();
  } catch (const std::exception& error) {
    // Destructors have already removed whatever was installed before the failure.
    std::cerr << "adbcfaultd: " << error.what() << "\n";
    return 2;
  }
  LOG_INFO("event=stopped");
  return 0;
}

int run_check_scenarios(const std::string& path) {
  fault::LoadResult loaded = fault::load_scenarios({path});
  if (!loaded.ok()) {
    for (const auto& error : loaded.errors) std::cerr << error << "\n";
    return 2;
  }
  std::cout << path << ": " << loaded.scenarios.size() << " scenario(s) in " << loaded.files.size()
            << " file(s), all valid\n";
  return 0;
}

int run_cleanup(const DaemonOptions& options) {
  if (!is_root()) {
    std::cerr << "adbcfaultd --cleanup: must run as root; try: sudo adbcfaultd --cleanup\n";
    return 2;
  }
  steer::SystemIptables iptables;
  int status = 0;
  if (std::string error = steer::SteeringRules::remove_all(iptables); !error.empty()) {
    std::cerr << "adbcfaultd --cleanup: iptables: " << error << "\n";
    status = 1;
  }
  steer::SystemIptables ip6tables(steer::IpFamily::kIpv6);
  if (kernel_has_ipv6()) {
    if (std::string error = steer::SteeringRules::remove_all(ip6tables); !error.empty()) {
      std::cerr << "adbcfaultd --cleanup: ip6tables: " << error << "\n";
      status = 1;
    }
  }
  if (std::string error = steer::PolicyRoute::remove_all(kRouteSpec); !error.empty()) {
    std::cerr << "adbcfaultd --cleanup: policy route: " << error << "\n";
    status = 1;
  }
  (void)options;
  if (status == 0) std::cerr << "adbcfaultd --cleanup: no adbcfault rules or routes remain\n";
  return status;
}

}  // namespace adbcfault::daemon
