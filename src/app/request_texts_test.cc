#include "app/request_texts.h"

#include <gtest/gtest.h>

namespace aftersales::app {
namespace {

std::shared_ptr<const RequestText> text_of(const std::string& title, std::size_t pairs = 10) {
  auto t = std::make_shared<RequestText>();
  t->number = "FW20261206-0001";
  t->title = title;
  t->pairs.assign(pairs, 1);
  return t;
}

TEST(RequestTextCache, FindsWhatWasPutAndNothingElse) {
  RequestTextCache cache;
  EXPECT_EQ(cache.find(1), nullptr);
  cache.put(1, text_of("漏水"));
  ASSERT_NE(cache.find(1), nullptr);
  EXPECT_EQ(cache.find(1)->title, "漏水");
  EXPECT_EQ(cache.find(2), nullptr);
  cache.put(1, text_of("渗水"));  // a second put replaces, and is counted once
  EXPECT_EQ(cache.find(1)->title, "渗水");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(RequestTextCache, FindsManyInTheOrderAskedWithGapsForTheMissing) {
  RequestTextCache cache(16 * 1024);
  cache.put(1, text_of("一"));
  cache.put(3, text_of("三"));
  auto found = cache.find_many({3, 2, 1, 3});
  ASSERT_EQ(found.size(), 4u);
  ASSERT_NE(found[0], nullptr);
  EXPECT_EQ(found[0]->title, "三");
  EXPECT_EQ(found[1], nullptr);
  ASSERT_NE(found[2], nullptr);
  EXPECT_EQ(found[2]->title, "一");
  EXPECT_EQ(found[3], found[0]);
  EXPECT_TRUE(cache.find_many({}).empty());
}

TEST(RequestTextCache, FindManyKeepsWhatItFindsAsRecentlyUsed) {
  RequestTextCache cache(16 * 1024);
  for (int id = 1; id <= 1000; ++id) {
    cache.put(id, text_of("t", 100));
    if (id > 1) ASSERT_NE(cache.find_many({1})[0], nullptr) << "id 1 is used all along and must stay, at " << id;
  }
}

TEST(RequestTextCache, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  // Each entry is ~96 + 8 × 100 bytes; 16 KiB holds about 18 of them in both generations.
  RequestTextCache cache(16 * 1024);
  for (int id = 1; id <= 1000; ++id) {
    cache.put(id, text_of("t", 100));
    ASSERT_LE(cache.bytes(), 16u * 1024) << "after " << id;
    if (id > 1) ASSERT_NE(cache.find(1), nullptr) << "id 1 is used all along and must stay, at " << id;
  }
  EXPECT_NE(cache.find(1000), nullptr);
  EXPECT_EQ(cache.find(500), nullptr);
  EXPECT_LT(cache.size(), 40u);
  EXPECT_GT(cache.size(), 5u);
}

TEST(RequestTextCache, SkipsATextLargerThanAGeneration) {
  RequestTextCache cache(16 * 1024);
  cache.put(7, text_of("huge", 4000));
  EXPECT_EQ(cache.find(7), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace aftersales::app
