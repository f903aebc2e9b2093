#include "control/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "control/error_codes.h"
#include "control/peer_credentials.h"
#include "control/session.h"
#include "control/unique_fd.h"

namespace adbcfault::control {
namespace {

using boost::asio::local::stream_protocol;

// Accept errors such as EMFILE repeat until something changes; pause instead of spinning.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

std::runtime_error start_error(const std::filesystem::path& path, const std::string& what) {
  return std::runtime_error("control socket " + path.string() + ": " + what);
}

std::string errno_text(int error) { return std::strerror(error); }

enum class Probe { listening, stale };

// Tells a live listener from a socket file left behind by a process that died.
Probe probe_existing_socket(const std::filesystem::path& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw start_error(path, "socket: " + errno_text(errno));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.native().size() + 1);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    return Probe::listening;
  }
  if (errno == EAGAIN) return Probe::listening;  // backlog full: someone is there
  if (errno == ECONNREFUSED) return Probe::stale;
  throw start_error(path,
                    "cannot check whether the existing socket is in use: " + errno_text(errno));
}

struct FileIdentity {
  dev_t device;
  ino_t inode;
  bool operator==(const FileIdentity&) const = default;
};

std::optional<FileIdentity> identity_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

}  // namespace

struct Server::State : std::enable_shared_from_this<State> {
  State(boost::asio::io_context& io, Dispatcher& dispatcher, ServerOptions options)
      : dispatcher(dispatcher), options(std::move(options)), acceptor(io), retry_timer(io) {}

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void accept_next() {
    acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& error,
                                                      stream_protocol::socket socket) {
      self->on_accept(error, std::move(socket));
    });
  }

  void on_accept(const boost::system::error_code& error, stream_protocol::socket socket) {
    if (!running || error == boost::asio::error::operation_aborted) return;
    if (error) {
      log("event=control_accept_failed error=\"" + error.message() + "\"");
      retry_timer.expires_after(kAcceptRetryDelay);
      retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
        if (!e && self->running) self->accept_next();
      });
      return;
    }
    std::erase_if(sessions, [](const std::weak_ptr<Session>& s) { return s.expired(); });
    int fd = socket.native_handle();
    auto session = std::make_shared<Session>(std::move(socket), dispatcher, options.log);
    sessions.push_back(session);
    if (auto refusal = check_peer(fd)) {
      session->refuse(std::move(*refusal));
    } else {
      session->start();
    }
    accept_next();
  }

  // Returns the `forbidden` error to send, or nothing when the peer may talk to us.
  std::optional<Error> check_peer(int fd) const {
    std::string why;
    auto peer = read_peer_credentials(fd, why);
    if (!peer) {
      log("event=control_peer_refused reason=\"" + why + "\"");
      return Error{codes::kForbidden, "cannot identify the connecting process (" + why + ")"};
    }
    std::optional<gid_t> group;
    struct stat st {};
    if (::stat(options.socket_path.c_str(), &st) == 0) group = st.st_gid;
    if (peer_allowed(*peer, ::geteuid(), group)) return std::nullopt;
    log("event=control_peer_refused pid=" + std::to_string(peer->pid) +
        " uid=" + std::to_string(peer->uid) + " gid=" + std::to_string(peer->gid));
    return Error{codes::kForbidden,
                 "uid " + std::to_string(peer->uid) + " may not use " +
                     options.socket_path.string() +
                     ": run as root or as a member of the socket's group" +
                     (group ? " (gid " + std::to_string(*group) + ")" : std::string())};
  }

  void start() {
    const auto& path = options.socket_path;
    if (running) throw start_error(path, "already started");
    if (path.empty() || path.native().size() >= sizeof(sockaddr_un{}.sun_path)) {
      throw start_error(
          path,
          "path must be 1-" + std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes long");
    }
    auto parent = path.parent_path();
    if (!parent.empty() && !std::filesystem::exists(parent)) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) throw start_error(path, "cannot create " + parent.string() + ": " + ec.message());
      if (::chmod(parent.c_str(), 0755) != 0) {
        throw start_error(path, "cannot chmod " + parent.string() + ": " + errno_text(errno));
      }
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) {
        throw start_error(path, "exists and is not a socket: remove it or pass another --socket");
      }
      if (probe_existing_socket(path) == Probe::listening) {
        throw start_error(path,
                          "another adbcfaultd is already listening there: stop it first, "
                          "or pass another --socket");
      }
      if (::unlink(path.c_str()) != 0) {
        throw start_error(path, "cannot remove the stale socket: " + errno_text(errno));
      }
    }

    boost::system::error_code ec;
    auto fail = [&](const char* step) {
      std::string what = std::string(step) + ": " + ec.message();
      boost::system::error_code ignored;
      acceptor.close(ignored);
      if (bound) ::unlink(path.c_str());
      bound.reset();
      return start_error(path, what);
    };
    acceptor.open(stream_protocol(), ec);
    if (ec) throw fail("socket");
    acceptor.bind(stream_protocol::endpoint(path.native()), ec);
    if (ec) throw fail("bind");
    bound = identity_of(path);
    // Before listen(), so nobody can connect while the mode is still the umask's.
    if (::chmod(path.c_str(), options.mode) != 0) {
      ec.assign(errno, boost::system::system_category());
      throw fail("chmod");
    }
    acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) throw fail("listen");
    running = true;
    accept_next();
  }

  void stop() {
    running = false;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel();
    for (auto& weak : sessions) {
      if (auto session = weak.lock()) session->close();
    }
    sessions.clear();
    // Only the file we bound: a newer daemon may have replaced it in the meantime.
    if (bound && identity_of(options.socket_path) == bound) ::unlink(options.socket_path.c_str());
    bound.reset();
  }

  Dispatcher& dispatcher;
  ServerOptions options;
  stream_protocol::acceptor acceptor;
  boost::asio::steady_timer retry_timer;
  std::vector<std::weak_ptr<Session>> sessions;
  std::optional<FileIdentity> bound;
  bool running = false;
};

Server::Server(boost::asio::io_context& io, Dispatcher& dispatcher, ServerOptions options)
    : state_(std::make_shared<State>(io, dispatcher, std::move(options))) {}

Server::~Server() { stop(); }

void Server::start() { state_->start(); }

void Server::stop() { state_->stop(); }

const std::filesystem::path& Server::socket_path() const { return state_->options.socket_path; }

}  // namespace adbcfault::control
