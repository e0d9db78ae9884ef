// Authorisation: one table of role × permission, and the customer-scope rule.
//
// Every use case asks `require(actor, permission)` before it touches data. A customer user is
// additionally confined to his own organisation: reads outside it answer 404 (not 403), so
// that nobody can probe which ids exist.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/error.h"

namespace aftersales::app {

// The roles of PRODUCT.md, by code name.
const std::vector<std::string>& all_roles();
bool is_valid_role(std::string_view role);

enum class Permission {
  kCustomerRead, kCustomerWrite,
  kProjectRead, kProjectWrite,
  kAssetRead, kAssetWrite,
  kOrgRead, kOrgWrite,          // departments, teams, service centres, staff
  kUserAdmin,                   // users and roles
  kAuditRead,
  kApiTokenManage,
  kPartRead, kPartWrite,        // parts catalogue, stock locations, stock levels and movements
  kStockMove,                   // receipts, transfers, returns and adjustments of stock
  kTicketCreate,
  kFollowUpRead,     // follow-ups (回访) and their surveys: staff
  kFollowUpWrite,    // record a call, send a survey link
  kFollowUpManage,   // schedule, assign, cancel; low-score tasks
  kComplaintRead,    // complaints (投诉); customers see their own
  kComplaintCreate,
  kTicketRead,   // keep last: /auth/me lists permissions up to this one
};
std::string_view permission_name(Permission p);

bool allowed(const std::string& role, Permission p);
// Forbidden error naming the role and the permission when not allowed.
std::optional<Error> require(const Actor& actor, Permission p);

}  // namespace aftersales::app
