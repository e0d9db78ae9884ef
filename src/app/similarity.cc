#include "app/similarity.h"

#include <algorithm>
#include <cctype>

namespace aftersales::app {
namespace {

// Chinese punctuation carries no meaning for similarity: ，。、；：！？（）“”
bool is_cjk_punctuation(std::uint32_t cp) {
  switch (cp) {
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF01:
    case 0xFF1F: case 0xFF08: case 0xFF09: case 0x201C: case 0x201D:
      return true;
    default:
      return false;
  }
}

// Decodes UTF-8 into code points, dropping spaces and punctuation and folding ASCII case.
// A malformed byte counts as a character of its own (the text is compared, not validated).
std::vector<std::uint32_t> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    if (len == 1) {
      if (!std::isspace(c) && !std::ispunct(c)) out.push_back(static_cast<std::uint32_t>(std::tolower(c)));
    } else {
      std::uint32_t cp = c & (0x7F >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      if (!is_cjk_punctuation(cp)) out.push_back(cp);
    }
    i += len;
  }
  return out;
}

}  // namespace

Bigrams bigrams_of(std::string_view text) {
  const auto cps = code_points(text);
  Bigrams out;
  if (cps.size() == 1) out.push_back(cps[0]);
  out.reserve(cps.size());
  for (size_t i = 0; i + 1 < cps.size(); ++i)
    out.push_back((static_cast<std::uint64_t>(cps[i]) << 32) | cps[i + 1] | (std::uint64_t{1} << 63));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double bigram_similarity(const Bigrams& x, const Bigrams& y) {
  if (x.empty() || y.empty()) return 0;
  // A merge of the two sorted sets without branches on the data: which side moves on is
  // unpredictable, and the mispredicted branches were most of the duplicate check's time (it
  // compares a report with up to 50 others).
  size_t common = 0;
  const std::uint64_t *i = x.data(), *const i_end = i + x.size();
  const std::uint64_t *j = y.data(), *const j_end = j + y.size();
  while (i != i_end && j != j_end) {
    const std::uint64_t a = *i, b = *j;
    common += a == b;
    i += a <= b;
    j += b <= a;
  }
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

double bigram_similarity(std::string_view a, std::string_view b) {
  return bigram_similarity(bigrams_of(a), bigrams_of(b));
}

}  // namespace aftersales::app
