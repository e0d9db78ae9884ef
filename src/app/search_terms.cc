#include "app/search_terms.h"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace aftersales::app {
namespace {

struct CodePoint {
  std::uint32_t value;
  std::string_view bytes;
};

// Letters and digits continue a run; everything else (spaces, ASCII punctuation, the CJK and
// full-width punctuation blocks, symbols) ends it. Malformed UTF-8 bytes end a run too.
bool is_term_char(std::uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation (“ ” — …)
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK symbols and punctuation (、。《》【】)
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width ！＂＃…／
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;  // ：；＜＝＞？＠
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp == 0x00A0 || cp == 0xFEFF) return false;
  if (cp >= 0x2190 && cp <= 0x2BFF) return false;    // arrows, maths, boxes, dingbats
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji
  return true;
}

std::vector<std::vector<std::string>> runs(std::string_view s) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> run;
  auto end_run = [&] {
    if (!run.empty()) out.push_back(std::move(run));
    run.clear();
  };
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    std::uint32_t cp = 0;
    if (valid) {
      cp = len == 1 ? c : c & (0x7F >> len);
      for (size_t k = 1; k < len && valid; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        valid = (cc & 0xC0) == 0x80;
        cp = (cp << 6) | (cc & 0x3F);
      }
    }
    if (!valid) {
      end_run();
      ++i;
      continue;
    }
    if (is_term_char(cp)) {
      if (cp < 0x80) run.emplace_back(1, static_cast<char>(std::tolower(static_cast<int>(cp))));
      else if (cp >= 0xFF10 && cp <= 0xFF19) run.emplace_back(1, static_cast<char>('0' + (cp - 0xFF10)));  // ０-９
      else if (cp >= 0xFF21 && cp <= 0xFF3A) run.emplace_back(1, static_cast<char>('a' + (cp - 0xFF21)));  // Ａ-Ｚ
      else if (cp >= 0xFF41 && cp <= 0xFF5A) run.emplace_back(1, static_cast<char>('a' + (cp - 0xFF41)));  // ａ-ｚ
      else run.emplace_back(s.substr(i, len));
    } else {
      end_run();
    }
    i += len;
  }
  end_run();
  return out;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::vector<std::string> search_terms(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& run : runs(text)) {
    if (run.size() == 1) out.push_back(run[0]);
    for (size_t i = 0; i + 1 < run.size(); ++i) out.push_back(run[i] + run[i + 1]);
  }
  sort_unique(out);
  return out;
}

std::vector<std::string> query_terms(std::string_view query) {
  std::vector<std::string> out;
  for (const auto& run : runs(query))
    for (size_t i = 0; i + 1 < run.size(); ++i) out.push_back(run[i] + run[i + 1]);
  sort_unique(out);
  return out;
}

namespace {

std::string term_of(date::year_month ym) {
  char out[16];
  std::snprintf(out, sizeof out, "#%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return out;
}

date::year_month month_of(std::int64_t ms) {
  const auto day = date::floor<date::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)));
  const date::year_month_day ymd(day);
  return ymd.year() / ymd.month();
}

}  // namespace

std::string month_term(std::int64_t reported_at_ms) { return term_of(month_of(reported_at_ms)); }

std::vector<std::string> recent_month_terms(std::int64_t newest_ms, int months) {
  std::vector<std::string> out;
  const date::year_month current = month_of(newest_ms);
  for (int i = 0; i < months; ++i) out.push_back(term_of(current - date::months(i)));
  return out;
}

std::string fts_document(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string fts_match(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += " AND ";
    out += '"' + t + '"';  // terms hold letters and digits only: nothing to escape
  }
  return out;
}

std::string pg_array_literal(const std::vector<std::string>& terms) {
  std::string out = "{";
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i) out += ',';
    out += '"' + terms[i] + '"';
  }
  return out + "}";
}

}  // namespace aftersales::app
