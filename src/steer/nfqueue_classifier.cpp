#include "steer/nfqueue_classifier.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

extern "C" {
#include <libnetfilter_queue/libnetfilter_queue.h>
}

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "steer/steering_rules.h"

namespace adbcfault::steer {
namespace {

constexpr int kCopyBytes = 80;          // IPv4 header (<= 60) + TCP ports: all we look at
constexpr uint32_t kQueueMaxLen = 8192;  // beyond this the kernel fails open
constexpr unsigned kReceiveBuffer = 8u << 20;
// Each IPv6 destination is named once in the log; past this many, only the counter grows.
constexpr size_t kMaxIpv6DestinationsLogged = 64;

}  // namespace

bool parse_syn_packet(const unsigned char* data, size_t length, SynPacket& out) {
  if (length < 20 || (data[0] >> 4) != 4) return false;
  size_t header_len = static_cast<size_t>(data[0] & 0x0f) * 4;
  if (header_len < 20 || data[9] != IPPROTO_TCP || length < header_len + 4) return false;
  auto be32 = [&](size_t at) {
    return uint32_t{data[at]} << 24 | uint32_t{data[at + 1]} << 16 | uint32_t{data[at + 2]} << 8 |
           data[at + 3];
  };
  auto be16 = [&](size_t at) { return static_cast<uint16_t>(data[at] << 8 | data[at + 1]); };
  out.src_ip = be32(12);
  out.dst_ip = be32(16);
  out.src_port = be16(header_len);
  out.dst_port = be16(header_len + 2);
  return true;
}

bool parse_ipv6_destination(const unsigned char* data, size_t length, Ipv6Destination& out) {
  constexpr size_t kHeader = 40;
  if (length < kHeader || (data[0] >> 4) != 6) return false;
  std::copy(data + 24, data + 40, out.address.begin());
  out.port = 0;
  if (data[6] == IPPROTO_TCP && length >= kHeader + 4) {
    out.port = static_cast<uint16_t>(data[kHeader + 2] << 8 | data[kHeader + 3]);
  }
  return true;
}

std::string to_string(const Ipv6Destination& destination) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, destination.address.data(), text, sizeof text);
  std::string out = std::string("[") + text + "]";
  if (destination.port) out += ":" + std::to_string(destination.port);
  return out;
}

NfQueueClassifier::NfQueueClassifier(uint16_t queue_num, uint32_t intercept_mark, Decide decide)
    : intercept_mark_(intercept_mark), decide_(std::move(decide)), buffer_(1 << 16) {
  const std::string which = "NFQUEUE " + std::to_string(queue_num);
  handle_ = nfq_open();
  if (!handle_) {
    throw SteerError(which + ": cannot open nfnetlink (" + std::strerror(errno) +
                     "; needs root and the nfnetlink_queue module)");
  }
  queue_ = nfq_create_queue(handle_, queue_num, &NfQueueClassifier::on_packet, this);
  if (!queue_) {
    nfq_close(handle_);
    throw SteerError(which +
                     ": cannot bind (in use by another program, perhaps another adbcfaultd in "
                     "this network namespace? choose another with --queue-num)");
  }
  if (nfq_set_mode(queue_, NFQNL_COPY_PACKET, kCopyBytes) < 0 ||
      nfq_set_queue_flags(queue_, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0) {
    nfq_destroy_queue(queue_);
    nfq_close(handle_);
    throw SteerError(which + ": cannot configure copy mode and fail-open");
  }
  nfq_set_queue_maxlen(queue_, kQueueMaxLen);
  nfnl_rcvbufsiz(nfq_nfnlh(handle_), kReceiveBuffer);
  fd_ = nfq_fd(handle_);
  int on = 1;
  // Without this an overrun makes every later recv fail with ENOBUFS once; we would rather lose
  // the notification (the kernel fails open, the client retransmits its SYN).
  setsockopt(fd_, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof on);
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

NfQueueClassifier::~NfQueueClassifier() {
  nfq_destroy_queue(queue_);
  nfq_close(handle_);
}

NfQueueClassifier::Counters NfQueueClassifier::counters() const {
  constexpr auto relaxed = std::memory_order_relaxed;
  return {counters_.queued.load(relaxed),     counters_.intercepted.load(relaxed),
          counters_.passed.load(relaxed),     counters_.dropped.load(relaxed),
          counters_.unparsed.load(relaxed),   counters_.receive_errors.load(relaxed),
          counters_.ipv6_passed.load(relaxed)};
}

void NfQueueClassifier::receive() {
  ssize_t n;
  do {
    n = recv(fd_, buffer_.data(), buffer_.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) ++counters_.receive_errors;
    return;
  }
  nfq_handle_packet(handle_, buffer_.data(), static_cast<int>(n));
}

int NfQueueClassifier::on_packet(nfq_q_handle* queue, nfgenmsg*, nfq_data* data, void* opaque) {
  auto* self = static_cast<NfQueueClassifier*>(opaque);
  ++self->counters_.queued;
  nfqnl_msg_packet_hdr* header = nfq_get_msg_packet_hdr(data);
  if (!header) return 0;
  uint32_t id = ntohl(header->packet_id);
  unsigned char* payload = nullptr;
  int length = nfq_get_payload(data, &payload);
  SynPacket packet;
  Ipv6Destination ipv6;
  if (length > 0 && parse_ipv6_destination(payload, static_cast<size_t>(length), ipv6)) {
    self->report_ipv6(ipv6);
    return nfq_set_verdict(queue, id, NF_ACCEPT, 0, nullptr);
  }
  if (length <= 0 || !parse_syn_packet(payload, static_cast<size_t>(length), packet)) {
    ++self->counters_.unparsed;
    return nfq_set_verdict(queue, id, NF_ACCEPT, 0, nullptr);
  }
  switch (self->decide_(packet)) {
    case SynVerdict::kIntercept:
      ++self->counters_.intercepted;
      return nfq_set_verdict2(queue, id, NF_ACCEPT, nfq_get_nfmark(data) | self->intercept_mark_, 0,
                              nullptr);
    case SynVerdict::kDrop:
      ++self->counters_.dropped;
      return nfq_set_verdict(queue, id, NF_DROP, 0, nullptr);
    case SynVerdict::kPass:
      break;
  }
  ++self->counters_.passed;
  return nfq_set_verdict(queue, id, NF_ACCEPT, 0, nullptr);
}

void NfQueueClassifier::report_ipv6(const Ipv6Destination& destination) {
  ++counters_.ipv6_passed;
  if (ipv6_logged_.size() >= kMaxIpv6DestinationsLogged) return;
  if (!ipv6_logged_.insert(to_string(destination)).second) return;
  // A scenario that never fired because the client went over IPv6 must have a visible reason.
  LOG_WARN("event=ipv6_not_intercepted dst=" << to_string(destination)
           << " hint=\"adbcfault steers IPv4 only; make the client connect over IPv4 (for "
              "example curl -4, or java -Djava.net.preferIPv4Stack=true)\"");
}

}  // namespace adbcfault::steer
