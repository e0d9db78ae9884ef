// Text similarity for spotting duplicate reports: Jaccard similarity of character bigrams,
// which works for Chinese (no word boundaries) and for mixed text alike.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace aftersales::app {

// The distinct bigrams of a text, as sorted code-point pairs (a text of one character is its
// own "bigram"). Computed once per text so that one report can be compared with many.
using Bigrams = std::vector<std::uint64_t>;
Bigrams bigrams_of(std::string_view text);

// 0 (nothing shared) … 1 (same bigram set). Whitespace and ASCII punctuation are ignored and
// ASCII letters compared case-insensitively.
double bigram_similarity(const Bigrams& a, const Bigrams& b);
double bigram_similarity(std::string_view a, std::string_view b);

}  // namespace aftersales::app
