// Pure rules of the parts catalogue and stock (warranty dates, movement requests), and the stock
// ledger's guarantee against a real SQLite database: a balance never goes below zero.
#include "app/parts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/migrations.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> r;
  for (const auto& e : errors) r.push_back(e.field + ":" + e.rule);
  return r;
}

TEST(AddMonths, ClampsToTheEndOfShorterMonths) {
  EXPECT_EQ(add_months("2025-01-31", 1), "2025-02-28");
  EXPECT_EQ(add_months("2024-01-31", 1), "2024-02-29");
  EXPECT_EQ(add_months("2025-03-15", 12), "2026-03-15");
  EXPECT_EQ(add_months("2025-11-30", 3), "2026-02-28");
  EXPECT_EQ(add_months("2024-02-29", 12), "2025-02-28");
  EXPECT_EQ(add_months("2025-05-10", 0), "2025-05-10");
  EXPECT_EQ(add_months("2025-13-01", 1), std::nullopt);
  EXPECT_EQ(add_months("2025-1-1", 1), std::nullopt);
  EXPECT_EQ(add_months("garbage!!!", 1), std::nullopt);
}

TEST(PartWarrantyUntil, CountsFromTheLocalDateOfReplacement) {
  // 2026-03-31T17:30:00Z is already 1 April in Shanghai (UTC+8).
  const Millis t = 1774978200000;
  EXPECT_EQ(part_warranty_until(t, 12, "Asia/Shanghai"), "2027-04-01");
  EXPECT_EQ(part_warranty_until(t, 12, "UTC"), "2027-03-31");
  EXPECT_EQ(part_warranty_until(t, 0, "Asia/Shanghai"), std::nullopt);
  EXPECT_EQ(part_warranty_until(t, 1, "Not/AZone"), "2026-05-01");  // falls back to Asia/Shanghai
}

TEST(CheckMovementRequest, AcceptsEachKind) {
  EXPECT_TRUE(check_movement_request({{"kind", "receipt"}, {"part_id", 1}, {"location_id", 2}, {"quantity", 5},
                                      {"unit_cost", 12.5}, {"reference", "DN-1"}})
                  .empty());
  EXPECT_TRUE(check_movement_request({{"kind", "adjustment"}, {"part_id", 1}, {"location_id", 2}, {"quantity", -3},
                                      {"reason", "stocktake"}})
                  .empty());
  EXPECT_TRUE(check_movement_request({{"kind", "transfer"}, {"part_id", 1}, {"location_id", 2}, {"to_location_id", 3},
                                      {"quantity", 1}})
                  .empty());
  EXPECT_TRUE(check_movement_request({{"kind", "return"}, {"part_id", 1}, {"location_id", 2}, {"ticket_id", 9},
                                      {"quantity", 1}})
                  .empty());
}

TEST(CheckMovementRequest, ReportsEveryBadField) {
  EXPECT_EQ(fields(check_movement_request({{"kind", "issue"}})), std::vector<std::string>{"kind:enum"});
  EXPECT_EQ(fields(check_movement_request(json::object())), std::vector<std::string>{"kind:required"});
  auto e = fields(check_movement_request({{"kind", "receipt"}, {"part_id", "x"}, {"quantity", 0}, {"extra", 1}}));
  EXPECT_EQ(e, (std::vector<std::string>{"extra:unknown", "part_id:type", "location_id:required", "quantity:range"}));
  e = fields(check_movement_request({{"kind", "adjustment"}, {"part_id", 1}, {"location_id", 2}, {"quantity", 0}}));
  EXPECT_EQ(e, (std::vector<std::string>{"quantity:range", "reason:required"}));
  e = fields(check_movement_request({{"kind", "transfer"}, {"part_id", 1}, {"location_id", 2}, {"to_location_id", 2},
                                     {"quantity", 1.5}, {"unit_cost", 3}}));
  EXPECT_EQ(e, (std::vector<std::string>{"unit_cost:unknown", "to_location_id:distinct", "quantity:type"}));
  e = fields(check_movement_request({{"kind", "return"}, {"part_id", 1}, {"location_id", 2}, {"quantity", 1}}));
  EXPECT_EQ(e, std::vector<std::string>{"ticket_id:required"});
}

class StockLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-parts-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    db_ = store::open_database("sqlite://" + (dir_ / "t.db").string());
    store::migrate_up(*db_);
    db_->write([&](store::Connection& c) {
      c.query("INSERT INTO parts (code, name, created_at, updated_at) VALUES ('P-1', '滤网', 0, 0)");
      c.query("INSERT INTO stock_locations (name, kind, created_at, updated_at) VALUES ('主仓', 'warehouse', 0, 0)");
    });
    actor_ = {1, "proc", "采购", "procurement", std::nullopt, "session", "r1"};
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  Outcome<json> change(std::int64_t qty, const std::string& kind) {
    return write_or_rollback(*db_, [&](store::Connection& c) {
      StockChange ch;
      ch.part_id = 1;
      ch.location_id = 1;
      ch.kind = kind;
      ch.quantity = qty;
      return apply_stock_change(c, actor_, ch, 1000);
    });
  }
  std::int64_t balance() {
    return db_->read([](store::Connection& c) {
      auto r = c.query("SELECT quantity FROM stock_levels WHERE part_id = 1 AND location_id = 1");
      return r.empty() ? std::int64_t{-1} : r.rows[0].i64("quantity");
    });
  }
  std::int64_t movements() {
    return db_->read([](store::Connection& c) { return c.query("SELECT count(*) AS n FROM stock_movements").rows[0].i64("n"); });
  }
  fs::path dir_;
  std::unique_ptr<store::Database> db_;
  Actor actor_;
};

TEST_F(StockLedgerTest, ReceiptsAddAndIssuesNeverGoBelowZero) {
  auto none = change(-1, "issue");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), Error::Kind::kConflict);
  EXPECT_NE(none.error().detail().find("0 available"), std::string::npos) << none.error().detail();
  EXPECT_EQ(movements(), 0);

  auto in = change(5, "receipt");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ((*in)["balance_after"], 5);
  auto out = change(-3, "issue");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["balance_after"], 2);
  EXPECT_EQ((*out)["quantity"], -3);

  auto short_ = change(-3, "issue");
  ASSERT_FALSE(short_.ok());
  EXPECT_NE(short_.error().detail().find("P-1"), std::string::npos);
  EXPECT_NE(short_.error().detail().find("主仓"), std::string::npos);
  EXPECT_NE(short_.error().detail().find("2 available"), std::string::npos);
  EXPECT_EQ(balance(), 2);
  EXPECT_EQ(movements(), 2);
}

TEST_F(StockLedgerTest, AnErrorRollsBackEverythingWrittenBefore) {
  ASSERT_TRUE(change(4, "receipt").ok());
  auto out = write_or_rollback(*db_, [&](store::Connection& c) -> Outcome<json> {
    StockChange ch;
    ch.part_id = 1;
    ch.location_id = 1;
    ch.kind = "issue";
    ch.quantity = -3;
    auto first = apply_stock_change(c, actor_, ch, 1000);
    EXPECT_TRUE(first.ok());
    return apply_stock_change(c, actor_, ch, 1000);  // 1 left: short
  });
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(balance(), 4);
  EXPECT_EQ(movements(), 1);
}

}  // namespace
}  // namespace aftersales::app
