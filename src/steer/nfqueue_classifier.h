#pragma once
// Decides, per new target connection, whether it is intercepted. The SYN comes to us through
// NFQUEUE (queued with --queue-bypass and fail-open, so a dead or overloaded daemon means traffic
// flows directly); an "intercept" verdict sets our mark, which makes the kernel re-route the
// packet to the TPROXY listener and our POSTROUTING rule save it on the connection.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

struct nfq_handle;
struct nfq_q_handle;
struct nfgenmsg;
struct nfq_data;

namespace adbcfault::steer {

struct SynPacket {  // addresses and ports in host byte order
  uint32_t src_ip = 0;
  uint32_t dst_ip = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
};

enum class SynVerdict { kIntercept, kPass, kDrop };

// Reads addresses and ports of an IPv4/TCP packet; nullopt-like false for anything else.
bool parse_syn_packet(const unsigned char* data, size_t length, SynPacket& out);

struct Ipv6Destination {
  std::array<uint8_t, 16> address{};
  uint16_t port = 0;  // 0 when extension headers stand before TCP's (we do not walk them)
};

// The destination of an IPv6 packet; false for anything else.
bool parse_ipv6_destination(const unsigned char* data, size_t length, Ipv6Destination& out);
// "[2001:db8::1]:443", or "[2001:db8::1]" without a port.
std::string to_string(const Ipv6Destination& destination);

class NfQueueClassifier {
 public:
  // Runs on the thread that calls receive().
  using Decide = std::function<SynVerdict(const SynPacket&)>;
  struct Counters {
    uint64_t queued = 0;
    uint64_t intercepted = 0;
    uint64_t passed = 0;
    uint64_t dropped = 0;
    uint64_t unparsed = 0;  // neither IPv4/TCP nor IPv6: accepted unchanged
    uint64_t receive_errors = 0;
    uint64_t ipv6_passed = 0;  // IPv6 connections to a target: never intercepted, passed
  };

  // Binds the queue. Throws SteerError naming the queue and the reason.
  NfQueueClassifier(uint16_t queue_num, uint32_t intercept_mark, Decide decide);
  ~NfQueueClassifier();
  NfQueueClassifier(const NfQueueClassifier&) = delete;
  NfQueueClassifier& operator=(const NfQueueClassifier&) = delete;

  // Safe to call from any thread.
  Counters counters() const;
  // The queue's netlink socket (non-blocking): readable when a packet waits for its verdict.
  int fd() const { return fd_; }
  // Reads one message from the queue, if one is there, and gives each packet in it its verdict.
  void receive();

 private:
  static int on_packet(nfq_q_handle* queue, nfgenmsg* msg, nfq_data* data, void* self);
  void report_ipv6(const Ipv6Destination& destination);

  nfq_handle* handle_ = nullptr;
  nfq_q_handle* queue_ = nullptr;
  uint32_t intercept_mark_;
  Decide decide_;
  int fd_ = -1;  // owned by handle_
  std::vector<char> buffer_;
  // Written by the classifier's thread, read by status requests on another.
  struct {
    std::atomic<uint64_t> queued{0}, intercepted{0}, passed{0}, dropped{0}, unparsed{0},
        receive_errors{0}, ipv6_passed{0};
  } counters_;
  std::set<std::string> ipv6_logged_;  // destinations already named in the log (bounded)
};

}  // namespace adbcfault::steer
