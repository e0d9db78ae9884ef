// The notify side of the outbox port (app/ports/outbox.h): waking the delivery worker early.
#pragma once
#include <functional>

namespace aftersales::notify {

// The running worker registers how to wake it; wake_outbox() is a no-op when none runs (tests,
// CLI tools, --no-workers). Call it after the transaction that queued or requeued a message
// has committed.
void set_outbox_wake(std::function<void()> wake);
void wake_outbox();

}  // namespace aftersales::notify
