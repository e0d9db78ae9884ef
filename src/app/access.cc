#include "app/access.h"

#include <algorithm>
#include <map>
#include <set>

namespace aftersales::app {
namespace {

using P = Permission;

// Staff who work with service requests all need to see customers, projects and assets.
const std::set<std::string> kStaff = {"admin",     "service_manager", "agent",
                                      "dispatcher", "technician",      "tech_lead",
                                      "quality_inspector", "project_manager", "procurement"};

const std::map<P, std::set<std::string>>& table() {
  static const std::map<P, std::set<std::string>> t = [] {
    std::map<P, std::set<std::string>> m;
    auto staff_and_customer = kStaff;
    staff_and_customer.insert("customer");
    m[P::kCustomerRead] = staff_and_customer;
    m[P::kCustomerWrite] = {"admin", "service_manager", "agent"};
    m[P::kProjectRead] = staff_and_customer;
    m[P::kProjectWrite] = {"admin", "service_manager", "project_manager"};
    m[P::kAssetRead] = staff_and_customer;
    m[P::kAssetWrite] = {"admin", "service_manager", "project_manager", "technician"};
    m[P::kOrgRead] = kStaff;
    m[P::kOrgWrite] = {"admin", "service_manager"};
    m[P::kUserAdmin] = {"admin"};
    m[P::kAuditRead] = {"admin", "service_manager"};
    m[P::kApiTokenManage] = {"admin"};
    m[P::kPartRead] = kStaff;
    m[P::kPartWrite] = {"admin", "procurement"};
    m[P::kStockMove] = {"admin", "procurement", "service_manager"};
    m[P::kTicketRead] = staff_and_customer;
    m[P::kTicketCreate] = {"admin", "service_manager", "agent", "dispatcher", "technician", "tech_lead",
                           "project_manager", "quality_inspector", "customer"};
    m[P::kFollowUpRead] = kStaff;
    m[P::kFollowUpWrite] = {"admin", "service_manager", "agent"};
    m[P::kFollowUpManage] = {"admin", "service_manager"};
    m[P::kComplaintRead] = staff_and_customer;
    m[P::kComplaintCreate] = {"admin", "service_manager", "agent", "project_manager", "quality_inspector", "customer"};
    return m;
  }();
  return t;
}

}  // namespace

const std::vector<std::string>& all_roles() {
  static const std::vector<std::string> roles = {
      "admin",     "service_manager",   "agent",           "dispatcher",  "technician",
      "tech_lead", "quality_inspector", "project_manager", "procurement", "customer"};
  return roles;
}

bool is_valid_role(std::string_view role) {
  const auto& r = all_roles();
  return std::find(r.begin(), r.end(), role) != r.end();
}

std::string_view permission_name(Permission p) {
  switch (p) {
    case P::kCustomerRead: return "customer.read";
    case P::kCustomerWrite: return "customer.write";
    case P::kProjectRead: return "project.read";
    case P::kProjectWrite: return "project.write";
    case P::kAssetRead: return "asset.read";
    case P::kAssetWrite: return "asset.write";
    case P::kOrgRead: return "organisation.read";
    case P::kOrgWrite: return "organisation.write";
    case P::kUserAdmin: return "user.admin";
    case P::kAuditRead: return "audit.read";
    case P::kApiTokenManage: return "api_token.manage";
    case P::kPartRead: return "part.read";
    case P::kPartWrite: return "part.write";
    case P::kStockMove: return "stock.move";
    case P::kTicketRead: return "ticket.read";
    case P::kTicketCreate: return "ticket.create";
    case P::kFollowUpRead: return "follow_up.read";
    case P::kFollowUpWrite: return "follow_up.write";
    case P::kFollowUpManage: return "follow_up.manage";
    case P::kComplaintRead: return "complaint.read";
    case P::kComplaintCreate: return "complaint.create";
  }
  return "unknown";
}

bool allowed(const std::string& role, Permission p) {
  auto it = table().find(p);
  return it != table().end() && it->second.count(role) > 0;
}

std::optional<Error> require(const Actor& actor, Permission p) {
  if (allowed(actor.role, p)) return std::nullopt;
  return Error::Forbidden("Role '" + actor.role + "' lacks permission '" +
                          std::string(permission_name(p)) + "'");
}

}  // namespace aftersales::app
