// Master-data resources described as data, served by one generic implementation.
//
// Customers, projects, assets, departments, teams, service centres and staff differ only in
// their fields, children, permissions and customer scope, so each is a ResourceSpec
// (master_data.cc) and ResourceService does list/get/create/update/delete for all of them:
// authorise first, validate the whole body (every bad field reported at once, unknown fields
// rejected), write and audit in one transaction, and apply the customer scope to every read.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

enum class FieldType { kString, kInt, kNumber, kBool, kDate, kEnum, kStringList, kRef, kEmail, kPhone };

struct FieldSpec {
  std::string name;  // JSON key and column name
  FieldType type = FieldType::kString;
  bool required = false;  // must be present (and non-empty) on create
  bool nullable = true;   // may be set to null
  size_t max_length = 200;
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
  std::vector<std::string> values;  // kEnum: allowed values; kStringList: allowed items (empty = any)
  std::string ref_table;            // kRef: the table whose id it names
  bool filterable = false;          // ?name=value on lists
  bool sortable = false;            // ?sort=name / -name
  bool searchable = false;          // matched by ?q=
  nlohmann::json default_value = nullptr;  // stored on create when absent
};

// A list owned by the parent row, replaced whole on write (contacts, certificates, team).
struct ChildSpec {
  std::string name;           // JSON key, e.g. "contacts"
  std::string table;          // e.g. customer_contacts
  std::string parent_column;  // e.g. customer_id
  std::vector<FieldSpec> fields;  // object items; or one field for a list of scalars
  bool scalar = false;        // items are plain values of fields[0] (e.g. [3, 7])
  bool ordered = false;       // table has sort_order
  size_t max_items = 50;
};

struct ResourceSpec {
  std::string name;    // singular, for messages and audit: "customer"
  std::string table;
  std::vector<FieldSpec> fields;
  std::vector<ChildSpec> children;
  std::vector<std::string> computed;  // read-only "expression AS name" select items
  Permission read_permission;
  Permission write_permission;
  // SQL condition with one `?` for the customer id confining a customer user; empty means
  // customer users cannot see this resource at all.
  std::string customer_scope;
  std::string default_sort = "id";
  bool timestamps = true;  // table has created_at / updated_at
  // Extra checks across fields or rows, run inside the write transaction; `after` is the
  // complete record as it would be saved.
  std::function<std::vector<FieldError>(store::Connection&, const nlohmann::json& after,
                                        const nlohmann::json* before)>
      check;
};

struct ListQuery {
  int limit = 20;
  int offset = 0;
  std::string sort;                             // "name" or "-name"; empty = default
  std::string q;                                // free text over searchable fields
  std::map<std::string, std::string> filters;  // field → raw value from the query string
};

class ResourceService {
 public:
  // `spec`, `db` and `clock` must outlive the service.
  ResourceService(const ResourceSpec& spec, store::Database& db, const Clock& clock)
      : spec_(spec), db_(db), clock_(clock) {}

  // {items, total, limit, offset}. BadRequest for unknown filters/sort fields or bad values.
  Outcome<nlohmann::json> list(const Actor& actor, const ListQuery& query) const;
  // NotFound when absent or outside the actor's customer scope.
  Outcome<nlohmann::json> get(const Actor& actor, std::int64_t id) const;
  Outcome<nlohmann::json> create(const Actor& actor, const nlohmann::json& body) const;
  // Partial update; `if_version` (If-Match) or body "version" is required and must match.
  Outcome<nlohmann::json> update(const Actor& actor, std::int64_t id, const nlohmann::json& body,
                                 std::optional<std::int64_t> if_version) const;
  // Conflict when other records still refer to it.
  Outcome<Unit> remove(const Actor& actor, std::int64_t id) const;

  const ResourceSpec& spec() const { return spec_; }

 private:
  std::string select_sql() const;
  nlohmann::json row_json(store::Connection& c, const store::Row& row) const;
  std::optional<nlohmann::json> load(store::Connection& c, std::int64_t id,
                                     const Actor* scoped_actor) const;
  std::vector<FieldError> validate(store::Connection& c, const nlohmann::json& body, bool creating,
                                   nlohmann::json* record) const;
  void write_children(store::Connection& c, std::int64_t id, const nlohmann::json& record) const;

  const ResourceSpec& spec_;
  store::Database& db_;
  const Clock& clock_;
};

// Checks one JSON value against a field rule; on success stores the normalised value in *out.
std::optional<FieldError> validate_field(const FieldSpec& field, const nlohmann::json& value,
                                         const std::string& path, nlohmann::json* out);
// Checks a JSON object against a set of fields: unknown keys, required fields, each value.
// Returns the normalised object (absent optional fields get their defaults).
std::vector<FieldError> validate_object(const std::vector<FieldSpec>& fields, const nlohmann::json& object,
                                        const std::string& path_prefix, nlohmann::json* out);

// Parses the query-string of a list request into a ListQuery, reporting bad paging values.
Outcome<ListQuery> parse_list_query(const std::map<std::string, std::string>& params);

}  // namespace aftersales::app
