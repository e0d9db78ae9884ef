#include "app/parts.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "app/access.h"
#include "app/audit.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using FT = FieldType;
using store::Value;

FieldSpec text(std::string name, size_t max, bool required = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.max_length = max;
  f.required = required;
  f.nullable = false;
  f.default_value = "";
  return f;
}
FieldSpec whole(std::string name, double hi, std::int64_t dflt) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kInt;
  f.min = 0;
  f.max = hi;
  f.nullable = false;
  f.default_value = dflt;
  f.sortable = true;
  return f;
}
FieldSpec flag(std::string name, bool dflt) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kBool;
  f.nullable = false;
  f.default_value = dflt;
  f.filterable = true;
  return f;
}

// Thrown inside a write transaction to roll it back with an expected failure.
struct Rollback {
  Error error;
};

json opt_i64(const store::Row& r, std::string_view col) {
  return r.is_null(col) ? json(nullptr) : json(r.i64(col));
}

bool parse_bool_param(const std::string& raw, bool* out) {
  if (raw == "true" || raw == "1") return *out = true, true;
  if (raw == "false" || raw == "0") return *out = false, true;
  return false;
}

bool parse_id_param(const std::string& raw, std::int64_t* out) {
  if (raw.empty() || raw.size() > 18 || !std::all_of(raw.begin(), raw.end(), [](unsigned char c) { return std::isdigit(c); }))
    return false;
  *out = std::stoll(raw);
  return *out > 0;
}

std::string like_pattern(const std::string& q) {
  std::string like = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
    like += ch;
  }
  return like + "%";
}

json movement_json(const store::Row& r) {
  return {{"id", r.i64("id")},
          {"part_id", r.i64("part_id")},
          {"part_code", r.text("part_code")},
          {"part_name", r.text("part_name")},
          {"location_id", r.i64("location_id")},
          {"location_name", r.text("location_name")},
          {"kind", r.text("kind")},
          {"quantity", r.i64("quantity")},
          {"balance_after", r.i64("balance_after")},
          {"ticket_id", opt_i64(r, "ticket_id")},
          {"repair_log_id", opt_i64(r, "repair_log_id")},
          {"related_location_id", opt_i64(r, "related_location_id")},
          {"unit_cost", r.is_null("unit_cost") ? json(nullptr) : json(r.f64("unit_cost"))},
          {"reason", r.text("reason")},
          {"reference", r.text("reference")},
          {"actor_name", r.text("actor_name")},
          {"at", format_iso8601(r.i64("at"))}};
}

constexpr const char* kMovementSelect =
    "SELECT m.id, m.part_id, p.code AS part_code, p.name AS part_name, m.location_id, l.name AS location_name, m.kind, "
    "m.quantity, m.balance_after, m.ticket_id, m.repair_log_id, m.related_location_id, m.unit_cost, m.reason, "
    "m.reference, m.actor_name, m.at FROM stock_movements m JOIN parts p ON p.id = m.part_id "
    "JOIN stock_locations l ON l.id = m.location_id";

}  // namespace

const std::vector<std::string>& stock_location_kinds() {
  static const std::vector<std::string> v = {"warehouse", "service_centre", "vehicle"};
  return v;
}
const std::vector<std::string>& stock_movement_kinds() {
  static const std::vector<std::string> v = {"receipt", "issue", "return", "transfer_out", "transfer_in", "adjustment"};
  return v;
}

const ResourceSpec& part_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "part";
    r.table = "parts";
    FieldSpec code = text("code", 64, true);
    code.searchable = code.sortable = code.filterable = true;
    FieldSpec name = text("name", 200, true);
    name.searchable = name.sortable = true;
    FieldSpec spec = text("spec", 200);
    spec.searchable = true;
    FieldSpec category = text("category", 100);
    category.filterable = category.sortable = true;
    FieldSpec supplier = text("supplier", 200);
    supplier.searchable = true;
    FieldSpec cost;
    cost.name = "unit_cost";
    cost.type = FT::kNumber;
    cost.min = 0;
    cost.max = 1e10;
    r.fields = {code,
                name,
                spec,
                text("unit", 20),
                category,
                supplier,
                cost,
                whole("warranty_months", 600, 0),
                whole("safety_stock", 1e12, 0),
                whole("reorder_point", 1e12, 0),
                flag("active", true)};
    r.computed = {"(SELECT CAST(COALESCE(SUM(sl.quantity), 0) AS BIGINT) FROM stock_levels sl WHERE sl.part_id = t.id) AS total_quantity"};
    r.read_permission = Permission::kPartRead;
    r.write_permission = Permission::kPartWrite;
    r.default_sort = "t.code";
    r.check = [](store::Connection&, const json& after, const json*) {
      std::vector<FieldError> errors;
      if (after["reorder_point"].is_number_integer() && after["safety_stock"].is_number_integer() &&
          after["reorder_point"].get<std::int64_t>() < after["safety_stock"].get<std::int64_t>())
        errors.push_back({"reorder_point", "order", "must not be below safety_stock"});
      return errors;
    };
    return r;
  }();
  return s;
}

const ResourceSpec& stock_location_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "stock_location";
    r.table = "stock_locations";
    FieldSpec name = text("name", 200, true);
    name.searchable = name.sortable = true;
    FieldSpec kind;
    kind.name = "kind";
    kind.type = FT::kEnum;
    kind.values = stock_location_kinds();
    kind.nullable = false;
    kind.required = true;
    kind.filterable = kind.sortable = true;
    FieldSpec centre;
    centre.name = "service_centre_id";
    centre.type = FT::kRef;
    centre.ref_table = "service_centres";
    centre.filterable = true;
    r.fields = {name, kind, centre, flag("active", true)};
    r.computed = {"(SELECT name FROM service_centres sc WHERE sc.id = t.service_centre_id) AS service_centre_name"};
    r.read_permission = Permission::kPartRead;
    r.write_permission = Permission::kPartWrite;
    r.default_sort = "t.name";
    r.check = [](store::Connection&, const json& after, const json*) {
      std::vector<FieldError> errors;
      if (after["kind"] == "service_centre" && after["service_centre_id"].is_null())
        errors.push_back({"service_centre_id", "required", "a service-centre stock point names its service centre"});
      return errors;
    };
    return r;
  }();
  return s;
}

std::optional<std::string> add_months(const std::string& ymd, int months) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (ymd.size() != 10 || std::sscanf(ymd.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  date::year_month_day start{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  if (!start.ok()) return std::nullopt;
  date::year_month ym = date::year{y} / date::month{static_cast<unsigned>(m)} + date::months{months};
  date::year_month_day_last last{ym.year(), date::month_day_last{ym.month()}};
  date::year_month_day out{ym.year(), ym.month(), std::min(start.day(), last.day())};
  return date::format("%F", date::sys_days{out});
}

std::optional<std::string> part_warranty_until(Millis replaced_at, int warranty_months, const std::string& time_zone) {
  if (warranty_months <= 0) return std::nullopt;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone.empty() ? "Asia/Shanghai" : time_zone);
  } catch (const std::exception&) {
    zone = date::locate_zone("Asia/Shanghai");
  }
  auto local = zone->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{replaced_at}});
  auto day = date::year_month_day{date::floor<date::days>(local)};
  return add_months(date::format("%F", date::sys_days{day}), warranty_months);
}

std::vector<FieldError> check_movement_request(const json& body) {
  std::vector<FieldError> errors;
  if (!body.is_object()) return {{"", "type", "must be an object"}};
  static const std::set<std::string> kinds = {"receipt", "adjustment", "transfer", "return"};
  if (!body.contains("kind") || !body["kind"].is_string() || !kinds.count(body["kind"].get<std::string>())) {
    errors.push_back({"kind", body.contains("kind") ? "enum" : "required",
                      "must be one of receipt, adjustment, transfer, return"});
    return errors;
  }
  const std::string kind = body["kind"];
  std::set<std::string> allowed = {"kind", "part_id", "location_id", "quantity", "reason", "reference"};
  if (kind == "receipt") allowed.insert("unit_cost");
  if (kind == "transfer") allowed.insert("to_location_id");
  if (kind == "return") allowed.insert("ticket_id");
  for (const auto& [k, v] : body.items())
    if (!allowed.count(k)) errors.push_back({k, "unknown", "is not a field of a " + kind + " movement"});
  auto need_id = [&](const char* key) {
    if (!body.contains(key) || body[key].is_null()) errors.push_back({key, "required", "is required"});
    else if (!body[key].is_number_integer() || body[key].get<std::int64_t>() < 1)
      errors.push_back({key, "type", "must be an id (positive integer)"});
  };
  need_id("part_id");
  need_id("location_id");
  if (kind == "transfer") {
    need_id("to_location_id");
    if (body.contains("to_location_id") && body.contains("location_id") && body["to_location_id"] == body["location_id"])
      errors.push_back({"to_location_id", "distinct", "must differ from location_id"});
  }
  if (kind == "return") need_id("ticket_id");
  if (!body.contains("quantity") || body["quantity"].is_null()) {
    errors.push_back({"quantity", "required", "is required"});
  } else if (!body["quantity"].is_number_integer()) {
    errors.push_back({"quantity", "type", "must be a whole number"});
  } else {
    auto q = body["quantity"].get<std::int64_t>();
    if (q > 1000000000 || q < -1000000000) errors.push_back({"quantity", "range", "must be at most 1000000000 in size"});
    else if (kind == "adjustment" && q == 0) errors.push_back({"quantity", "range", "must not be 0"});
    else if (kind != "adjustment" && q <= 0) errors.push_back({"quantity", "range", "must be positive"});
  }
  for (const char* key : {"reason", "reference"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (!body[key].is_string()) errors.push_back({key, "type", "must be a string"});
    else if (body[key].get<std::string>().size() > 1000) errors.push_back({key, "max_length", "must be at most 1000 bytes"});
    else if (const auto& t = body[key].get_ref<const std::string&>(); std::any_of(t.begin(), t.end(), [](unsigned char c) {
               return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
             }))
      errors.push_back({key, "control_characters", "must not contain control characters"});
  }
  if (kind == "adjustment" && (!body.contains("reason") || !body["reason"].is_string() || body["reason"].get<std::string>().empty()))
    if (std::none_of(errors.begin(), errors.end(), [](const FieldError& e) { return e.field == "reason"; }))
      errors.push_back({"reason", "required", "an adjustment states its reason"});
  if (body.contains("unit_cost") && !body["unit_cost"].is_null() &&
      (!body["unit_cost"].is_number() || body["unit_cost"].get<double>() < 0 || !std::isfinite(body["unit_cost"].get<double>())))
    errors.push_back({"unit_cost", "range", "must be a number ≥ 0"});
  return errors;
}

Outcome<json> apply_stock_change(store::Connection& tx, const Actor& actor, const StockChange& ch, Millis now) {
  std::int64_t balance = 0;
  if (ch.quantity >= 0) {
    auto r = tx.query(
        "INSERT INTO stock_levels (part_id, location_id, quantity, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (part_id, location_id) DO UPDATE SET quantity = stock_levels.quantity + excluded.quantity, "
        "updated_at = excluded.updated_at RETURNING quantity",
        {ch.part_id, ch.location_id, ch.quantity, now});
    balance = r.rows[0].i64("quantity");
  } else {
    const std::int64_t out = -ch.quantity;
    auto r = tx.query("UPDATE stock_levels SET quantity = quantity - ?, updated_at = ? "
                      "WHERE part_id = ? AND location_id = ? AND quantity >= ? RETURNING quantity",
                      {out, now, ch.part_id, ch.location_id, out});
    if (r.empty()) {
      auto have = tx.query("SELECT quantity FROM stock_levels WHERE part_id = ? AND location_id = ?",
                           {ch.part_id, ch.location_id});
      std::int64_t available = have.empty() ? 0 : have.rows[0].i64("quantity");
      auto names = tx.query("SELECT (SELECT code FROM parts WHERE id = ?) AS code, (SELECT name FROM parts WHERE id = ?) AS pname, "
                            "(SELECT name FROM stock_locations WHERE id = ?) AS lname",
                            {ch.part_id, ch.part_id, ch.location_id});
      const auto& n = names.rows[0];
      std::string msg = "Not enough stock of part " + n.text("code") + " (" + n.text("pname") + ") at " + n.text("lname") +
                        ": " + std::to_string(available) + " available, " + std::to_string(out) + " requested";
      return Error::Conflict(msg, {{ch.field, "insufficient_stock", msg}});
    }
    balance = r.rows[0].i64("quantity");
  }
  auto ins = tx.query(
      "INSERT INTO stock_movements (part_id, location_id, kind, quantity, balance_after, ticket_id, repair_log_id, "
      "related_location_id, unit_cost, reason, reference, actor_user_id, actor_name, at, request_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {ch.part_id, ch.location_id, ch.kind, ch.quantity, balance, ch.ticket_id ? Value(*ch.ticket_id) : Value(),
       ch.repair_log_id ? Value(*ch.repair_log_id) : Value(),
       ch.related_location_id ? Value(*ch.related_location_id) : Value(), ch.unit_cost ? Value(*ch.unit_cost) : Value(),
       ch.reason, ch.reference, actor.user_id > 0 ? Value(actor.user_id) : Value(),
       actor.display_name.empty() ? actor.username : actor.display_name, now, actor.request_id});
  auto id = ins.rows[0].i64("id");
  auto row = tx.query(std::string(kMovementSelect) + " WHERE m.id = ?", {id});
  return movement_json(row.rows[0]);
}

Outcome<json> write_or_rollback(store::Database& db, const std::function<Outcome<json>(store::Connection&)>& fn) {
  try {
    return db.write([&](store::Connection& c) -> Outcome<json> {
      auto out = fn(c);
      if (!out) throw Rollback{out.error()};
      return out;
    });
  } catch (const Rollback& r) {
    return r.error;
  }
}

Outcome<json> StockService::levels(const Actor& actor, const ListQuery& query) const {
  if (auto e = require(actor, Permission::kPartRead)) return *e;
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  for (const auto& [k, raw] : query.filters) {
    if (k == "part_id" || k == "location_id") {
      std::int64_t id = 0;
      if (!parse_id_param(raw, &id)) return Error::BadRequest(k + " must be a positive integer", k, "type");
      where += k == "part_id" ? " AND s.part_id = ?" : " AND s.location_id = ?";
      params.push_back(id);
    } else if (k == "below_reorder") {
      bool b = false;
      if (!parse_bool_param(raw, &b)) return Error::BadRequest("below_reorder must be true or false", k, "type");
      if (b) where += " AND s.quantity <= p.reorder_point AND p.active = 1";
    } else if (k == "category") {
      where += " AND p.category = ?";
      params.push_back(raw);
    } else {
      return Error::BadRequest("'" + k + "' is not a filter of stock levels", k, "unknown");
    }
  }
  if (!query.q.empty()) {
    where += " AND (lower(p.code) LIKE lower(?) ESCAPE '\\' OR lower(p.name) LIKE lower(?) ESCAPE '\\')";
    params.push_back(like_pattern(query.q));
    params.push_back(like_pattern(query.q));
  }
  if (!query.sort.empty()) return Error::BadRequest("stock levels are sorted by part code and location", "sort", "unknown");
  const std::string from =
      " FROM stock_levels s JOIN parts p ON p.id = s.part_id JOIN stock_locations l ON l.id = s.location_id";
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n" + from + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query("SELECT s.part_id, p.code, p.name, p.spec, p.unit, p.category, p.safety_stock, p.reorder_point, "
                        "s.location_id, l.name AS location_name, l.kind AS location_kind, s.quantity, s.updated_at" +
                            from + where + " ORDER BY p.code, l.name, s.location_id LIMIT ? OFFSET ?",
                        page);
    json items = json::array();
    for (const auto& r : rows.rows) {
      const auto q = r.i64("quantity");
      items.push_back({{"part_id", r.i64("part_id")}, {"part_code", r.text("code")}, {"part_name", r.text("name")},
                       {"spec", r.text("spec")}, {"unit", r.text("unit")}, {"category", r.text("category")},
                       {"location_id", r.i64("location_id")}, {"location_name", r.text("location_name")},
                       {"location_kind", r.text("location_kind")}, {"quantity", q},
                       {"safety_stock", r.i64("safety_stock")}, {"reorder_point", r.i64("reorder_point")},
                       {"below_reorder", q <= r.i64("reorder_point")}, {"below_safety", q < r.i64("safety_stock")},
                       {"updated_at", format_iso8601(r.i64("updated_at"))}});
    }
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit}, {"offset", query.offset}};
  });
}

Outcome<json> StockService::movements(const Actor& actor, const ListQuery& query) const {
  if (auto e = require(actor, Permission::kPartRead)) return *e;
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  for (const auto& [k, raw] : query.filters) {
    if (k == "part_id" || k == "location_id" || k == "ticket_id" || k == "repair_log_id") {
      std::int64_t id = 0;
      if (!parse_id_param(raw, &id)) return Error::BadRequest(k + " must be a positive integer", k, "type");
      where += " AND m." + k + " = ?";  // k is one of the four names above
      params.push_back(id);
    } else if (k == "kind") {
      const auto& kinds = stock_movement_kinds();
      if (std::find(kinds.begin(), kinds.end(), raw) == kinds.end())
        return Error::BadRequest("kind must be one of receipt, issue, return, transfer_out, transfer_in, adjustment", k, "enum");
      where += " AND m.kind = ?";
      params.push_back(raw);
    } else if (k == "from" || k == "to") {
      Millis t = 0;
      if (!parse_iso8601(raw, &t)) return Error::BadRequest(k + " must be an ISO-8601 time", k, "format");
      where += k == "from" ? " AND m.at >= ?" : " AND m.at < ?";
      params.push_back(t);
    } else {
      return Error::BadRequest("'" + k + "' is not a filter of stock movements", k, "unknown");
    }
  }
  if (!query.q.empty() || !query.sort.empty())
    return Error::BadRequest("stock movements are listed newest first and take filters only", query.q.empty() ? "sort" : "q", "unknown");
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n FROM stock_movements m" + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query(std::string(kMovementSelect) + where + " ORDER BY m.id DESC LIMIT ? OFFSET ?", page);
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(movement_json(r));
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit}, {"offset", query.offset}};
  });
}

Outcome<json> StockService::move(const Actor& actor, const json& body) const {
  if (auto e = require(actor, Permission::kStockMove)) return *e;
  if (auto errors = check_movement_request(body); !errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  const std::string kind = body["kind"];
  const std::int64_t part_id = body["part_id"], location_id = body["location_id"];
  const std::int64_t qty = body["quantity"];
  return write_or_rollback(db_, [&](store::Connection& c) -> Outcome<json> {
    std::vector<FieldError> errors;
    auto part = c.query("SELECT id, active, unit_cost FROM parts WHERE id = ?", {part_id});
    if (part.empty()) errors.push_back({"part_id", "not_found", "no part has this id"});
    else if (part.rows[0].i64("active") == 0 && (kind == "receipt" || kind == "transfer"))
      errors.push_back({"part_id", "inactive", "the part is no longer active"});
    auto location_ok = [&](const char* key) {
      auto r = c.query("SELECT active FROM stock_locations WHERE id = ?", {body[key].get<std::int64_t>()});
      if (r.empty()) errors.push_back({key, "not_found", "no stock location has this id"});
      else if (r.rows[0].i64("active") == 0 && kind != "adjustment")
        errors.push_back({key, "inactive", "the stock location is no longer active"});
    };
    location_ok("location_id");
    if (kind == "transfer") location_ok("to_location_id");
    if (kind == "return") {
      const std::int64_t ticket_id = body["ticket_id"];
      if (c.query("SELECT 1 FROM tickets WHERE id = ?", {ticket_id}).empty()) {
        errors.push_back({"ticket_id", "not_found", "no service request has this id"});
      } else if (errors.empty()) {
        // Only what was issued to the request (and not yet returned) can come back.
        auto net = c.query("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS n FROM stock_movements "
                           "WHERE ticket_id = ? AND part_id = ? AND kind IN ('issue', 'return')",
                           {ticket_id, part_id});
        const std::int64_t outstanding = -net.rows[0].i64("n");
        if (qty > outstanding)
          errors.push_back({"quantity", "exceeds_issued",
                            "only " + std::to_string(outstanding) + " of this part are outstanding on the request"});
      }
    }
    if (!errors.empty()) return Error::Validation(errors);

    StockChange ch;
    ch.part_id = part_id;
    ch.location_id = location_id;
    ch.reason = body.value("reason", "");
    ch.reference = body.value("reference", "");
    json written = json::array();
    if (kind == "receipt") {
      ch.kind = "receipt";
      ch.quantity = qty;
      if (body.contains("unit_cost") && body["unit_cost"].is_number()) ch.unit_cost = body["unit_cost"].get<double>();
      else if (!part.rows[0].is_null("unit_cost")) ch.unit_cost = part.rows[0].f64("unit_cost");
    } else if (kind == "adjustment") {
      ch.kind = "adjustment";
      ch.quantity = qty;
    } else if (kind == "return") {
      ch.kind = "return";
      ch.quantity = qty;
      ch.ticket_id = body["ticket_id"].get<std::int64_t>();
    } else {  // transfer: out of the source, into the destination
      const std::int64_t to = body["to_location_id"];
      // Two opposite transfers at once would lock the two rows in opposite orders: on
      // PostgreSQL, lock them in one order first (SQLite serialises writers anyway).
      if (c.dialect() == store::Dialect::kPostgres)
        c.query("SELECT quantity FROM stock_levels WHERE part_id = ? AND location_id IN (?, ?) ORDER BY location_id FOR UPDATE",
                {part_id, location_id, to});
      ch.kind = "transfer_out";
      ch.quantity = -qty;
      ch.related_location_id = to;
      auto out = apply_stock_change(c, actor, ch, now);
      if (!out) return out.error();
      written.push_back(*out);
      StockChange in = ch;
      in.kind = "transfer_in";
      in.location_id = to;
      in.related_location_id = location_id;
      in.quantity = qty;
      ch = in;
    }
    auto out = apply_stock_change(c, actor, ch, now);
    if (!out) return out.error();
    written.push_back(*out);
    write_audit(c, actor, now, "stock_" + kind, "part", part_id, nullptr, written);
    return json{{"items", written}};
  });
}

}  // namespace aftersales::app
