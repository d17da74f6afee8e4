// The helpers bench-bittorrent's parts share (bittorrent_bench.h).
#include "tests/bench/bittorrent/bittorrent_bench.h"

#include <signal.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bittorrent/bencode.h"
#include "common/util/encoding.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {

void signal_all(const std::vector<std::unique_ptr<interop::Process>>& processes) {
  for (const auto& p : processes) {
    if (p->pid() > 0) ::kill(p->pid(), SIGTERM);  // -1 (a failed start) would signal every process we own
  }
}

std::optional<nlohmann::json> completed_event(const std::filesystem::path& log) {
  std::string text = interop::read_text(log);
  std::size_t at = text.find(" completed {");
  if (at == std::string::npos) return std::nullopt;
  std::size_t begin = at + 11, end = text.find('\n', begin);
  auto event = nlohmann::json::parse(text.substr(begin, end - begin), nullptr, false);
  if (event.is_discarded()) return std::nullopt;
  return event;
}

namespace {

// Sends `request` to 127.0.0.1:port and returns every byte answered until the server closes (or 5 s pass).
std::string http_exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
    }
  }
  ::close(fd);
  return response;
}

}  // namespace

std::optional<std::string> http_get(int port, const std::string& target) {
  std::string response = http_exchange(port, "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  std::size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return std::nullopt;
  return response.substr(body + 4);
}

bool keeps_connections_open(int port, const std::string& target) {
  std::string get = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  std::string response = http_exchange(port, get + "\r\n" + get + "Connection: close\r\n\r\n");
  return response.find("HTTP/1.", response.find("HTTP/1.") + 1) != std::string::npos;
}

Scrape scrape(int port, const Sha1Digest& info_hash) {
  Scrape out;
  auto body = http_get(port, "/scrape?info_hash=" + percent_encode(info_hash));
  if (!body) return out;
  auto root = bittorrent::decode(as_bytes(*body));
  if (!root) return out;
  const auto* files = root->find("files");
  const auto* entry = files ? files->find(as_chars(info_hash)) : nullptr;
  if (entry == nullptr) return out;
  const auto* complete = entry->find("complete");
  const auto* incomplete = entry->find("incomplete");
  if (complete && complete->if_int()) out.complete = *complete->if_int();
  if (incomplete && incomplete->if_int()) out.incomplete = *incomplete->if_int();
  return out;
}

}  // namespace p2p::bench
