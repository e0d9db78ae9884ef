// Calendar arithmetic and full SLA evaluation. Run:
//   build-domain/bench/bench_domain --benchmark_min_time=1
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "domain/calendar/test_support.h"
#include "domain/sla/sla_clock.h"

namespace {

using namespace std::chrono_literals;
using domain::calendar::Calendar;
using std::chrono::seconds;
using std::chrono::sys_seconds;

struct Inputs {
  std::vector<sys_seconds> instants;
  std::vector<seconds> durations;
};

// 4096 instants in 2025–2027 (inside the precomputed range, or shifted to
// 2070 for the fallback) and durations up to 5 working days of 8 h.
Inputs MakeInputs(int year_shift = 0) {
  std::mt19937_64 rng(42);
  auto lo = domain::calendar::test::At("2025-01-01 00:00").time_since_epoch().count();
  auto hi = domain::calendar::test::At("2027-12-31 00:00").time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> t(lo, hi), d(0, 5 * 8 * 3600);
  Inputs in;
  for (int i = 0; i < 4096; ++i) {
    in.instants.push_back(sys_seconds{seconds{t(rng)}} + std::chrono::days{365} * year_shift);
    in.durations.push_back(seconds{d(rng)});
  }
  return in;
}

void RunAdd(benchmark::State& state, const Calendar& cal, const Inputs& in) {
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Add(in.instants[i & 4095], in.durations[i & 4095]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CalendarAdd_5x8Statutory(benchmark::State& state) {
  static const Calendar cal = domain::calendar::test::FiveByEight();
  static const Inputs in = MakeInputs();
  RunAdd(state, cal, in);
}
BENCHMARK(BM_CalendarAdd_5x8Statutory);

void BM_CalendarAdd_7x24(benchmark::State& state) {
  static const Calendar cal = domain::calendar::test::AllDay("Asia/Shanghai");
  static const Inputs in = MakeInputs();
  RunAdd(state, cal, in);
}
BENCHMARK(BM_CalendarAdd_7x24);

void BM_CalendarAdd_BerlinDst5x8(benchmark::State& state) {
  static const Calendar cal = domain::calendar::test::Make(
      "Europe/Berlin", domain::calendar::WeeklyHours::MondayToFriday({{domain::calendar::Hm(9), domain::calendar::Hm(17)}}),
      false);
  static const Inputs in = MakeInputs();
  RunAdd(state, cal, in);
}
BENCHMARK(BM_CalendarAdd_BerlinDst5x8);

// Outside the precomputed years: weekly arithmetic and a day walk.
void BM_CalendarAdd_5x8Fallback2070(benchmark::State& state) {
  static const Calendar cal = domain::calendar::test::FiveByEight();
  static const Inputs in = MakeInputs(45);
  RunAdd(state, cal, in);
}
BENCHMARK(BM_CalendarAdd_5x8Fallback2070);

void BM_CalendarBetween_5x8Statutory(benchmark::State& state) {
  static const Calendar cal = domain::calendar::test::FiveByEight();
  static const Inputs in = MakeInputs();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Between(in.instants[i & 4095], in.instants[(i + 1) & 4095]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CalendarBetween_5x8Statutory);

// Building a calendar precomputes 2020–2040 (about 7,700 days).
void BM_CalendarCreate_5x8Statutory(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::calendar::test::FiveByEight());
}
BENCHMARK(BM_CalendarCreate_5x8Statutory)->Unit(benchmark::kMillisecond);

// A long history: `range(0)` pause/resume pairs, grade changes and every
// milestone, evaluated against the default policy with a 5×8 resolve target.
void BM_SlaEvaluate_LongHistory(benchmark::State& state) {
  using namespace domain::sla;
  static const CalendarSet cals = DefaultCalendars(date::locate_zone("Asia/Shanghai"));
  PolicyOverride project{"p", {}, std::nullopt};
  project.rules[Grade::emergency][Milestone::resolve] = MilestoneRule{
      Target::WorkingDays(20), std::nullopt, std::string(kOnSiteCalendar),
      {PauseReason::waiting_customer, PauseReason::waiting_parts}};
  const SlaPolicy policy = ResolvePolicy(DefaultPolicy(), nullptr, &project);
  auto t = domain::calendar::test::At("2026-02-10 10:00");
  SlaInput in;
  in.history.push_back(SlaEvent::Created(t, Grade::simple));
  in.history.push_back(SlaEvent::Reached(t + 20min, Milestone::respond));
  in.history.push_back(SlaEvent::GradeChanged(t + 1h, Grade::emergency));
  in.history.push_back(SlaEvent::Reached(t + 2h, Milestone::acknowledge));
  in.history.push_back(SlaEvent::Reached(t + 3h, Milestone::depart));
  in.history.push_back(SlaEvent::Reached(t + 5h, Milestone::arrive_on_site));
  in.history.push_back(SlaEvent::Reached(t + 6h, Milestone::propose_solution));
  auto cursor = t + 7h;
  for (int i = 0; i < state.range(0); ++i) {
    in.history.push_back(SlaEvent::Paused(cursor, i % 2 ? PauseReason::waiting_parts : PauseReason::waiting_customer));
    in.history.push_back(SlaEvent::Resumed(cursor + 3h));
    cursor += 5h;
  }
  auto now = cursor + 1h;
  for (auto _ : state) {
    auto r = EvaluateSla(policy, cals, in, now);
    benchmark::DoNotOptimize(r);
  }
  state.counters["events"] = double(in.history.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SlaEvaluate_LongHistory)->Arg(0)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
