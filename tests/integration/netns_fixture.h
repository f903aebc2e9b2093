#pragma once
// Integration-test topology: a client and a server network namespace joined by a veth pair.
//
//   adbcf-it<pid>-<n>-c                                          adbcf-it<pid>-<n>-s
//   adbcf<tag>c 10.200.<k>.1/24  <========== veth ==========>  adbcf<tag>s 10.200.<k>.2/24
//
// Both veth ends are created directly inside their namespaces (`ip -n`), so nothing ever appears
// in the root namespace. The destructor kills whatever still runs in the namespaces and deletes
// them, which removes the veth and every rule and route in them. Names carry the creating
// process's pid, so sweep_stale_namespaces() removes what a killed run left without touching a
// run in progress.
//
// Every integration test starts with ADBCFAULT_REQUIRE_KERNEL_OR_SKIP() (kernel_gate.h). Without
// root, network namespaces or the iptables pieces adbcfaultd needs, the test is skipped with a
// message naming what is missing -- or FAILS with that message when the environment sets
// ADBCFAULT_REQUIRE_KERNEL=1, as CI does, so a broken CI machine cannot pass by skipping.

#include <string>
#include <vector>

namespace adbcfault::testing {

// Owns one network namespace: `ip netns add` now, kill its processes and `ip netns del` later.
class Netns {
 public:
  explicit Netns(std::string name);  // throws std::runtime_error if `ip netns add` fails
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

class NetnsPair {
 public:
  NetnsPair();  // throws std::runtime_error (after undoing what it did) if any step fails
  NetnsPair(const NetnsPair&) = delete;
  NetnsPair& operator=(const NetnsPair&) = delete;

  const std::string& client_ns() const { return client_.name(); }
  const std::string& server_ns() const { return server_.name(); }
  const std::string& client_address() const { return client_address_; }
  const std::string& server_address() const { return server_address_; }
  const std::string& client_interface() const { return client_interface_; }
  const std::string& server_interface() const { return server_interface_; }

 private:
  explicit NetnsPair(unsigned index);

  Netns client_;
  Netns server_;
  std::string client_interface_;
  std::string server_interface_;
  std::string client_address_;
  std::string server_address_;
};

// The prefix of every namespace this process creates: "adbcf-it<pid>-".
std::string own_namespace_prefix();
// Names from `ip netns list` that start with `prefix`.
std::vector<std::string> list_namespaces(const std::string& prefix);
// Kills what runs in `name`, then deletes it. Best effort: never throws.
void remove_namespace(const std::string& name);
// Removes namespaces, temp dirs (/tmp/adbcf-it-<pid>-*) and root-namespace veths (never left
// there, but checked) whose creating process no longer exists. Returns what it removed.
std::vector<std::string> sweep_stale_namespaces();

}  // namespace adbcfault::testing
