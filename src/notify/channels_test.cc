// Validation of notification channels against hostile input: long and malformed event patterns,
// control characters in names, secrets and settings (a CR LF in a mail header setting).
#include "notify/channels.h"

#include <gtest/gtest.h>

namespace aftersales::notify {
namespace {

std::vector<std::string> rules(const std::vector<app::FieldError>& errors) {
  std::vector<std::string> r;
  for (const auto& e : errors) r.push_back(e.field + ":" + e.rule);
  return r;
}

Channel webhook() {
  Channel ch;
  ch.name = "ERP";
  ch.kind = "webhook";
  ch.secret = "s3cret";
  ch.config = {{"url", "https://erp.example.com/hook"}};
  return ch;
}

TEST(ValidateChannel, AHugeEventPatternIsRefusedNotACrash) {
  Channel ch = webhook();
  ch.events = {std::string(300 * 1024, 'x'), std::string(300 * 1024, 'a') + ".*"};
  EXPECT_EQ(rules(validate_channel(ch)), (std::vector<std::string>{"events[0]:format", "events[1]:format"}));
}

TEST(ValidateChannel, EventPatterns) {
  Channel ch = webhook();
  ch.events = {"ticket.created", "ticket.*", "follow_up.task_opened", "complaint"};
  EXPECT_TRUE(validate_channel(ch).empty());
  for (const char* bad : {"", "*", ".ticket", "ticket.", "ticket..created", "Ticket.created", "ticket.*.x", "ticket created"}) {
    ch.events = {bad};
    EXPECT_EQ(rules(validate_channel(ch)), std::vector<std::string>{"events[0]:format"}) << bad;
  }
}

TEST(ValidateChannel, ControlCharactersAndLengths) {
  Channel ch = webhook();
  ch.name = std::string("a\0b", 3);
  ch.secret = "x\ny";
  EXPECT_EQ(rules(validate_channel(ch)), (std::vector<std::string>{"name:control_characters", "secret:control_characters"}));
  ch = webhook();
  ch.name = std::string(101, 'n');
  EXPECT_EQ(rules(validate_channel(ch)), std::vector<std::string>{"name:max_length"});
  ch.name = "";
  EXPECT_EQ(rules(validate_channel(ch)), std::vector<std::string>{"name:required"});
  Channel mail;
  mail.name = "mail";
  mail.kind = "email";
  mail.config = {{"smtp_url", "smtp://127.0.0.1:25"}, {"from", "svc@example.com"},
                 {"from_name", "售后\r\nBcc: someone@example.com"}, {"recipients", {"a@example.com\r\nX: y"}}};
  EXPECT_EQ(rules(validate_channel(mail)),
            (std::vector<std::string>{"config.from_name:control_characters", "config.recipients[0]:format"}));
}

}  // namespace
}  // namespace aftersales::notify
