// thrift_error: a well-formed Thrift reply that a driver parses as a server-side failure: the
// method's own response with a TStatus error (INVALID_HANDLE, ERROR with SQL state...), or a
// TApplicationException. The old proxy sent HTTP 500 with a text body instead.

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec thrift_error() {
  return ActionSpec{
      .type = "thrift_error",
      .layer = "http",
      .summary = "answer with a Thrift error reply for the request's method and seqid",
      .params = {ParamSpec{.name = "form",
                           .type = ParamType::kChoice,
                           .choices = {"status", "exception"},
                           .default_value = ParamValue{std::string("status")},
                           .description = "status: the method's response with a TStatus error; "
                                          "exception: a TApplicationException"},
                 ParamSpec{.name = "status_code",
                           .type = ParamType::kChoice,
                           .choices = {"ERROR_STATUS", "INVALID_HANDLE_STATUS",
                                       "STILL_EXECUTING_STATUS", "SUCCESS_WITH_INFO_STATUS"},
                           .default_value = ParamValue{std::string("ERROR_STATUS")},
                           .description = "the TStatusCode of the reply (form: status)"},
                 ParamSpec{.name = "message",
                           .type = ParamType::kText,
                           .max = 4096,
                           .default_value = ParamValue{std::string("error injected by adbcfault")},
                           .description = "errorMessage (or the exception's message)"},
                 ParamSpec{.name = "sql_state",
                           .type = ParamType::kText,
                           .max = 16,
                           .default_value = ParamValue{std::string()},
                           .description = "sqlState of the TStatus"},
                 ParamSpec{.name = "error_code",
                           .max = 2147483647,
                           .default_value = ParamValue{uint64_t{0}},
                           .description = "errorCode of the TStatus"}},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kThriftError;
            auto& spec = plan.thrift;
            spec.form = params.get_choice("form") == "exception"
                            ? ThriftErrorSpec::Form::kApplicationException
                            : ThriftErrorSpec::Form::kStatus;
            spec.status_code = params.get_choice("status_code");
            spec.message = params.get_text("message");
            spec.sql_state = params.get_text("sql_state");
            spec.error_code = static_cast<int32_t>(params.get_unsigned("error_code").value_or(0));
          },
  };
}

}  // namespace adbcfault::fault::actions
