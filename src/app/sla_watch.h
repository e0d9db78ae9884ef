// The SLA watch: finds requests whose next warning or escalation instant has passed and
// raises each alert exactly once — a timeline event and an outbox message — even with several
// server processes on one database (the ticket_alerts primary key decides who fires).
#pragma once
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

// One round over at most `batch` due requests; returns the number of alerts fired.
int run_sla_watch(store::Database& db, Millis now, int batch = 100);

}  // namespace aftersales::app
