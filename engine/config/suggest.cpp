#include "engine/config/suggest.h"

#include <algorithm>
#include <vector>

namespace engine::config {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Long inputs are never close to an option name; bound the work.
  if (a.size() > 200 || b.size() > 200) return std::max(a.size(), b.size());
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string nearest_name(std::string_view word, std::span<const std::string_view> candidates) {
  size_t limit = std::max<size_t>(1, word.size() / 3);
  size_t best = limit + 1;
  std::string_view found;
  for (std::string_view c : candidates) {
    size_t len_diff = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (len_diff > limit) continue;
    size_t dist = edit_distance(word, c);
    if (dist < best) {
      best = dist;
      found = c;
    }
  }
  return std::string(found);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string n = nearest_name(word, candidates);
  return n.empty() ? std::string() : "; did you mean \"" + n + "\"?";
}

}  // namespace engine::config
