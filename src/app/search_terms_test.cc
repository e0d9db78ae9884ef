#include "app/search_terms.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace aftersales::app {
namespace {

using V = std::vector<std::string>;

// Terms come back in byte order; the expectations are written in reading order.
V sorted(V v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SearchTerms, ChineseTextGivesOverlappingPairs) {
  EXPECT_EQ(search_terms("空调漏水"), sorted(V{"空调", "漏水", "调漏"}));
}

TEST(SearchTerms, PunctuationAndSpacesEndRuns) {
  // ，and space split the text: no pair spans them.
  EXPECT_EQ(search_terms("漏水，吊顶 渗水"), sorted(V{"吊顶", "渗水", "漏水"}));
  EXPECT_EQ(search_terms("《机房》—UPS…"), sorted(V{"ps", "up", "机房"}));
}

TEST(SearchTerms, AsciiIsLowerCasedAndMixedWithChinese) {
  EXPECT_EQ(search_terms("3号UPS"), sorted(V{"3号", "ps", "up", "号u"}));
  EXPECT_EQ(search_terms("UPS"), search_terms("ups"));
}

TEST(SearchTerms, FullWidthLettersAndDigitsFoldToAscii) {
  EXPECT_EQ(search_terms("ＵＰＳ１２"), search_terms("ups12"));
}

TEST(SearchTerms, SingleCharacterRunsAreTermsOfTheirOwn) {
  EXPECT_EQ(search_terms("门 A"), sorted(V{"a", "门"}));
}

TEST(SearchTerms, InvalidUtf8AndEmptyInputsAreHarmless) {
  EXPECT_EQ(search_terms(""), V{});
  EXPECT_EQ(search_terms(std::string("ab\xff\xfe" "cd")), sorted(V{"ab", "cd"}));
  EXPECT_EQ(search_terms(std::string("\xe6\xbc")), V{});  // truncated 漏
  EXPECT_EQ(search_terms("😀😀"), V{});
}

TEST(SearchTerms, TheTermsOfTextsJoinedByASpaceAreTheUnionOfTheirTerms) {
  // An intake finds its text's terms before its write and adds its number's there
  // (index_ticket_terms), which is right only if no term spans the space between them.
  const V parts = {"FW20261207-0042", "空调漏水", "漏", "ab", "Ａ", "x", "", "机房 UPS 告警", "\xE6\xBC", "２号楼", "水"};
  for (const auto& a : parts)
    for (const auto& b : parts) {
      V both = search_terms(a);
      const V own = search_terms(b);
      both.insert(both.end(), own.begin(), own.end());
      std::sort(both.begin(), both.end());
      both.erase(std::unique(both.begin(), both.end()), both.end());
      EXPECT_EQ(both, search_terms(a + " " + b)) << a << " | " << b;
    }
}

TEST(QueryTerms, EveryIndexedSubstringOfTwoOrMoreCharactersIsCovered) {
  // The property the search relies on: the query terms of any substring are a subset of the
  // text's index terms.
  const std::string text = "3号机房精密空调（UPS-2）漏水，吊顶渗水严重";
  const auto indexed = search_terms(text);
  for (const std::string q : {"机房", "精密空调", "UPS", "ups-2", "漏水，吊顶", "顶渗水严", "号机"}) {
    for (const auto& t : query_terms(q))
      EXPECT_TRUE(std::binary_search(indexed.begin(), indexed.end(), t)) << q << " → " << t;
  }
}

TEST(QueryTerms, SingleCharactersGiveNoTerms) {
  EXPECT_EQ(query_terms("漏"), V{});
  EXPECT_EQ(query_terms("漏 水"), V{});
  EXPECT_EQ(query_terms("漏水 门"), V{"漏水"});
}

TEST(FtsSyntax, QuotesEveryTermAndJoinsWithAnd) {
  EXPECT_EQ(fts_match({"漏水", "ab"}), "\"漏水\" AND \"ab\"");
  EXPECT_EQ(fts_document({"漏水", "ab"}), "漏水 ab");
  EXPECT_EQ(pg_array_literal({"漏水", "ab"}), "{\"漏水\",\"ab\"}");
  EXPECT_EQ(pg_array_literal({}), "{}");
}

TEST(MonthTerms, AreTheUtcMonthOfTheReport) {
  constexpr std::int64_t kDec1 = 1796083200000;  // 2026-12-01T00:00:00Z
  EXPECT_EQ(month_term(kDec1), "#2026-12");
  EXPECT_EQ(month_term(kDec1 - 1), "#2026-11");  // the last millisecond of November
  EXPECT_EQ(month_term(0), "#1970-01");
  EXPECT_EQ(month_term(1709164800000), "#2024-02");  // 2024-02-29, a leap day
  // No query can ask for one: its characters end a run.
  for (const auto& t : query_terms(month_term(kDec1))) EXPECT_NE(t.front(), '#');
}

TEST(MonthTerms, RecentMonthsCountBackAcrossYearsNewestFirst) {
  constexpr std::int64_t kJan15 = 1768435200000;  // 2026-01-15T00:00:00Z
  EXPECT_EQ(recent_month_terms(kJan15, 1), (V{"#2026-01"}));
  EXPECT_EQ(recent_month_terms(kJan15, 3), (V{"#2026-01", "#2025-12", "#2025-11"}));
  EXPECT_EQ(recent_month_terms(1796083200000 + 31LL * 86400000 - 1, 2), (V{"#2026-12", "#2026-11"}));
  EXPECT_EQ(recent_month_terms(kJan15, 24).size(), 24u);
  EXPECT_EQ(recent_month_terms(kJan15, 24).back(), "#2024-02");
  EXPECT_TRUE(recent_month_terms(kJan15, 0).empty());
}

}  // namespace
}  // namespace aftersales::app
