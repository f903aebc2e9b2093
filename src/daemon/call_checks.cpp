#include "daemon/call_checks.h"

#include <sstream>

namespace adbcfault::daemon {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text.empty() ? "(none)" : text;
}

std::vector<std::string> methods(const std::vector<journal::CallEntry>& calls) {
  std::vector<std::string> names;
  for (const auto& c : calls) names.push_back(method_of(c));
  return names;
}

const char* ordinal(size_t i) {
  static const char* kNames[] = {"First", "Second", "Third", "Fourth", "Fifth"};
  return i < 5 ? kNames[i] : "Next";
}

}  // namespace

std::string method_of(const journal::CallEntry& entry) {
  return entry.thrift_method.empty() ? entry.http_method : entry.thrift_method;
}

std::optional<std::string> check_exact_sequence(const std::vector<journal::CallEntry>& calls,
                                                const std::vector<std::string>& expected) {
  auto seen = methods(calls);
  if (seen == expected) return std::nullopt;
  return "expected exactly " + join(expected) + "\n  saw " + join(seen);
}

std::optional<std::string> check_contains_sequence(const std::vector<journal::CallEntry>& calls,
                                                   const std::vector<std::string>& expected) {
  auto seen = methods(calls);
  size_t matched = 0;
  for (const auto& name : seen)
    if (matched < expected.size() && name == expected[matched]) ++matched;
  if (matched == expected.size()) return std::nullopt;
  return "expected " + join(expected) + " in this order (other calls may come between)\n  saw " +
         join(seen) + "\n  first missing: " + expected[matched];
}

std::optional<std::string> check_count(const std::vector<journal::CallEntry>& calls,
                                       const std::string& method, size_t expected) {
  size_t n = 0;
  for (const auto& c : calls) n += method_of(c) == method;
  if (n == expected) return std::nullopt;
  return "expected " + std::to_string(expected) + " " + method + " call(s), saw " + std::to_string(n) +
         "\n  all calls: " + join(methods(calls));
}

std::optional<std::string> check_exists(const std::vector<journal::CallEntry>& calls,
                                        const std::string& method) {
  for (const auto& c : calls)
    if (method_of(c) == method) return std::nullopt;
  return "expected at least one " + method + " call, saw none\n  all calls: " + join(methods(calls));
}

std::optional<std::string> check_same_operation(const std::vector<journal::CallEntry>& calls,
                                                const std::string& method, size_t last) {
  std::ostringstream out;
  if (last < 2) last = 2;
  if (calls.size() < last) {
    out << "expected at least " << last << " " << method << " calls to compare, saw "
        << calls.size();
    return out.str();
  }
  std::vector<const journal::CallEntry*> picked;
  for (size_t i = calls.size() - last; i < calls.size(); ++i) picked.push_back(&calls[i]);
  bool any_empty = false, all_same = true;
  for (const auto* c : picked) {
    any_empty |= c->operation_guid.empty();
    all_same &= c->operation_guid == picked.front()->operation_guid;
  }
  if (!any_empty && all_same) return std::nullopt;

  if (any_empty) {
    out << method << " call has an EMPTY operation handle.\n"
        << "This means the request carried no operation handle, or its body could not be decoded "
           "as Thrift (see the call's note).\n";
  } else {
    out << method << " calls have DIFFERENT operation handles: the driver created a new "
        << "operation instead of retrying the same one.\n";
  }
  out << "\n" << method << " Call Analysis:\n";
  for (size_t i = 0; i < picked.size(); ++i) {
    const auto& c = *picked[i];
    out << "\n" << ordinal(i) << " Call (journal id " << c.id << "):\n"
        << "  Timestamp: " << journal::format_time(c.time) << "\n"
        << "  Operation GUID: '" << c.operation_guid << "'\n"
        << "  GUID length: " << c.operation_guid.size() << " chars\n"
        << "  GUID is empty: " << (c.operation_guid.empty() ? "True" : "False") << "\n";
    if (!c.note.empty()) out << "  Note: " << c.note << "\n";
  }
  out << "\nExpected the last " << last << " " << method
      << " calls to carry the same, non-empty operation GUID.";
  return out.str();
}

}  // namespace adbcfault::daemon
