#pragma once
// What cloud storage says when a presigned download link has expired, per provider, so a
// CloudFetch client sees the error body its retry logic was written against.

#include <string>
#include <string_view>

namespace adbcfault::fault {

enum class StorageProvider { kUnknown, kS3, kAzure, kGcs };

// From the request's host: *.amazonaws.com, *.blob/dfs.core.windows.net, *googleapis.com.
StorageProvider storage_provider_of(std::string_view host);
std::string_view to_string(StorageProvider provider);

struct StorageErrorBody {
  std::string content_type;
  std::string body;
};

// The 403 body of an expired presigned URL: S3 AccessDenied "Request has expired", Azure
// AuthenticationFailed, GCS ExpiredToken; S3's shape when the provider is unknown.
StorageErrorBody expired_link_body(StorageProvider provider);

}  // namespace adbcfault::fault
