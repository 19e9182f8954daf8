// `mde sim --fault AT:KIND[:ARG...]`: every documented kind parses to the fault it names, the
// schedule runs in time order, and every mistake is refused naming the spec and what is wrong.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "mde/sim/fault_schedule.hpp"

namespace mde::sim {
namespace {

using std::chrono::milliseconds;

TEST(SimFaultSchedule, EveryKindParsesToWhatItNames) {
  const ScheduledFault drop = parse_fault("3:drop");
  EXPECT_EQ(drop.at, milliseconds(3000));
  EXPECT_EQ(drop.kind, FaultKind::drop);
  EXPECT_EQ(drop.spec, "3:drop");

  const ScheduledFault stall = parse_fault("2.5:stall:1500");
  EXPECT_EQ(stall.at, milliseconds(2500));
  EXPECT_EQ(stall.kind, FaultKind::stall);
  EXPECT_EQ(stall.count, 1500);

  EXPECT_EQ(parse_fault("0:malformed:7").count, 7);
  const ScheduledFault close = parse_fault("1:close:4290");
  EXPECT_EQ(close.kind, FaultKind::close);
  EXPECT_EQ(close.count, 4290);

  const ScheduledFault gap = parse_fault("0.25:btse-gap:BTC-USD");
  EXPECT_EQ(gap.at, milliseconds(250));
  EXPECT_EQ(gap.kind, FaultKind::btse_gap);
  EXPECT_EQ(gap.text, "BTC-USD");
  EXPECT_EQ(parse_fault("1:btse-cross:ETH-USD").kind, FaultKind::btse_cross);
  EXPECT_EQ(parse_fault("1:order-duplicate").kind, FaultKind::order_duplicate);
  EXPECT_EQ(parse_fault("1:order-reorder").kind, FaultKind::order_reorder);

  const ScheduledFault refuse = parse_fault("4:refuse-subscribes:2:160011:format");
  EXPECT_EQ(refuse.kind, FaultKind::refuse_subscribes);
  EXPECT_EQ(refuse.count, 2);
  EXPECT_EQ(refuse.code, 160011);
  EXPECT_EQ(refuse.text, "format");
  EXPECT_EQ(parse_fault("4:refuse-subscribes:1:160010").text, "");
  EXPECT_EQ(parse_fault("5:ignore-subscribes:3").count, 3);
}

TEST(SimFaultSchedule, RunsInTimeOrderKeepingTheOrderOfEqualTimes) {
  const std::vector<ScheduledFault> s =
      parse_fault_schedule({"5:drop", "1:malformed:1", "1:close:4280", "0.5:order-reorder"});
  ASSERT_EQ(s.size(), 4U);
  EXPECT_EQ(s[0].spec, "0.5:order-reorder");
  EXPECT_EQ(s[1].spec, "1:malformed:1");
  EXPECT_EQ(s[2].spec, "1:close:4280");
  EXPECT_EQ(s[3].spec, "5:drop");
}

// The message of the refusal of `spec` (empty when it was accepted).
std::string refusal(const std::string& spec) {
  try {
    (void)parse_fault(spec);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

TEST(SimFaultSchedule, RefusesEveryMistakeNamingTheSpecAndTheReason) {
  const struct {
    const char* spec;
    const char* reason;
  } cases[] = {
      {"drop", "expected AT:KIND"},
      {"x:drop", "the time must be seconds"},
      {"-1:drop", "the time must be seconds"},
      {"1:boom", "unknown fault \"boom\""},
      {"1:drop:now", "drop takes 0 argument(s), not 1"},
      {"1:stall", "stall takes 1 argument(s), not 0"},
      {"1:stall:0", "MS must be an integer from 1"},
      {"1:stall:10ms", "MS must be an integer"},
      {"1:close:99", "CODE must be an integer from 1000 to 4999"},
      {"1:btse-gap:", "the BTSE market is missing"},
      {"1:refuse-subscribes:1", "refuse-subscribes takes 2 to 3 argument(s), not 1"},
      {"1:ignore-subscribes:-2", "N must be an integer from 1"},
  };
  for (const auto& c : cases) {
    const std::string why = refusal(c.spec);
    EXPECT_NE(why.find(std::string("--fault ") + c.spec + ": "), std::string::npos) << why;
    EXPECT_NE(why.find(c.reason), std::string::npos) << c.spec << " -> " << why;
  }
}

}  // namespace
}  // namespace mde::sim
