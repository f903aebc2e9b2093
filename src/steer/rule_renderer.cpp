#include "steer/rule_renderer.h"

#include <sstream>

#include "steer/marks.h"
#include "steer/rules_template.h"

namespace adbcfault::steer {
namespace {

std::string hex(uint32_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

std::string target_rule(const InterceptTarget& target, uint16_t queue_num) {
  std::string rule = "-A ADBCFAULT_OUTPUT -p tcp --syn";
  if (target.destination) rule += " -d " + target.destination->to_string();
  rule += " --dport " + std::to_string(target.first_port);
  if (target.last_port != target.first_port) rule += ":" + std::to_string(target.last_port);
  rule += " -j NFQUEUE --queue-num " + std::to_string(queue_num) + " --queue-bypass";
  return rule;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool is_ours(std::string_view chain) { return chain.starts_with(kChainPrefix); }

std::string render_template(std::string_view text, const std::string& target_rules,
                            const RuleParams& params) {
  std::string rendered;
  for (std::string_view line : lines_of(text)) {
    if (line.starts_with('#') || line.empty()) continue;  // comments are for readers of the file
    rendered.append(line);
    rendered += '\n';
  }
  replace_all(rendered, "@TARGET_RULES@", target_rules);
  replace_all(rendered, "@INTERCEPT_MARK@", hex(kInterceptMark));
  replace_all(rendered, "@BYPASS_MARK@", hex(kBypassMark));
  replace_all(rendered, "@TPROXY_PORT@", std::to_string(params.tproxy_port));
  return rendered;
}

}  // namespace

std::string render_install_rules(const RuleParams& params) {
  std::string targets;
  for (const auto& target : params.targets) {
    if (!targets.empty()) targets += '\n';
    targets += target_rule(target, params.queue_num);
  }
  return render_template(kRulesTemplate, targets, params);
}

std::string render_ipv6_watch_rules(const RuleParams& params) {
  std::string targets;
  for (const auto& target : params.targets) {
    if (target.destination) continue;
    if (!targets.empty()) targets += '\n';
    targets += target_rule(target, params.queue_num);
  }
  if (targets.empty()) return "";
  return render_template(kIpv6RulesTemplate, targets, params);
}

std::string render_removal_rules(std::string_view mangle_save) {
  std::vector<std::string> deletes, chains;
  for (std::string_view line : lines_of(mangle_save)) {
    if (line.starts_with(':')) {
      std::string_view chain = line.substr(1, line.find(' ') - 1);
      if (is_ours(chain)) chains.emplace_back(chain);
    } else if (line.starts_with("-A ")) {
      std::string_view rest = line.substr(3);
      std::string_view chain = rest.substr(0, rest.find(' '));
      if (!is_ours(chain) && line.find(std::string(" -j ") + kChainPrefix) != std::string::npos)
        deletes.push_back("-D " + std::string(rest));
    }
  }
  if (deletes.empty() && chains.empty()) return "";
  std::string text = "*mangle\n";
  for (const auto& d : deletes) text += d + '\n';
  for (const auto& c : chains) text += "-F " + c + '\n';
  for (const auto& c : chains) text += "-X " + c + '\n';
  text += "COMMIT\n";
  return text;
}

bool mangle_table_exists(std::string_view mangle_save) {
  for (std::string_view line : lines_of(mangle_save))
    if (line == "*mangle") return true;
  return false;
}

std::string mangle_section(std::string_view full_save) {
  std::string section;
  bool inside = false;
  for (std::string_view line : lines_of(full_save)) {
    if (line == "*mangle") inside = true;
    if (!inside) continue;
    section.append(line);
    section += '\n';
    if (line == "COMMIT") break;
  }
  return section;
}

bool mangle_table_is_empty(std::string_view mangle_save) {
  for (std::string_view line : lines_of(mangle_save)) {
    if (line.starts_with("-")) return false;  // a rule
    if (line.starts_with(':') && line.find(" ACCEPT ") == std::string_view::npos) {
      return false;  // a user chain ("-" policy) or a built-in chain with a DROP policy
    }
  }
  return true;
}

}  // namespace adbcfault::steer
