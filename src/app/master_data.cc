#include "app/master_data.h"

#include <date/tz.h>

#include "app/parts.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using FT = FieldType;

FieldSpec str(std::string name, size_t max = 200, bool required = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.max_length = max;
  f.required = required;
  f.nullable = false;
  f.default_value = "";
  return f;
}
FieldSpec of(std::string name, FT type) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  return f;
}
FieldSpec ref(std::string name, std::string table, bool required = false) {
  FieldSpec f = of(std::move(name), FT::kRef);
  f.ref_table = std::move(table);
  f.required = required;
  f.filterable = true;
  return f;
}
FieldSpec enumeration(std::string name, const std::vector<std::string>& values, std::string dflt) {
  FieldSpec f = of(std::move(name), FT::kEnum);
  f.values = values;
  f.nullable = false;
  f.filterable = true;
  f.sortable = true;
  f.default_value = std::move(dflt);
  f.required = f.default_value == "";
  return f;
}
FieldSpec list_of(std::string name, const std::vector<std::string>& values) {
  FieldSpec f = of(std::move(name), FT::kStringList);
  f.values = values;
  f.nullable = false;
  f.default_value = json::array();
  return f;
}
FieldSpec number(std::string name, double lo, double hi) {
  FieldSpec f = of(std::move(name), FT::kNumber);
  f.min = lo;
  f.max = hi;
  return f;
}
FieldSpec integer(std::string name, double lo, double hi, json dflt) {
  FieldSpec f = of(std::move(name), FT::kInt);
  f.min = lo;
  f.max = hi;
  f.nullable = false;
  f.default_value = std::move(dflt);
  f.sortable = true;
  return f;
}
FieldSpec flag(std::string name, bool dflt) {
  FieldSpec f = of(std::move(name), FT::kBool);
  f.nullable = false;
  f.default_value = dflt;
  f.filterable = true;
  return f;
}
FieldSpec named(bool unique_searchable = true) {
  FieldSpec f = str("name", 200, true);
  f.searchable = unique_searchable;
  f.sortable = true;
  return f;
}
FieldSpec searchable(FieldSpec f) {
  f.searchable = true;
  return f;
}
FieldSpec typed(FieldSpec f, FT t) {
  f.type = t;
  return f;
}
FieldSpec date_field(std::string name) { return of(std::move(name), FT::kDate); }

}  // namespace

const std::vector<std::string>& project_types() {
  static const std::vector<std::string> v = {"building",        "decoration",  "mep", "curtain_wall",
                                             "steel_structure", "data_centre", "other"};
  return v;
}
const std::vector<std::string>& customer_tiers() {
  static const std::vector<std::string> v = {"standard", "key", "strategic"};
  return v;
}
const std::vector<std::string>& skills() {
  static const std::vector<std::string> v = {
      "structure",  "electrical",   "plumbing",    "hvac",     "curtain_wall", "steel",
      "decoration", "waterproofing", "fire_safety", "dc_power", "dc_cooling",   "low_voltage"};
  return v;
}
const std::vector<std::string>& asset_kinds() {
  static const std::vector<std::string> v = {"site",  "building", "floor",  "room",      "zone",
                                             "system", "rack",    "equipment", "facade", "elevation",
                                             "panel", "component"};
  return v;
}

const ResourceSpec& customer_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "customer";
    r.table = "customers";
    r.fields = {named(), enumeration("tier", customer_tiers(), "standard"),
                searchable(str("address", 300)), str("notes", 4000)};
    ChildSpec contacts;
    contacts.name = "contacts";
    contacts.table = "customer_contacts";
    contacts.parent_column = "customer_id";
    contacts.ordered = true;
    contacts.fields = {str("name", 100, true), typed(str("phone", 30), FT::kPhone),
                       typed(str("email", 200), FT::kEmail), str("position", 100)};
    r.children = {contacts};
    r.computed = {"(SELECT count(*) FROM projects p WHERE p.customer_id = t.id) AS project_count"};
    r.read_permission = Permission::kCustomerRead;
    r.write_permission = Permission::kCustomerWrite;
    r.customer_scope = "t.id = ?";
    r.default_sort = "t.name";
    return r;
  }();
  return s;
}

const ResourceSpec& project_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "project";
    r.table = "projects";
    FieldSpec pm = ref("project_manager_id", "users");
    r.fields = {ref("customer_id", "customers", true),
                named(),
                enumeration("type", project_types(), ""),
                searchable(str("address", 300)),
                number("latitude", -90, 90),
                number("longitude", -180, 180),
                date_field("completion_date"),
                integer("warranty_months", 0, 600, 24),
                str("warranty_scope", 2000),
                str("sla_policy", 100),
                str("calendar", 100),
                str("time_zone", 64),
                flag("remote", false),
                pm,
                list_of("handover_documents", {})};
    // Defaults that differ from the empty string.
    for (auto& f : r.fields) {
      if (f.name == "sla_policy") f.default_value = "default";
      if (f.name == "calendar") f.default_value = "cn-5x8";
      if (f.name == "time_zone") f.default_value = "Asia/Shanghai";
      if (f.name == "completion_date") f.sortable = true;
    }
    ChildSpec team;
    team.name = "original_team";
    team.table = "project_staff";
    team.parent_column = "project_id";
    team.scalar = true;
    team.fields = {ref("staff_id", "staff")};
    r.children = {team};
    r.computed = {"(SELECT name FROM customers c WHERE c.id = t.customer_id) AS customer_name"};
    r.read_permission = Permission::kProjectRead;
    r.write_permission = Permission::kProjectWrite;
    r.customer_scope = "t.customer_id = ?";
    r.default_sort = "t.name";
    r.check = [](store::Connection& c, const json& after, const json*) {
      std::vector<FieldError> errors;
      try {
        date::locate_zone(after["time_zone"].get<std::string>());
      } catch (const std::exception&) {
        errors.push_back({"time_zone", "format", "must be an IANA time zone such as Asia/Shanghai"});
      }
      if (!after["project_manager_id"].is_null()) {
        auto u = c.query("SELECT role FROM users WHERE id = ?", {after["project_manager_id"].get<std::int64_t>()});
        if (!u.empty() && u.rows[0].text("role") != "project_manager")
          errors.push_back({"project_manager_id", "role", "must name a user with the project_manager role"});
      }
      return errors;
    };
    return r;
  }();
  return s;
}

const ResourceSpec& asset_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "asset";
    r.table = "assets";
    r.fields = {ref("project_id", "projects", true),
                ref("parent_id", "assets"),
                enumeration("kind", asset_kinds(), ""),
                named(),
                searchable(str("category", 100)),
                str("model", 100),
                searchable(str("serial_number", 100)),
                str("supplier", 200),
                date_field("install_date"),
                date_field("warranty_start"),
                date_field("warranty_end"),
                flag("critical", false)};
    r.read_permission = Permission::kAssetRead;
    r.write_permission = Permission::kAssetWrite;
    r.customer_scope = "t.project_id IN (SELECT p.id FROM projects p WHERE p.customer_id = ?)";
    r.default_sort = "t.id";
    r.check = [](store::Connection& c, const json& after, const json* before) {
      std::vector<FieldError> errors;
      if (before && after["project_id"] != (*before)["project_id"])
        errors.push_back({"project_id", "immutable", "an asset cannot move to another project"});
      if (!after["parent_id"].is_null()) {
        auto parent = after["parent_id"].get<std::int64_t>();
        auto p = c.query("SELECT project_id FROM assets WHERE id = ?", {parent});
        if (!p.empty() && p.rows[0].i64("project_id") != after["project_id"].get<std::int64_t>())
          errors.push_back({"parent_id", "same_project", "the parent must belong to the same project"});
        // Walk up from the new parent: meeting ourselves would make a cycle.
        if (before) {
          std::int64_t self = (*before)["id"].get<std::int64_t>();
          std::int64_t cur = parent;
          for (int depth = 0; depth < 64; ++depth) {
            if (cur == self) {
              errors.push_back({"parent_id", "cycle", "an asset cannot be placed under itself or its descendants"});
              break;
            }
            auto up = c.query("SELECT parent_id FROM assets WHERE id = ?", {cur});
            if (up.empty() || up.rows[0].is_null("parent_id")) break;
            cur = up.rows[0].i64("parent_id");
          }
        }
      }
      if (after["warranty_start"].is_string() && after["warranty_end"].is_string() &&
          after["warranty_end"].get<std::string>() < after["warranty_start"].get<std::string>())
        errors.push_back({"warranty_end", "order", "must not be before warranty_start"});
      return errors;
    };
    return r;
  }();
  return s;
}

const ResourceSpec& department_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "department";
    r.table = "departments";
    r.fields = {named(), str("description", 1000)};
    r.read_permission = Permission::kOrgRead;
    r.write_permission = Permission::kOrgWrite;
    r.default_sort = "t.name";
    r.timestamps = false;
    return r;
  }();
  return s;
}

const ResourceSpec& service_centre_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "service_centre";
    r.table = "service_centres";
    r.fields = {named(), searchable(str("address", 300)), number("latitude", -90, 90),
                number("longitude", -180, 180)};
    r.read_permission = Permission::kOrgRead;
    r.write_permission = Permission::kOrgWrite;
    r.default_sort = "t.name";
    r.timestamps = false;
    return r;
  }();
  return s;
}

const ResourceSpec& team_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "team";
    r.table = "teams";
    r.fields = {named(), ref("department_id", "departments"), ref("service_centre_id", "service_centres"),
                list_of("skills", skills()), list_of("areas", {})};
    r.computed = {"(SELECT count(*) FROM staff s WHERE s.team_id = t.id) AS member_count"};
    r.read_permission = Permission::kOrgRead;
    r.write_permission = Permission::kOrgWrite;
    r.default_sort = "t.name";
    r.timestamps = false;
    return r;
  }();
  return s;
}

const ResourceSpec& staff_spec() {
  static const ResourceSpec s = [] {
    ResourceSpec r;
    r.name = "staff";
    r.table = "staff";
    FieldSpec user = ref("user_id", "users");
    r.fields = {named(),
                user,
                ref("team_id", "teams"),
                ref("home_centre_id", "service_centres"),
                typed(str("phone", 30), FT::kPhone),
                typed(str("email", 200), FT::kEmail),
                list_of("skills", skills()),
                flag("active", true)};
    ChildSpec certs;
    certs.name = "certificates";
    certs.table = "staff_certificates";
    certs.parent_column = "staff_id";
    certs.fields = {str("name", 200, true), str("number", 100), date_field("expires_on")};
    r.children = {certs};
    r.computed = {"(SELECT name FROM teams tm WHERE tm.id = t.team_id) AS team_name",
                  "(SELECT role FROM users u WHERE u.id = t.user_id) AS role"};
    r.read_permission = Permission::kOrgRead;
    r.write_permission = Permission::kOrgWrite;
    r.default_sort = "t.name";
    return r;
  }();
  return s;
}

const std::vector<MountedResource>& master_data_resources() {
  static const std::vector<MountedResource> v = {
      {"customers", &customer_spec()},   {"projects", &project_spec()},
      {"assets", &asset_spec()},         {"departments", &department_spec()},
      {"service-centres", &service_centre_spec()}, {"teams", &team_spec()},
      {"staff", &staff_spec()},
      {"parts", &part_spec()},           {"stock-locations", &stock_location_spec()}};
  return v;
}

}  // namespace aftersales::app
