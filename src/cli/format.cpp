#include "cli/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace adbcfault::cli {

std::string value_text(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::null:
      return "-";
    case Json::value_t::boolean:
      return value.get<bool>() ? "yes" : "no";
    case Json::value_t::array: {
      if (value.empty()) return "none";
      std::string out;
      for (const auto& item : value) out += (out.empty() ? "" : ", ") + value_text(item);
      return out;
    }
    case Json::value_t::object:
      return key_values(value);
    default:
      return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

std::string key_values(const Json& object) {
  if (!object.is_object() || object.empty()) return "none";
  std::string out;
  for (const auto& [key, value] : object.items()) {
    out += (out.empty() ? "" : ", ") + key + "=" +
           (value.is_structured() ? value.dump(-1, ' ', false, Json::error_handler_t::replace)
                                  : value_text(value));
  }
  return out;
}

std::string format_duration(double seconds) {
  char buffer[64];
  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
    return buffer;
  }
  auto total = static_cast<long long>(seconds);
  long long days = total / 86400, hours = total / 3600 % 24, minutes = total / 60 % 60,
            secs = total % 60;
  if (days > 0) {
    std::snprintf(buffer, sizeof buffer, "%lldd %02lldh %02lldm %02llds", days, hours, minutes,
                  secs);
  } else if (hours > 0) {
    std::snprintf(buffer, sizeof buffer, "%lldh %02lldm %02llds", hours, minutes, secs);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lldm %02llds", minutes, secs);
  }
  return buffer;
}

std::string format_seconds(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g s", seconds);
  return buffer;
}

std::string format_fields(const std::vector<Field>& fields, std::string_view indent) {
  std::size_t width = 0;
  for (const auto& [label, value] : fields) width = std::max(width, label.size());
  std::string out;
  for (const auto& [label, value] : fields) {
    out += std::string(indent) + label;
    if (!value.empty()) out += std::string(width - label.size() + 2, ' ') + value;
    out += '\n';
  }
  return out;
}

std::string format_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows,
                         std::string_view indent) {
  std::vector<std::size_t> widths(header.size());
  auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  widen(header);
  for (const auto& row : rows) widen(row);
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line(indent);
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - cell.size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

std::string field_text(const Json& object, std::string_view key, std::string_view fallback) {
  if (!object.is_object()) return std::string(fallback);
  auto it = object.find(key);
  return it == object.end() ? std::string(fallback) : value_text(*it);
}

std::vector<Field> extra_fields(const Json& object, const std::vector<std::string_view>& known) {
  std::vector<Field> fields;
  if (!object.is_object()) return fields;
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      fields.emplace_back(key, value_text(value));
    }
  }
  return fields;
}

}  // namespace adbcfault::cli
