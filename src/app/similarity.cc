#include "app/similarity.h"

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace aftersales::app {
namespace {

// Splits UTF-8 into code points, dropping spaces and ASCII punctuation.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    if (len == 1) {
      if (!std::isspace(c) && !std::ispunct(c)) out.emplace_back(1, static_cast<char>(std::tolower(c)));
    } else {
      std::string cp(s.substr(i, len));
      // Chinese punctuation (，。、；：！？（）) carries no meaning for similarity.
      static const std::set<std::string> skip = {"，", "。", "、", "；", "：", "！", "？", "（", "）", "“", "”"};
      if (!skip.count(cp)) out.push_back(std::move(cp));
    }
    i += len;
  }
  return out;
}

std::set<std::string> bigrams(std::string_view s) {
  auto cps = code_points(s);
  std::set<std::string> out;
  for (size_t i = 0; i + 1 < cps.size(); ++i) out.insert(cps[i] + cps[i + 1]);
  if (cps.size() == 1) out.insert(cps[0]);
  return out;
}

}  // namespace

double bigram_similarity(std::string_view a, std::string_view b) {
  auto x = bigrams(a), y = bigrams(b);
  if (x.empty() || y.empty()) return 0;
  size_t common = 0;
  for (const auto& g : x) common += y.count(g);
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

}  // namespace aftersales::app
