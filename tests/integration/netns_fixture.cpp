#include "netns_fixture.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "process.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

void must(const RunResult& result) {
  if (!result.ok()) throw std::runtime_error("netns fixture: " + result.describe());
}

bool process_exists(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

bool link_is_up(const std::string& ns, const std::string& interface) {
  auto shown = run_command({"ip", "-n", ns, "-br", "link", "show", "dev", interface});
  return shown.ok() && shown.out.find(" UP ") != std::string::npos;
}

std::atomic<unsigned> next_pair_index{0};

}  // namespace

Netns::Netns(std::string name) : name_(std::move(name)) {
  must(run_command({"ip", "netns", "add", name_}));
}

Netns::~Netns() { remove_namespace(name_); }

std::string own_namespace_prefix() { return "adbcf-it" + std::to_string(::getpid()) + "-"; }

std::vector<std::string> list_namespaces(const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(run_command({"ip", "netns", "list"}).out)) {
    std::string name = line.substr(0, line.find(' '));  // "NAME (id: N)"
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

void remove_namespace(const std::string& name) {
  wait_until(
      [&] {
        auto pids = lines_of(run_command({"ip", "netns", "pids", name}).out);
        for (const auto& pid : pids) ::kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
        return pids.empty();
      },
      std::chrono::seconds(5), std::chrono::milliseconds(10));
  auto deleted = run_command({"ip", "netns", "del", name});
  if (!deleted.ok()) std::fprintf(stderr, "netns fixture: %s\n", deleted.describe().c_str());
}

NetnsPair::NetnsPair() : NetnsPair(next_pair_index++) {}

NetnsPair::NetnsPair(unsigned index)
    : client_(own_namespace_prefix() + std::to_string(index) + "-c"),
      server_(own_namespace_prefix() + std::to_string(index) + "-s") {
  // "adbcf" + 6 hex digits of pid + 2 of index + c/s = 14 characters (IFNAMSIZ allows 15).
  char tag[16];
  std::snprintf(tag, sizeof tag, "%06x%02x", static_cast<unsigned>(::getpid()) & 0xffffffu,
                index & 0xffu);
  client_interface_ = std::string("adbcf") + tag + "c";
  server_interface_ = std::string("adbcf") + tag + "s";
  // Each pair is isolated, so subnets may repeat across pairs; varying them helps reading logs.
  const std::string subnet = "10.200." + std::to_string((::getpid() + index) % 250 + 1) + ".";
  client_address_ = subnet + "1";
  server_address_ = subnet + "2";

  for (const auto* ns : {&client_ns(), &server_ns()}) {
    // No IPv6 duplicate-address detection: link-local addresses and routes settle at link-up,
    // so before/after snapshots of the routing state do not race with it.
    must(run(*ns, {"sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                   "net.ipv6.conf.default.accept_dad=0"}));
    must(run_command({"ip", "-n", *ns, "link", "set", "lo", "up"}));
  }
  must(run_command({"ip", "-n", client_ns(), "link", "add", client_interface_, "type", "veth",
                    "peer", "name", server_interface_, "netns", server_ns()}));
  must(run_command(
      {"ip", "-n", client_ns(), "addr", "add", client_address_ + "/24", "dev", client_interface_}));
  must(run_command(
      {"ip", "-n", server_ns(), "addr", "add", server_address_ + "/24", "dev", server_interface_}));
  must(run_command({"ip", "-n", client_ns(), "link", "set", client_interface_, "up"}));
  must(run_command({"ip", "-n", server_ns(), "link", "set", server_interface_, "up"}));
  if (!wait_until(
          [&] {
            return link_is_up(client_ns(), client_interface_) &&
                   link_is_up(server_ns(), server_interface_);
          },
          std::chrono::seconds(5))) {
    throw std::runtime_error("netns fixture: veth " + client_interface_ + " did not come up");
  }
}

std::vector<std::string> sweep_stale_namespaces() {
  std::vector<std::string> removed;
  static const std::regex ours(R"(adbcf-it(\d+)-.*)");
  for (const auto& name : list_namespaces("adbcf-it")) {
    std::smatch match;
    if (std::regex_match(name, match, ours) && !process_exists(std::stol(match[1]))) {
      remove_namespace(name);
      removed.push_back(name);
    }
  }
  static const std::regex our_link(R"(\d+: (adbcf([0-9a-f]{6})[0-9a-f]{2}[cs])[@:].*)");
  for (const auto& line : lines_of(run_command({"ip", "-o", "link", "show"}).out)) {
    std::smatch match;
    if (std::regex_match(line, match, our_link) &&
        !process_exists(std::stol(match[2], nullptr, 16))) {
      run_command({"ip", "link", "del", match[1]});
      removed.push_back(match[1]);
    }
  }
  static const std::regex our_temp_dir(R"(adbcf-it-(\d+)-.*)");
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", ignored)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, our_temp_dir) && !process_exists(std::stol(match[1]))) {
      std::filesystem::remove_all(entry.path(), ignored);
      removed.push_back(entry.path().string());
    }
  }
  return removed;
}

}  // namespace adbcfault::testing
