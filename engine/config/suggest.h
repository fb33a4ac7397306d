// engine/config/suggest.h — "did you mean" hints for misspelt names.
//
// nearest_name() returns the candidate closest to `word` by optimal string alignment distance
// (insertions, deletions, substitutions, adjacent transpositions), provided the distance is at
// most max(1, len/3); otherwise "". Ties go to the first candidate.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace engine::config {

size_t edit_distance(std::string_view a, std::string_view b);
std::string nearest_name(std::string_view word, std::span<const std::string_view> candidates);

// "; did you mean \"x\"?" or "" — ready to append to an error message.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace engine::config
