#include "app/resource.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "app/audit.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool has_bad_controls(const std::string& s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c == 0x7f) return true;
    if (c < 0x20) {
      if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
  }
  return false;
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool valid_email(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  auto dot = s.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot + 1 >= s.size()) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c < 0x20; });
}

bool valid_phone(const std::string& s) {
  return s.size() <= 30 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isdigit(c) || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')';
         });
}

std::string type_word(FieldType t) {
  switch (t) {
    case FieldType::kInt: return "an integer";
    case FieldType::kRef: return "an id (positive integer)";
    case FieldType::kNumber: return "a number";
    case FieldType::kBool: return "a boolean";
    case FieldType::kStringList: return "an array of strings";
    default: return "a string";
  }
}

// Checks one value against its field; on success stores the normalised value in *out.
std::optional<FieldError> check_field(const FieldSpec& f, const json& v, const std::string& path,
                                      json* out) {
  if (v.is_null()) {
    if (!f.nullable || f.required) return FieldError{path, "required", "must not be null"};
    *out = nullptr;
    return std::nullopt;
  }
  switch (f.type) {
    case FieldType::kString:
    case FieldType::kEmail:
    case FieldType::kPhone:
    case FieldType::kDate:
    case FieldType::kEnum: {
      if (!v.is_string()) return FieldError{path, "type", "must be " + type_word(f.type)};
      const auto s = v.get<std::string>();
      if (f.required && blank(s)) return FieldError{path, "required", "must not be empty"};
      if (utf8_length(s) > f.max_length)
        return FieldError{path, "max_length",
                          "must have at most " + std::to_string(f.max_length) + " characters"};
      if (has_bad_controls(s, f.max_length > 200))
        return FieldError{path, "control_characters", "must not contain control characters"};
      if (f.type == FieldType::kEmail && !s.empty() && !valid_email(s))
        return FieldError{path, "format", "must be an e-mail address like name@example.com"};
      if (f.type == FieldType::kPhone && !valid_phone(s))
        return FieldError{path, "format", "must be a phone number (digits, + - ( ) and spaces)"};
      if (f.type == FieldType::kDate && !is_valid_date(s))
        return FieldError{path, "format", "must be a date YYYY-MM-DD between 1900 and 2200"};
      if (f.type == FieldType::kEnum &&
          std::find(f.values.begin(), f.values.end(), s) == f.values.end()) {
        std::string list;
        for (const auto& x : f.values) list += (list.empty() ? "" : ", ") + x;
        return FieldError{path, "enum", "must be one of: " + list};
      }
      *out = s;
      return std::nullopt;
    }
    case FieldType::kInt:
    case FieldType::kRef: {
      if (!v.is_number_integer()) return FieldError{path, "type", "must be " + type_word(f.type)};
      auto n = v.get<std::int64_t>();
      double lo = f.type == FieldType::kRef ? 1 : f.min;
      if (n < lo || n > f.max)
        return FieldError{path, "range", "must be between " + json(static_cast<std::int64_t>(lo)).dump() +
                                             " and " + json(static_cast<std::int64_t>(std::min(f.max, 9.0e15))).dump()};
      *out = n;
      return std::nullopt;
    }
    case FieldType::kNumber: {
      if (!v.is_number()) return FieldError{path, "type", "must be a number"};
      double d = v.get<double>();
      if (!std::isfinite(d) || d < f.min || d > f.max)
        return FieldError{path, "range", "must be between " + json(f.min).dump() + " and " + json(f.max).dump()};
      *out = d;
      return std::nullopt;
    }
    case FieldType::kBool:
      if (!v.is_boolean()) return FieldError{path, "type", "must be true or false"};
      *out = v;
      return std::nullopt;
    case FieldType::kStringList: {
      if (!v.is_array()) return FieldError{path, "type", "must be an array of strings"};
      if (v.size() > 50) return FieldError{path, "max_items", "must have at most 50 items"};
      std::set<std::string> seen;
      json list = json::array();
      for (size_t i = 0; i < v.size(); ++i) {
        std::string ip = path + "[" + std::to_string(i) + "]";
        if (!v[i].is_string()) return FieldError{ip, "type", "must be a string"};
        auto s = v[i].get<std::string>();
        if (s.empty() || utf8_length(s) > 100 || has_bad_controls(s, false))
          return FieldError{ip, "format", "must be 1 to 100 characters without control characters"};
        if (!f.values.empty() && std::find(f.values.begin(), f.values.end(), s) == f.values.end()) {
          std::string all;
          for (const auto& x : f.values) all += (all.empty() ? "" : ", ") + x;
          return FieldError{ip, "enum", "must be one of: " + all};
        }
        if (seen.insert(s).second) list.push_back(s);
      }
      *out = list;
      return std::nullopt;
    }
  }
  return FieldError{path, "type", "unsupported"};
}

Value to_value(const FieldSpec& f, const json& v) {
  if (v.is_null()) return std::monostate{};
  switch (f.type) {
    case FieldType::kBool: return static_cast<std::int64_t>(v.get<bool>() ? 1 : 0);
    case FieldType::kInt:
    case FieldType::kRef: return v.get<std::int64_t>();
    case FieldType::kNumber: return v.get<double>();
    case FieldType::kStringList: return v.dump();
    default: return v.get<std::string>();
  }
}

json from_value(const FieldSpec& f, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  switch (f.type) {
    case FieldType::kBool:
      return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) != 0 : false;
    case FieldType::kInt:
    case FieldType::kRef:
      if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
      if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
      return nullptr;
    case FieldType::kNumber:
      if (auto* d = std::get_if<double>(&v)) return *d;
      if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
      return nullptr;
    case FieldType::kStringList: {
      auto* s = std::get_if<std::string>(&v);
      auto parsed = s ? json::parse(*s, nullptr, false) : json();
      return parsed.is_array() ? parsed : json::array();
    }
    default:
      if (auto* s = std::get_if<std::string>(&v)) return *s;
      return nullptr;
  }
}

json cell_json(const Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

const FieldSpec* find_field(const std::vector<FieldSpec>& fields, const std::string& name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string computed_name(const std::string& expr) {
  auto pos = expr.rfind(" AS ");
  return pos == std::string::npos ? expr : expr.substr(pos + 4);
}

bool ref_exists(store::Connection& c, const std::string& table, std::int64_t id) {
  // Table names come from the static specs, never from input.
  return !c.query("SELECT 1 FROM " + table + " WHERE id = ?", {id}).empty();
}

}  // namespace

std::optional<FieldError> validate_field(const FieldSpec& f, const json& v, const std::string& path, json* out) {
  return check_field(f, v, path, out);
}

std::vector<FieldError> validate_object(const std::vector<FieldSpec>& fields, const json& object,
                                        const std::string& prefix, json* out) {
  std::vector<FieldError> errors;
  if (!object.is_object()) return {{prefix.empty() ? "body" : prefix, "type", "must be an object"}};
  *out = json::object();
  for (auto it = object.begin(); it != object.end(); ++it)
    if (!find_field(fields, it.key())) errors.push_back({prefix + it.key(), "unknown", "is not a known field"});
  for (const auto& f : fields) {
    if (!object.contains(f.name)) {
      if (f.required) errors.push_back({prefix + f.name, "required", "is required"});
      else (*out)[f.name] = f.default_value;
      continue;
    }
    json v;
    if (auto fe = check_field(f, object[f.name], prefix + f.name, &v)) errors.push_back(*fe);
    else (*out)[f.name] = v;
  }
  return errors;
}

Outcome<ListQuery> parse_list_query(const std::map<std::string, std::string>& params) {
  ListQuery q;
  auto int_param = [&](const char* name, int lo, int hi, int* out) -> std::optional<Error> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    const std::string& s = it->second;
    bool digits = !s.empty() && s.size() <= 9 &&
                  std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || std::stoi(s) < lo || std::stoi(s) > hi)
      return Error::BadRequest(std::string(name) + " must be an integer from " + std::to_string(lo) +
                                   " to " + std::to_string(hi),
                               name, "range");
    *out = std::stoi(s);
    return std::nullopt;
  };
  if (auto e = int_param("limit", 1, 200, &q.limit)) return *e;
  if (auto e = int_param("offset", 0, 100000000, &q.offset)) return *e;
  for (const auto& [k, v] : params) {
    if (k == "limit" || k == "offset") continue;
    if (k == "sort") q.sort = v;
    else if (k == "q") {
      if (v.size() > 200) return Error::BadRequest("q must have at most 200 characters", "q", "max_length");
      q.q = v;
    } else q.filters[k] = v;
  }
  return q;
}

std::string ResourceService::select_sql() const {
  std::string sql = "SELECT t.id, t.version";
  if (spec_.timestamps) sql += ", t.created_at, t.updated_at";
  for (const auto& f : spec_.fields) sql += ", t." + f.name;
  for (const auto& c : spec_.computed) sql += ", " + c;
  return sql + " FROM " + spec_.table + " t";
}

json ResourceService::row_json(store::Connection& c, const store::Row& row) const {
  json j;
  j["id"] = row.i64("id");
  for (const auto& f : spec_.fields) j[f.name] = from_value(f, row.at(f.name));
  for (const auto& expr : spec_.computed) {
    auto name = computed_name(expr);
    j[name] = cell_json(row.at(name));
  }
  for (const auto& ch : spec_.children) {
    std::string cols;
    for (const auto& f : ch.fields) cols += (cols.empty() ? "" : ", ") + f.name;
    auto rows = c.query("SELECT " + cols + " FROM " + ch.table + " WHERE " + ch.parent_column +
                            " = ?" + (ch.ordered ? " ORDER BY sort_order" : " ORDER BY " + ch.fields[0].name),
                        {row.i64("id")});
    json items = json::array();
    for (const auto& r : rows.rows) {
      if (ch.scalar) {
        items.push_back(from_value(ch.fields[0], r.at(0)));
      } else {
        json item;
        for (const auto& f : ch.fields) item[f.name] = from_value(f, r.at(f.name));
        items.push_back(item);
      }
    }
    j[ch.name] = items;
  }
  if (spec_.timestamps) {
    j["created_at"] = format_iso8601(row.i64("created_at"));
    j["updated_at"] = format_iso8601(row.i64("updated_at"));
  }
  j["version"] = row.i64("version");
  return j;
}

std::optional<json> ResourceService::load(store::Connection& c, std::int64_t id,
                                          const Actor* scoped_actor) const {
  std::string sql = select_sql() + " WHERE t.id = ?";
  std::vector<Value> params = {id};
  if (scoped_actor && scoped_actor->is_customer()) {
    if (spec_.customer_scope.empty()) return std::nullopt;
    sql += " AND (" + spec_.customer_scope + ")";
    params.push_back(scoped_actor->customer_id.value_or(-1));
  }
  auto r = c.query(sql, params);
  if (r.empty()) return std::nullopt;
  return row_json(c, r.rows[0]);
}

Outcome<json> ResourceService::list(const Actor& actor, const ListQuery& query) const {
  if (auto e = require(actor, spec_.read_permission)) return *e;
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (actor.is_customer()) {
    if (spec_.customer_scope.empty()) return Error::NotFound(spec_.name + " list");
    where += " AND (" + spec_.customer_scope + ")";
    params.push_back(actor.customer_id.value_or(-1));
  }
  for (const auto& [name, raw] : query.filters) {
    const FieldSpec* f = find_field(spec_.fields, name);
    if (!f || !f->filterable)
      return Error::BadRequest("'" + name + "' is not a filter of " + spec_.name + " lists", name, "unknown");
    json v;
    if (f->type == FieldType::kInt || f->type == FieldType::kRef) {
      bool digits = !raw.empty() && raw.size() <= 18 &&
                    std::all_of(raw.begin(), raw.end(), [](unsigned char ch) { return std::isdigit(ch); });
      if (!digits) return Error::BadRequest(name + " must be an integer", name, "type");
      v = std::stoll(raw);
    } else if (f->type == FieldType::kBool) {
      if (raw != "true" && raw != "false") return Error::BadRequest(name + " must be true or false", name, "type");
      v = raw == "true";
    } else {
      v = raw;
      json norm;
      if (auto fe = check_field(*f, v, name, &norm)) return Error::BadRequest(name + " " + fe->message, name, fe->rule);
    }
    where += " AND t." + f->name + " = ?";
    params.push_back(to_value(*f, v));
  }
  if (!query.q.empty()) {
    std::string like = "%";
    for (char ch : query.q) {
      if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
      like += ch;
    }
    like += "%";
    std::string any;
    for (const auto& f : spec_.fields)
      if (f.searchable) {
        any += std::string(any.empty() ? "" : " OR ") + "lower(t." + f.name + ") LIKE lower(?) ESCAPE '\\'";
        params.push_back(like);
      }
    if (!any.empty()) where += " AND (" + any + ")";
  }
  std::string order = spec_.default_sort;
  if (!query.sort.empty()) {
    bool desc = query.sort[0] == '-';
    std::string name = desc ? query.sort.substr(1) : query.sort;
    const FieldSpec* f = find_field(spec_.fields, name);
    bool ok = (f && f->sortable) || name == "id" || (spec_.timestamps && (name == "created_at" || name == "updated_at"));
    if (!ok) return Error::BadRequest("cannot sort " + spec_.name + " lists by '" + name + "'", "sort", "enum");
    order = "t." + name + (desc ? " DESC" : " ASC");
  }
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n FROM " + spec_.table + " t" + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query(select_sql() + where + " ORDER BY " + order + ", t.id LIMIT ? OFFSET ?", page);
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(row_json(c, r));
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit},
                {"offset", query.offset}};
  });
}

Outcome<json> ResourceService::get(const Actor& actor, std::int64_t id) const {
  if (auto e = require(actor, spec_.read_permission)) return *e;
  auto found = db_.read([&](store::Connection& c) { return load(c, id, &actor); });
  if (!found) return Error::NotFound(spec_.name + " " + std::to_string(id));
  return *found;
}

std::vector<FieldError> ResourceService::validate(store::Connection& c, const json& body, bool creating,
                                                  json* record) const {
  std::vector<FieldError> errors;
  static const std::set<std::string> kIgnored = {"id", "version", "created_at", "updated_at"};
  std::set<std::string> computed;
  for (const auto& e : spec_.computed) computed.insert(computed_name(e));
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    if (kIgnored.count(key) || computed.count(key)) continue;
    if (const FieldSpec* f = find_field(spec_.fields, key)) {
      json out;
      if (auto fe = check_field(*f, it.value(), key, &out)) errors.push_back(*fe);
      else (*record)[key] = out;
      continue;
    }
    auto ch = std::find_if(spec_.children.begin(), spec_.children.end(),
                           [&](const ChildSpec& s) { return s.name == key; });
    if (ch == spec_.children.end()) {
      errors.push_back({key, "unknown", "is not a field of " + spec_.name});
      continue;
    }
    const json& arr = it.value();
    if (!arr.is_array()) {
      errors.push_back({key, "type", "must be an array"});
      continue;
    }
    if (arr.size() > ch->max_items) {
      errors.push_back({key, "max_items", "must have at most " + std::to_string(ch->max_items) + " items"});
      continue;
    }
    json items = json::array();
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string ip = key + "[" + std::to_string(i) + "]";
      if (ch->scalar) {
        json out;
        if (auto fe = check_field(ch->fields[0], arr[i], ip, &out)) errors.push_back(*fe);
        else if (std::find(items.begin(), items.end(), out) == items.end()) items.push_back(out);
        continue;
      }
      if (!arr[i].is_object()) {
        errors.push_back({ip, "type", "must be an object"});
        continue;
      }
      json item;
      for (auto jt = arr[i].begin(); jt != arr[i].end(); ++jt)
        if (!find_field(ch->fields, jt.key()))
          errors.push_back({ip + "." + jt.key(), "unknown", "is not a field of " + key});
      for (const auto& f : ch->fields) {
        if (!arr[i].contains(f.name)) {
          if (f.required) errors.push_back({ip + "." + f.name, "required", "is required"});
          else item[f.name] = f.default_value;
          continue;
        }
        json out;
        if (auto fe = check_field(f, arr[i][f.name], ip + "." + f.name, &out)) errors.push_back(*fe);
        else item[f.name] = out;
      }
      items.push_back(item);
    }
    (*record)[key] = items;
  }
  if (creating) {
    for (const auto& f : spec_.fields)
      if (!body.contains(f.name)) {
        if (f.required) errors.push_back({f.name, "required", "is required"});
        else (*record)[f.name] = f.default_value;
      }
    for (const auto& ch : spec_.children)
      if (!record->contains(ch.name)) (*record)[ch.name] = json::array();
  }
  if (!errors.empty()) return errors;
  // References must name existing rows; checked here so the error names the field.
  for (const auto& f : spec_.fields)
    if (f.type == FieldType::kRef && body.contains(f.name) && !(*record)[f.name].is_null() &&
        !ref_exists(c, f.ref_table, (*record)[f.name].get<std::int64_t>()))
      errors.push_back({f.name, "exists", "no " + f.ref_table + " row with id " + (*record)[f.name].dump()});
  for (const auto& ch : spec_.children) {
    if (!body.contains(ch.name)) continue;
    const auto& items = (*record)[ch.name];
    for (size_t i = 0; i < items.size(); ++i)
      for (const auto& f : ch.fields) {
        if (f.type != FieldType::kRef) continue;
        const json& v = ch.scalar ? items[i] : items[i][f.name];
        if (!v.is_null() && !ref_exists(c, f.ref_table, v.get<std::int64_t>()))
          errors.push_back({ch.name + "[" + std::to_string(i) + "]" + (ch.scalar ? "" : "." + f.name), "exists",
                            "no " + f.ref_table + " row with id " + v.dump()});
      }
  }
  return errors;
}

void ResourceService::write_children(store::Connection& c, std::int64_t id, const json& record) const {
  for (const auto& ch : spec_.children) {
    if (!record.contains(ch.name)) continue;
    c.query("DELETE FROM " + ch.table + " WHERE " + ch.parent_column + " = ?", {id});
    std::string cols = ch.parent_column, marks = "?";
    for (const auto& f : ch.fields) cols += ", " + f.name, marks += ", ?";
    if (ch.ordered) cols += ", sort_order", marks += ", ?";
    std::int64_t order = 0;
    for (const auto& item : record[ch.name]) {
      std::vector<Value> params = {id};
      for (const auto& f : ch.fields) params.push_back(to_value(f, ch.scalar ? item : item[f.name]));
      if (ch.ordered) params.push_back(order++);
      c.query("INSERT INTO " + ch.table + " (" + cols + ") VALUES (" + marks + ")", params);
    }
  }
}

Outcome<json> ResourceService::create(const Actor& actor, const json& body) const {
  if (auto e = require(actor, spec_.write_permission)) return *e;
  if (!body.is_object()) return Error::BadRequest("The body must be a JSON object");
  const Millis now = clock_.now_ms();
  try {
    return db_.write([&](store::Connection& c) -> Outcome<json> {
      json record = json::object();
      auto errors = validate(c, body, true, &record);
      if (errors.empty() && spec_.check) errors = spec_.check(c, record, nullptr);
      if (!errors.empty()) return Error::Validation(errors);
      std::string cols, marks;
      std::vector<Value> params;
      for (const auto& f : spec_.fields) {
        cols += (cols.empty() ? "" : ", ") + f.name;
        marks += marks.empty() ? "?" : ", ?";
        params.push_back(to_value(f, record[f.name]));
      }
      if (spec_.timestamps) {
        cols += ", created_at, updated_at";
        marks += ", ?, ?";
        params.push_back(now);
        params.push_back(now);
      }
      auto r = c.query("INSERT INTO " + spec_.table + " (" + cols + ") VALUES (" + marks + ") RETURNING id", params);
      std::int64_t id = r.rows[0].i64("id");
      write_children(c, id, record);
      json saved = *load(c, id, nullptr);
      write_audit(c, actor, now, "create", spec_.name, id, nullptr, saved);
      return saved;
    });
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kUnique)
      return Error::Conflict("A " + spec_.name + " with the same unique value already exists",
                             {{"name", "unique", "is already taken"}});
    if (e.kind() == store::DbError::Kind::kForeignKey)
      return Error::Validation({{"", "exists", "a referenced record does not exist"}});
    throw;
  }
}

Outcome<json> ResourceService::update(const Actor& actor, std::int64_t id, const json& body,
                                      std::optional<std::int64_t> if_version) const {
  if (auto e = require(actor, spec_.write_permission)) return *e;
  if (!body.is_object()) return Error::BadRequest("The body must be a JSON object");
  if (!if_version && body.contains("version")) {
    if (!body["version"].is_number_integer())
      return Error::Validation({{"version", "type", "must be an integer"}});
    if_version = body["version"].get<std::int64_t>();
  }
  if (!if_version) return Error::VersionRequired();
  const Millis now = clock_.now_ms();
  try {
    return db_.write([&](store::Connection& c) -> Outcome<json> {
      auto before = load(c, id, &actor);
      if (!before) return Error::NotFound(spec_.name + " " + std::to_string(id));
      if ((*before)["version"].get<std::int64_t>() != *if_version)
        return Error::Stale((*before)["version"].get<std::int64_t>());
      json record = *before;
      auto errors = validate(c, body, false, &record);
      if (errors.empty() && spec_.check) errors = spec_.check(c, record, &*before);
      if (!errors.empty()) return Error::Validation(errors);
      std::string sets;
      std::vector<Value> params;
      for (const auto& f : spec_.fields) {
        sets += (sets.empty() ? "" : ", ") + f.name + " = ?";
        params.push_back(to_value(f, record[f.name]));
      }
      if (spec_.timestamps) {
        sets += ", updated_at = ?";
        params.push_back(now);
      }
      params.push_back(id);
      params.push_back(*if_version);
      auto r = c.query("UPDATE " + spec_.table + " SET " + sets + ", version = version + 1 WHERE id = ? AND version = ?",
                       params);
      if (r.affected == 0) return Error::Stale(*if_version + 1);
      json changed_children = json::object();
      for (const auto& ch : spec_.children)
        if (body.contains(ch.name)) changed_children[ch.name] = record[ch.name];
      write_children(c, id, changed_children);
      json saved = *load(c, id, nullptr);
      write_audit(c, actor, now, "update", spec_.name, id, *before, saved);
      return saved;
    });
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kUnique)
      return Error::Conflict("A " + spec_.name + " with the same unique value already exists",
                             {{"name", "unique", "is already taken"}});
    throw;
  }
}

Outcome<Unit> ResourceService::remove(const Actor& actor, std::int64_t id) const {
  if (auto e = require(actor, spec_.write_permission)) return *e;
  const Millis now = clock_.now_ms();
  try {
    return db_.write([&](store::Connection& c) -> Outcome<Unit> {
      auto before = load(c, id, &actor);
      if (!before) return Error::NotFound(spec_.name + " " + std::to_string(id));
      c.query("DELETE FROM " + spec_.table + " WHERE id = ?", {id});
      write_audit(c, actor, now, "delete", spec_.name, id, *before, nullptr);
      return Unit{};
    });
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kForeignKey)
      return Error::Conflict("The " + spec_.name + " is still referenced by other records; "
                             "remove or reassign them first");
    throw;
  }
}

}  // namespace aftersales::app
