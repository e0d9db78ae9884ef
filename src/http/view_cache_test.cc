// The view cache serves a rendered read again only while nothing was written, only within its
// time to live, only to the caller it was rendered for, and without stampedes.
#include "http/view_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace aftersales::http {
namespace {

struct Fixture {
  std::atomic<std::uint64_t> generation{7};
  ViewCache cache{[this] { return generation.load(); }, 1000};
};

Response body(const std::string& text) {
  Response r;
  r.body = text;
  r.set_header("ETag", "\"3\"");
  return r;
}

TEST(ViewCache, KeepsAViewUntilTheNextWrite) {
  Fixture f;
  auto first = f.cache.lookup("k", 10'000);
  ASSERT_FALSE(first.kept);
  EXPECT_EQ(first.seen, 7u);
  f.cache.put("k", body("v1"), first.seen, 10'000);
  auto second = f.cache.lookup("k", 10'100);
  ASSERT_TRUE(second.kept);
  EXPECT_EQ(second.kept->body, "v1");
  EXPECT_EQ(second.kept->headers, body("v1").headers);

  f.generation++;  // a write transaction ended
  auto third = f.cache.lookup("k", 10'200);
  EXPECT_FALSE(third.kept);
  EXPECT_EQ(third.seen, 8u);
  EXPECT_EQ(f.cache.stats().entries, 0);  // the older generation was dropped whole
}

TEST(ViewCache, DoesNotKeepAViewRenderedAcrossAWrite) {
  Fixture f;
  auto look = f.cache.lookup("k", 0);
  f.generation++;  // committed while the view was being read: it may or may not show the write
  f.cache.put("k", body("maybe stale"), look.seen, 0);
  auto again = f.cache.lookup("k", 1);
  EXPECT_FALSE(again.kept);
}

TEST(ViewCache, ExpiresAfterItsTimeToLive) {
  Fixture f;
  f.cache.put("k", body("v1"), f.cache.lookup("k", 0).seen, 0);
  EXPECT_TRUE(f.cache.lookup("k", 499).kept);
  EXPECT_FALSE(f.cache.lookup("k", 1000).kept);  // (past half-life the lookup at 999 would refresh)
  EXPECT_FALSE(f.cache.lookup("other", 1).kept);
}

TEST(ViewCache, PastHalfItsLifeOneCallerRefreshesWhileOthersAreServed) {
  Fixture f;
  f.cache.put("k", body("v1"), f.cache.lookup("k", 0).seen, 0);
  auto refresher = f.cache.lookup("k", 600);
  EXPECT_FALSE(refresher.kept);  // this caller renders the successor
  for (int i = 0; i < 5; ++i) {
    auto other = f.cache.lookup("k", 650);
    ASSERT_TRUE(other.kept);
    EXPECT_EQ(other.kept->body, "v1");
  }
  f.cache.put("k", body("v2"), refresher.seen, 650);
  auto later = f.cache.lookup("k", 1100);  // v1 would have expired at 1000
  ASSERT_TRUE(later.kept);
  EXPECT_EQ(later.kept->body, "v2");
}

TEST(ViewCache, PeekServesOnlyWhatLookupWouldServeWithoutRendering) {
  Fixture f;
  EXPECT_FALSE(f.cache.peek("k", 0));  // missing: the caller must go and render
  f.cache.put("k", body("v1"), f.cache.lookup("k", 0).seen, 0);
  ASSERT_TRUE(f.cache.peek("k", 100));
  EXPECT_EQ(f.cache.peek("k", 100)->body, "v1");
  EXPECT_FALSE(f.cache.peek("k", 600));  // due for a refresh, and nobody is at it yet
  auto refresher = f.cache.lookup("k", 600);
  ASSERT_FALSE(refresher.kept);
  EXPECT_TRUE(f.cache.peek("k", 700));   // someone is at it: the kept one still serves
  EXPECT_FALSE(f.cache.peek("k", 1000));  // but never past its life
  f.generation++;
  EXPECT_FALSE(f.cache.peek("k", 700));
}

TEST(ViewCache, AnAbandonedRefreshLetsTheNextCallerTry) {
  Fixture f;
  f.cache.put("k", body("v1"), f.cache.lookup("k", 0).seen, 0);
  auto refresher = f.cache.lookup("k", 600);
  ASSERT_FALSE(refresher.kept);
  f.cache.abandon("k", refresher.seen);
  EXPECT_FALSE(f.cache.lookup("k", 610).kept);
}

TEST(ViewCache, CallersOfAViewBeingRenderedWaitForIt) {
  Fixture f;
  auto renderer = f.cache.lookup("k", 0);
  ASSERT_FALSE(renderer.kept);
  std::atomic<int> served{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i)
    waiters.emplace_back([&] {
      auto look = f.cache.lookup("k", 1);
      if (look.kept && look.kept->body == "rendered once") served++;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(served.load(), 0);  // still waiting
  f.cache.put("k", body("rendered once"), renderer.seen, 0);
  for (auto& t : waiters) t.join();
  EXPECT_EQ(served.load(), 4);
  EXPECT_EQ(f.cache.stats().misses, 1);
}

TEST(ViewCache, AFailedRenderReleasesTheWaiters) {
  Fixture f;
  auto renderer = f.cache.lookup("k", 0);
  std::atomic<bool> told_to_render{false};
  std::thread waiter([&] { told_to_render = !f.cache.lookup("k", 1).kept; });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  f.cache.abandon("k", renderer.seen);
  waiter.join();
  EXPECT_TRUE(told_to_render.load());
}

TEST(ViewCache, AWaiterRendersItselfAfterASecond) {
  Fixture f;
  auto renderer = f.cache.lookup("k", 0);  // and never finishes
  const auto t0 = std::chrono::steady_clock::now();
  auto look = f.cache.lookup("k", 1);
  EXPECT_FALSE(look.kept);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
}

TEST(ViewCache, ZeroTimeToLiveKeepsNothing) {
  std::atomic<std::uint64_t> generation{1};
  ViewCache off([&] { return generation.load(); }, 0);
  EXPECT_FALSE(off.enabled());
  off.put("k", body("v"), off.lookup("k", 0).seen, 0);
  EXPECT_FALSE(off.lookup("k", 1).kept);
}

TEST(ViewCache, MemoryIsBounded) {
  std::atomic<std::uint64_t> generation{1};
  ViewCache small([&] { return generation.load(); }, 1000, 16 * 1024);
  small.put("huge", body(std::string(2000, 'x')), small.lookup("huge", 0).seen, 0);  // over 1/16
  EXPECT_FALSE(small.lookup("huge", 1).kept);
  for (int i = 0; i < 100; ++i) {
    std::string key = "k" + std::to_string(i);
    small.put(key, body(std::string(500, 'x')), small.lookup(key, 0).seen, 0);
    EXPECT_LE(small.stats().bytes, 16 * 1024);
  }
}

TEST(ViewKey, NamesPathQueryAndCaller) {
  Request a;
  a.path = "/api/v1/tickets";
  a.query = {{"state", "closed"}, {"limit", "20"}};
  app::Actor staff;
  staff.user_id = 5;
  staff.role = "agent";
  a.actor = staff;
  Request b = a;
  b.query = {{"limit", "20"}, {"state", "closed"}};  // another order, same view
  EXPECT_EQ(view_key(a), view_key(b));

  Request other_user = a;
  other_user.actor->user_id = 6;
  EXPECT_NE(view_key(a), view_key(other_user));
  Request customer = a;
  customer.actor->role = "customer";
  customer.actor->customer_id = 5;
  EXPECT_NE(view_key(a), view_key(customer));
  Request other_query = a;
  other_query.query["state"] = "closed&limit=20";
  EXPECT_NE(view_key(a), view_key(other_query));
  Request glued = a;  // values cannot be glued into other keys
  glued.query = {{"limit", "20state"}, {"", "closed"}};
  EXPECT_NE(view_key(a), view_key(glued));
}

}  // namespace
}  // namespace aftersales::http
