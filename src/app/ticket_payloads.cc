#include "app/ticket_payloads.h"

#include <algorithm>
#include <map>

#include "domain/grading/grading.h"
#include "domain/sla/grade.h"
#include "domain/warranty/cost_bearing.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using domain::ticket::Action;
using FT = FieldType;

FieldSpec text(std::string name, size_t max = 2000, bool required = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.max_length = max;
  f.required = required;
  f.nullable = !required;
  f.default_value = required ? json(nullptr) : json("");
  return f;
}
FieldSpec choice(std::string name, std::vector<std::string> values, bool required, json dflt = nullptr) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kEnum;
  f.values = std::move(values);
  f.required = required;
  f.default_value = std::move(dflt);
  return f;
}
FieldSpec num(std::string name, double lo, double hi, bool required = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kNumber;
  f.min = lo;
  f.max = hi;
  f.required = required;
  return f;
}
FieldSpec id(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kRef;
  return f;
}
FieldSpec flag(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kBool;
  f.nullable = false;
  f.default_value = false;
  return f;
}
FieldSpec date_field(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kDate;
  return f;
}
FieldSpec strings(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FT::kStringList;
  f.nullable = false;
  f.default_value = json::array();
  return f;
}
// Lists of ids are lists of objects in no spec: they are validated as integer lists.
ListSpec ids(std::string name) { return ListSpec{std::move(name), {id("id")}, 50}; }

std::vector<std::string> grades() {
  return {"emergency", "consultation", "simple", "medium", "complex", "general_defect", "feedback", "complaint"};
}
std::vector<std::string> natures() {
  std::vector<std::string> v;
  for (int i = 0; i < domain::grading::kNatureCount; ++i)
    v.emplace_back(domain::grading::ToString(static_cast<domain::grading::Nature>(i)));
  return v;
}
std::vector<std::string> causes() {
  std::vector<std::string> v;
  for (int i = 0; i < domain::warranty::kCauseCount; ++i)
    v.emplace_back(domain::warranty::ToString(static_cast<domain::warranty::Cause>(i)));
  return v;
}

const std::map<Action, PayloadSpec>& specs() {
  static const std::map<Action, PayloadSpec> m = [] {
    std::map<Action, PayloadSpec> s;
    FieldSpec note = text("note");
    FieldSpec reason = text("reason", 2000, true);
    ListSpec attachments = ids("attachment_ids");
    s[Action::acknowledge] = {{note}};
    s[Action::triage] = {{choice("grade", grades(), true), choice("nature", natures(), true), note}};
    s[Action::regrade] = {{choice("grade", grades(), true), choice("nature", natures(), false), reason}};
    s[Action::contact_customer] = {{choice("method", {"phone", "sms", "wechat", "email", "visit"}, false, "phone"), note}};
    s[Action::answer_consultation] = {{text("answer", 4000, true)}, {attachments}, "consultation_answer"};
    s[Action::remote_fix] = {{text("note", 4000, true)}, {attachments}, "remote_fix"};
    s[Action::dispatch] = {{id("lead_staff_id"), flag("auto"), note}, {ids("staff_ids")}};
    s[Action::reassign] = {{id("lead_staff_id"), flag("auto"), reason}, {ids("staff_ids")}, "", true};
    s[Action::depart] = {{note}, {ids("staff_ids")}};
    s[Action::arrive] = {{num("latitude", -90, 90), num("longitude", -180, 180), note}};
    s[Action::leave_site] = {{note}};
    s[Action::record_diagnosis] = {
        {text("findings", 4000, true), choice("cause", causes(), true),
         choice("severity", {"minor", "moderate", "major", "critical"}, true), flag("major_defect"),
         choice("nature", natures(), false), text("recommendation", 4000), text("customer_representative", 100),
         id("customer_signature_attachment_id"), text("customer_opinion", 2000), text("contractor_opinion", 2000)},
        {ListSpec{"measurements",
                  {text("instrument", 100, true), num("value", -1e12, 1e12, true), text("unit", 30, true),
                   text("location", 200)},
                  100},
         attachments},
        "diagnosis"};
    s[Action::submit_plan] = {
        {text("goal", 2000, true), text("scope", 4000, true), text("process", 4000), strings("steps"),
         text("quality_standard", 2000), text("safety_measures", 2000), date_field("schedule_start"),
         date_field("schedule_end"), text("resources", 2000), num("cost_amount", 0, 1e10),
         choice("cost_bearing", {"free", "at_cost", "paid", "disputed"}, false), text("cost_override_reason", 1000)},
        {ListSpec{"materials", {text("name", 200, true), text("spec", 200), num("quantity", 0, 1e9), text("unit", 30)}, 100},
         attachments},
        "plan"};
    s[Action::review_plan] = {{text("comment")}, {}, "", true};
    s[Action::reject_plan] = {{reason}, {}, "", true};
    s[Action::approve_plan] = {{text("comment")}, {}, "", true};
    s[Action::chief_approve_plan] = {{text("comment")}, {}, "", true};
    s[Action::confirm_plan] = {{text("signer_name", 100), id("signature_attachment_id"), text("comment")}, {}, "agreement"};
    s[Action::customer_reject_plan] = {{reason}};
    s[Action::start_repair] = {{note}};
    s[Action::change_plan] = {{reason}};
    s[Action::complete_self_check] = {
        {note}, {ListSpec{"checklist", {text("item", 200, true), flag("passed")}, 100}, attachments}, "self_check", true};
    s[Action::internal_accept] = {{note}, {attachments}, "internal_acceptance", true};
    s[Action::internal_reject] = {{reason}, {attachments}, "internal_acceptance", true};
    s[Action::customer_accept] = {{text("signer_name", 100), id("signature_attachment_id"), text("comment")},
                                  {attachments}, "customer_acceptance"};
    s[Action::customer_reject] = {{reason}, {attachments}, "customer_acceptance"};
    s[Action::close] = {{text("summary", 4000)}};
    s[Action::archive] = {{note}};
    s[Action::reopen] = {{reason}};
    s[Action::cancel] = {{reason}};
    s[Action::pause] = {{choice("pause_reason", {"waiting_customer", "waiting_parts", "customer_requested", "other"}, true),
                         reason}};
    s[Action::resume] = {{note}};
    return s;
  }();
  return m;
}

}  // namespace

const PayloadSpec& payload_spec(Action action) {
  static const PayloadSpec empty;
  auto it = specs().find(action);
  return it == specs().end() ? empty : it->second;
}

std::vector<FieldError> validate_payload(Action action, const json& body, json* out) {
  const PayloadSpec& spec = payload_spec(action);
  json plain = json::object();
  std::vector<FieldError> errors;
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() == "version") continue;
    bool is_list = std::any_of(spec.lists.begin(), spec.lists.end(), [&](const ListSpec& l) { return l.name == it.key(); });
    if (!is_list) plain[it.key()] = it.value();
  }
  errors = validate_object(spec.fields, plain, "", out);
  for (const auto& l : spec.lists) {
    json items = json::array();
    if (body.contains(l.name)) {
      const json& arr = body[l.name];
      if (!arr.is_array()) {
        errors.push_back({l.name, "type", "must be an array"});
        continue;
      }
      if (arr.size() > l.max_items) {
        errors.push_back({l.name, "max_items", "must have at most " + std::to_string(l.max_items) + " items"});
        continue;
      }
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string path = l.name + "[" + std::to_string(i) + "]";
        json v;
        if (l.item_fields.size() == 1 && l.item_fields[0].name == "id") {
          if (auto fe = validate_field(l.item_fields[0], arr[i], path, &v)) errors.push_back(*fe);
          else items.push_back(v);
        } else {
          auto item_errors = validate_object(l.item_fields, arr[i], path + ".", &v);
          errors.insert(errors.end(), item_errors.begin(), item_errors.end());
          items.push_back(v);
        }
      }
    }
    (*out)[l.name] = items;
  }
  return errors;
}

}  // namespace aftersales::app
