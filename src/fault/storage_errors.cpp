#include "fault/storage_errors.h"

#include <algorithm>
#include <cctype>

namespace adbcfault::fault {
namespace {

bool ends_with(std::string_view host, std::string_view suffix) {
  return host.size() >= suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
}

}  // namespace

StorageProvider storage_provider_of(std::string_view host_in) {
  std::string host(host_in.substr(0, host_in.find(':')));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ends_with(host, ".amazonaws.com")) return StorageProvider::kS3;
  if (ends_with(host, ".blob.core.windows.net") || ends_with(host, ".dfs.core.windows.net")) {
    return StorageProvider::kAzure;
  }
  if (host == "storage.googleapis.com" || ends_with(host, ".storage.googleapis.com")) {
    return StorageProvider::kGcs;
  }
  return StorageProvider::kUnknown;
}

std::string_view to_string(StorageProvider provider) {
  switch (provider) {
    case StorageProvider::kS3: return "s3";
    case StorageProvider::kAzure: return "azure";
    case StorageProvider::kGcs: return "gcs";
    case StorageProvider::kUnknown: break;
  }
  return "unknown";
}

StorageErrorBody expired_link_body(StorageProvider provider) {
  switch (provider) {
    case StorageProvider::kAzure:
      return {"application/xml",
              "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
              "<Message>Server failed to authenticate the request: the shared access signature "
              "has expired.</Message><AuthenticationErrorDetail>Signed expiry time is in the "
              "past (injected by adbcfault)</AuthenticationErrorDetail></Error>"};
    case StorageProvider::kGcs:
      return {"application/xml",
              "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The "
              "provided token has expired.</Message><Details>Request signature expired (injected "
              "by adbcfault)</Details></Error>"};
    case StorageProvider::kS3:
    case StorageProvider::kUnknown:
      break;
  }
  return {"application/xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
          "Request has expired</Message><RequestId>ADBCFAULT</RequestId></Error>"};
}

}  // namespace adbcfault::fault
