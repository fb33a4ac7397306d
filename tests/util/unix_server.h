// Test helper: a UNIX-domain listening socket in a fresh temporary folder, served by a thread
// that runs `handler` on the first connection it accepts (then closes it). The destructor
// shuts the listener down, joins the thread and removes the folder. Used to script the
// services that socket clients talk to (saslauthd, Dovecot's auth-client ...).
#pragma once

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace testutil {

class UnixServer {
 public:
  explicit UnixServer(std::function<void(int fd)> handler, const std::string& name = "sock") {
    char tmpl[] = "/tmp/facteur-usXXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/" + name;
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strcpy(sa.sun_path, path_.c_str());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    REQUIRE(::listen(fd_, 1) == 0);
    thread_ = std::thread([this, handler = std::move(handler)] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      handler(c);
      ::close(c);
    });
  }
  ~UnixServer() {
    stop();
    ::close(fd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  UnixServer(const UnixServer&) = delete;
  UnixServer& operator=(const UnixServer&) = delete;
  const std::string& path() const { return path_; }
  // Ends the listener and waits for the handler. A derived class whose handler uses its
  // members calls this in its own destructor, before those members are destroyed.
  void stop() {
    if (!thread_.joinable()) return;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
  }

  // Sends `data` without raising SIGPIPE if the client has gone.
  static void send(int fd, std::string_view data) {
    (void)!::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
  }

 private:
  std::string dir_, path_;
  int fd_ = -1;
  std::thread thread_;
};

}  // namespace testutil
