#include "domain/dispatch/dispatch.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace domain::dispatch {
namespace {

using grading::Nature;
using grading::ProjectType;
using std::chrono::hours;
using std::chrono::sys_seconds;
using V = std::vector<std::string>;

// 2026-03-10 10:00 in Shanghai = 02:00 UTC; the local day started at 2026-03-09 16:00 UTC.
const sys_seconds kNow{std::chrono::seconds{1773108000}};
const sys_seconds kDayStart = kNow - hours(10);

// Lujiazui, Shanghai; a centre in Jing'an about 6 km away; one in Suzhou about 85 km away.
constexpr GeoPoint kProject{31.2397, 121.4998};
constexpr GeoPoint kNearCentre{31.2290, 121.4480};
constexpr GeoPoint kFarCentre{31.2989, 120.5853};

Job HvacJob() {
  Job j;
  j.nature = Nature::hvac;
  j.project_type = ProjectType::building;
  j.grade = sla::Grade::medium;
  j.project_address = "上海市浦东新区陆家嘴环路1000号";
  j.project_location = kProject;
  j.now = kNow;
  j.day_start = kDayStart;
  j.today = "2026-03-10";
  return j;
}

TechnicianCandidate Tech(std::int64_t id, V skills = {"hvac"}) {
  TechnicianCandidate c;
  c.staff_id = id;
  c.name = "T" + std::to_string(id);
  c.skills = std::move(skills);
  c.home = kNearCentre;
  c.home_name = "静安网点";
  return c;
}

const Reason* Find(const TechnicianScore& s, std::string_view code) {
  for (const auto& r : s.reasons)
    if (r.code == code) return &r;
  return nullptr;
}
const Reason* Find(const TeamScore& s, std::string_view code) {
  for (const auto& r : s.reasons)
    if (r.code == code) return &r;
  return nullptr;
}

double Score(const Job& job, const TechnicianCandidate& c, std::optional<std::int64_t> team = std::nullopt) {
  return ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), team, c).score;
}

TEST(HaversineTest, KnownDistances) {
  EXPECT_NEAR(HaversineKm(kProject, kProject), 0.0, 1e-9);
  // Shanghai People's Square to Beijing Tiananmen: about 1067 km.
  EXPECT_NEAR(HaversineKm({31.2304, 121.4737}, {39.9087, 116.3975}), 1067, 5);
  EXPECT_NEAR(HaversineKm(kProject, kNearCentre), 5.1, 0.3);
  EXPECT_NEAR(HaversineKm(kProject, kFarCentre), 87, 3);
}

TEST(AreaTest, MatchAnywhereMismatchUnknown) {
  EXPECT_DOUBLE_EQ(FitArea(V{"苏州", "上海"}, "上海市浦东新区").value, 1.0);
  EXPECT_EQ(FitArea(V{"上海", "浦东"}, "上海市浦东新区").matched, "浦东");  // most specific
  EXPECT_DOUBLE_EQ(FitArea(V{}, "上海市").value, kAnywhereAreaFit);
  EXPECT_DOUBLE_EQ(FitArea(V{" ", ""}, "上海市").value, kAnywhereAreaFit);
  EXPECT_DOUBLE_EQ(FitArea(V{"北京"}, "上海市浦东新区").value, 0.0);
  EXPECT_DOUBLE_EQ(FitArea(V{"北京"}, "").value, kNeutralFit);
}

TEST(TeamRankingTest, SkillTimesAreaChoosesTheMatchingTeam) {
  auto job = HvacJob();
  std::vector<TeamCandidate> teams = {
      {1, "钢结构班组", {"steel"}, {"上海"}, 3, 0},
      {2, "北京暖通班组", {"hvac"}, {"北京"}, 3, 0},
      {3, "上海暖通班组", {"hvac", "electrical"}, {"上海"}, 2, 0},
      {4, "机动班组", {"hvac"}, {}, 2, 0},
  };
  auto ranked = RankTeams(job, RequiredSkills(job.nature, job.project_type), teams, 0);
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].id, 3);
  EXPECT_TRUE(ranked[0].eligible);
  EXPECT_DOUBLE_EQ(ranked[0].score, 80);
  EXPECT_NE(Find(ranked[0], "area_match"), nullptr);
  EXPECT_NE(Find(ranked[0], "team_skill_match"), nullptr);
  EXPECT_EQ(ranked[1].id, 4);  // anywhere, below a named match
  EXPECT_NE(Find(ranked[1], "area_anywhere"), nullptr);
  EXPECT_FALSE(ranked[2].eligible);
  EXPECT_FALSE(ranked[3].eligible);
  EXPECT_NE(Find(ranked[2].id == 1 ? ranked[2] : ranked[3], "team_skill_missing"), nullptr);
  EXPECT_NE(Find(ranked[2].id == 2 ? ranked[2] : ranked[3], "area_mismatch"), nullptr);
}

TEST(TeamRankingTest, OriginalTeamAndActiveMembersAndTies) {
  auto job = HvacJob();
  std::vector<TeamCandidate> teams = {
      {7, "B", {"hvac"}, {"上海"}, 2, 0},
      {5, "A", {"hvac"}, {"上海"}, 2, 0},
      {6, "C", {"hvac"}, {"上海"}, 2, 2},
      {4, "empty", {"hvac"}, {"上海"}, 0, 0},
  };
  auto ranked = RankTeams(job, RequiredSkills(job.nature, job.project_type), teams, 2);
  EXPECT_EQ(ranked[0].id, 6);
  EXPECT_DOUBLE_EQ(ranked[0].score, 100);
  EXPECT_NE(Find(ranked[0], "team_original_members"), nullptr);
  EXPECT_EQ(ranked[1].id, 5);  // tie on score: smaller id first
  EXPECT_EQ(ranked[2].id, 7);
  EXPECT_EQ(ranked[3].id, 4);
  EXPECT_FALSE(ranked[3].eligible);
  EXPECT_NE(Find(ranked[3], "team_no_active_members"), nullptr);
}

TEST(TeamRankingTest, RemoteProjectIsNoted) {
  auto job = HvacJob();
  job.remote = true;
  std::vector<TeamCandidate> teams = {{1, "A", {"hvac"}, {}, 1, 0}};
  auto ranked = RankTeams(job, RequiredSkills(job.nature, job.project_type), teams, 0);
  EXPECT_NE(Find(ranked[0], "remote_project"), nullptr);
}

TEST(TechnicianScoreTest, BaselineAddsUpTheWeights) {
  auto job = HvacJob();
  auto c = Tech(1);
  c.home = kProject;  // 0 km
  // skill 20 + available 10 + load 15 + distance 15 + certificate missing 5 × 0.25
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, c);
  EXPECT_DOUBLE_EQ(s.score, 61.3);
  ASSERT_NE(Find(s, "skill_match"), nullptr);
  EXPECT_EQ(Find(s, "skill_match")->params.at("skills"), "hvac");
  EXPECT_EQ(Find(s, "skill_match")->zh, "具备所需技能：暖通空调");
  EXPECT_NE(Find(s, "available"), nullptr);
  EXPECT_NE(Find(s, "certificate_missing"), nullptr);
  EXPECT_DOUBLE_EQ(*s.distance_km, 0.0);
}

TEST(TechnicianScoreTest, SkillRelatedAndMissing) {
  auto job = HvacJob();
  const double full = Score(job, Tech(1, {"hvac"}));
  const double related = Score(job, Tech(2, {"dc_cooling"}));
  const double missing = Score(job, Tech(3, {"plumbing"}));
  EXPECT_GT(full, related);
  EXPECT_GT(related, missing);
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, Tech(3, {"plumbing"}));
  EXPECT_NE(Find(s, "skill_missing"), nullptr);
  ASSERT_NE(Find(s, "skill_missing_penalty"), nullptr);
  EXPECT_LT(Find(s, "skill_missing_penalty")->points, 0);
}

TEST(TechnicianScoreTest, OriginalTeamWithoutTheSkillDoesNotBeatTheRightTrade) {
  auto job = HvacJob();
  auto plumber = Tech(1, {"plumbing"});
  plumber.original_team = true;
  plumber.prior_requests = 3;
  EXPECT_LT(Score(job, plumber), Score(job, Tech(2)));
}

TEST(TechnicianScoreTest, AvailabilityOnSiteElsewhereAndDuty) {
  auto job = HvacJob();
  auto busy = Tech(1);
  busy.on_site_at = "FW20260310-0003";
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, busy);
  ASSERT_NE(Find(s, "on_site_elsewhere"), nullptr);
  EXPECT_EQ(Find(s, "on_site_elsewhere")->params.at("ticket"), "FW20260310-0003");
  EXPECT_NEAR(Score(job, Tech(2)) - s.score, kStandardWeights.availability, 1e-6);
  auto off = Tech(3);
  off.on_duty = false;
  EXPECT_NEAR(Score(job, Tech(2)) - Score(job, off), kStandardWeights.availability * kOffDutyAvailability, 1e-6);
  auto on = Tech(4);
  on.on_duty = true;
  EXPECT_DOUBLE_EQ(Score(job, on), Score(job, Tech(2)));
}

TEST(TechnicianScoreTest, LoadLowersTheScoreUntilSaturation) {
  auto job = HvacJob();
  auto a = Tech(1), b = Tech(2), c = Tech(3), d = Tech(4);
  b.open_requests = 2;
  c.open_requests = 5;
  d.open_requests = 9;
  EXPECT_NEAR(Score(job, a) - Score(job, b), kStandardWeights.load * 2 / kLoadSaturation, 1e-6);
  EXPECT_NEAR(Score(job, a) - Score(job, c), kStandardWeights.load, 1e-6);
  EXPECT_DOUBLE_EQ(Score(job, c), Score(job, d));
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, b);
  EXPECT_EQ(Find(s, "load")->params.at("open_requests"), "2");
}

TEST(TechnicianScoreTest, DistanceFromHomeLastJobOrUnknown) {
  auto job = HvacJob();
  auto near = Tech(1), far = Tech(2), unknown = Tech(3);
  far.home = kFarCentre;
  unknown.home.reset();
  EXPECT_GT(Score(job, near), Score(job, unknown));
  EXPECT_GT(Score(job, unknown), Score(job, far));
  auto sf = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, far);
  ASSERT_NE(Find(sf, "distance_from_home"), nullptr);
  EXPECT_NEAR(*sf.distance_km, 87, 3);
  EXPECT_NE(Find(ScoreTechnician(job, {}, std::nullopt, unknown), "distance_unknown"), nullptr);

  // A job today near the project counts; one from yesterday does not.
  auto moved = far;
  moved.last_job = kProject;
  moved.last_job_at = kNow - hours(2);
  auto sm = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, moved);
  ASSERT_NE(Find(sm, "distance_from_last_job"), nullptr);
  EXPECT_DOUBLE_EQ(*sm.distance_km, 0.0);
  moved.last_job_at = kDayStart - hours(1);
  EXPECT_NE(Find(ScoreTechnician(job, {}, std::nullopt, moved), "distance_from_home"), nullptr);

  // The project position unknown: everyone neutral.
  job.project_location.reset();
  EXPECT_DOUBLE_EQ(Score(job, near), Score(job, far));
}

TEST(TechnicianScoreTest, EmergencyWeighsDistanceMore) {
  auto job = HvacJob();
  auto near = Tech(1), far = Tech(2);
  far.home = kFarCentre;
  const double normal_gap = Score(job, near) - Score(job, far);
  job.grade = sla::Grade::emergency;
  const double emergency_gap = Score(job, near) - Score(job, far);
  EXPECT_GT(emergency_gap, normal_gap);
  EXPECT_NE(Find(ScoreTechnician(job, {}, std::nullopt, near), "emergency_weights"), nullptr);
  EXPECT_EQ(&WeightsFor(sla::Grade::emergency), &kEmergencyWeights);
  EXPECT_EQ(&WeightsFor(std::nullopt), &kStandardWeights);
}

TEST(TechnicianScoreTest, PriorWorkAndOriginalTeam) {
  auto job = HvacJob();
  auto plain = Tech(1), prior = Tech(2), original = Tech(3);
  prior.prior_requests = 2;
  original.original_team = true;
  EXPECT_NEAR(Score(job, prior) - Score(job, plain), kStandardWeights.prior_work, 1e-6);
  EXPECT_NEAR(Score(job, original) - Score(job, plain), kStandardWeights.original_team, 1e-6);
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, original);
  ASSERT_NE(Find(s, "original_team"), nullptr);
  EXPECT_EQ(Find(s, "original_team")->zh, "原施工班组成员");
  EXPECT_EQ(Find(s, "original_team")->en, "member of the original construction team");
  EXPECT_EQ(Find(ScoreTechnician(job, {}, std::nullopt, prior), "prior_work")->params.at("requests"), "2");
}

TEST(TechnicianScoreTest, CertificatesValidExpiredMissing) {
  auto job = HvacJob();
  auto valid = Tech(1), expired = Tech(2), missing = Tech(3), permanent = Tech(4), unrelated = Tech(5);
  valid.certificates = {{"制冷与空调作业证", "2026-03-10"}};  // valid through today
  expired.certificates = {{"制冷与空调作业证", "2026-03-09"}};
  permanent.certificates = {{"制冷与空调作业证", std::nullopt}};
  unrelated.certificates = {{"低压电工作业证", "2030-01-01"}};
  const auto need = RequiredSkills(job.nature, job.project_type);
  EXPECT_NE(Find(ScoreTechnician(job, need, std::nullopt, valid), "certificate_valid"), nullptr);
  EXPECT_NE(Find(ScoreTechnician(job, need, std::nullopt, expired), "certificate_expired"), nullptr);
  EXPECT_NE(Find(ScoreTechnician(job, need, std::nullopt, missing), "certificate_missing"), nullptr);
  EXPECT_NE(Find(ScoreTechnician(job, need, std::nullopt, unrelated), "certificate_missing"), nullptr);
  EXPECT_DOUBLE_EQ(Score(job, valid), Score(job, permanent));
  EXPECT_GT(Score(job, valid), Score(job, missing));
  EXPECT_GT(Score(job, missing), Score(job, expired));
  // No licensed trade needed (waterproofing): certificates are not looked at.
  job.nature = Nature::leakage;
  auto waterproofer = Tech(6, {"waterproofing"});
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), std::nullopt, waterproofer);
  EXPECT_EQ(Find(s, "certificate_missing"), nullptr);
}

TEST(TechnicianScoreTest, SelectedTeamAndRemoteNote) {
  auto job = HvacJob();
  job.remote = true;
  auto member = Tech(1), other = Tech(2);
  member.team_id = 9;
  member.team_name = "暖通一组";
  other.team_id = 8;
  EXPECT_NEAR(Score(job, member, 9) - Score(job, other, 9), kStandardWeights.selected_team, 1e-6);
  auto s = ScoreTechnician(job, RequiredSkills(job.nature, job.project_type), 9, member);
  EXPECT_NE(Find(s, "selected_team"), nullptr);
  EXPECT_NE(Find(s, "remote_project"), nullptr);
}

TEST(TechnicianScoreTest, ScoresStayWithinZeroToHundred) {
  auto job = HvacJob();
  auto best = Tech(1);
  best.home = kProject;
  best.original_team = true;
  best.prior_requests = 4;
  best.on_duty = true;
  best.team_id = 1;
  best.certificates = {{"制冷与空调作业证", std::nullopt}};
  EXPECT_DOUBLE_EQ(Score(job, best, 1), 100);
  auto worst = Tech(2, {});
  worst.home = {45.0, 126.0};
  worst.open_requests = 50;
  worst.on_site_at = "X";
  EXPECT_GE(Score(job, worst), 0);
}

TEST(RankTechniciansTest, OrderReasonsLimitAndInactive) {
  auto job = HvacJob();
  std::vector<TechnicianCandidate> c;
  auto original = Tech(10);
  original.original_team = true;
  original.home = kFarCentre;  // farther away, still preferred
  c.push_back(original);
  auto near = Tech(11);
  c.push_back(near);
  auto loaded = Tech(12);
  loaded.open_requests = 4;
  c.push_back(loaded);
  auto far = Tech(13);
  far.home = kFarCentre;
  c.push_back(far);
  auto inactive = Tech(14);
  inactive.active = false;
  inactive.original_team = true;
  c.push_back(inactive);
  auto wrong_trade = Tech(15, {"plumbing"});
  c.push_back(wrong_trade);

  auto ranked = RankTechnicians(job, RequiredSkills(job.nature, job.project_type), std::nullopt, c);
  ASSERT_EQ(ranked.size(), 5u);
  EXPECT_EQ(ranked[0].staff_id, 10);
  EXPECT_EQ(ranked[1].staff_id, 11);
  EXPECT_EQ(ranked.back().staff_id, 15);
  for (const auto& r : ranked) {
    EXPECT_NE(r.staff_id, 14);
    EXPECT_FALSE(r.reasons.empty());
  }
  for (std::size_t i = 1; i < ranked.size(); ++i) EXPECT_GE(ranked[i - 1].score, ranked[i].score);
  auto pos = [&](std::int64_t id) {
    return std::find_if(ranked.begin(), ranked.end(), [&](const auto& r) { return r.staff_id == id; }) - ranked.begin();
  };
  EXPECT_LT(pos(11), pos(12));  // the loaded one lower
  EXPECT_LT(pos(11), pos(13));  // the farther one lower

  auto two = RankTechnicians(job, RequiredSkills(job.nature, job.project_type), std::nullopt, c, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].staff_id, 10);
}

TEST(RankTechniciansTest, DeterministicTieBreaks) {
  auto job = HvacJob();
  job.project_location.reset();  // everyone's distance is neutral
  std::vector<TechnicianCandidate> c = {Tech(5), Tech(3), Tech(4)};
  auto ranked = RankTechnicians(job, RequiredSkills(job.nature, job.project_type), std::nullopt, c);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].staff_id, 3);
  EXPECT_EQ(ranked[1].staff_id, 4);
  EXPECT_EQ(ranked[2].staff_id, 5);
  std::reverse(c.begin(), c.end());
  auto again = RankTechnicians(job, RequiredSkills(job.nature, job.project_type), std::nullopt, c);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(again[i].staff_id, ranked[i].staff_id);
}

}  // namespace
}  // namespace domain::dispatch
