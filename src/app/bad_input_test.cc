// Bad input the API corpus (tests/api/bad_input_*.test.mjs) found the use cases answering
// wrongly, pinned here against a real SQLite database: each is refused naming its field, and
// nothing is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "app/auth.h"
#include "app/complaints.h"
#include "app/parts.h"
#include "app/repair_log.h"
#include "store/migrations.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

class FixedClock : public Clock {
 public:
  Millis now_ms() const override { return 1'790'000'000'000; }
};

std::vector<std::string> rules(const Error& e) {
  std::vector<std::string> r;
  for (const auto& f : e.errors()) r.push_back(f.field + ":" + f.rule);
  return r;
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-bad-input-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    db_ = store::open_database("sqlite://" + (dir_ / "t.db").string());
    store::migrate_up(*db_);
    db_->write([&](store::Connection& c) {
      c.query("INSERT INTO customers (name, created_at, updated_at) VALUES ('甲', 0, 0)");
      c.query("INSERT INTO projects (customer_id, name, type, created_at, updated_at) VALUES (1, 'p1', 'building', 0, 0)");
      c.query("INSERT INTO users (username, display_name, role, customer_id, password_hash, created_at, updated_at)"
              " VALUES ('boss', 'b', 'admin', NULL, 'x', 0, 0)");
      c.query("INSERT INTO tickets (number, customer_id, project_id, channel, state, title, reported_at, created_at,"
              " updated_at) VALUES ('T1', 1, 1, 'phone', 'new', 'x', 0, 0, 0)");
    });
    admin_ = {1, "boss", "b", "admin", std::nullopt, "session", "r1"};
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  std::int64_t count(const std::string& table) {
    return db_->read([&](store::Connection& c) { return c.query("SELECT count(*) AS n FROM " + table).rows[0].i64("n"); });
  }

  fs::path dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  Actor admin_;
};

TEST_F(BadInputTest, LoginRefusesControlCharactersAndOverlongNamesWithoutRecordingAFailure) {
  AuthService auth(*db_, clock_);
  auto r = auth.login("adm\x1bin", "whatever-1", "r");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), Error::Kind::kValidation);
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"username:control_characters"});
  r = auth.login("boss", std::string("pass\0word", 9), "r");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"password:control_characters"});
  r = auth.login(std::string(65, 'x'), "p", "r");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"username:max_length"});
  r = auth.login("boss", std::string(257, 'x'), "r");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"password:max_length"});
  EXPECT_EQ(count("login_failures"), 0);
}

TEST_F(BadInputTest, PasswordsWithControlCharactersAreRefused) {
  auto e = AuthService::check_password_rule(std::string("long-enough\0", 12), "password");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->rule, "control_characters");
  EXPECT_FALSE(AuthService::check_password_rule("long enough, with spaces", "password"));
}

TEST_F(BadInputTest, APasswordChangeNamesTheNewPasswordAndAVersionOfTheWrongTypeIsNotMissing) {
  AuthService auth(*db_, clock_);
  auto r = auth.change_password(admin_, "anything", "short");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"new_password:min_length"});
  auto p = auth.update_user(admin_, 1, {{"display_name", "新名"}, {"version", "1"}}, std::nullopt);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(rules(p.error()), std::vector<std::string>{"version:type"});
}

TEST_F(BadInputTest, UsersNeedCleanNamesAndValidContactDetails) {
  AuthService auth(*db_, clock_);
  NewUser u{"newbie", std::string("a\0b", 3), "agent", std::nullopt, "long-enough-1", "not-an-email", "call me"};
  auto r = auth.create_user(admin_, u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rules(r.error()),
            (std::vector<std::string>{"display_name:control_characters", "email:format", "phone:format"}));
  auto p = auth.update_user(admin_, 1, {{"display_name", "x\x1b[2J"}, {"phone", std::string(300 * 1024, '1')}}, 1);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(rules(p.error()), (std::vector<std::string>{"display_name:control_characters", "phone:max_length"}));
  EXPECT_EQ(count("users"), 1);
  auto t = auth.create_api_token(admin_, "erp\r\nX-Injected: 1", std::nullopt);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(rules(t.error()), std::vector<std::string>{"name:control_characters"});
  EXPECT_EQ(count("auth_tokens"), 0);
}

TEST_F(BadInputTest, AComplaintActionWithABadPayloadNamesTheFieldBeforeTheState) {
  ComplaintService complaints(*db_, clock_);
  auto c = complaints.create(admin_, {{"project_id", 1}, {"description", "响应慢"}});
  ASSERT_TRUE(c.ok()) << c.error().detail();
  // give_feedback is not allowed in 'logged', but the payload is wrong first.
  auto r = complaints.act(admin_, (*c)["id"].get<std::int64_t>(), "give_feedback", {{"result", 12345}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), Error::Kind::kValidation);
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"result:type"});
  // With a good payload, the state is what is wrong.
  r = complaints.act(admin_, (*c)["id"].get<std::int64_t>(), "give_feedback", {{"result", "已处理"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), Error::Kind::kConflict);
}

TEST_F(BadInputTest, ARepairLogWithABadPayloadNamesTheFieldBeforeTheState) {
  RepairLogService logs(*db_, clock_);
  auto r = logs.create(admin_, 1, {{"work_done", "x"}, {"started_at", "yesterday"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), Error::Kind::kValidation);
  EXPECT_EQ(rules(r.error()), std::vector<std::string>{"started_at:format"});
  r = logs.create(admin_, 1, {{"work_done", "x"}, {"started_at", format_iso8601(clock_.now_ms() - 60'000)}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), Error::Kind::kConflict);  // the request is 'new', not in repair
  EXPECT_EQ(count("repair_logs"), 0);
}

TEST_F(BadInputTest, RepairLogTextsRefuseControlCharacters) {
  RepairLogInput in;
  json body = {{"work_done", std::string("换\0件", 7)},
               {"problems", "\x1b[31m"},
               {"progress_note", "第一行\n第二行\t完"},
               {"started_at", format_iso8601(clock_.now_ms() - 60'000)},
               {"materials", {{{"name", "胶\x07"}, {"quantity", 1}, {"unit", "支\x7f"}}}}};
  std::vector<std::string> got;
  for (const auto& e : parse_repair_log(body, clock_.now_ms(), 0, &in)) got.push_back(e.field + ":" + e.rule);
  EXPECT_EQ(got, (std::vector<std::string>{"work_done:control_characters", "problems:control_characters",
                                           "materials[0].name:control_characters", "materials[0].unit:type"}));
}

TEST_F(BadInputTest, StockMovementTextsRefuseControlCharacters) {
  json base = {{"kind", "adjustment"}, {"part_id", 1}, {"location_id", 1}, {"quantity", -1}};
  json bad = base;
  bad["reason"] = std::string("count\0ed", 8);
  bad["reference"] = "\x1b[31mred";
  std::vector<std::string> got;
  for (const auto& e : check_movement_request(bad)) got.push_back(e.field + ":" + e.rule);
  EXPECT_EQ(got, (std::vector<std::string>{"reason:control_characters", "reference:control_characters"}));
  json ok = base;
  ok["reason"] = "盘点\n差 1 件";
  EXPECT_TRUE(check_movement_request(ok).empty());
}

}  // namespace
}  // namespace aftersales::app
