// SQL for "the request is still open" written as a positive list of states, so that the index
// on tickets(state) answers it with a few range seeks. (NOT IN over the finished states would
// read the whole index: with a million requests nearly all of them are finished.)
#pragma once
#include <string>
#include <string_view>

namespace aftersales::app {

// `column` IN ('intake', 'triaged', ...): every state but resolved, closed, archived, cancelled.
std::string open_states_condition(std::string_view column);
// `column` IN ('resolved', 'closed', 'archived', 'cancelled').
std::string finished_states_condition(std::string_view column);

}  // namespace aftersales::app
