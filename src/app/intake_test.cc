// What an intake computes instead of reading back, against what reading gives:
// - the clock columns (next due, next alert, at-risk instant) stored with the new row must be
//   exactly what re-evaluating the stored clock history gives — the rule every later change
//   uses — for every project setting a request can meet: calendar, remote site, time zone, a
//   report dated back past its first alerts, a grade set at intake;
// - the answer, built from what the write stored and read, must be the request as reading it
//   back shows it, for every kind of caller and every field a new request can carry.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <thread>

#include "app/tickets.h"
#include "common/clock.h"
#include "store/migrations.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr Millis kNow = 1'790'000'000'000;  // 2026-09-21, a Monday, 14:13 in Shanghai

class FixedClock : public Clock {
 public:
  Millis now_ms() const override { return kNow; }
};

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-intake-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    db_ = store::open_database("sqlite://" + (dir_ / "t.db").string());
    store::migrate_up(*db_);
    db_->write([&](store::Connection& c) {
      c.query("INSERT INTO customers (name, created_at, updated_at) VALUES ('甲', 0, 0)");
      c.query("INSERT INTO users (username, display_name, role, customer_id, password_hash, created_at, updated_at)"
              " VALUES ('boss', 'b', 'admin', NULL, 'x', 0, 0)");
    });
    admin_ = {1, "boss", "b", "admin", std::nullopt, "session", "r1"};
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::int64_t add_project(const std::string& calendar, const std::string& zone, bool remote) {
    return db_->write([&](store::Connection& c) {
      return c.query("INSERT INTO projects (customer_id, name, type, calendar, time_zone, remote, created_at, updated_at)"
                     " VALUES (1, ?, 'mep', ?, ?, ?, 0, 0) RETURNING id",
                     {calendar + zone + std::to_string(remote), calendar, zone, std::int64_t{remote ? 1 : 0}})
          .rows[0]
          .i64("id");
    });
  }

  // The clock columns of a request as a comparable string.
  std::string columns(std::int64_t id) {
    return db_->read([&](store::Connection& c) {
      auto result = c.query("SELECT next_alert_at, next_due_at, next_milestone, next_risk_at, sla_grade FROM tickets "
                            "WHERE id = ?", {id});
      const store::Row& r = result.rows[0];  // rows point into their result
      auto cell = [&](const char* col) { return r.is_null(col) ? std::string("null") : r.text(col); };
      return cell("next_alert_at") + " " + cell("next_due_at") + " " + cell("next_milestone") + " " +
             cell("next_risk_at") + " " + cell("sla_grade");
    });
  }

  fs::path dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  Actor admin_;
};

TEST_F(IntakeTest, StoredColumnsEqualAFreshEvaluationForEveryProjectSetting) {
  TicketService tickets(*db_, clock_);
  const std::vector<std::string> texts = {
      "机房空调停机，服务器温度报警",  // an emergency by its words
      "请问保修期到什么时候",          // a consultation
      "卫生间墙面有裂缝，需要修补"};
  const std::vector<Millis> reported = {kNow, kNow - 3 * 3600 * 1000, kNow - 5LL * 24 * 3600 * 1000, kNow + 30 * 1000};
  int checked = 0;
  for (const char* calendar : {"cn-5x8", "cn-7x24"})
    for (const char* zone : {"Asia/Shanghai", "Europe/Berlin"})
      for (bool remote : {false, true}) {
        const std::int64_t project = add_project(calendar, zone, remote);
        for (const auto& text : texts)
          for (Millis at : reported)
            for (const char* grade : {"", "complex"}) {
              json body = {{"project_id", project}, {"title", text}, {"description", text},
                           {"reported_at", format_iso8601(at)}};
              if (*grade) body.update({{"grade", grade}, {"nature", "leakage"}});
              bool replayed = false;
              auto out = tickets.intake(admin_, body, "", &replayed);
              ASSERT_TRUE(out.ok()) << body.dump();
              const std::int64_t id = out->id;
              const std::string stored = columns(id);
              db_->write([&](store::Connection& c) { refresh_ticket_clocks(c, id, kNow); });
              EXPECT_EQ(stored, columns(id)) << body.dump();
              // Every request here is open with alerts to come or overdue: watched and due.
              EXPECT_NE(stored.substr(0, 5), "null ") << body.dump();
              EXPECT_NE(stored.substr(stored.find(' ') + 1, 5), "null ") << body.dump();
              ++checked;
            }
      }
  EXPECT_EQ(checked, 2 * 2 * 2 * 3 * 4 * 2);
}

TEST_F(IntakeTest, ANewRequestIsDueAndWatched) {
  TicketService tickets(*db_, clock_);
  const std::int64_t project = add_project("cn-7x24", "Asia/Shanghai", false);
  bool replayed = false;
  auto out = tickets.intake(admin_, {{"project_id", project}, {"title", "漏水"}, {"description", "天花板漏水"}}, "", &replayed);
  ASSERT_TRUE(out.ok());
  auto result = db_->read([&](store::Connection& c) {
    return c.query("SELECT next_alert_at, next_due_at, next_milestone, next_risk_at FROM tickets WHERE id = ?",
                   {out->id});
  });
  const store::Row& r = result.rows[0];
  ASSERT_FALSE(r.is_null("next_due_at"));
  ASSERT_FALSE(r.is_null("next_alert_at"));
  ASSERT_FALSE(r.is_null("next_risk_at"));
  EXPECT_GT(r.i64("next_due_at"), kNow);
  EXPECT_LE(r.i64("next_risk_at"), r.i64("next_due_at"));
  EXPECT_LE(r.i64("next_alert_at"), r.i64("next_risk_at"));
  EXPECT_FALSE(r.text("next_milestone").empty());
  // The answer's next step is the stored next due.
  EXPECT_EQ(json::parse(out->text)["next_step"]["due_at"], format_iso8601(r.i64("next_due_at")));
}

TEST_F(IntakeTest, TheAnswerIsTheRequestAsReadBack) {
  TicketService tickets(*db_, clock_);
  const std::int64_t bare = add_project("cn-5x8", "Asia/Shanghai", false);
  std::int64_t full = 0, asset = 0, customer_user = 0, attachment = 0;
  db_->write([&](store::Connection& c) {
    full = c.query("INSERT INTO projects (customer_id, name, type, address, calendar, time_zone, remote, completion_date,"
                   " warranty_months, latitude, longitude, created_at, updated_at) VALUES (1, '数据中心', 'data_centre',"
                   " '上海市浦东新区 1 号', 'cn-7x24', 'Asia/Shanghai', 1, '2025-03-01', 24, 31.2, 121.5, 0, 0) RETURNING id")
               .rows[0].i64("id");
    asset = c.query("INSERT INTO assets (project_id, kind, name, critical, warranty_start, warranty_end, created_at, updated_at)"
                    " VALUES (?, 'equipment', '冷水机组 2#', 1, '2025-03-01', '2027-02-28', 0, 0) RETURNING id", {full})
                .rows[0].i64("id");
    customer_user = c.query("INSERT INTO users (username, display_name, role, customer_id, password_hash, created_at,"
                            " updated_at) VALUES ('cust', '客户甲', 'customer', 1, 'x', 0, 0) RETURNING id")
                        .rows[0].i64("id");
    attachment = c.query("INSERT INTO attachments (sha256, size_bytes, content_type, filename, purpose, uploaded_by,"
                         " created_at) VALUES ('ab', 3, 'image/png', 'a.png', 'intake', 1, 0) RETURNING id")
                     .rows[0].i64("id");
  });
  const Actor customer = {customer_user, "cust", "客户甲", "customer", 1, "session", "r2"};
  bool replayed = false;
  auto first = tickets.intake(admin_, {{"project_id", bare}, {"title", "门把手松动"}, {"description", "门把手松动"}}, "", &replayed);
  ASSERT_TRUE(first.ok());
  const std::vector<std::pair<Actor, json>> cases = {
      {admin_, {{"project_id", bare}, {"title", "门把手松动"}, {"description", "门把手松动，需要紧固"}}},
      {admin_, {{"project_id", full}, {"asset_id", asset}, {"channel", "wechat"}, {"title", "冷水机组异响"},
                {"description", "冷水机组运行异响，振动大"}, {"demand", "尽快到场"}, {"contact_name", "王工"},
                {"contact_phone", "13800000000"}, {"contact_email", "wang@example.com"},
                {"reported_at", format_iso8601(kNow - 2 * 3600 * 1000)}, {"duplicate_of_id", nullptr},
                {"attachment_ids", {attachment}}}},
      {admin_, {{"project_id", bare}, {"title", "门把手又松了"}, {"description", "门把手松动"},
                {"duplicate_of_id", first->id}}},
      {customer, {{"project_id", full}, {"title", "机房漏水"}, {"description", "机房空调漏水，地板有积水"}}}};
  for (const auto& [actor, body] : cases) {
    auto answer = tickets.intake(actor, body, "", &replayed);
    ASSERT_TRUE(answer.ok()) << body.dump();
    json got = json::parse(answer->text);
    for (const char* only_at_intake : {"duplicates", "next_step"}) {
      EXPECT_TRUE(got.contains(only_at_intake));
      got.erase(only_at_intake);
    }
    EXPECT_EQ(got["id"], answer->id);
    EXPECT_EQ(got["version"], answer->version);
    auto read = tickets.get(actor, answer->id);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(got, json::parse(read->text)) << "answer: " << got.dump() << "\nread:   " << read->text;
  }
}

TEST_F(IntakeTest, AnAsynchronousIntakeAnswersAsTheWaitingOneDoes) {
  TicketService tickets(*db_, clock_);
  const std::int64_t project = add_project("cn-5x8", "Asia/Shanghai", false);
  // Runs intake_async to its answer; `told_here`: whether `then` was called on this thread.
  auto run_async = [&](const json& body, const std::string& key, bool* replayed, bool* told_here) {
    std::promise<TicketService::IntakeAnswer> told;
    const auto caller = std::this_thread::get_id();
    tickets.intake_async(admin_, body, key, [&](TicketService::IntakeAnswer answer) {
      *told_here = std::this_thread::get_id() == caller;
      told.set_value(std::move(answer));
    });
    auto answer = told.get_future();
    EXPECT_EQ(answer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return answer.get()(replayed);
  };
  bool replayed = true, here = false;
  // Refused before the write: told at once, on the calling thread, as intake() refuses it.
  const json bad = {{"project_id", project}, {"title", ""}, {"description", 5}};
  auto refused = run_async(bad, "", &replayed, &here);
  EXPECT_TRUE(here);
  EXPECT_FALSE(replayed);
  ASSERT_FALSE(refused.ok());
  bool ignored = false;
  auto waited = tickets.intake(admin_, bad, "", &ignored);
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(refused.error().errors().size(), waited.error().errors().size());
  // Refused by the write (no such project): told from the writer, with the write's error.
  auto missing = run_async({{"project_id", project + 100}, {"title", "漏水"}, {"description", "漏水"}}, "", &replayed, &here);
  EXPECT_FALSE(here);
  ASSERT_FALSE(missing.ok());
  ASSERT_EQ(missing.error().errors().size(), 1u);
  EXPECT_EQ(missing.error().errors()[0].field, "project_id");
  // Created: the answer is the request as a read shows it, plus the intake's own fields.
  const json body = {{"project_id", project}, {"title", "卫生间漏水"}, {"description", "卫生间吊顶漏水"}};
  auto created = run_async(body, "key-1", &replayed, &here);
  EXPECT_FALSE(here);
  EXPECT_FALSE(replayed);
  ASSERT_TRUE(created.ok());
  json got = json::parse(created->text);
  EXPECT_TRUE(got.contains("duplicates"));
  EXPECT_TRUE(got.contains("next_step"));
  got.erase("duplicates");
  got.erase("next_step");
  auto read = tickets.get(admin_, created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(got, json::parse(read->text));
  // A retry with the key, either way, replays it; a second one finds the first as a duplicate.
  auto again = run_async(body, "key-1", &replayed, &here);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(replayed);
  EXPECT_EQ(again->id, created->id);
  auto waited_again = tickets.intake(admin_, body, "key-1", &replayed);
  ASSERT_TRUE(waited_again.ok());
  EXPECT_TRUE(replayed);
  EXPECT_EQ(waited_again->id, created->id);
  auto second = run_async(body, "key-2", &replayed, &here);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->id, created->id);
  const json duplicates = json::parse(second->text)["duplicates"];
  ASSERT_FALSE(duplicates.empty());
  EXPECT_EQ(duplicates[0]["id"], created->id);
}

}  // namespace
}  // namespace aftersales::app
