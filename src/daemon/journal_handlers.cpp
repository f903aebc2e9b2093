#include "daemon/journal_handlers.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "control/error_codes.h"
#include "daemon/call_checks.h"

namespace adbcfault::daemon {
namespace {

using control::Error;
using control::Json;

// Reads an optional field of a given JSON type; a present field of the wrong type is an error.
template <typename T>
bool read_arg(const Json& args, const char* name, T& out, std::string& error) {
  if (!args.is_object() || !args.contains(name) || args[name].is_null()) return true;
  try {
    out = args[name].get<T>();
    return true;
  } catch (const std::exception&) {
    error = std::string("argument '") + name + "' has the wrong type";
    return false;
  }
}

journal::CallFilter filter_from(const Json& args, std::string& error) {
  journal::CallFilter filter;
  read_arg(args, "method", filter.method, error) && read_arg(args, "since", filter.since_id, error);
  return filter;
}

Error invalid(std::string message) { return Error{control::codes::kInvalidArgument, std::move(message)}; }

}  // namespace

struct JournalHandlers::Waiter {
  journal::CallFilter filter;
  size_t count = 0;
  control::Reply reply;
  std::unique_ptr<boost::asio::steady_timer> timer;
  bool done = false;
};

JournalHandlers::JournalHandlers(boost::asio::io_context& io, journal::CallJournal& journal)
    : io_(io), journal_(journal) {
  // Every request changes the journal: only bother the loop while someone waits. Posting keeps
  // waiters correct if appends ever come from another thread.
  journal_.set_on_change([this] {
    if (waiting_.load(std::memory_order_relaxed) == 0) return;
    boost::asio::post(io_, [this] { check_waiters(); });
  });
}

JournalHandlers::~JournalHandlers() { journal_.set_on_change(nullptr); }

void JournalHandlers::register_with(control::Dispatcher& dispatcher) {
  dispatcher.add("calls", [this](const Json& args) -> control::Result {
    std::string error;
    auto filter = filter_from(args, error);
    if (!error.empty()) return invalid(error);
    Json calls = Json::array();
    for (const auto& entry : journal_.query(filter)) calls.push_back(journal::to_json(entry));
    return Json{{"calls", calls}, {"cursor", journal_.next_id()}};
  });

  dispatcher.add("calls_count", [this](const Json& args) -> control::Result {
    std::string error;
    auto filter = filter_from(args, error);
    if (!error.empty()) return invalid(error);
    if (filter.method.empty()) return invalid("calls count needs a method (--method M)");
    return Json{{"method", filter.method}, {"count", journal_.count(filter)},
                {"cursor", journal_.next_id()}};
  });

  dispatcher.add("calls_reset", [this](const Json&) -> control::Result {
    journal_.reset();
    return Json{{"reset", true}, {"cursor", journal_.next_id()}};
  });

  dispatcher.add_async("calls_wait", [this](const Json& args, control::Reply reply) {
    std::string error;
    auto waiter = std::make_shared<Waiter>();
    waiter->filter = filter_from(args, error);
    double timeout_seconds = 10;
    if (error.empty()) read_arg(args, "count", waiter->count, error);
    if (error.empty()) read_arg(args, "timeout_seconds", timeout_seconds, error);
    if (error.empty() && waiter->filter.method.empty()) error = "calls wait needs --method M";
    if (error.empty() && waiter->count == 0) error = "calls wait needs --count N (N >= 1)";
    if (error.empty() && !(timeout_seconds > 0 && timeout_seconds <= 3600))
      error = "calls wait --timeout must be between 0 and 3600 seconds";
    if (!error.empty()) {
      reply(invalid(error));
      return;
    }
    waiter->reply = std::move(reply);
    waiter->timer = std::make_unique<boost::asio::steady_timer>(io_);
    waiter->timer->expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(timeout_seconds)));
    waiter->timer->async_wait([this, waiter, timeout_seconds](const boost::system::error_code& ec) {
      if (ec || waiter->done) return;
      waiter->done = true;
      auto seen = journal_.query(waiter->filter);
      std::string ids;
      for (const auto& e : seen) ids += (ids.empty() ? "" : ",") + std::to_string(e.id);
      waiter->reply(Error{control::codes::kFailed, "timed out after " + std::to_string(timeout_seconds).substr(0, 5) +
                                        " s waiting for " + std::to_string(waiter->count) + " " +
                                        waiter->filter.method + " call(s); saw " +
                                        std::to_string(seen.size()) +
                                        (ids.empty() ? "" : " (journal ids " + ids + ")")});
      check_waiters();
    });
    waiters_.push_back(waiter);
    waiting_ = waiters_.size();
    check_waiters();
  });

  dispatcher.add("calls_verify", [this](const Json& args) -> control::Result {
    std::string error;
    auto filter = filter_from(args, error);
    std::vector<std::string> exact, contains;
    size_t count = 0;
    bool exists = false, has_count = args.is_object() && args.contains("count");
    if (error.empty()) read_arg(args, "exact_sequence", exact, error);
    if (error.empty()) read_arg(args, "contains_sequence", contains, error);
    if (error.empty()) read_arg(args, "count", count, error);
    if (error.empty()) read_arg(args, "exists", exists, error);
    if (!error.empty()) return invalid(error);
    int checks = !exact.empty() + !contains.empty() + has_count + exists;
    if (checks != 1) {
      return invalid("calls verify takes exactly one of --exact-sequence, --contains-sequence, "
                     "--method M --count N, --method M --exists");
    }
    std::string method = filter.method;
    if ((has_count || exists) && method.empty()) return invalid("--count and --exists need --method M");
    if (!exact.empty() || !contains.empty()) filter.method.clear();  // sequences see every call
    auto calls = journal_.query(filter);
    std::optional<std::string> failure;
    if (!exact.empty()) failure = check_exact_sequence(calls, exact);
    if (!contains.empty()) failure = check_contains_sequence(calls, contains);
    if (has_count) failure = check_count(calls, method, count);
    if (exists) failure = check_exists(calls, method);
    if (failure) return Error{control::codes::kFailed, *failure};
    return Json{{"verified", true}, {"calls", calls.size()}};
  });

  dispatcher.add("calls_assert_same_operation", [this](const Json& args) -> control::Result {
    std::string error;
    auto filter = filter_from(args, error);
    size_t last = 2;
    if (error.empty()) read_arg(args, "last", last, error);
    if (!error.empty()) return invalid(error);
    if (filter.method.empty()) return invalid("assert-same-operation needs --method M");
    auto calls = journal_.query(filter);
    if (auto failure = check_same_operation(calls, filter.method, last)) return Error{control::codes::kFailed, *failure};
    return Json{{"same_operation", true}, {"operation_guid", calls.back().operation_guid},
                {"compared", last}};
  });
}

void JournalHandlers::check_waiters() {
  std::vector<std::shared_ptr<Waiter>> still_waiting;
  for (auto& waiter : waiters_) {
    if (waiter->done) continue;
    size_t n = journal_.count(waiter->filter);
    if (n >= waiter->count) {
      waiter->done = true;
      waiter->timer->cancel();
      waiter->reply(Json{{"method", waiter->filter.method}, {"count", n}, {"cursor", journal_.next_id()}});
      continue;
    }
    still_waiting.push_back(waiter);
  }
  waiters_.swap(still_waiting);
  waiting_ = waiters_.size();
}

void JournalHandlers::cancel_waits() {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  waiting_ = 0;
  for (auto& waiter : waiters) {
    if (waiter->done) continue;
    waiter->done = true;
    waiter->timer->cancel();
    waiter->reply(Error{control::codes::kFailed, "adbcfaultd is stopping; the wait was abandoned"});
  }
}

}  // namespace adbcfault::daemon
