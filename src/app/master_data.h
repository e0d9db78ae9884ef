// The master-data resources of PRODUCT.md ("Master data"), as specs for ResourceService.
#pragma once
#include <string>
#include <vector>

#include "app/resource.h"

namespace aftersales::app {

const std::vector<std::string>& project_types();
const std::vector<std::string>& customer_tiers();
const std::vector<std::string>& skills();
const std::vector<std::string>& asset_kinds();

const ResourceSpec& customer_spec();
const ResourceSpec& project_spec();
const ResourceSpec& asset_spec();
const ResourceSpec& department_spec();
const ResourceSpec& service_centre_spec();
const ResourceSpec& team_spec();
const ResourceSpec& staff_spec();

// Every master-data resource with the URL segment it is served under ("customers", ...).
struct MountedResource {
  std::string path;  // plural URL segment
  const ResourceSpec* spec;
};
const std::vector<MountedResource>& master_data_resources();

}  // namespace aftersales::app
