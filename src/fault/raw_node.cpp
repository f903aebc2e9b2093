#include "fault/raw_node.h"

#include <yaml-cpp/yaml.h>

namespace adbcfault::fault {
namespace {

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp counts from 0 and uses -1 for "no position".
  if (mark.line < 0) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

bool convert(const YAML::Node& node, const SourceLocation& fallback, const std::string& file,
             RawNode& out, Diagnostics& diag) {
  // An empty value ("key:") has no useful mark of its own (yaml-cpp points at the next line),
  // so it takes the position of its key.
  out.where = node.IsNull() ? fallback : location_of(node.Mark(), file);
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = RawNode::Kind::kNull;
      return true;
    case YAML::NodeType::Scalar:
      out.kind = RawNode::Kind::kScalar;
      out.scalar = node.Scalar();
      return true;
    case YAML::NodeType::Sequence: {
      out.kind = RawNode::Kind::kSequence;
      bool ok = true;
      for (const auto& child : node) {
        RawNode item;
        ok = convert(child, out.where, file, item, diag) && ok;
        out.items.push_back(std::move(item));
      }
      return ok;
    }
    case YAML::NodeType::Map: {
      out.kind = RawNode::Kind::kMap;
      bool ok = true;
      for (auto it = node.begin(); it != node.end(); ++it) {
        SourceLocation key_where = location_of(it->first.Mark(), file);
        if (!it->first.IsScalar()) {
          diag.error(key_where, "", "keys must be plain words, not lists or maps");
          ok = false;
          continue;
        }
        RawEntry entry{it->first.Scalar(), key_where, {}};
        // yaml-cpp keeps both copies of a repeated key; silently taking one would hide a typo.
        if (const RawEntry* first = out.find(entry.key)) {
          diag.error(key_where, entry.key,
                     "repeated key (first at " + first->key_where.to_string() + ")");
          ok = false;
          continue;
        }
        ok = convert(it->second, key_where, file, entry.value, diag) && ok;
        out.entries.push_back(std::move(entry));
      }
      return ok;
    }
  }
  return true;
}

}  // namespace

const RawEntry* RawNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::optional<RawNode> parse_yaml(std::string_view text, const std::string& file,
                                  Diagnostics& diag) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    diag.error(location_of(e.mark, file), "", "malformed YAML: " + e.msg);
    return std::nullopt;
  }
  SourceLocation start{file, 1, 1};
  if (documents.empty()) return RawNode{RawNode::Kind::kNull, start, {}, {}, {}};
  if (documents.size() > 1) {
    diag.error(
        location_of(documents[1].Mark(), file), "",
        "a scenario file holds one YAML document; found " + std::to_string(documents.size()));
    return std::nullopt;
  }
  RawNode root;
  if (!convert(documents[0], start, file, root, diag)) return std::nullopt;
  return root;
}

}  // namespace adbcfault::fault
