// Internal to the PostgreSQL driver.
#pragma once
#include <string>
#include <string_view>

namespace aftersales::store {

// rewrite_placeholders() (store/sql.h) that also reports how many placeholders it numbered.
std::string rewrite_placeholders(std::string_view sql, int* count);

}  // namespace aftersales::store
