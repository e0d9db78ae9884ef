// The index of each project's newest open requests against reading them: after any mix of new
// requests (back-dated too), state changes out of and back into the open states, moves between
// projects and assets, bodies undone and other processes' writes, whatever the index answers
// must be exactly what load_open_requests reads at that moment — and it must answer, not only
// decline, for the projects it was given.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "app/error.h"
#include "app/open_requests.h"
#include "store/migrations.h"

namespace aftersales::app {
namespace {

namespace fs = std::filesystem;

constexpr Millis kDay = 86400LL * 1000;
constexpr Millis kNow = 1'790'000'000'000;

class OpenRequestIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-open-index-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    url_ = "sqlite://" + (dir_ / "t.db").string();
    db_ = store::open_database(url_);
    store::migrate_up(*db_);
    db_->write([&](store::Connection& c) {
      c.query("INSERT INTO customers (name, created_at, updated_at) VALUES ('甲', 0, 0)");
      for (int p = 1; p <= 3; ++p) {
        c.query("INSERT INTO projects (customer_id, name, type, created_at, updated_at) VALUES (1, ?, 'mep', 0, 0)",
                {"p" + std::to_string(p)});
        for (int a = 0; a < 2; ++a)
          c.query("INSERT INTO assets (project_id, kind, name, created_at, updated_at) VALUES (?, 'equipment', 'a', 0, 0)",
                  {std::int64_t{p}});
      }
    });
    index_ = std::make_shared<OpenRequestIndex>();
    ASSERT_TRUE(db_->watch_rows("tickets", index_));
  }
  void TearDown() override {
    index_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  std::int64_t insert(store::Connection& c, std::int64_t project, const std::string& state, Millis reported_at,
                      std::optional<std::int64_t> asset) {
    return c.query("INSERT INTO tickets (number, customer_id, project_id, asset_id, channel, state, title, reported_at, "
                   "created_at, updated_at) VALUES (?, 1, ?, ?, 'hotline', ?, 't', ?, 0, 0) RETURNING id",
                   {"N" + std::to_string(++numbers_), project, asset ? store::Value(*asset) : store::Value(), state,
                    reported_at})
        .rows[0]
        .i64("id");
  }

  // Reads a project's list the way the intake does and gives it to the index.
  void load(std::int64_t project, Millis since) {
    auto stamp = index_->stamp(project);
    auto rows = db_->read([&](store::Connection& c) {
      return load_open_requests(c, project, since, OpenRequestIndex::kKept);
    });
    index_->keep(project, since, stamp, std::move(rows));
  }

  static std::string describe(const std::vector<OpenRequest>& rows) {
    std::string s;
    for (const auto& r : rows)
      s += std::to_string(r.id) + ":" + r.state + ":" + (r.asset_id ? std::to_string(*r.asset_id) : "-") + ":" +
           std::to_string(r.reported_at) + " ";
    return s;
  }

  // The index's answer equals reading, whenever it answers; true when it did.
  bool agrees(std::int64_t project, Millis since, std::int64_t exclude) {
    auto known = index_->newest(project, since, exclude, 50);
    auto read = db_->read([&](store::Connection& c) {
      std::vector<OpenRequest> out;
      for (auto& r : load_open_requests(c, project, since, 51))
        if (r.id != exclude && out.size() < 50) out.push_back(r);
      return out;
    });
    if (!known) return false;
    EXPECT_EQ(describe(*known), describe(read)) << "project " << project << " since " << since;
    return true;
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<store::Database> db_;
  std::shared_ptr<OpenRequestIndex> index_;
  int numbers_ = 0;
};

TEST_F(OpenRequestIndexTest, AnswersWhatReadingGivesAfterEveryKindOfChange) {
  const std::vector<std::string> states = {"intake", "triaged", "dispatched", "closed", "cancelled", "archived"};
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<std::int64_t> ids;
  // A first write attaches the index (it is reset before any list may be kept).
  db_->write([&](store::Connection& c) { ids.push_back(insert(c, 1, "intake", kNow - 5 * kDay, std::nullopt)); });
  const Millis since = kNow - 91 * kDay;
  for (int p = 1; p <= 3; ++p) load(p, since);
  int answered = 0;
  for (int round = 0; round < 400; ++round) {
    db_->write([&](store::Connection& c) {
      for (int k = 0, n = 1 + pick(4); k < n; ++k) {
        const int what = ids.empty() ? 0 : pick(6);
        const std::int64_t project = 1 + pick(3);
        // Times collide on purpose: ties are ordered by state, asset and id, as the index is.
        const Millis at = kNow - pick(120) * kDay - pick(3) * 1000;
        const std::optional<std::int64_t> asset =
            pick(3) == 0 ? std::nullopt : std::optional<std::int64_t>((project - 1) * 2 + 1 + pick(2));
        if (what <= 1) {
          ids.push_back(insert(c, project, states[pick(3)], at, asset));
        } else {
          const std::int64_t id = ids[pick(static_cast<int>(ids.size()))];
          if (what == 2) c.query("UPDATE tickets SET state = ? WHERE id = ?", {states[pick(6)], id});
          if (what == 3) c.query("UPDATE tickets SET reported_at = ? WHERE id = ?", {at, id});
          if (what == 4) c.query("UPDATE tickets SET project_id = ?, asset_id = ? WHERE id = ?",
                                 {project, asset ? store::Value(*asset) : store::Value(), id});
          if (what == 5) c.query("UPDATE tickets SET asset_id = ? WHERE id = ?",
                                 {asset ? store::Value(*asset) : store::Value(), id});
        }
      }
    });
    // A body undone after its changes: the index must not keep them.
    if (round % 7 == 0) {
      auto undone = db_->write([&](store::Connection& c) -> Outcome<int> {
        insert(c, 1 + pick(3), "intake", kNow, std::nullopt);
        if (!ids.empty()) c.query("UPDATE tickets SET state = 'closed' WHERE id = ?", {ids[0]});
        return Error::Validation({{"x", "test", "undo"}});
      });
      EXPECT_FALSE(undone);
    }
    for (int p = 1; p <= 3; ++p) {
      const Millis check_since = since + pick(3) * kDay;
      const std::int64_t exclude = ids[pick(static_cast<int>(ids.size()))];
      if (agrees(p, check_since, exclude)) ++answered;
      else load(p, since);  // dropped (it ran short): read it again, as the intake does
    }
  }
  EXPECT_GT(answered, 800) << "the index should answer most checks, not decline them";
}

TEST_F(OpenRequestIndexTest, AListThatStopsShortTakesNothingOlderThanItsLast) {
  // 70 open requests, one a day: the list keeps the newest 64 and does not know the other 6.
  std::vector<std::int64_t> ids;
  db_->write([&](store::Connection& c) {
    for (int d = 0; d < 70; ++d) ids.push_back(insert(c, 1, "intake", kNow - (d + 1) * kDay, std::nullopt));
  });
  load(1, kNow - 91 * kDay);
  auto close = [&](int from, int to) {
    db_->write([&](store::Connection& c) {
      for (int d = from; d < to; ++d) c.query("UPDATE tickets SET state = 'closed' WHERE id = ?", {ids[d]});
    });
  };
  close(0, 5);  // 59 held
  // Older than the last held, newer than the first not held: its place is not known.
  db_->write([&](store::Connection& c) { insert(c, 1, "intake", kNow - 65 * kDay - 1000, std::nullopt); });
  close(5, 13);  // 51 held
  EXPECT_TRUE(agrees(1, kNow - 91 * kDay, ids[13]));
  close(13, 14);  // 50: too short to answer for a list that stops short, so it is read again
  EXPECT_FALSE(index_->newest(1, kNow - 91 * kDay, 0, 50));
  load(1, kNow - 91 * kDay);
  EXPECT_TRUE(agrees(1, kNow - 91 * kDay, ids[20]));
}

TEST_F(OpenRequestIndexTest, KeepsTheTextsOfRequestsItWasToldOf) {
  db_->write([&](store::Connection& c) { insert(c, 1, "intake", kNow - kDay, std::nullopt); });
  load(1, kNow - 91 * kDay);
  auto text = std::make_shared<RequestText>();
  text->number = "FW1";
  std::int64_t id = db_->write([&](store::Connection& c) {
    std::int64_t id = insert(c, 1, "intake", kNow, std::nullopt);
    index_->inserted_text(id, text);
    return id;
  });
  db_->write([&](store::Connection& c) { c.query("UPDATE tickets SET state = 'triaged' WHERE id = ?", {id}); });
  auto known = index_->newest(1, kNow - 90 * kDay, 0, 50);
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2u);
  EXPECT_EQ((*known)[0].id, id);
  EXPECT_EQ((*known)[0].state, "triaged");
  EXPECT_EQ((*known)[0].text, text);  // kept through the state change
  EXPECT_EQ((*known)[1].text, nullptr);
}

TEST_F(OpenRequestIndexTest, ForgetsEverythingWhenAnotherConnectionWrites) {
  db_->write([&](store::Connection& c) { insert(c, 1, "intake", kNow - kDay, std::nullopt); });
  load(1, kNow - 91 * kDay);
  ASSERT_TRUE(index_->newest(1, kNow - 90 * kDay, 0, 50));
  {
    // Another process: its own connection, outside this database's writer.
    auto other = store::open_database(url_);
    other->write([&](store::Connection& c) { insert(c, 1, "intake", kNow, std::nullopt); });
  }
  // Noticed at the start of this process's next write, before its bodies run.
  db_->write([&](store::Connection& c) { insert(c, 2, "intake", kNow, std::nullopt); });
  EXPECT_FALSE(index_->newest(1, kNow - 90 * kDay, 0, 50));
  load(1, kNow - 91 * kDay);
  EXPECT_TRUE(agrees(1, kNow - 90 * kDay, 0));
}

TEST_F(OpenRequestIndexTest, KeepsNothingReadBeforeAChangeToTheProject) {
  db_->write([&](store::Connection& c) { insert(c, 1, "intake", kNow - kDay, std::nullopt); });
  auto stamp = index_->stamp(1);
  auto rows = db_->read([&](store::Connection& c) {
    return load_open_requests(c, 1, kNow - 91 * kDay, OpenRequestIndex::kKept);
  });
  db_->write([&](store::Connection& c) { insert(c, 1, "intake", kNow, std::nullopt); });
  index_->keep(1, kNow - 91 * kDay, stamp, std::move(rows));  // stale: refused
  EXPECT_FALSE(index_->newest(1, kNow - 90 * kDay, 0, 50));
  // A change to another project does not spoil a read of this one.
  stamp = index_->stamp(1);
  rows = db_->read([&](store::Connection& c) {
    return load_open_requests(c, 1, kNow - 91 * kDay, OpenRequestIndex::kKept);
  });
  db_->write([&](store::Connection& c) { insert(c, 2, "intake", kNow, std::nullopt); });
  index_->keep(1, kNow - 91 * kDay, stamp, std::move(rows));
  EXPECT_TRUE(agrees(1, kNow - 90 * kDay, 0));
}

TEST_F(OpenRequestIndexTest, NothingIsKeptBeforeTheWriterHasAttachedTheIndex) {
  auto late = std::make_shared<OpenRequestIndex>();
  ASSERT_TRUE(db_->watch_rows("tickets", late));
  auto stamp = late->stamp(1);
  late->keep(1, 0, stamp, {});
  EXPECT_FALSE(late->newest(1, kNow - 90 * kDay, 0, 50));
}

}  // namespace
}  // namespace aftersales::app
