// http_error: answer with an HTTP status of our choosing, as a gateway, a throttling front end
// or cloud storage would (503 with Retry-After, 429, 403 with the provider's XML body...).

#include "fault/action.h"
#include "fault/storage_errors.h"

namespace adbcfault::fault::actions {

ActionSpec http_error() {
  return ActionSpec{
      .type = "http_error",
      .layer = "http",
      .summary = "answer with this HTTP status and body instead of the server's answer",
      .params = {ParamSpec{.name = "status",
                           .min = 100,
                           .max = 599,
                           .required = true,
                           .description = "the HTTP status code"},
                 ParamSpec{.name = "body",
                           .type = ParamType::kText,
                           .max = 65536,
                           .default_value = ParamValue{std::string()},
                           .description = "the response body"},
                 ParamSpec{.name = "content_type",
                           .type = ParamType::kText,
                           .max = 256,
                           .default_value = ParamValue{std::string("text/plain")},
                           .description = "the Content-Type header"},
                 ParamSpec{.name = "retry_after",
                           .max = 86400,
                           .description = "seconds for a Retry-After header; absent: none"},
                 ParamSpec{.name = "body_from",
                           .type = ParamType::kChoice,
                           .choices = {"text", "storage_expired_link"},
                           .default_value = ParamValue{std::string("text")},
                           .description = "text: `body` as given; storage_expired_link: the "
                                          "expired-link error of the storage provider the "
                                          "request's host belongs to (S3, Azure, GCS)"}},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts& request, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kRespond;
            plan.status = static_cast<int>(params.get_unsigned("status").value_or(500));
            plan.body = params.get_text("body");
            std::string content_type = params.get_text("content_type");
            if (params.get_choice("body_from") == "storage_expired_link") {
              auto error = expired_link_body(storage_provider_of(request.host));
              plan.body = error.body;
              content_type = error.content_type;
            }
            plan.headers.emplace_back("Content-Type", content_type);
            if (auto seconds = params.get_unsigned("retry_after")) {
              plan.headers.emplace_back("Retry-After", std::to_string(*seconds));
            }
          },
  };
}

}  // namespace adbcfault::fault::actions
