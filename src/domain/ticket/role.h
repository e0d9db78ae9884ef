// The roles of PRODUCT.md ("Who uses it"), as named in code and over HTTP.
#pragma once

#include <optional>
#include <string_view>

namespace domain::ticket {

enum class Role {
  admin,              // 系统管理员
  service_manager,    // 服务部门负责人
  agent,              // 客服/值班人员
  dispatcher,         // 调度
  technician,         // 维修/服务人员
  tech_lead,          // 技术负责人/技术专家/总工 (also the chief engineer)
  quality_inspector,  // 质量部门
  project_manager,    // 项目经理
  procurement,        // 采购部门
  customer,           // 客户联系人
};
inline constexpr int kRoleCount = 10;

std::string_view ToString(Role r);
std::optional<Role> ParseRole(std::string_view name);

}  // namespace domain::ticket
