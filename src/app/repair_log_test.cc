// The pure checks of a repair-log entry.
#include "app/repair_log.h"

#include <gtest/gtest.h>

namespace aftersales::app {
namespace {

using json = nlohmann::json;

const Millis kNow = 1'790'000'000'000;  // 2026-09-21T...Z
std::string iso(Millis ms) { return format_iso8601(ms); }

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> r;
  for (const auto& e : errors) r.push_back(e.field + ":" + e.rule);
  return r;
}

TEST(ParseRepairLog, AcceptsAFullEntry) {
  RepairLogInput in;
  json body = {{"work_done", "更换压缩机"},
               {"problems", "旧件锈死"},
               {"progress_note", "已恢复制冷"},
               {"visible_to_customer", true},
               {"started_at", iso(kNow - 3600'000)},
               {"ended_at", iso(kNow - 60'000)},
               {"staff_ids", {3, 4}},
               {"parts", {{{"part_id", 1}, {"location_id", 2}, {"quantity", 1}},
                          {{"part_id", 1}, {"location_id", 3}, {"quantity", 2}, {"replaced", false}}}},
               {"materials", {{{"name", "密封胶"}, {"quantity", 0.5}, {"unit", "支"}}}},
               {"attachment_ids", {7}}};
  auto errors = parse_repair_log(body, kNow, kNow - 86400'000, &in);
  EXPECT_TRUE(errors.empty()) << fields(errors).front();
  EXPECT_EQ(in.work_done, "更换压缩机");
  EXPECT_TRUE(in.visible_to_customer);
  EXPECT_EQ(in.started_at, kNow - 3600'000);
  EXPECT_EQ(in.ended_at, kNow - 60'000);
  EXPECT_EQ(in.staff_ids, (std::vector<std::int64_t>{3, 4}));
  ASSERT_EQ(in.parts.size(), 2u);
  EXPECT_TRUE(in.parts[0].replaced);
  EXPECT_FALSE(in.parts[1].replaced);
  EXPECT_EQ(in.parts[1].quantity, 2);
  ASSERT_EQ(in.materials.size(), 1u);
  EXPECT_DOUBLE_EQ(in.materials[0].quantity, 0.5);
  EXPECT_EQ(in.attachment_ids, std::vector<std::int64_t>{7});
}

TEST(ParseRepairLog, MinimalEntryDefaultsToInternalAndTheCaller) {
  RepairLogInput in;
  auto errors = parse_repair_log({{"work_done", "检查"}, {"started_at", iso(kNow)}}, kNow, 0, &in);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(in.visible_to_customer);
  EXPECT_FALSE(in.staff_ids.has_value());
  EXPECT_FALSE(in.ended_at.has_value());
}

TEST(ParseRepairLog, TimesMustBeOrderedAndNotInTheFuture) {
  RepairLogInput in;
  auto e = fields(parse_repair_log({{"work_done", "x"}, {"started_at", iso(kNow - 1000)}, {"ended_at", iso(kNow - 2000)}},
                                   kNow, 0, &in));
  EXPECT_EQ(e, std::vector<std::string>{"ended_at:order"});
  RepairLogInput in2;
  e = fields(parse_repair_log({{"work_done", "x"}, {"started_at", iso(kNow + 3600'000)}, {"ended_at", "tomorrow"}}, kNow, 0, &in2));
  EXPECT_EQ(e, (std::vector<std::string>{"started_at:future", "ended_at:format"}));
  RepairLogInput in3;
  e = fields(parse_repair_log({{"work_done", "x"}, {"started_at", iso(kNow - 7200'000)}}, kNow, kNow - 3600'000, &in3));
  EXPECT_EQ(e, std::vector<std::string>{"started_at:before_report"});
  RepairLogInput in4;  // a little clock skew is tolerated
  EXPECT_TRUE(parse_repair_log({{"work_done", "x"}, {"started_at", iso(kNow + 30'000)}}, kNow, 0, &in4).empty());
}

TEST(ParseRepairLog, ReportsEveryBadField) {
  RepairLogInput in;
  json body = {{"work_done", "  "},
               {"visible_to_customer", "yes"},
               {"staff_ids", json::array()},
               {"parts", {{{"part_id", 1}, {"location_id", 2}, {"quantity", 0}},
                          {{"part_id", 1}, {"location_id", 2}, {"quantity", 1}},
                          {{"part_id", 1}, {"location_id", 2}, {"quantity", 1}},
                          {{"part_id", 1}, {"quantity", 1}, {"colour", "red"}}}},
               {"materials", {{{"quantity", -1}}}},
               {"attachment_ids", {5, 5}},
               {"when", "now"}};
  auto e = fields(parse_repair_log(body, kNow, 0, &in));
  EXPECT_EQ(e, (std::vector<std::string>{"when:unknown", "work_done:required", "visible_to_customer:type",
                                         "started_at:required", "staff_ids:min_items", "attachment_ids[1]:duplicate",
                                         "parts[0].quantity:range", "parts[2]:duplicate", "parts[3].colour:unknown",
                                         "parts[3].location_id:required", "materials[0].name:required",
                                         "materials[0].quantity:range"}));
}

TEST(RepairLogAllowedIn, OnlyRepairStates) {
  EXPECT_TRUE(repair_log_allowed_in("in_repair"));
  EXPECT_TRUE(repair_log_allowed_in("rework"));
  EXPECT_FALSE(repair_log_allowed_in("plan_confirmed"));
  EXPECT_FALSE(repair_log_allowed_in("resolved"));
}

}  // namespace
}  // namespace aftersales::app
