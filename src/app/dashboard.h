// The manager's dashboard: one read of the figures a service department steers by — open work
// by grade and state, promised times kept per grade and team, backlog ageing, what fails
// where, satisfaction per dimension, resolution rate.
#pragma once
#include <nlohmann/json.hpp>

#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

// Figures for requests reported in [from, to) (Unix ms), and the open backlog as of `now`.
// Forbidden for customers, technicians and procurement.
Outcome<nlohmann::json> dashboard(store::Database& db, const Actor& actor, Millis from, Millis to, Millis now);

}  // namespace aftersales::app
