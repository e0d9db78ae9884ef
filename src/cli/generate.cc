// `aftersales generate`: a large, realistic synthetic data set for benchmarks and capacity
// tests — customers, projects of every type, asset trees, teams and staff, and service
// requests spread over several years with their timeline events, clock history, visits,
// diagnoses and plans, follow-up surveys and the search index.
//
// Rows are written with explicit ids in multi-row INSERTs inside large transactions, so that a
// million requests load in minutes on SQLite and PostgreSQL alike. Old requests are closed or
// archived; the last weeks hold the open work, as in a real service department. Requests that
// are still open get their clocks computed by the same code the server uses.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "app/search_terms.h"
#include "app/ticket_search.h"
#include "app/ticket_sla.h"
#include "app/tickets.h"
#include "cli/commands.h"
#include "common/clock.h"
#include "common/log.h"
#include "store/migrations.h"

namespace aftersales::cli {
namespace {

using json = nlohmann::json;
using store::Value;
constexpr Millis kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

// Collects rows for one table and writes them as multi-row INSERTs.
class BulkInsert {
 public:
  // `parent`, if any, holds the rows these refer to: it is flushed first.
  BulkInsert(store::Connection& c, std::string table, std::vector<std::string> columns, BulkInsert* parent = nullptr)
      : c_(c), table_(std::move(table)), columns_(std::move(columns)), parent_(parent) {
    // Stay well below SQLite's 32766 bound parameters per statement.
    per_statement_ = std::max<size_t>(1, std::min<size_t>(500, 30000 / columns_.size()));
  }
  void add(std::vector<Value> row) {
    for (auto& v : row) pending_.push_back(std::move(v));
    if (++rows_ == per_statement_) flush();
  }
  void flush() {
    if (rows_ == 0) return;
    if (parent_) parent_->flush();
    std::string sql = "INSERT INTO " + table_ + " (";
    for (size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", " : "") + columns_[i];
    sql += ") VALUES ";
    std::string one = "(";
    for (size_t i = 0; i < columns_.size(); ++i) one += i ? ", ?" : "?";
    one += ")";
    for (size_t r = 0; r < rows_; ++r) sql += (r ? ", " : "") + one;
    c_.query(sql, pending_);
    pending_.clear();
    rows_ = 0;
  }

 private:
  store::Connection& c_;
  std::string table_;
  std::vector<std::string> columns_;
  BulkInsert* parent_;
  size_t per_statement_;
  size_t rows_ = 0;
  std::vector<Value> pending_;
};

struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  int in(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(g); }
  double unit() { return std::uniform_real_distribution<double>(0, 1)(g); }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<size_t>(in(0, static_cast<int>(v.size()) - 1))]; }
};

struct City {
  const char* name;
  double lat, lon;
};
const std::vector<City> kCities = {{"上海市", 31.23, 121.47}, {"苏州市", 31.30, 120.58}, {"杭州市", 30.27, 120.15},
                                   {"南京市", 32.06, 118.80}, {"无锡市", 31.49, 120.31}, {"宁波市", 29.87, 121.54},
                                   {"合肥市", 31.82, 117.23}, {"北京市", 39.90, 116.40}, {"深圳市", 22.54, 114.06},
                                   {"广州市", 23.13, 113.26}, {"成都市", 30.57, 104.07}, {"武汉市", 30.59, 114.31}};
const std::vector<std::string> kCompanyWords = {"华鑫", "恒远", "中建", "宏图", "瑞丰", "金桥", "东方", "远景", "新城",
                                                "万通", "德信", "联创", "汇通", "盛世", "泰和", "明珠", "海纳", "天诚"};
const std::vector<std::string> kIndustries = {"置业", "数据科技", "物流", "医药", "商业管理", "电子", "制造", "酒店管理",
                                              "教育投资", "金融服务"};
const std::vector<std::string> kProjectTypes = {"building", "decoration", "mep", "curtain_wall", "steel_structure",
                                                "data_centre"};
const std::vector<std::string> kTiers = {"standard", "standard", "standard", "key", "strategic"};
const std::vector<std::string> kChannels = {"hotline", "hotline", "hotline", "portal", "portal", "email", "api",
                                            "monitoring", "maintenance_plan"};

struct Fault {
  const char* nature;
  const char* grade;
  const char* title;
  const char* detail;
};
// Typical reports by project type; {n} is a number, {loc} a place in the building.
const std::map<std::string, std::vector<Fault>> kFaults = {
    {"data_centre",
     {{"equipment_failure", "emergency", "{loc}精密空调高压报警停机", "动环监控告警，{loc}精密空调 CRAC-{n} 高压报警后停机，冷通道温度持续上升。"},
      {"electrical", "emergency", "UPS-{n} 逆变器故障转旁路", "UPS-{n} 逆变器故障，已切换至旁路运行，负载失去后备保护。"},
      {"equipment_failure", "medium", "蓄电池组单体电压偏低", "电池室 BAT-{n} 单体浮充电压低于告警阈值，持续 30 分钟。"},
      {"fire_safety", "medium", "{loc}气体灭火控制盘故障灯亮", "气体灭火控制盘显示第 {n} 防护区故障，需检查线路。"},
      {"consultation", "consultation", "咨询动环告警短信接收人设置", "值班员需要接收告警短信，想了解如何增加接收人。"}}},
    {"curtain_wall",
     {{"leakage", "medium", "{loc}幕墙渗漏", "暴雨后{loc}窗台下方渗水，地面湿了约 {n} 平方米，窗框内侧有水渍。"},
      {"hardware_damage", "simple", "{loc}开启扇窗撑断裂", "{loc}上悬开启扇窗撑断裂，窗扇无法关闭，有坠落隐患。"},
      {"structural_safety", "emergency", "{loc}玻璃面板自爆", "{loc}一块中空玻璃外片自爆，碎片有坠落风险，已拉警戒线。"},
      {"coating_damage", "general_defect", "铝板幕墙涂层褪色", "{loc}铝板幕墙涂层明显褪色、粉化，面积约 {n} 平方米。"}}},
    {"steel_structure",
     {{"coating_damage", "simple", "钢柱涂层破损锈蚀", "{loc}钢柱距地 0.5–1.5m 涂层起皮、破损，局部点状锈蚀约 {n} 平方米。"},
      {"loose_connection", "simple", "屋面异响疑似檩条螺栓松动", "大风天{loc}屋面持续异响，疑似檩条连接螺栓松动。"},
      {"deformation", "complex", "雨棚钢梁下挠", "{loc}雨棚悬挑端明显下挠约 {n} 厘米，根部支座螺栓松动。"},
      {"leakage", "medium", "彩钢屋面漏水", "{loc}彩钢板屋面搭接处漏水，雨天滴水 {n} 处。"}}},
    {"mep",
     {{"electrical", "medium", "{loc}照明回路频繁跳闸", "{loc}照明配电箱第 {n} 回路频繁跳闸，合闸后约半小时又跳。"},
      {"hvac", "complex", "冷水机组运行异响", "冷冻机房冷水机组 CH-{n} 运行有金属异响，出水温度偏高。"},
      {"plumbing", "simple", "{loc}地漏返味排水慢", "{loc}卫生间地漏返味、排水慢，已持续 {n} 天。"},
      {"hvac", "simple", "{loc}风机盘管漏水", "{loc}吊顶风机盘管冷凝水盘漏水，吊顶有水渍。"},
      {"fire_safety", "medium", "{loc}烟感误报", "{loc}烟感探测器频繁误报，消防主机记录 {n} 次。"}}},
    {"decoration",
     {{"hardware_damage", "simple", "{loc}门锁损坏", "{loc}办公室门锁把手松脱，门无法锁闭。"},
      {"other", "general_defect", "{loc}墙面开裂", "{loc}墙面出现 {n} 条细裂缝，长度约 1 米。"},
      {"leakage", "simple", "{loc}吊顶渗水", "{loc}吊顶有水渍，疑似上层管道渗漏。"},
      {"other", "feedback", "意见反馈：施工人员未提前预约", "上次维修人员未提前预约即到场，希望以后提前一天电话预约。"}}},
    {"building",
     {{"leakage", "medium", "{loc}外墙渗水", "{loc}外墙内侧渗水，墙面涂料起鼓，面积约 {n} 平方米。"},
      {"structural_safety", "emergency", "{loc}楼板裂缝", "{loc}楼板出现贯穿裂缝，宽度约 {n} 毫米，担心结构安全。"},
      {"plumbing", "simple", "{loc}给水管接头滴水", "{loc}给水管接头滴水，已关闭阀门。"},
      {"other", "complaint", "投诉：维修拖延", "报修 {n} 天仍未处理完毕，影响正常使用，要求给出处理时间。"}}},
};
const std::vector<std::string> kPlaces = {"1F 大堂", "2F 东侧办公区", "3F 会议室", "5F 走廊", "8F 茶水间", "12 层南立面",
                                          "18 层会议室", "B1 设备房", "屋面", "1# 仓库东侧", "3 号月台", "301 主机房 A 区",
                                          "地下车库", "南立面", "西侧楼梯间", "7F 卫生间"};
const std::vector<std::string> kMilestones = {"acknowledge", "respond", "depart", "arrive_on_site", "propose_solution",
                                              "resolve"};
const std::vector<std::string> kOpenStates = {"intake",   "triaged",    "responded",  "dispatched", "en_route",
                                              "on_site",  "diagnosed",  "plan_review", "plan_approved", "in_repair",
                                              "self_checked", "internally_accepted", "resolved"};
// How far along the milestones a state is (index into kMilestones, exclusive).
int milestones_reached(const std::string& state) {
  static const std::map<std::string, int> m = {
      {"intake", 0},      {"triaged", 1},       {"responded", 2},     {"dispatched", 2},   {"en_route", 3},
      {"on_site", 4},     {"diagnosed", 4},     {"plan_review", 5},   {"plan_approved", 5}, {"in_repair", 5},
      {"self_checked", 5}, {"internally_accepted", 5}, {"resolved", 6}, {"closed", 6},     {"archived", 6},
      {"cancelled", 1}};
  return m.at(state);
}

std::string fill(std::string s, const std::string& loc, int n) {
  for (size_t p; (p = s.find("{loc}")) != std::string::npos;) s.replace(p, 5, loc);
  for (size_t p; (p = s.find("{n}")) != std::string::npos;) s.replace(p, 3, std::to_string(n));
  return s;
}

std::int64_t next_id(store::Connection& c, const std::string& table) {
  return c.query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM " + table).rows[0].i64("n");
}

}  // namespace

int run_generate(const Settings& s, const GenerateArgs& a) {
  log::set_level(s.log_level);
  store::DatabaseOptions options;
  options.durable = false;  // a failed load is simply run again; the final commit is flushed below
  auto db = store::open_database(s.database_url(), options);
  store::migrate_up(*db);
  Rng rng(a.seed);
  SystemClock clock;
  const Millis now = clock.now_ms();
  const Millis start = now - static_cast<Millis>(a.years * 365.25 * kDay);
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  auto conn = db->acquire();
  store::Connection& c = *conn;
  const bool pg = c.dialect() == store::Dialect::kPostgres;
  if (!pg) c.exec_script("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");

  // ---- organisation: departments, service centres, teams, staff
  c.begin(true);
  const std::int64_t dep0 = next_id(c, "departments"), sc0 = next_id(c, "service_centres"), team0 = next_id(c, "teams"),
                     staff0 = next_id(c, "staff"), cust0 = next_id(c, "customers"), proj0 = next_id(c, "projects"),
                     asset0 = next_id(c, "assets"), t0id = next_id(c, "tickets");
  {
    BulkInsert deps(c, "departments", {"id", "name", "description"});
    for (int i = 0; i < 4; ++i)
      deps.add({dep0 + i, std::string("生成-售后服务") + std::to_string(i + 1) + "部", "generated"});
    deps.flush();
    BulkInsert centres(c, "service_centres", {"id", "name", "address", "latitude", "longitude"});
    for (size_t i = 0; i < kCities.size(); ++i)
      centres.add({sc0 + static_cast<std::int64_t>(i), std::string(kCities[i].name) + "服务中心（生成）" + std::to_string(sc0 + i),
                   std::string(kCities[i].name), kCities[i].lat, kCities[i].lon});
    centres.flush();
    BulkInsert teams(c, "teams", {"id", "name", "department_id", "service_centre_id", "skills", "areas"});
    const std::vector<std::string> skills = {R"(["electrical","hvac","plumbing","low_voltage"])",
                                             R"(["dc_power","dc_cooling","electrical","fire_safety"])",
                                             R"(["curtain_wall","waterproofing"])", R"(["steel_structure","coating"])",
                                             R"(["decoration","waterproofing"])"};
    for (int i = 0; i < a.teams; ++i) {
      const City& city = kCities[static_cast<size_t>(i) % kCities.size()];
      teams.add({team0 + i, std::string(city.name) + "生成班组" + std::to_string(team0 + i), dep0 + (i % 4),
                 sc0 + static_cast<std::int64_t>(static_cast<size_t>(i) % kCities.size()), skills[static_cast<size_t>(i) % skills.size()],
                 json::array({city.name}).dump()});
    }
    teams.flush();
    BulkInsert staff(c, "staff", {"id", "name", "team_id", "home_centre_id", "phone", "skills", "created_at", "updated_at"});
    const std::vector<std::string> surnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    for (int i = 0; i < a.teams * 8; ++i) {
      const int team = i / 8;
      staff.add({staff0 + i, surnames[static_cast<size_t>(i) % surnames.size()] + "工" + std::to_string(staff0 + i),
                 team0 + team, sc0 + static_cast<std::int64_t>(static_cast<size_t>(team) % kCities.size()),
                 "139" + std::to_string(10000000 + i), std::string("[]"), start, start});
    }
    staff.flush();
  }

  // ---- customers, projects, assets
  struct ProjectInfo {
    std::int64_t id, customer;
    std::string type;
    std::int64_t first_asset;
    int assets;
    std::int64_t team;
  };
  std::vector<ProjectInfo> projects;
  projects.reserve(static_cast<size_t>(a.projects));
  {
    BulkInsert customers(c, "customers", {"id", "name", "tier", "address", "created_at", "updated_at"});
    for (int i = 0; i < a.customers; ++i) {
      const City& city = kCities[static_cast<size_t>(i) % kCities.size()];
      customers.add({cust0 + i, std::string(city.name).substr(0, 6) + rng.pick(kCompanyWords) + rng.pick(kIndustries) +
                                    "有限公司（" + std::to_string(cust0 + i) + "）",
                     rng.pick(kTiers), std::string(city.name), start, start});
    }
    customers.flush();
    BulkInsert proj(c, "projects", {"id", "customer_id", "name", "type", "address", "latitude", "longitude",
                                    "completion_date", "warranty_months", "calendar", "created_at", "updated_at"});
    BulkInsert assets(c, "assets", {"id", "project_id", "parent_id", "kind", "name", "category", "serial_number",
                                    "critical", "created_at", "updated_at"});
    const int per_project = std::max(1, a.assets / std::max(1, a.projects));
    std::int64_t next_asset = asset0;
    for (int i = 0; i < a.projects; ++i) {
      const std::int64_t id = proj0 + i;
      const std::int64_t customer = cust0 + (i % a.customers);
      const std::string type = kProjectTypes[static_cast<size_t>(rng.in(0, static_cast<int>(kProjectTypes.size()) - 1))];
      const City& city = kCities[static_cast<size_t>(i) % kCities.size()];
      const Millis done = start + static_cast<Millis>(rng.unit() * static_cast<double>(now - start) * 0.5);
      const auto day = date::year_month_day(date::floor<date::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(done))));
      proj.add({id, customer, std::string(city.name) + rng.pick(kCompanyWords) + "项目" + std::to_string(id), type,
                std::string(city.name) + "某路 " + std::to_string(rng.in(1, 999)) + " 号", city.lat + rng.unit() * 0.2 - 0.1,
                city.lon + rng.unit() * 0.2 - 0.1, date::format("%F", day), std::int64_t{rng.chance(0.3) ? 60 : 24},
                type == "data_centre" ? std::string("cn-7x24") : std::string("cn-5x8"), start, start});
      projects.push_back({id, customer, type, next_asset, per_project, team0 + (i % a.teams)});
      next_asset += per_project;
    }
    proj.flush();  // before the assets that refer to them
    for (const ProjectInfo& p : projects)
      for (int k = 0; k < p.assets; ++k) {
        const std::int64_t asset = p.first_asset + k;
        assets.add({asset, p.id, k == 0 ? Value() : Value(p.first_asset), std::string(k == 0 ? "building" : "equipment"),
                    k == 0 ? std::string("主楼") : rng.pick(kPlaces) + " 设备 " + std::to_string(k), p.type,
                    "SN" + std::to_string(asset), std::int64_t{k % 10 == 1 ? 1 : 0}, start, start});
      }
    assets.flush();
  }
  c.commit();
  std::cerr << "generate: " << a.customers << " customers, " << a.projects << " projects, "
            << (a.assets / std::max(1, a.projects)) * a.projects << " assets, " << a.teams << " teams in "
            << static_cast<int>(elapsed()) << " s\n";

  // ---- service requests, in batches of their own transactions
  std::map<std::string, std::int64_t> day_counters;
  for (const auto& r : c.query("SELECT day, value FROM daily_counters").rows) day_counters[r.text("day")] = r.i64("value");
  // Numbers already handed out without a counter (imported or demo requests) are not reused.
  for (const auto& r : c.query("SELECT number FROM tickets WHERE number LIKE 'FW%'").rows) {
    const std::string number = r.text("number");
    if (number.size() < 13 || number[10] != '-') continue;
    auto& counter = day_counters[number.substr(2, 8)];
    counter = std::max<std::int64_t>(counter, std::atoll(number.c_str() + 11));
  }
  std::vector<Millis> times(static_cast<size_t>(a.requests));
  // More requests in later years (more projects handed over), sorted so numbers follow time.
  for (auto& t : times) t = start + static_cast<Millis>(std::sqrt(rng.unit()) * static_cast<double>(now - start - kHour));
  std::sort(times.begin(), times.end());
  const int batch = 20000;
  std::int64_t events = 0, visits = 0, records = 0, surveys = 0;
  for (int b0 = 0; b0 < a.requests; b0 += batch) {
    c.begin(true);
    std::vector<std::string> ticket_columns = {"id", "number", "customer_id", "project_id", "asset_id", "channel", "state",
                                               "grade", "nature", "title", "description", "demand", "contact_name",
                                               "contact_phone", "reported_at", "created_at", "updated_at", "team_id",
                                               "assignee_staff_id", "closed_at", "sla_grade"};
    // PostgreSQL keeps the search terms on the row: written with it, not by one UPDATE per request.
    if (pg) ticket_columns.push_back("search_terms");
    BulkInsert tickets(c, "tickets", ticket_columns);
    BulkInsert ev(c, "ticket_events", {"ticket_id", "at", "actor_name", "actor_role", "type", "action", "from_state",
                                       "to_state", "data_json"}, &tickets);
    BulkInsert sla(c, "ticket_sla_events", {"ticket_id", "kind", "at", "grade", "milestone"}, &tickets);
    BulkInsert vis(c, "visits", {"ticket_id", "seq", "departed_at", "arrived_at", "left_at", "latitude", "longitude",
                                 "staff_ids"}, &tickets);
    BulkInsert rec(c, "ticket_records", {"ticket_id", "kind", "seq", "data_json", "created_at"}, &tickets);
    BulkInsert fol(c, "follow_ups", {"ticket_id", "offset_months", "due_date", "due_at", "closed_at", "state",
                                     "survey_source", "surveyed_at", "score_response_speed", "score_attitude",
                                     "score_competence", "score_effectiveness", "score_communication", "created_at",
                                     "updated_at"}, &tickets);
    BulkInsert alerts(c, "ticket_alerts", {"ticket_id", "milestone", "step", "fired_at", "notify_role"}, &tickets);
    std::vector<std::int64_t> open_ids;
    const int end = std::min(a.requests, b0 + batch);
    for (int i = b0; i < end; ++i) {
      const std::int64_t id = t0id + i;
      const Millis reported = times[static_cast<size_t>(i)];
      const ProjectInfo& p = projects[static_cast<size_t>(rng.in(0, static_cast<int>(projects.size()) - 1))];
      const auto& faults = kFaults.count(p.type) ? kFaults.at(p.type) : kFaults.at("building");
      const Fault& f = rng.pick(faults);
      const std::string loc = rng.pick(kPlaces);
      const int n = rng.in(1, 30);
      const std::string day = date::format("%Y%m%d", date::floor<date::days>(std::chrono::sys_time<std::chrono::milliseconds>(
                                                             std::chrono::milliseconds(reported + 8 * kHour))));
      char seq[16];
      std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(++day_counters[day]));
      const std::string number = "FW" + day + "-" + seq;
      const Millis age = now - reported;
      std::string state;
      if (age > 45 * kDay) state = rng.chance(0.04) ? "cancelled" : rng.chance(0.7) ? "archived" : "closed";
      else if (age > 10 * kDay) state = rng.chance(0.85) ? "closed" : rng.pick(kOpenStates);
      else state = rng.pick(kOpenStates);
      const bool open = state != "closed" && state != "archived" && state != "cancelled";
      const int reached = milestones_reached(state);
      const Millis step = (f.grade == std::string("emergency") ? 20 : 90) * kMinute;
      const Millis last = reported + step * reached;
      const Millis closed_at = open || state == "cancelled" ? 0 : last + kDay;
      const std::int64_t staff = staff0 + (p.team - team0) * 8 + rng.in(0, 7);
      const std::string title = fill(f.title, loc, n);
      const std::string description = fill(f.detail, loc, n);
      std::vector<Value> row = {id, number, p.customer, p.id, p.first_asset + rng.in(0, p.assets - 1), rng.pick(kChannels), state,
                   state == "intake" ? Value() : Value(std::string(f.grade)),
                   state == "intake" ? Value() : Value(std::string(f.nature)), title, description,
                   std::string("尽快安排处理。"), std::string("联系人") + std::to_string(n), std::string("13800000000"),
                   reported, reported, std::max(last, closed_at), reached >= 2 ? Value(p.team) : Value(),
                   reached >= 3 || state == "dispatched" ? Value(staff) : Value(), closed_at ? Value(closed_at) : Value(), std::string(f.grade)};
      if (pg) row.push_back(app::pg_row_terms(number, title, description, reported));
      tickets.add(std::move(row));
      if (!pg) app::index_ticket_text(c, id, number, title, description, reported);
      ev.add({id, reported, std::string("生成"), std::string("agent"), std::string("request_created"), Value(), Value(),
              std::string("intake"), json{{"number", number}}.dump()});
      sla.add({id, std::string("created"), reported, std::string(f.grade), Value()});
      std::string from = "intake";
      for (int m = 0; m < reached; ++m) {
        const Millis at = reported + step * (m + 1);
        sla.add({id, std::string("milestone"), at, Value(), kMilestones[static_cast<size_t>(m)]});
        ev.add({id, at, std::string("生成"), std::string("dispatcher"), std::string("transition"),
                kMilestones[static_cast<size_t>(m)], from, m + 1 == reached ? state : from, std::string("{}")});
      }
      events += 1 + reached;
      if (rng.chance(0.06))
        alerts.add({id, std::string("resolve"), std::string("100"), reported + 2 * kDay, std::string("service_manager")});
      if (reached >= 4) {
        vis.add({id, std::int64_t{1}, reported + step * 3, reported + step * 4, reported + step * 5, 31.2, 121.4,
                 json::array({staff}).dump()});
        rec.add({id, std::string("diagnosis"), std::int64_t{1},
                 json{{"findings", description}, {"cause", "材料老化"}, {"measurements", json::array()}}.dump(),
                 reported + step * 4});
        ++visits, ++records;
      }
      if (reached >= 5 && rng.chance(0.4)) {
        rec.add({id, std::string("plan"), std::int64_t{1},
                 json{{"summary", "更换损坏部件并做闭水试验"}, {"estimated_hours", rng.in(2, 16)}}.dump(), reported + step * 5});
        ++records;
      }
      if (closed_at && rng.chance(0.5)) {
        const Millis due = closed_at + 30 * kDay;
        const bool answered = due < now && rng.chance(0.7);
        const auto due_day = date::floor<date::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(due)));
        auto score = [&] { return answered ? Value(std::int64_t{rng.in(3, 5)}) : Value(); };
        fol.add({id, std::int64_t{1}, date::format("%F", due_day), due, closed_at,
                 std::string(due >= now ? "scheduled" : answered ? "done" : "missed"),
                 answered ? Value(std::string("staff")) : Value(), answered ? Value(due) : Value(), score(), score(),
                 score(), score(), score(), closed_at, closed_at});
        ++surveys;
      }
      if (open) open_ids.push_back(id);
    }
    for (auto* bulk : {&tickets, &ev, &sla, &vis, &rec, &fol, &alerts}) bulk->flush();
    // Open work gets real clocks, computed by the server's own code.
    for (std::int64_t id : open_ids) app::refresh_ticket_clocks(c, id, now);
    c.commit();
    const double secs = elapsed();
    std::cerr << "generate: requests " << end << "/" << a.requests << " (" << (100LL * end / a.requests) << " %), "
              << static_cast<long long>(end / std::max(secs, 0.001)) << " /s\n";
  }
  c.begin(true);
  for (const auto& [day, value] : day_counters)
    c.query("INSERT INTO daily_counters (day, value) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET value = excluded.value",
            {day, value});
  if (pg) {
    for (const char* t : {"departments", "service_centres", "teams", "staff", "customers", "projects", "assets", "tickets",
                          "ticket_events", "ticket_sla_events", "visits", "ticket_records", "follow_ups"})
      c.query(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))");
  }
  c.commit();
  // PostgreSQL: VACUUM as well, as after any bulk load, so that the visibility map lets index-only
  // scans skip the table (unvacuumed, counting 10,000 open requests visited 25,000 table pages).
  if (pg) c.exec_script("VACUUM (ANALYZE)");
  else c.exec_script("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
  std::cout << "generate: " << a.requests << " requests, " << events << " events, " << visits << " visits, " << records
            << " diagnoses and plans, " << surveys << " follow-ups in " << static_cast<int>(elapsed()) << " s\n";
  return 0;
}

}  // namespace aftersales::cli
