// engine/queue_list.h — `facteur -bp` and its variants (spec chapter 5, "The Exim command
// line", -bp, -bpa, -bpc, -bpr, -bpra, -bpru, -bpu): the queue listing in Exim's format.
//
// Each message is shown as
//   AGE  SIZE ID <sender>[ (login)][ *** frozen ***]
//             recipient             (ten spaces; "        D " when delivered)
//   (blank line)
// AGE is minutes up to 90, then hours (rounded) up to 72, then days; SIZE is the message size
// (headers that are not deleted, the blank line, the body) as "  999", "1.5K", " 100K", "5.3M".
// Messages are sorted by id (arrival order) unless -bpr. An id given on the command line that
// has no readable -H file is shown with "*** spool read error: TEXT ***"; a damaged file
// with "*** spool format error: size=N ***" and whatever could be read, as Exim does.
// An empty queue prints nothing. -bpc prints the number of messages. Unless
// queue_list_requires_admin is false, only root and the exim_user may list the queue.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/spool.h"
#include "lang/context.h"
#include "util/result.h"

namespace engine {

struct QueueListOptions {
  bool count_only = false;        // c
  bool unsorted = false;          // r
  bool undelivered_only = false;  // u
  bool all_addresses = false;     // a: also delivered generated addresses, as "+D"
  std::vector<std::string> ids;   // only these messages
  int64_t now = 0;                // seam: 0 means the current time
};

// Reads the letters after "-bp" ("", "a", "c", "r", "ra", "ru", "u"); an error otherwise.
util::Result<QueueListOptions> queue_list_options(std::string_view letters);

std::string queue_format_age(int64_t seconds);
std::string queue_format_size(int64_t bytes);

// Writes the listing; returns the exit status (0).
int queue_list(const SpoolLayout& layout, const QueueListOptions& opts, std::FILE* out);

// The -bp mode of the command line: `letters` after "-bp", `ids` the arguments. Errors are
// written to stderr with exit status 1.
int run_queue_list(const config::Config& cfg, lang::EvalContext& ctx, std::string_view letters,
                   const std::vector<std::string>& ids, std::FILE* out);

}  // namespace engine
