// The demo data set: a service department of an engineering contractor in the Yangtze delta —
// three service centres, departments, teams and technicians with certificates, six customers of
// every tier, projects of every type with asset trees, users for every role, and service
// requests in every lifecycle state.
//
// Master data and users go through the application services (validated and audited, exactly as
// if typed into the web UI); service requests are written with direct SQL in one transaction
// until the lifecycle service exists, with an audit row each. Everything is deterministic: dates
// are fixed or derived from the clock passed in, never from the system clock.
#include "cli/demo_data.h"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/ticket_search.h"
#include "app/audit.h"
#include "app/ticket_sla.h"
#include "app/tickets.h"
#include "app/auth.h"
#include "app/master_data.h"
#include "domain/grading/grading.h"
#include "domain/sla/grade.h"
#include "domain/ticket/state.h"

namespace aftersales::cli {
namespace {

using json = nlohmann::json;
namespace tk = ::domain::ticket;
namespace sla = ::domain::sla;
namespace gr = ::domain::grading;

constexpr Millis kMinute = 60LL * 1000;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;
constexpr Millis kLocalOffset = 8 * kHour;  // Asia/Shanghai, no daylight saving

// ---- errors ---------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& what, const app::Error& e) {
  std::string msg = "demo data: " + what + " rejected: " + e.title();
  if (!e.detail().empty()) msg += " (" + e.detail() + ")";
  for (const auto& f : e.errors()) msg += "; " + f.field + ": " + f.message;
  throw std::runtime_error(msg);
}

std::int64_t created_id(app::Outcome<json> out, const std::string& what) {
  if (!out) fail(what, out.error());
  return (*out)["id"].get<std::int64_t>();
}

// ---- dates ----------------------------------------------------------------------------------

date::sys_days parse_day(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%u-%u", &y, &m, &d) != 3)
    throw std::logic_error("demo data: bad date " + s);
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}};
}

std::string format_day(date::sys_days d) {
  date::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string add_days(const std::string& day, int n) { return format_day(parse_day(day) + date::days{n}); }

// The last day covered by a warranty of `months` starting on `start`.
std::string warranty_end(const std::string& start, int months) {
  date::year_month_day ymd{parse_day(start)};
  auto shifted = ymd + date::months{months};
  if (!shifted.ok()) shifted = shifted.year() / shifted.month() / date::last;
  return format_day(date::sys_days{shifted} - date::days{1});
}

// Local (Asia/Shanghai) calendar day of an instant.
date::sys_days local_day(Millis ms) {
  return date::floor<date::days>(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms + kLocalOffset}});
}
Millis local_midnight_utc(date::sys_days d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d.time_since_epoch()).count() - kLocalOffset;
}

// ---- organisation ---------------------------------------------------------------------------

struct CentreDef {
  const char* key;
  const char* name;
  const char* address;
  double lat, lon;
};
const std::vector<CentreDef> kCentres = {
    {"sh", "上海售后服务中心", "上海市闵行区申长路 988 号虹桥万科中心 B 座 6 楼", 31.1935, 121.3297},
    {"sz", "苏州维修站", "苏州工业园区星湖街 328 号创意产业园 12 幢", 31.3170, 120.7230},
    {"hz", "杭州维修站", "杭州市滨江区江南大道 3850 号创新大厦 9 楼", 30.2095, 120.2105},
};

struct DepartmentDef {
  const char* key;
  const char* name;
  const char* description;
};
const std::vector<DepartmentDef> kDepartments = {
    {"service", "售后服务部", "受理报修、派工调度、上门维修、回访与投诉处理;下设各维修班组和 24 小时值班"},
    {"quality", "质量部", "内部验收、服务质量监督检查、返修整改跟踪与质量分析"},
    {"purchase", "采购部", "备品备件与维修材料采购、供应商管理与评价、到货检验"},
};

struct TeamDef {
  const char* key;
  const char* name;
  const char* department;
  const char* centre;
  std::vector<std::string> skills;
  std::vector<std::string> areas;
};
const std::vector<TeamDef> kTeams = {
    {"mep1", "机电维保一组", "service", "sh", {"electrical", "hvac", "plumbing", "low_voltage"}, {"上海市"}},
    {"dc", "数据中心保障组", "service", "sh", {"dc_power", "dc_cooling", "electrical", "fire_safety"}, {"上海市", "苏州市", "无锡市"}},
    {"cw", "幕墙维修组", "service", "sh", {"curtain_wall", "waterproofing"}, {"上海市", "苏州市", "杭州市"}},
    {"steel", "钢结构组", "service", "sz", {"steel", "structure"}, {"苏州市", "无锡市", "南通市", "上海市"}},
    {"mep2", "机电维保二组", "service", "sz", {"electrical", "hvac", "fire_safety", "plumbing"}, {"苏州市", "无锡市", "常州市"}},
    {"deco", "装饰维修组", "service", "hz", {"decoration", "plumbing", "waterproofing"}, {"杭州市", "宁波市", "黄山市"}},
};

// ---- users ----------------------------------------------------------------------------------

struct UserInfo {
  const char* username;
  const char* display_name;
  const char* email;
  const char* phone;
  int customer = -1;  // index into kCustomers for customer users
};
const std::vector<UserInfo> kUserInfo = {
    {"admin", "周立新", "zhoulixin@example.com", "13801760001"},
    {"manager", "王建国", "wangjianguo@example.com", "13801760002"},
    {"agent", "刘晓燕", "liuxiaoyan@example.com", "13801760003"},
    {"dispatcher", "陈志强", "chenzhiqiang@example.com", "13801760004"},
    {"tech1", "张伟", "zhangwei@example.com", "13816620011"},
    {"tech2", "李强", "liqiang@example.com", "13816620012"},
    {"lead", "孙海涛", "sunhaitao@example.com", "13801760005"},
    {"quality", "吴丽华", "wulihua@example.com", "13801760006"},
    {"pm", "郑国栋", "zhengguodong@example.com", "13801760007"},
    {"buyer", "何静", "hejing@example.com", "13801760008"},
    {"customer1", "黄志明", "huangzhiming@example.com", "13916628801", 0},
    {"customer2", "沈丽娟", "shenlijuan@example.com", "13701967705", 2},
};

// ---- staff ----------------------------------------------------------------------------------

struct CertDef {
  const char* name;
  const char* number;
  std::optional<int> expires_in_days;  // from today; negative = already expired; none = no expiry
};
struct StaffDef {
  const char* key;
  const char* name;
  const char* user;  // linked login, or ""
  const char* team;  // team key, or ""
  const char* centre;
  const char* phone;
  const char* email;
  std::vector<std::string> skills;
  std::vector<CertDef> certs;
};
const std::vector<StaffDef> kStaff = {
    {"wangjianguo", "王建国", "manager", "", "sh", "13801760002", "wangjianguo@example.com", {},
     {{"安全生产管理人员考核合格证(C 证)", "沪建安C(2023)0012876", 410}}},
    {"chenzhiqiang", "陈志强", "dispatcher", "", "sh", "13801760004", "chenzhiqiang@example.com", {}, {}},
    {"sunhaitao", "孙海涛", "lead", "", "sh", "13801760005", "sunhaitao@example.com",
     {"structure", "steel", "curtain_wall", "hvac", "electrical"},
     {{"一级注册建造师(建筑工程)", "沪131201300812", 905}, {"高级工程师职称证书", "沪高职 2016-0457", std::nullopt}}},
    {"wulihua", "吴丽华", "quality", "", "sh", "13801760006", "wulihua@example.com", {},
     {{"质量员岗位证书", "沪质 2022-03318", 380}}},
    {"zhangwei", "张伟", "tech1", "dc", "sh", "13816620011", "zhangwei@example.com", {"dc_power", "dc_cooling", "electrical"},
     {{"低压电工作业证", "T310115198803120011", 522}, {"制冷与空调作业证", "T310115198803120011", 24}}},
    {"zhengkai", "郑凯", "", "dc", "sh", "13816620013", "zhengkai@example.com", {"dc_power", "dc_cooling", "fire_safety"},
     {{"高压电工作业证", "T310104199107230035", 331}, {"消防设施操作员证(中级)", "XF2024-310-08821", 488}}},
    {"liqiang", "李强", "tech2", "cw", "sh", "13816620012", "liqiang@example.com", {"curtain_wall", "waterproofing"},
     {{"高处作业证", "T320582199001150032", 38}, {"高处作业吊篮安装拆卸工证", "沪建安特(2024)0231", 296}}},
    {"wubin", "吴斌", "", "cw", "sh", "13816620014", "wubin@example.com", {"curtain_wall", "waterproofing", "structure"},
     {{"高处作业证", "T310112198612040018", 262}, {"高处作业吊篮安装拆卸工证", "沪建安特(2023)0876", 55}}},
    {"zhaolei", "赵磊", "", "mep1", "sh", "13816620015", "zhaolei@example.com", {"electrical", "hvac", "plumbing"},
     {{"低压电工作业证", "T310110198905260019", 203}, {"制冷与空调作业证", "T310110198905260019", 611}}},
    {"qianming", "钱明", "", "mep1", "sh", "13816620016", "qianming@example.com", {"electrical", "low_voltage", "fire_safety"},
     {{"低压电工作业证", "T310107199203110056", -12}, {"消防设施操作员证(中级)", "XF2023-310-05517", 702}}},
    {"sunhao", "孙浩", "", "steel", "sz", "13962180021", "sunhao@example.com", {"steel", "structure"},
     {{"熔化焊接与热切割作业证", "T320507198708140031", 151}, {"高处作业证", "T320507198708140031", 15}}},
    {"zhoujie", "周杰", "", "steel", "sz", "13962180022", "zhoujie@example.com", {"steel", "structure"},
     {{"高处作业证", "T320506199305220017", 402}, {"涂装工职业技能等级证书(四级)", "S000032050000234512", std::nullopt}}},
    {"handong", "韩冬", "", "mep2", "sz", "13962180023", "handong@example.com", {"electrical", "hvac", "fire_safety"},
     {{"低压电工作业证", "T320583198911300014", 45}, {"制冷与空调作业证", "T320583198911300014", 803}}},
    {"yangfan", "杨帆", "", "mep2", "sz", "13962180024", "yangfan@example.com", {"electrical", "plumbing"},
     {{"低压电工作业证", "T320205199512080033", 560}}},
    {"fengtao", "冯涛", "", "deco", "hz", "13588120031", "fengtao@example.com", {"decoration", "plumbing"},
     {{"建筑装饰装修职业技能证书", "S000033010000098712", std::nullopt}, {"高处作业证", "T330106198510020058", 92}}},
    {"jianghong", "蒋红", "", "deco", "hz", "13588120032", "jianghong@example.com", {"decoration", "waterproofing"},
     {{"防水工职业技能等级证书(四级)", "S000033010000120455", std::nullopt}}},
};

// ---- customers ------------------------------------------------------------------------------

struct ContactDef {
  const char* name;
  const char* phone;
  const char* email;
  const char* position;
};
struct CustomerDef {
  const char* name;
  const char* tier;
  const char* address;
  const char* notes;
  std::vector<ContactDef> contacts;
};
// The first customer owns the data centre: the login customer1 belongs to it.
const std::vector<CustomerDef> kCustomers = {
    {"华东数据科技有限公司", "strategic", "上海市浦东新区张江路 88 号",
     "战略客户。张江数据中心二期机房 7×24 保障:紧急故障 30 分钟响应、6 小时内到场,备用精密空调与 UPS 模块现场寄存。",
     {{"黄志明", "13916628801", "huangzhiming@example.com", "机房运维主管"},
      {"林晓雯", "13817735502", "linxiaowen@example.com", "IT 基础设施经理"}}},
    {"苏州恒通物流有限公司", "key", "苏州市相城区黄埭镇春兴路 18 号",
     "重点客户。相城物流园 1# 仓库钢结构工程,每年雨季前联合巡检一次。",
     {{"钱晓东", "13962187703", "qianxiaodong@example.com", "行政后勤经理"},
      {"顾建平", "15850012604", "gujianping@example.com", "仓储主管"}}},
    {"上海浦江置业有限公司", "key", "上海市黄浦区中山南路 1029 号",
     "重点客户。浦江国际中心幕墙与浦江华庭商业楼两个项目,物业工程部统一报修。",
     {{"沈丽娟", "13701967705", "shenlijuan@example.com", "物业工程部经理"},
      {"陆海峰", "13601783306", "luhaifeng@example.com", "工程主管"}}},
    {"杭州西溪悦庭酒店管理有限公司", "standard", "杭州市西湖区紫金港路 21 号",
     "酒店营业期间施工需避开 07:00–09:00 和 22:00 以后,客房维修须提前一天预约。",
     {{"方志远", "13989451207", "fangzhiyuan@example.com", "工程总监"},
      {"俞佳", "15958102308", "yujia@example.com", "前厅经理"}}},
    {"无锡新锐电子科技有限公司", "standard", "无锡市新吴区长江南路 55 号",
     "洁净厂房,进入生产区须更换洁净服并由 EHS 陪同。",
     {{"蔡文斌", "13906172209", "caiwenbin@example.com", "设备部经理"},
      {"许静", "13771012310", "xujing@example.com", "EHS 主管"}}},
    {"黄山云谷文旅发展有限公司", "standard", "安徽省黄山市黄山区汤口镇寨西路 6 号",
     "景区项目,距上海约 400 公里;一般故障可委托黄山当地合作单位先行处理。",
     {{"程立新", "13905591211", "chenglixin@example.com", "运营部经理"},
      {"汪敏", "18955912312", "wangmin@example.com", "综合办主任"}}},
};

// ---- projects and asset trees ---------------------------------------------------------------

struct AssetDef {
  const char* key;  // for tickets; "" when none refers to it
  int parent;       // index of the parent within the project's list, -1 for a root
  const char* kind;
  const char* name;
  const char* category = "";
  const char* model = "";
  const char* serial = "";
  const char* supplier = "";
  int installed_before = -1;  // days before completion; -1: a location, no dates
  int warranty_months = 0;    // 0: the project's term
  bool critical = false;
};

struct ProjectDef {
  const char* key;
  int customer;
  const char* name;
  const char* type;
  const char* address;
  double lat, lon;
  const char* completion;
  int warranty_months;
  const char* scope;
  const char* calendar;
  bool remote;
  std::vector<std::string> documents;
  std::vector<std::string> team;  // staff keys
  std::vector<AssetDef> assets;
};

const std::vector<ProjectDef>& projects() {
  static const std::vector<ProjectDef> v = {
      {"dc", 0, "张江数据中心二期机房工程", "data_centre", "上海市浦东新区张江路 88 号 3 号楼", 31.2036, 121.5935,
       "2025-06-28", 24,
       "机房装修、供配电系统(低压配电柜、UPS、蓄电池)、精密空调及冷通道、七氟丙烷气体灭火、动环监控系统;"
       "易损件(过滤网、加湿罐)不在保修范围。",
       "cn-7x24", false, {"竣工图", "材料合格证", "检测报告", "运维手册", "设备保修卡", "系统调试记录"},
       {"zhangwei", "zhengkai"},
       {
           {"", -1, "building", "3 号楼数据中心", "建筑"},
           {"", 0, "floor", "3F 机房层", "楼层"},
           {"room301", 1, "room", "301 主机房 A 区", "主机房"},
           {"room302", 1, "room", "302 配电室", "配电室"},
           {"room303", 1, "room", "303 电池室", "电池室"},
           {"crac01", 2, "equipment", "精密空调 CRAC-01", "精密空调", "艾默生 Liebert PEX P2050", "PEX2505A1021",
            "维谛技术有限公司", 45, 0, true},
           {"crac02", 2, "equipment", "精密空调 CRAC-02", "精密空调", "艾默生 Liebert PEX P2050", "PEX2505A1022",
            "维谛技术有限公司", 45, 0, true},
           {"racka", 2, "rack", "A 列机柜 A01–A12", "机柜", "图腾 G3 42U 600×1200", "TT-G3-A01-A12", "图腾机柜有限公司", 60},
           {"", 2, "component", "A 列冷通道封闭", "冷通道", "天窗式冷通道 CAC-A", "CAC2505-A", "图腾机柜有限公司", 50},
           {"ups1", 3, "equipment", "UPS-1", "UPS", "施耐德 Galaxy VM 200kVA", "GVM200-2504-0871",
            "施耐德电气(中国)有限公司", 40, 36, true},
           {"ups2", 3, "equipment", "UPS-2", "UPS", "施耐德 Galaxy VM 200kVA", "GVM200-2504-0872",
            "施耐德电气(中国)有限公司", 40, 36, true},
           {"ats1", 3, "equipment", "低压配电柜 ATS-1", "配电柜", "施耐德 BlokSeT 双电源柜", "BS-ATS-2504-11",
            "施耐德电气(中国)有限公司", 55, 0, true},
           {"bat1", 4, "equipment", "蓄电池组 BAT-1(40 节)", "蓄电池", "理士 DJM12100 12V100Ah", "DJM-2504-B1",
            "理士国际技术有限公司", 40, 36},
           {"fire", 1, "system", "七氟丙烷气体灭火系统", "消防", "金盾 GQQ120/2.5", "JD-GQQ-250611", "浙江金盾消防器材有限公司",
            30, 0, true},
           {"dh", 1, "system", "动环监控系统", "监控", "共济科技 动环监控平台 V5", "GJ-DH-250620", "共济科技股份有限公司", 20},
       }},
      {"hq", 0, "华东数据总部办公楼机电改造工程", "mep", "上海市浦东新区世纪大道 1568 号", 31.2290, 121.5290,
       "2024-03-15", 24, "暖通空调、给排水、强电配电及照明系统改造范围内的设备与管线。", "cn-5x8", false,
       {"竣工图", "材料合格证", "检测报告", "运维手册"},
       {"zhaolei", "qianming"},
       {
           {"", -1, "building", "总部办公楼", "建筑"},
           {"", 0, "floor", "B1 设备层", "楼层"},
           {"", 0, "floor", "3F 办公区", "楼层"},
           {"ch1", 1, "equipment", "离心式冷水机组 CH-1", "冷水机组", "约克 YK 离心式冷水机组 600RT", "YK24-0212-031",
            "江森自控约克(无锡)空调冷冻设备有限公司", 60, 0, true},
           {"", 1, "equipment", "生活变频水泵组", "水泵", "格兰富 Hydro MPC-E 3 CR15-4", "GF-MPC-2402-17", "格兰富水泵(上海)有限公司", 50},
           {"lp3", 2, "equipment", "3F 照明配电箱 3AL1", "配电箱", "正泰 NX10 照明配电箱", "NX10-3AL1-2403", "浙江正泰电器股份有限公司", 30},
       }},
      {"wh", 1, "恒通相城物流园 1# 仓库钢结构工程", "steel_structure", "苏州市相城区黄埭镇春兴路 18 号", 31.4400, 120.5370,
       "2025-09-20", 24, "主体钢结构、屋面及墙面围护系统、钢结构防腐涂装、装卸月台雨棚;不含客户自行加装的货架。",
       "cn-5x8", false, {"竣工图", "材料合格证", "检测报告", "运维手册", "焊缝探伤报告", "涂层厚度检测记录"},
       {"sunhao", "zhoujie"},
       {
           {"", -1, "site", "相城物流园", "园区"},
           {"", 0, "building", "1# 仓库", "钢结构厂房"},
           {"roof", 1, "zone", "屋面系统", "屋面"},
           {"truss", 2, "component", "钢屋架 GWJ-1~GWJ-12", "钢构件", "Q355B 焊接 H 型钢 HN600×200", "GWJ-2509",
            "江苏沪宁钢机股份有限公司", 120, 0, true},
           {"purlin", 2, "component", "屋面檩条及连接螺栓", "钢构件", "C 型钢 C250×75×20×2.5,M12 镀锌螺栓", "LT-2509",
            "江苏沪宁钢机股份有限公司", 100},
           {"", 2, "component", "屋面彩钢板", "围护", "0.6mm 镀铝锌 YX51-380-760", "CGB-2509", "宝钢钢构有限公司", 80},
           {"coating", 1, "component", "钢柱防腐涂层(东侧 A–D 轴)", "防腐涂层", "海虹老人 环氧富锌底漆+聚氨酯面漆 ≥200μm",
            "HP-2509-A", "海虹老人涂料(中国)有限公司", 90},
           {"canopy", 1, "zone", "装卸月台雨棚", "雨棚", "Q355B 悬挑钢梁 HN400×200", "YP-2509", "江苏沪宁钢机股份有限公司", 70,
            0, true},
       }},
      {"cw", 2, "浦江国际中心玻璃幕墙工程", "curtain_wall", "上海市黄浦区中山南路 1029 号", 31.2120, 121.5010,
       "2023-11-10", 24, "单元式玻璃幕墙、铝板幕墙、开启扇及五金、结构胶与耐候密封胶;玻璃自爆按合同另行约定。",
       "cn-5x8", false, {"竣工图", "材料合格证", "检测报告", "运维手册", "四性试验报告", "结构胶相容性试验报告"},
       {"liqiang", "wubin"},
       {
           {"", -1, "facade", "主楼幕墙", "幕墙"},
           {"east", 0, "elevation", "东立面", "立面"},
           {"south", 0, "elevation", "南立面", "立面"},
           {"", 0, "elevation", "西立面", "立面"},
           {"", 0, "elevation", "北立面", "立面"},
           {"s1205", 2, "panel", "单元板块 S-12-05", "玻璃幕墙", "6+12A+6 Low-E 中空钢化玻璃", "S-12-05", "中国南玻集团股份有限公司", 150},
           {"s1803", 2, "panel", "开启扇 S-18-03", "开启扇", "上悬窗 坚朗 CHC 窗撑+多点锁", "S-18-03", "广东坚朗五金制品股份有限公司", 140},
           {"sealant", 2, "component", "南立面耐候密封胶", "密封胶", "道康宁 DC791 耐候密封胶", "DC791-2308", "陶氏有机硅(张家港)有限公司", 130},
           {"", 2, "component", "南立面结构胶", "结构胶", "道康宁 DC995 硅酮结构胶", "DC995-2307", "陶氏有机硅(张家港)有限公司", 160, 0, true},
           {"e05", 1, "panel", "铝板幕墙 E-05", "铝板幕墙", "3mm 氟碳喷涂铝单板", "E-05", "上海吉祥铝塑板有限公司", 150},
       }},
      {"bd", 2, "浦江华庭 3# 商业楼土建工程", "building", "上海市闵行区浦江镇浦星公路 1969 号", 31.0640, 121.5080,
       "2022-05-20", 60,
       "主体结构按设计使用年限;屋面防水及有防水要求的房间、外墙防渗漏保修 5 年(合同约定);其余分部按 2 年。",
       "cn-5x8", false, {"竣工图", "材料合格证", "检测报告", "运维手册", "隐蔽工程验收记录"},
       {"zhaolei", "wubin"},
       {
           {"", -1, "building", "3# 商业楼", "建筑"},
           {"roofzone", 0, "floor", "屋面", "屋面"},
           {"roofwp", 1, "component", "屋面防水层", "防水", "SBS 改性沥青防水卷材 4mm 双层", "FS-2204-R", "北京东方雨虹防水技术股份有限公司", 60, 60},
           {"", 0, "floor", "B1 地下室", "楼层"},
           {"shop401", 0, "room", "4F 402 商铺", "商铺"},
           {"facadepaint", 0, "component", "外墙真石漆", "外墙涂料", "立邦 真石漆 仿花岗岩", "LB-2203", "立邦涂料(中国)有限公司", 45, 24},
       }},
      {"hotel", 3, "西溪悦庭酒店客房精装修改造工程", "decoration", "杭州市西湖区紫金港路 21 号", 30.2730, 120.0950,
       "2026-04-30", 12, "8–10 层客房精装修:墙地面、吊顶、木饰面、卫生间防水及洁具安装;家具与布草不在范围内。",
       "cn-5x8", false, {"竣工图", "材料合格证", "检测报告", "运维手册", "闭水试验记录"},
       {"fengtao", "jianghong"},
       {
           {"", -1, "building", "主楼", "建筑"},
           {"", 0, "floor", "8F 客房层", "楼层"},
           {"r801", 1, "room", "801 豪华大床房", "客房"},
           {"r806", 1, "room", "806 行政双床房", "客房"},
           {"bath801", 2, "component", "801 卫生间防水及地砖", "防水/地砖", "JS 防水涂料 1.5mm + 马可波罗 600×600 仿古砖",
            "MKP-2604-801", "马可波罗控股股份有限公司", 30},
           {"wood806", 3, "component", "806 木饰面墙板", "木饰面", "兔宝宝 E0 级科技木饰面板", "TBB-2604-806", "德华兔宝宝装饰新材股份有限公司", 25},
           {"pipe806", 3, "component", "806 卫生间排水管", "给排水", "联塑 PVC-U De110", "LS-2604-806", "广东联塑科技实业有限公司", 35},
       }},
      {"lobby", 3, "西溪悦庭酒店大堂及公区装饰工程", "decoration", "杭州市西湖区紫金港路 21 号 大堂", 30.2731, 120.0951,
       "2021-08-15", 12, "大堂、电梯厅及公共走廊装饰:石材、吊顶、门窗与隔断。", "cn-5x8", false,
       {"竣工图", "材料合格证", "检测报告"},
       {"fengtao"},
       {
           {"", -1, "zone", "酒店大堂", "公区"},
           {"stone", 0, "component", "大堂石材地面", "石材", "意大利灰大理石 800×800×20", "SC-2107-01", "福建环球石材有限公司", 40},
           {"", 0, "component", "大堂铝板吊顶", "吊顶", "1.2mm 铝单板 冲孔吸音", "DD-2107-01", "上海吉祥铝塑板有限公司", 35},
           {"door", 0, "component", "大堂侧门 铝合金平开门 M-3", "门窗", "断桥铝合金平开门 70 系列", "M-3-2107", "广东坚朗五金制品股份有限公司", 30},
           {"", 0, "component", "前台背景墙", "装饰墙", "木饰面+金属线条", "QT-2107", "德华兔宝宝装饰新材股份有限公司", 30},
       }},
      {"fab", 4, "新锐电子二期厂房机电安装工程", "mep", "无锡市新吴区长江南路 55 号 2# 厂房", 31.5250, 120.3560,
       "2024-12-18", 24, "10kV 变配电、低压配电、暖通净化空调、消防喷淋及给排水系统的设备与安装。", "cn-5x8", false,
       {"竣工图", "材料合格证", "检测报告", "运维手册", "消防验收意见书"},
       {"handong", "yangfan"},
       {
           {"", -1, "building", "2# 厂房", "厂房"},
           {"", 0, "system", "变配电系统", "强电"},
           {"hv", 1, "equipment", "10kV 高压进线柜 AH1", "高压柜", "正泰 KYN28A-12", "KYN28-2411-01", "浙江正泰电器股份有限公司", 60, 0, true},
           {"", 1, "equipment", "干式变压器 T1 2000kVA", "变压器", "SCB14-2000/10", "SCB14-2411-T1", "顺特电气设备有限公司", 60, 0, true},
           {"", 0, "system", "暖通净化空调系统", "暖通"},
           {"ahu", 4, "equipment", "组合式空调机组 AHU-2-1", "空调机组", "开利 39CQ 组合式空调箱 40000m³/h", "39CQ-2411-021",
            "开利空调销售服务(上海)有限公司", 50, 0, true},
           {"", 0, "system", "消防喷淋系统", "消防"},
           {"firepump", 6, "equipment", "消防喷淋泵 XP-1", "消防泵", "上海连成 XBD8/40G-L", "LC-XBD-2410-01", "上海连成(集团)有限公司", 70, 0, true},
       }},
      {"hs", 5, "云谷游客中心室外景观及亮化工程", "other", "安徽省黄山市黄山区汤口镇寨西路 6 号", 30.0870, 118.1650,
       "2025-04-25", 24, "室外景观步道、景观照明及其配电与控制系统;苗木养护由客户另行委托。", "cn-5x8", true,
       {"竣工图", "材料合格证", "检测报告", "运维手册"},
       {"qianming"},
       {
           {"", -1, "site", "游客中心室外区域", "景区"},
           {"", 0, "system", "景观照明系统", "照明"},
           {"al1", 1, "equipment", "景观照明配电箱 AL-1", "配电箱", "正泰 NX10 户外不锈钢配电箱 IP65", "AL1-2504", "浙江正泰电器股份有限公司", 30},
           {"", 1, "equipment", "LED 投光灯组(36 套)", "灯具", "欧普 LED 投光灯 100W IP66", "OP-FL-2504", "欧普照明股份有限公司", 25},
           {"", 1, "equipment", "智能照明控制器", "控制", "ABB i-bus 智能照明模块", "ABB-IB-2504", "ABB(中国)有限公司", 20},
       }},
  };
  return v;
}

// ---- service requests -----------------------------------------------------------------------

struct TicketDef {
  const char* project;  // project key
  const char* asset;    // asset key within the project, or ""
  const char* channel;
  tk::State state;
  std::optional<sla::Grade> grade;  // none while still in intake
  std::optional<gr::Nature> nature;
  int days_ago;  // local calendar days before today; kLastSunday for the most recent Sunday
  int hour, minute;
  int contact;          // index into the customer's contacts
  double updated_after_h;  // last change, hours after the report
  const char* title;
  const char* description;
  const char* demand;
};
constexpr int kLastSunday = -1;

using S = tk::State;
using G = sla::Grade;
using N = gr::Nature;

// A plausible clock history and timeline for a demo request in `state`: creation, then the
// milestones its state implies, spread between the report and the last update.
void seed_history(store::Connection& c, std::int64_t id, tk::State state, std::optional<sla::Grade> grade,
                  Millis reported, Millis updated, const std::string& number, const std::string& channel) {
  const int order = static_cast<int>(state);
  auto at = [&](int step) { return std::min(updated, reported + static_cast<Millis>(step) * 17 * 60 * 1000); };
  const sla::Grade g = grade.value_or(sla::Grade::simple);
  app::append_sla_event(c, id, sla::SlaEvent::Created(app::to_seconds(reported), g));
  c.query("UPDATE tickets SET sla_grade = ? WHERE id = ?", {std::string(sla::ToString(g)), id});
  c.query("INSERT INTO ticket_events (ticket_id, at, actor_name, actor_role, type, reason, data_json, internal) "
          "VALUES (?, ?, 'demo', 'agent', 'request_created', '', ?, 0)",
          {id, reported, json{{"number", number}, {"channel", channel}}.dump()});
  if (state == tk::State::cancelled) return;
  std::vector<std::pair<tk::State, sla::Milestone>> reached = {
      {tk::State::triaged, sla::Milestone::acknowledge},  {tk::State::responded, sla::Milestone::respond},
      {tk::State::en_route, sla::Milestone::depart},      {tk::State::on_site, sla::Milestone::arrive_on_site},
      {tk::State::plan_review, sla::Milestone::propose_solution}, {tk::State::resolved, sla::Milestone::resolve}};
  int step = 1;
  for (const auto& [from, milestone] : reached)
    if (order >= static_cast<int>(from)) app::append_sla_event(c, id, sla::SlaEvent::Reached(app::to_seconds(at(step++)), milestone));
  if (order >= static_cast<int>(tk::State::triaged))
    c.query("INSERT INTO ticket_events (ticket_id, at, actor_name, actor_role, type, from_state, to_state, reason, data_json, internal) "
            "VALUES (?, ?, 'demo', 'agent', 'demo_state_set', 'intake', ?, '', '{}', 0)",
            {id, at(step), std::string(tk::ToString(state))});
}

const std::vector<TicketDef>& tickets() {
  static const std::vector<TicketDef> v = {
      // Acceptance scenario 1: the data centre, 02:10 on a Sunday, emergency on 7×24.
      {"dc", "crac01", "hotline", S::resolved, G::emergency, N::equipment_failure, kLastSunday, 2, 10, 0, 9.5,
       "主机房 A 区精密空调 CRAC-01 高压报警停机",
       "02:05 动环监控告警,301 主机房 A 区精密空调 CRAC-01 高压报警后停机,现场复位无效。冷通道温度由 23℃ 升至 29℃,"
       "CRAC-02 满负荷运行,A 列机柜进风温度持续上升,机房内有核心业务服务器。",
       "立即派人到场抢修;2 小时内无法恢复请提供临时移动空调。"},
      {"dc", "bat1", "monitoring", S::intake, std::nullopt, std::nullopt, 1, 22, 40, 1, 0,
       "蓄电池组 BAT-1 第 17 节单体电压偏低告警",
       "动环监控自动告警:303 电池室 BAT-1 第 17 节单体浮充电压 12.91V,低于告警阈值 13.10V,持续 30 分钟。", ""},
      {"dc", "dh", "portal", S::triaged, G::consultation, N::consultation, 2, 10, 25, 1, 0.4,
       "咨询动环监控告警短信如何增加接收人",
       "新来的两名值班员需要接收动环监控的告警短信,平台上找不到添加接收人的入口,想了解操作方法及是否需要厂家授权。",
       "请告知操作步骤,或远程协助配置。"},
      {"dc", "crac02", "maintenance_plan", S::dispatched, G::simple, N::hvac, 2, 9, 0, 0, 3,
       "11 月精密空调季度巡检(CRAC-02)",
       "年度维保计划第四季度巡检:检查 CRAC-02 压缩机运行电流、高低压、过滤网压差、加湿罐及冷凝水排水,清洁室外机翅片。",
       "按计划完成巡检并提交巡检报告。"},
      {"dc", "dh", "api", S::resolved, G::simple, N::other, 5, 14, 35, 1, 2,
       "动环监控平台无法登录",
       "通过客户 ITSM 系统接口推送:动环监控平台 Web 页面登录后提示“会话已过期”,三台值班电脑均无法进入。", "尽快恢复登录。"},
      {"dc", "ups1", "monitoring", S::archived, G::emergency, N::equipment_failure, 58, 3, 42, 0, 400,
       "UPS-1 逆变器故障转旁路运行",
       "动环监控告警:UPS-1 逆变器故障,已自动切换至旁路运行,负载由市电直供,失去后备保护。", "立即排查,恢复 UPS 在线运行。"},
      {"hq", "lp3", "hotline", S::en_route, G::medium, N::electrical, 1, 9, 20, 1, 1.2,
       "3F 办公区照明回路频繁跳闸",
       "3F 东侧办公区照明配电箱 3AL1 第 5 回路从昨天下午开始频繁跳闸,合闸后约半小时又跳,影响约 40 个工位照明,无焦糊味。",
       "今天下班前处理好,不影响明天正常办公。"},
      {"hq", "ch1", "hotline", S::closed, G::complex, N::hvac, 40, 10, 5, 1, 200,
       "冷水机组 CH-1 运行异响、出水温度偏高",
       "B1 冷冻机房冷水机组 CH-1 运行时有明显金属异响,冷冻水出水温度 11℃(设定 7℃),办公区空调效果差,暖通系统故障已持续两天。",
       "尽快修复,修复期间请调整另一台机组运行。"},
      {"wh", "coating", "portal", S::in_repair, G::simple, N::coating_damage, 20, 15, 30, 0, 310,
       "仓库东侧钢柱涂层破损锈蚀",
       "1# 仓库东侧 A–D 轴钢柱距地 0.5–1.5m 范围涂层起皮、破损,局部出现点状锈蚀,面积约 3 平方米,上月雨季后发现。",
       "在质保期内,请免费修复,并说明原因。"},
      {"wh", "canopy", "hotline", S::plan_chief_approval, G::complex, N::structural_safety, 9, 16, 50, 1, 120,
       "装卸月台雨棚钢梁下挠、支座螺栓松动",
       "3 号月台雨棚悬挑端明显下挠,目测约 5 厘米,根部支座有 2 颗高强螺栓松动,雨天雨棚积水,担心结构安全。",
       "尽快评估安全性,必要时先封闭该月台。"},
      {"wh", "purlin", "hotline", S::triaged, G::simple, N::loose_connection, 3, 8, 45, 1, 0.8,
       "大风天屋面异响,疑似檩条连接螺栓松动",
       "前晚大风,仓库内听到屋面持续“咔哒”异响,位置在 5–7 轴之间,地面未发现掉落物。", "安排人员上屋面检查。"},
      {"wh", "", "email", S::closed, G::feedback, N::other, 30, 11, 20, 0, 60,
       "意见反馈:维修人员未提前预约即到场",
       "上次巡检人员未提前预约直接到仓库,正值出货高峰,叉车作业区无法配合,希望以后提前一天电话预约。",
       "以后上门前提前一天预约。"},
      // Acceptance scenario 3: a curtain wall three years after acceptance, out of warranty.
      {"cw", "sealant", "email", S::rework, G::medium, N::leakage, 45, 9, 50, 0, 700,
       "南立面 12 层幕墙渗漏",
       "暴雨后 12 层南侧办公室窗台下方有渗水,地毯湿了约 2 平方米,窗框内侧有水渍,去年雨季也出现过一次。",
       "尽快查明原因并维修,费用请先报价确认。"},
      {"cw", "s1803", "hotline", S::plan_confirmed, G::simple, N::hardware_damage, 16, 14, 15, 1, 240,
       "18 层开启扇窗撑断裂无法关闭",
       "南立面 18 层会议室上悬开启扇窗撑断裂,窗扇只能靠多点锁勉强固定,有坠落隐患,已临时用绳索绑扎。",
       "尽快更换五金,报价后安排施工。"},
      {"cw", "e05", "portal", S::plan_review, G::general_defect, N::coating_damage, 14, 10, 40, 1, 100,
       "东立面铝板幕墙局部褪色、划痕",
       "东立面 3–5 层铝板幕墙 E-05 区域氟碳涂层颜色明显变浅,并有数道划痕,影响外观。", "给出修补方案及费用。"},
      // Acceptance scenario 4: how to clean a glass façade.
      {"cw", "s1205", "portal", S::closed, G::consultation, N::consultation, 52, 16, 0, 0, 20,
       "咨询:玻璃幕墙清洗方法及注意事项",
       "物业准备安排年度外墙清洗,想了解 Low-E 中空玻璃幕墙可以用哪些清洗剂,吊篮作业对密封胶有无影响,清洗周期多长合适。",
       "书面答复清洗方法和注意事项。"},
      {"cw", "sealant", "email", S::responded, G::complaint, N::leakage, 7, 18, 30, 0, 3,
       "投诉:幕墙渗漏维修后仍渗水,处理进度慢",
       "12 层南侧渗漏上周维修后,本周降雨又出现渗水;维修人员两次改约,客户对处理效率和质量不满。",
       "给出书面说明和整改时间表,指定专人负责。"},
      {"bd", "roofwp", "hotline", S::plan_approval, G::medium, N::leakage, 12, 9, 35, 1, 150,
       "顶层 402 商铺吊顶渗水",
       "连续降雨后 4F 402 商铺吊顶有两处滴水,石膏板已发黄变形,正上方为屋面,防水仍在 5 年保修期内。",
       "尽快维修屋面防水并恢复吊顶。"},
      {"bd", "facadepaint", "portal", S::cancelled, G::general_defect, N::other, 25, 13, 10, 1, 20,
       "外墙真石漆局部污染",
       "3# 楼北侧外墙约 1 平方米真石漆被广告施工方的胶水污染,想咨询能否修复。",
       "客户已安排广告公司自行清理,申请取消。"},
      {"hotel", "bath801", "hotline", S::self_checked, G::medium, N::leakage, 10, 20, 15, 0, 220,
       "801 卫生间地面渗水至 701 顶棚",
       "7 楼 701 客房卫生间顶棚出现水渍并滴水,位置正对 801 卫生间淋浴区,801 已停售。", "尽快维修,减少停售时间。"},
      {"hotel", "wood806", "portal", S::internally_accepted, G::general_defect, N::deformation, 18, 11, 0, 0, 380,
       "806 客房木饰面墙板起拱开裂",
       "806 行政双床房床头木饰面墙板中部起拱约 3 毫米,两块板接缝处开裂,客人投诉影响观感。", "择日修复,尽量安排在空房日。"},
      {"hotel", "pipe806", "hotline", S::closed, G::simple, N::plumbing, 33, 8, 30, 0, 30,
       "806 卫生间地漏返味、排水慢",
       "806 客房卫生间地漏排水缓慢,有异味返上来,已用疏通剂无效。", "当天处理,不影响晚上入住。"},
      {"hotel", "", "portal", S::intake, std::nullopt, std::nullopt, 1, 16, 5, 1, 0,
       "9 楼走廊墙纸接缝开裂",
       "9 楼电梯厅至 915 走廊墙纸有三处接缝开裂翘边,长约 20–40 厘米。", "安排修补。"},
      {"lobby", "door", "hotline", S::dispatched, G::simple, N::deformation, 3, 14, 20, 0, 20,
       "大堂侧门变形关闭不严",
       "大堂东侧铝合金平开门 M-3 门扇下垂变形,关闭时与地面摩擦,门缝漏风,闭门器也不能自动回位。", "尽快调整或更换。"},
      {"lobby", "stone", "hotline", S::responded, G::general_defect, N::deformation, 4, 10, 10, 1, 1,
       "大堂石材地面空鼓、局部裂缝",
       "大堂前台前方石材地面敲击有空鼓声,约 6 块板,其中两块出现细裂缝。", "评估是否需要更换,给出费用。"},
      {"fab", "ahu", "api", S::on_site, G::complex, N::hvac, 2, 7, 55, 0, 30,
       "2# 厂房 AHU-2-1 暖通系统故障,洁净区温湿度超标",
       "厂务系统接口推送:AHU-2-1 送风温度 19℃→26℃,洁净区湿度 65%RH 超上限,表冷阀开度 100% 仍无改善,疑似冷冻水供水不足。",
       "尽快到场,生产线已降产。"},
      {"fab", "firepump", "maintenance_plan", S::diagnosed, G::medium, N::fire_safety, 6, 9, 30, 1, 50,
       "月度巡检:消防喷淋泵 XP-1 启泵后压力不足",
       "月度消防巡检中手动启动 XP-1,出口压力 0.52MPa,低于设计 0.80MPa,泵体有轻微振动。", "查明原因并尽快整改,确保消防安全。"},
      {"fab", "hv", "hotline", S::archived, G::medium, N::electrical, 55, 15, 40, 0, 300,
       "高压进线柜 AH1 综保装置频繁误报",
       "10kV 高压进线柜 AH1 微机综保装置近一周多次报“零序过流”,现场检查无接地故障,未跳闸。", "排查误报原因。"},
      {"hs", "al1", "email", S::plan_approved, G::medium, N::electrical, 15, 19, 45, 0, 200,
       "景观照明配电箱 AL-1 漏电跳闸",
       "游客中心南侧步道景观照明每晚开灯约 1 小时后漏电开关跳闸,最近下过几场雨,夜间游客通道一片漆黑。",
       "项目较远,可先委托当地合作单位处理,尽快恢复夜间照明。"},
  };
  return v;
}

const std::set<std::string> kChannels = {"hotline", "portal", "email", "api", "monitoring", "maintenance_plan"};

// The data set promises every project type, request state, grade and channel; checked before
// anything is written so that an edit which loses one fails loudly instead of quietly.
void check_coverage() {
  std::set<std::string> types, channels;
  std::set<tk::State> states;
  std::set<sla::Grade> grades;
  for (const auto& p : projects()) types.insert(p.type);
  for (const auto& t : app::project_types())
    if (!types.count(t)) throw std::logic_error("demo data: no project of type " + t);
  for (const auto& t : tickets()) {
    if (!kChannels.count(t.channel)) throw std::logic_error(std::string("demo data: unknown channel ") + t.channel);
    channels.insert(t.channel);
    states.insert(t.state);
    if (t.grade) grades.insert(*t.grade);
  }
  if (channels.size() != kChannels.size()) throw std::logic_error("demo data: a channel has no demo request");
  if (static_cast<int>(states.size()) != tk::kStateCount)
    throw std::logic_error("demo data: a request state has no demo request");
  if (static_cast<int>(grades.size()) != sla::kGradeCount)
    throw std::logic_error("demo data: a grade has no demo request");
}

}  // namespace

const std::vector<DemoLogin>& demo_logins() {
  static const std::vector<DemoLogin> v = {
      {"admin", "admin-demo-2026", "admin"},
      {"manager", "manager-demo-2026", "service_manager"},
      {"agent", "agent-demo-2026", "agent"},
      {"dispatcher", "dispatcher-demo-2026", "dispatcher"},
      {"tech1", "tech-demo-2026", "technician"},
      {"tech2", "tech-demo-2026", "technician"},
      {"lead", "lead-demo-2026", "tech_lead"},
      {"quality", "quality-demo-2026", "quality_inspector"},
      {"pm", "pm-demo-2026", "project_manager"},
      {"buyer", "buyer-demo-2026", "procurement"},
      {"customer1", "customer-demo-2026", "customer"},
      {"customer2", "customer-demo-2026", "customer"},
  };
  return v;
}

DemoSummary load_demo_data(store::Database& db, const Clock& clock) {
  DemoSummary sum;
  const auto actor = app::system_actor("demo");
  const Millis now = clock.now_ms();
  const date::sys_days today = local_day(now);
  const std::string today_s = format_day(today);
  check_coverage();

  // Organisation.
  std::map<std::string, std::int64_t> centre_id, department_id, team_id, staff_id, user_id;
  std::vector<std::int64_t> customer_id;
  {
    app::ResourceService svc(app::service_centre_spec(), db, clock);
    for (const auto& c : kCentres)
      centre_id[c.key] = created_id(
          svc.create(actor, {{"name", c.name}, {"address", c.address}, {"latitude", c.lat}, {"longitude", c.lon}}),
          std::string("service centre ") + c.name);
  }
  {
    app::ResourceService svc(app::department_spec(), db, clock);
    for (const auto& d : kDepartments)
      department_id[d.key] = created_id(svc.create(actor, {{"name", d.name}, {"description", d.description}}),
                                        std::string("department ") + d.name);
  }
  {
    app::ResourceService svc(app::team_spec(), db, clock);
    for (const auto& t : kTeams)
      team_id[t.key] = created_id(svc.create(actor, {{"name", t.name},
                                                     {"department_id", department_id.at(t.department)},
                                                     {"service_centre_id", centre_id.at(t.centre)},
                                                     {"skills", t.skills},
                                                     {"areas", t.areas}}),
                                  std::string("team ") + t.name);
  }

  // Customers, then the users (customer users need their customer).
  {
    app::ResourceService svc(app::customer_spec(), db, clock);
    for (const auto& c : kCustomers) {
      json contacts = json::array();
      for (const auto& k : c.contacts)
        contacts.push_back({{"name", k.name}, {"phone", k.phone}, {"email", k.email}, {"position", k.position}});
      customer_id.push_back(created_id(
          svc.create(actor, {{"name", c.name}, {"tier", c.tier}, {"address", c.address}, {"notes", c.notes},
                             {"contacts", contacts}}),
          std::string("customer ") + c.name));
      ++sum.customers;
    }
  }
  {
    app::AuthService auth(db, clock);
    for (const auto& l : demo_logins()) {
      auto info = std::find_if(kUserInfo.begin(), kUserInfo.end(),
                               [&](const UserInfo& u) { return l.username == u.username; });
      if (info == kUserInfo.end()) throw std::logic_error("demo data: no details for login " + l.username);
      app::NewUser u{l.username, info->display_name, l.role, std::nullopt, l.password, info->email, info->phone};
      if (l.role == "customer") u.customer_id = customer_id.at(static_cast<size_t>(info->customer));
      user_id[l.username] = created_id(auth.create_user(actor, u), "user " + l.username);
      ++sum.users;
    }
  }

  // Staff, linked to their logins where they have one.
  {
    app::ResourceService svc(app::staff_spec(), db, clock);
    for (const auto& s : kStaff) {
      json certs = json::array();
      for (const auto& c : s.certs)
        certs.push_back({{"name", c.name},
                         {"number", c.number},
                         {"expires_on", c.expires_in_days ? json(add_days(today_s, *c.expires_in_days)) : json()}});
      json body = {{"name", s.name},           {"home_centre_id", centre_id.at(s.centre)},
                   {"phone", s.phone},         {"email", s.email},
                   {"skills", s.skills},       {"certificates", certs}};
      if (*s.user) body["user_id"] = user_id.at(s.user);
      if (*s.team) body["team_id"] = team_id.at(s.team);
      staff_id[s.key] = created_id(svc.create(actor, body), std::string("staff ") + s.name);
      ++sum.staff;
    }
  }

  // Projects and their asset trees.
  struct ProjectRow {
    std::int64_t id, customer_id;
    std::map<std::string, std::int64_t> assets;
  };
  std::map<std::string, ProjectRow> project_rows;
  {
    app::ResourceService psvc(app::project_spec(), db, clock);
    app::ResourceService asvc(app::asset_spec(), db, clock);
    for (const auto& p : projects()) {
      json team = json::array();
      for (const auto& k : p.team) team.push_back(staff_id.at(k));
      ProjectRow row{0, customer_id.at(static_cast<size_t>(p.customer)), {}};
      row.id = created_id(psvc.create(actor, {{"customer_id", row.customer_id},
                                              {"name", p.name},
                                              {"type", p.type},
                                              {"address", p.address},
                                              {"latitude", p.lat},
                                              {"longitude", p.lon},
                                              {"completion_date", p.completion},
                                              {"warranty_months", p.warranty_months},
                                              {"warranty_scope", p.scope},
                                              {"calendar", p.calendar},
                                              {"time_zone", "Asia/Shanghai"},
                                              {"remote", p.remote},
                                              {"project_manager_id", user_id.at("pm")},
                                              {"handover_documents", p.documents},
                                              {"original_team", team}}),
                          std::string("project ") + p.name);
      ++sum.projects;

      std::vector<std::int64_t> ids;
      for (const auto& a : p.assets) {
        json body = {{"project_id", row.id},   {"kind", a.kind},         {"name", a.name},
                     {"category", a.category}, {"model", a.model},       {"serial_number", a.serial},
                     {"supplier", a.supplier}, {"critical", a.critical}};
        if (a.parent >= 0) body["parent_id"] = ids.at(static_cast<size_t>(a.parent));
        if (a.installed_before >= 0) {
          const int months = a.warranty_months > 0 ? a.warranty_months : p.warranty_months;
          body["install_date"] = add_days(p.completion, -a.installed_before);
          body["warranty_start"] = p.completion;
          body["warranty_end"] = warranty_end(p.completion, months);
        }
        ids.push_back(created_id(asvc.create(actor, body), std::string("asset ") + a.name));
        if (*a.key) row.assets[a.key] = ids.back();
        ++sum.assets;
      }
      project_rows[p.key] = std::move(row);
    }
  }

  // Service requests: reported times relative to the clock, numbered FW + local date + daily sequence.
  struct TicketRow {
    const TicketDef* def;
    Millis reported_at;
  };
  std::vector<TicketRow> rows;
  const int since_sunday = static_cast<int>(date::weekday{today}.c_encoding());  // Sunday = 0
  for (const auto& t : tickets()) {
    const int days = t.days_ago == kLastSunday ? (since_sunday == 0 ? 7 : since_sunday) : t.days_ago;
    if (days < 1) throw std::logic_error("demo data: a request must be reported before today");
    const Millis at = local_midnight_utc(today - date::days{days}) + t.hour * kHour + t.minute * kMinute;
    rows.push_back({&t, at});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const TicketRow& a, const TicketRow& b) { return a.reported_at < b.reported_at; });

  db.write([&](store::Connection& c) {
    std::map<std::string, int> daily;
    for (const auto& r : rows) {
      const TicketDef& t = *r.def;
      const std::string day = format_day(local_day(r.reported_at));
      char number[32];
      std::snprintf(number, sizeof number, "FW%s%s%s-%04d", day.substr(0, 4).c_str(), day.substr(5, 2).c_str(),
                    day.substr(8, 2).c_str(), ++daily[day]);

      const ProjectRow& p = project_rows.at(t.project);
      const CustomerDef& cust = kCustomers.at(static_cast<size_t>(
          std::find_if(projects().begin(), projects().end(), [&](const ProjectDef& d) { return std::string(d.key) == t.project; })
              ->customer));
      const ContactDef& contact = cust.contacts.at(static_cast<size_t>(t.contact));
      const bool logged_by_agent = std::string(t.channel) == "hotline" || std::string(t.channel) == "email";
      const Millis created = std::min(now, r.reported_at + (logged_by_agent ? 3 * kMinute : 0));
      const Millis updated =
          std::max(created, std::min(now - kMinute, r.reported_at + static_cast<Millis>(t.updated_after_h * kHour)));
      const std::string state(tk::ToString(t.state));
      const store::Value grade = t.grade ? store::Value(std::string(sla::ToString(*t.grade))) : store::Value();
      const store::Value nature = t.nature ? store::Value(std::string(gr::ToString(*t.nature))) : store::Value();
      const store::Value asset = *t.asset ? store::Value(p.assets.at(t.asset)) : store::Value();

      auto res = c.query(
          "INSERT INTO tickets (number, customer_id, project_id, asset_id, channel, state, grade, nature, title,"
          " description, demand, contact_name, contact_phone, reported_at, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {std::string(number), p.customer_id, p.id, asset, std::string(t.channel), state, grade, nature,
           std::string(t.title), std::string(t.description), std::string(t.demand), std::string(contact.name),
           std::string(contact.phone), r.reported_at, created, updated});
      const std::int64_t id = res.rows.at(0).i64("id");
      app::index_ticket_text(c, id, std::string(number), std::string(t.title), std::string(t.description), r.reported_at);
      json after = {{"id", id},
                    {"number", number},
                    {"customer_id", p.customer_id},
                    {"project_id", p.id},
                    {"asset_id", *t.asset ? json(p.assets.at(t.asset)) : json()},
                    {"channel", t.channel},
                    {"state", state},
                    {"grade", t.grade ? json(std::string(sla::ToString(*t.grade))) : json()},
                    {"nature", t.nature ? json(std::string(gr::ToString(*t.nature))) : json()},
                    {"title", t.title},
                    {"reported_at", format_iso8601(r.reported_at)}};
      app::write_audit(c, actor, created, "create", "ticket", id, nullptr, after);
      seed_history(c, id, t.state, t.grade, r.reported_at, updated, number, std::string(t.channel));
      app::refresh_ticket_clocks(c, id, now);
      ++sum.tickets;
    }
  });
  return sum;
}

}  // namespace aftersales::cli
