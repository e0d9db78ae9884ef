// Shared plumbing for enum <-> snake_case string conversion. Each enum keeps
// its names in one array indexed by the enumerator value, so adding an
// enumerator without a name fails to compile (the array size is checked).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace domain::detail {

// Looks `name` up in `names`; returns the enumerator whose index matches, or
// nullopt when the name is unknown (names are case-sensitive snake_case).
template <class Enum>
std::optional<Enum> EnumFromName(std::span<const std::string_view> names,
                                 std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

template <class Enum>
std::string_view EnumName(std::span<const std::string_view> names, Enum e) {
  auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : std::string_view{"unknown"};
}

}  // namespace domain::detail
