#include "app/similarity.h"

#include <gtest/gtest.h>

namespace aftersales::app {

TEST(Similarity, IdenticalDifferentAndPartial) {
  EXPECT_DOUBLE_EQ(bigram_similarity("机房精密空调故障", "机房精密空调故障"), 1.0);
  EXPECT_DOUBLE_EQ(bigram_similarity("机房精密空调故障", "外墙涂料脱落"), 0.0);
  double close = bigram_similarity("3号机房精密空调停机", "三号机房的精密空调又停机了");
  EXPECT_GT(close, 0.3);
  EXPECT_LT(close, 1.0);
}

TEST(Similarity, IgnoresPunctuationSpaceAndCase) {
  EXPECT_DOUBLE_EQ(bigram_similarity("UPS alarm!", "ups  alarm"), 1.0);
  EXPECT_DOUBLE_EQ(bigram_similarity("漏水，严重。", "漏水严重"), 1.0);
  EXPECT_DOUBLE_EQ(bigram_similarity("", "漏水"), 0.0);
}

}  // namespace aftersales::app
