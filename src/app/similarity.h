// Text similarity for spotting duplicate reports: Jaccard similarity of character bigrams,
// which works for Chinese (no word boundaries) and for mixed text alike.
#pragma once
#include <string_view>

namespace aftersales::app {

// 0 (nothing shared) … 1 (same bigram set). Whitespace and ASCII punctuation are ignored and
// ASCII letters compared case-insensitively.
double bigram_similarity(std::string_view a, std::string_view b);

}  // namespace aftersales::app
