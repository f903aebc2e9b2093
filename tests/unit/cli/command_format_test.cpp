// Human-readable output of each result shape.

#include <gtest/gtest.h>

#include "cli/command.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

std::string format(const std::string& command, const std::string& op, const char* result,
                   const char* args = "{}") {
  CommandRegistry registry = builtin_commands();
  return registry.find(command)->format(Request{op, Json::parse(args)}, Json::parse(result));
}

TEST(CommandFormat, DaemonStatus) {
  auto text = format("status", "status", R"({
    "version":"0.1.0","uptime_seconds":12.5,"intercept":["tcp/443","tcp/80"],
    "rules_installed":true,"flows":{"live":1,"total":10},
    "bytes":{"client_to_server":123,"server_to_client":456},
    "counters":{"aborts_injected":3,"flows_refused":0},
    "tls_leaves_cached":7})");
  EXPECT_EQ(text,
            "adbcfaultd 0.1.0, up 12.5s\n"
            "intercept          tcp/443, tcp/80\n"
            "rules installed    yes\n"
            "flows              1 live, 10 total\n"
            "bytes              123 client to server, 456 server to client\n"
            "tls_leaves_cached  7\n"
            "counters\n"
            "  aborts_injected  3\n"
            "  flows_refused    0\n");
}

TEST(CommandFormat, DaemonStatusWarningsComeRightUnderTheHeadline) {
  EXPECT_EQ(format("status", "status", R"({"version":"0.1.0","flows":{"live":0,"total":4},
    "warnings":["2 IPv6 connection(s) to the targets passed without interception"]})"),
            "adbcfaultd 0.1.0\n"
            "warning: 2 IPv6 connection(s) to the targets passed without interception\n"
            "flows  0 live, 4 total\n");
}

TEST(CommandFormat, DaemonStatusWithMissingFieldsStillPrints) {
  EXPECT_EQ(format("status", "status", R"({"flows":{"live":2}})"),
            "adbcfaultd\n"
            "flows  2 live, ? total\n");
}

TEST(CommandFormat, ScenarioStatus) {
  auto text = format("status", "scenario_status", R"({
    "name":"tcp_hang","enabled":true,"action":"hang","parameters":{"after_bytes":100},
    "fired":2,"remaining":null,"last_fired_at":"2024-05-01T10:00:00Z","last_flow":17,
    "not_injected":[{"flow":12,"reason":"flow closed before the hang","at":"2024-05-01T09:59:59Z"}]})");
  EXPECT_EQ(text,
            "name          tcp_hang\n"
            "enabled       yes\n"
            "action        hang\n"
            "parameters    after_bytes=100\n"
            "fired         2\n"
            "remaining     -\n"
            "last fired    2024-05-01T10:00:00Z (flow 17)\n"
            "not injected  1\n"
            "  flow 12 at 2024-05-01T09:59:59Z: flow closed before the hang\n");
}

TEST(CommandFormat, ScenarioStatusNeverFired) {
  auto text = format("status", "scenario_status", R"({
    "name":"x","enabled":false,"action":"reset","parameters":{},"fired":0,"remaining":1,
    "last_fired_at":null,"last_flow":null,"not_injected":[]})");
  EXPECT_NE(text.find("last fired    never\n"), std::string::npos) << text;
  EXPECT_NE(text.find("parameters    none\n"), std::string::npos) << text;
  EXPECT_NE(text.find("not injected  0\n"), std::string::npos) << text;
}

TEST(CommandFormat, ScenariosTable) {
  auto text = format("scenarios", "scenarios", R"({"scenarios":[
    {"name":"tcp_hang","layer":"tcp","action":"hang","description":"hang after connect",
     "reference":"PECO-1","file":"a.yaml","enabled":true,"fired":3,"remaining":null},
    {"name":"http_503_cloudfetch","layer":"http","action":"http_error","description":"503",
     "reference":"","file":"b.yaml","enabled":false,"fired":0,"remaining":1}]})");
  EXPECT_EQ(
      text,
      "NAME                 LAYER  ACTION      ENABLED  FIRED  REMAINING  REFERENCE  DESCRIPTION\n"
      "tcp_hang             tcp    hang        yes      3      -          PECO-1     hang after "
      "connect\n"
      "http_503_cloudfetch  http   http_error  no       0      1                     503\n");
}

TEST(CommandFormat, NoScenarios) {
  EXPECT_NE(format("scenarios", "scenarios", R"({"scenarios":[]})").find("no scenarios loaded"),
            std::string::npos);
}

TEST(CommandFormat, Enable) {
  EXPECT_EQ(format("enable", "enable",
                   R"({"name":"tcp_hang","enabled":true,"journal_cursor":42,"parameters":{}})"),
            "enabled tcp_hang (journal cursor 42)\n");
  EXPECT_EQ(format("enable", "enable", R"({"name":"http_503","enabled":true,"journal_cursor":7,
                   "parameters":{"status":503,"body":"busy"}})"),
            "enabled http_503 (journal cursor 7)\nparameters: body=busy, status=503\n");
}

TEST(CommandFormat, Disable) {
  EXPECT_EQ(format("disable", "disable", R"({"disabled":["a","b"]})"), "disabled a, b\n");
  EXPECT_NE(format("disable", "disable", R"({"disabled":[]})").find("nothing to disable"),
            std::string::npos);
}

TEST(CommandFormat, Reload) {
  EXPECT_EQ(format("reload", "reload", R"({"scenarios":12,"files":3})"),
            "reloaded 12 scenarios from 3 files\n");
  EXPECT_EQ(format("ca", "ca", R"({"path":"/var/lib/adbcfault/ca.pem","pem":"-----BEGIN CERTIFICATE-----\nAB\n-----END CERTIFICATE-----\n"})"),
            "# /var/lib/adbcfault/ca.pem\n-----BEGIN CERTIFICATE-----\nAB\n-----END CERTIFICATE-----\n");
}

// Two journal entries as journal::to_json writes them: a Thrift call that a scenario hit, and
// an HTTP request still waiting for its response.
constexpr const char* kTwoCalls = R"({"cursor":13,"calls":[
  {"id":11,"time":"2024-05-01T10:00:00.123Z","flow":3,"client":"10.200.1.1:41234",
   "server":"10.0.0.5:443","host":"example.cloud.databricks.com","http_method":"POST",
   "path":"/sql/1.0/warehouses/abc","thrift_method":"FetchResults","message_type":"call",
   "seqid":0,"session_guid":"11111111-2222-3333-4444-555555555555",
   "operation_guid":"01234567-89ab-cdef-0123-456789abcdef","http_status":200,
   "thrift_status":"ERROR_STATUS","thrift_error":"Query was cancelled","latency_ms":12.345,
   "response_bytes":512,"scenario":"thrift_error_fetch","note":"reply replaced by the scenario",
   "fields":{"maxRows":100000}},
  {"id":12,"time":"2024-05-01T10:00:01.000Z","flow":4,"client":"10.200.1.1:41236",
   "server":"10.0.0.6:443","host":"files.example.com","http_method":"GET",
   "path":"/cloudfetch/chunk-0","thrift_method":"","message_type":"","seqid":null,
   "session_guid":"","operation_guid":"","http_status":null,"thrift_status":"",
   "thrift_error":"","latency_ms":null,"response_bytes":null,"scenario":"","note":""}]})";

TEST(CommandFormat, Calls) {
  EXPECT_EQ(format("calls", "calls", kTwoCalls),
            "ID  TIME          METHOD        PATH                     STATUS            LATENCY  "
            "OPERATION                             SCENARIO\n"
            "11  10:00:00.123  FetchResults  /sql/1.0/warehouses/abc  200/ERROR_STATUS  12.3 ms  "
            "01234567-89ab-cdef-0123-456789abcdef  thrift_error_fetch\n"
            "  thrift error: Query was cancelled\n"
            "  note: reply replaced by the scenario\n"
            "12  10:00:01.000  GET           /cloudfetch/chunk-0      -                 -        "
            "-                                     -\n");
}

TEST(CommandFormat, CallsNoteBelongsToItsOwnRow) {
  auto text = format("calls", "calls", R"({"cursor":3,"calls":[
    {"id":1,"time":"2024-05-01T10:00:00.000Z","http_method":"POST","path":"/a",
     "thrift_method":"","http_status":200,"note":""},
    {"id":2,"time":"2024-05-01T10:00:00.500Z","http_method":"POST","path":"/b",
     "thrift_method":"","http_status":200,"note":"body could not be decoded as Thrift"}]})");
  EXPECT_EQ(text,
            "ID  TIME          METHOD  PATH  STATUS  LATENCY  OPERATION  SCENARIO\n"
            "1   10:00:00.000  POST    /a    200     -        -          -\n"
            "2   10:00:00.500  POST    /b    200     -        -          -\n"
            "  note: body could not be decoded as Thrift\n");
}

TEST(CommandFormat, NoCalls) {
  EXPECT_EQ(format("calls", "calls", R"({"calls":[],"cursor":5})"), "no calls journaled\n");
  EXPECT_EQ(format("calls", "calls", R"({"calls":[],"cursor":5})",
                   R"({"method":"FetchResults","since":5})"),
            "no FetchResults calls journaled from id 5 on\n");
}

TEST(CommandFormat, CallsCountIsJustTheNumber) {
  EXPECT_EQ(
      format("calls count", "calls_count", R"({"method":"FetchResults","count":3,"cursor":9})",
             R"({"method":"FetchResults"})"),
      "3\n");
}

TEST(CommandFormat, CallsReset) {
  EXPECT_EQ(format("calls reset", "calls_reset", R"({"reset":true,"cursor":40})"),
            "call journal cleared; the next call gets id 40\n");
}

TEST(CommandFormat, CallsWait) {
  EXPECT_EQ(format("calls wait", "calls_wait", R"({"method":"FetchResults","count":2,"cursor":7})",
                   R"({"method":"FetchResults","count":2,"timeout_seconds":5})"),
            "saw 2 FetchResults call(s)\n");
}

TEST(CommandFormat, CallsVerifySaysWhatHeld) {
  const char* result = R"({"verified":true,"calls":4})";
  EXPECT_EQ(format("calls verify", "calls_verify", result,
                   R"({"exact_sequence":["OpenSession","ExecuteStatement"]})"),
            "verified: the calls are exactly OpenSession,ExecuteStatement (4 call(s) checked)\n");
  EXPECT_EQ(format("calls verify", "calls_verify", result, R"({"contains_sequence":["A","B"]})"),
            "verified: the calls contain A,B in this order (4 call(s) checked)\n");
  EXPECT_EQ(format("calls verify", "calls_verify", result, R"({"method":"M","count":0})"),
            "verified: 0 M call(s) (4 call(s) checked)\n");
  EXPECT_EQ(format("calls verify", "calls_verify", result, R"({"method":"M","exists":true})"),
            "verified: at least one M call (4 call(s) checked)\n");
}

TEST(CommandFormat, CallsAssertSameOperation) {
  EXPECT_EQ(
      format("calls assert-same-operation", "calls_assert_same_operation",
             R"({"same_operation":true,"operation_guid":"01234567-89ab-cdef-0123-456789abcdef",
                       "compared":2})",
             R"({"method":"FetchResults"})"),
      "FetchResults: last 2 calls share operation 01234567-89ab-cdef-0123-456789abcdef\n");
}

TEST(Format, Durations) {
  EXPECT_EQ(format_duration(0), "0.0s");
  EXPECT_EQ(format_duration(59.94), "59.9s");
  EXPECT_EQ(format_duration(65), "1m 05s");
  EXPECT_EQ(format_duration(3 * 3600 + 2 * 60 + 4), "3h 02m 04s");
  EXPECT_EQ(format_duration(86400 + 9), "1d 00h 00m 09s");
  EXPECT_EQ(format_duration(-1), "0.0s");
}

TEST(Format, ValueText) {
  EXPECT_EQ(value_text(Json("s")), "s");
  EXPECT_EQ(value_text(Json()), "-");
  EXPECT_EQ(value_text(Json(false)), "no");
  EXPECT_EQ(value_text(Json(1.5)), "1.5");
  EXPECT_EQ(value_text(Json::array()), "none");
  EXPECT_EQ(value_text(Json::parse(R"({"a":[1,2]})")), "a=[1,2]");
}

TEST(Format, TableDropsTrailingSpacesAndPadsShortRows) {
  EXPECT_EQ(format_table({"A", "BB"}, {{"xxx"}, {"y", "z"}}), "A    BB\nxxx\ny    z\n");
}

}  // namespace
}  // namespace adbcfault::cli
