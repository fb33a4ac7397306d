// fuzz/smtp_reply_fuzz.cpp — libFuzzer target for the smtp client's reply reader (T-CLI-1,
// T-CI-1): arbitrary bytes are what a hostile server sends; they are read as replies through
// a LineStream over an in-memory file until the reader reports an error or end of data, and
// each reply goes through the capability parser and the error texts shown in logs.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

#include "transports/smtp_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  int rfd = memfd_create("replies", MFD_CLOEXEC);
  if (rfd < 0) return 0;
  for (size_t done = 0; done < size;) {
    ssize_t n = write(rfd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  lseek(rfd, 0, SEEK_SET);
  int wfd = dup(rfd);  // writes are never made
  util::LineStream stream = util::LineStream::from_fds(rfd, wfd);
  transports::SmtpConversation c(stream, {}, {});
  for (int i = 0; i < 10000; ++i) {
    auto r = c.read_reply(1);
    if (auto* e = std::get_if<util::IoError>(&r)) {
      (void)transports::smtp_io_error_text(*e, "RCPT TO:<a@b>");
      break;
    }
    const auto& rep = std::get<transports::SmtpReply>(r);
    if (rep.code < 0 || rep.code > 999 || rep.lines.empty() || rep.lines.size() > 1001)
      std::abort();
    auto caps = transports::parse_capabilities(rep);
    (void)caps;
    std::string text = transports::smtp_error_text("MAIL FROM:<a@b>", rep);
    for (char ch : text)
      if (ch == '\0' || ch == '\r') std::abort();  // escaped for logs
  }
  return 0;
}
