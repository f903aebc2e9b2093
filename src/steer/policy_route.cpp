#include "steer/policy_route.h"

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <sys/socket.h>

#include <memory>

#include "steer/steering_rules.h"

namespace adbcfault::steer {
namespace {

struct SockFree {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct RuleFree {
  void operator()(rtnl_rule* r) const { rtnl_rule_put(r); }
};
struct RouteFree {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct AddrFree {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using Sock = std::unique_ptr<nl_sock, SockFree>;
using Rule = std::unique_ptr<rtnl_rule, RuleFree>;
using Route = std::unique_ptr<rtnl_route, RouteFree>;

Sock connect_route_socket(std::string& error) {
  Sock sock(nl_socket_alloc());
  if (!sock) {
    error = "out of memory allocating a netlink socket";
    return nullptr;
  }
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) {
    error = std::string("rtnetlink: ") + nl_geterror(err);
    return nullptr;
  }
  return sock;
}

Rule make_rule(const PolicyRouteSpec& spec) {
  Rule rule(rtnl_rule_alloc());
  rtnl_rule_set_family(rule.get(), AF_INET);
  rtnl_rule_set_prio(rule.get(), spec.priority);
  rtnl_rule_set_mark(rule.get(), spec.mark);
  rtnl_rule_set_mask(rule.get(), spec.mark);
  rtnl_rule_set_table(rule.get(), spec.table);
  rtnl_rule_set_action(rule.get(), FR_ACT_TO_TBL);
  return rule;
}

Route make_local_route(const PolicyRouteSpec& spec, bool with_nexthop) {
  Route route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), spec.table);
  rtnl_route_set_type(route.get(), RTN_LOCAL);
  rtnl_route_set_scope(route.get(), RT_SCOPE_HOST);
  nl_addr* any = nullptr;
  nl_addr_parse("0.0.0.0/0", AF_INET, &any);
  rtnl_route_set_dst(route.get(), any);
  nl_addr_put(any);
  if (with_nexthop) {
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(hop, static_cast<int>(if_nametoindex("lo")));
    rtnl_route_add_nexthop(route.get(), hop);  // the route owns the hop from here
  }
  return route;
}

}  // namespace

PolicyRoute::PolicyRoute(PolicyRouteSpec spec) : spec_(spec) {
  if (std::string error = remove_all(spec_); !error.empty()) {
    throw SteerError("removing a stale policy route failed: " + error);
  }
  std::string error;
  Sock sock = connect_route_socket(error);
  if (!sock) throw SteerError(error);
  if (int err = rtnl_route_add(sock.get(), make_local_route(spec_, true).get(),
                               NLM_F_CREATE | NLM_F_EXCL);
      err < 0) {
    throw SteerError(std::string("adding route 'local 0.0.0.0/0 dev lo table ") +
                     std::to_string(spec_.table) + "' failed: " + nl_geterror(err));
  }
  if (int err = rtnl_rule_add(sock.get(), make_rule(spec_).get(), NLM_F_CREATE | NLM_F_EXCL);
      err < 0) {
    remove_all(spec_);
    throw SteerError(std::string("adding 'ip rule fwmark ... lookup ") +
                     std::to_string(spec_.table) + "' failed: " + nl_geterror(err));
  }
}

PolicyRoute::~PolicyRoute() { remove_all(spec_); }

std::string PolicyRoute::remove_all(const PolicyRouteSpec& spec) {
  std::string error;
  Sock sock = connect_route_socket(error);
  if (!sock) return error;
  // Each delete removes one match; loop until the kernel says there is none left (bounded, in
  // case a kernel answers something unexpected forever).
  for (int i = 0; i < 64; ++i) {
    int err = rtnl_rule_delete(sock.get(), make_rule(spec).get(), 0);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR) break;
    if (err < 0) return std::string("deleting our ip rule: ") + nl_geterror(err);
  }
  for (int i = 0; i < 64; ++i) {
    int err = rtnl_route_delete(sock.get(), make_local_route(spec, false).get(), 0);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR) break;
    if (err < 0) return std::string("deleting our route: ") + nl_geterror(err);
  }
  return "";
}

}  // namespace adbcfault::steer
