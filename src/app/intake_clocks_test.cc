// An intake stores a new request's clock columns (next due, next alert, at-risk instant) with
// its row, computed before the write. They must be exactly what re-evaluating the stored clock
// history gives — the rule every later change uses — for every project setting a request can
// meet: calendar, remote site, time zone, a report dated back past its first alerts, a grade
// set at intake.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

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

class IntakeClocksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-intake-clocks-test-" + std::to_string(rd()));
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

TEST_F(IntakeClocksTest, StoredColumnsEqualAFreshEvaluationForEveryProjectSetting) {
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
              const std::int64_t id = (*out)["id"].get<std::int64_t>();
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

TEST_F(IntakeClocksTest, ANewRequestIsDueAndWatched) {
  TicketService tickets(*db_, clock_);
  const std::int64_t project = add_project("cn-7x24", "Asia/Shanghai", false);
  bool replayed = false;
  auto out = tickets.intake(admin_, {{"project_id", project}, {"title", "漏水"}, {"description", "天花板漏水"}}, "", &replayed);
  ASSERT_TRUE(out.ok());
  auto result = db_->read([&](store::Connection& c) {
    return c.query("SELECT next_alert_at, next_due_at, next_milestone, next_risk_at FROM tickets WHERE id = ?",
                   {(*out)["id"].get<std::int64_t>()});
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
  EXPECT_EQ((*out)["next_step"]["due_at"], format_iso8601(r.i64("next_due_at")));
}

}  // namespace
}  // namespace aftersales::app
