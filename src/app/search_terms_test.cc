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

}  // namespace
}  // namespace aftersales::app
