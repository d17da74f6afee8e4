// A client that half-closes after its request (issue 18: `nc -N`, and HTTP/1.0 clients that shut down their
// sending side) still gets its answer from bt-tracker, as it does from opentracker.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/integration/hostile/node_harness.h"

namespace p2p::hostile {
namespace {

// Sends `request` to 127.0.0.1:port, shuts down the sending side (a FIN, as `nc -N` does), and returns
// everything read until the tracker closes, or until 5 s have passed.
std::string ask_then_half_close(std::uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval wait{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()) &&
      ::shutdown(fd, SHUT_WR) == 0) {
    char buffer[4096];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

TEST(HalfCloseTest, TheTrackerAnswersAScrapeWhoseClientHalfClosed) {
  std::string dir = scratch_dir();
  Collector collector;
  {
    Node tracker(collector, "bt-tracker", "bt-tracker", {"--open"}, dir);
    ASSERT_NE(tracker.port, 0) << read_file(dir + "/bt-tracker.log");
    std::string answer = ask_then_half_close(tracker.port, "GET /scrape HTTP/1.0\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << "answer: '" << answer << "'";
    EXPECT_NE(answer.find("d5:filesde"), std::string::npos) << answer;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace p2p::hostile
