// Dispatch (派工调度): ranks the teams and the technicians for one service
// request, each with a score from 0 to 100 and the reasons behind it — a
// suggestion the dispatcher sees and may override, and what automatic
// assignment takes first. Pure: the caller loads the candidates and passes the
// current instant; nothing here reads a clock or a database.
//
// Team: score = 50 × skill fit + 30 × area fit + 20 × original-team share.
//   skill fit   1 a primary skill of the need, 0.6 a related one, 0 none, 0.5 no skill needed
//   area fit    1 one of the team's areas (free-text place names, e.g. "上海") occurs in the
//               project address; 0.7 the team has no areas (serves anywhere); 0 no area
//               matches; 0.5 the project has no address
//   original    share of the project's original construction team who belong to this team
//   A team is eligible when its skill fit and area fit are above 0 and it has an active member;
//   the first eligible team by (score desc, id asc) is chosen.
//
// Technician: score = Σ weight × factor (factor in [0, 1]) with the weights of
// `kStandardWeights` (or `kEmergencyWeights` for an emergency), then × 0.5 when a
// skill is needed and he has none of it. Inactive staff are not candidates.
//   skill          as for teams, from his own skills
//   availability   0 on site on another request right now; 0.5 known to be off duty; else 1
//   load           1 − open requests / 5 (0 from 5 open requests on)
//   distance       haversine km to the project from his last job position today, else from his
//                  home service centre: 1 within 5 km, falling linearly to 0 at 100 km;
//                  0.5 when either position is unknown
//   prior work     1 when he worked on another request of this project
//   original team  1 when he belongs to the project's original construction team (原施工班组)
//   certificate    for a licensed trade the need names (electrical, HVAC, fire, work at
//                  height, welding): 1 a valid certificate, 0.25 none recorded, 0 only expired
//                  ones; 0.5 when no licensed trade is needed
//   selected team  1 when he belongs to the team chosen above
// Ties: higher score, then original-team member, then fewer open requests, then
// shorter known distance, then smaller staff id.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/dispatch/skills.h"
#include "domain/grading/grading.h"
#include "domain/sla/grade.h"

namespace domain::dispatch {

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};
// Great-circle distance in km (mean Earth radius 6371.0088 km).
double HaversineKm(GeoPoint a, GeoPoint b);

// One reason behind a score: a stable code with parameters for the UI to
// translate, ready Chinese and English texts, and the points it contributed.
struct Reason {
  std::string code;
  std::map<std::string, std::string> params;
  std::string zh;
  std::string en;
  double points = 0;  // contribution to the score; 0 for notes
};

// The request being dispatched.
struct Job {
  std::optional<grading::Nature> nature;
  std::optional<grading::ProjectType> project_type;
  std::optional<sla::Grade> grade;
  std::string project_address;
  std::optional<GeoPoint> project_location;
  bool remote = false;  // remote project (偏远项目): a partner (合作资源) may serve it
  std::chrono::sys_seconds now{};
  std::chrono::sys_seconds day_start{};  // start of today in the project's time zone
  std::string today;                     // YYYY-MM-DD in the project's time zone
};

// ---- teams ------------------------------------------------------------------

struct TeamWeights {
  double skill;
  double area;
  double original_team;
};
inline constexpr TeamWeights kTeamWeights{50, 30, 20};
inline constexpr double kAnywhereAreaFit = 0.7;

struct TeamCandidate {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> skills;
  std::vector<std::string> areas;
  int active_members = 0;
  int original_members = 0;  // members of the project's original construction team
};

struct TeamScore {
  std::int64_t id = 0;
  std::string name;
  double score = 0;  // 0..100, one decimal
  bool eligible = false;
  std::vector<Reason> reasons;
};

// Area fit of one team for an address, and the area that matched (if any).
struct AreaFit {
  double value = 0;
  std::string matched;
};
AreaFit FitArea(std::span<const std::string> areas, std::string_view address);

// All teams, best first: eligible ones before the others, then by score, then id.
// `original_team_size` is the size of the project's original construction team.
std::vector<TeamScore> RankTeams(const Job& job, const SkillNeed& need, std::span<const TeamCandidate> teams,
                                 int original_team_size);

// ---- technicians --------------------------------------------------------------

struct TechnicianWeights {
  double skill;
  double availability;
  double load;
  double distance;
  double prior_work;
  double original_team;
  double certificate;
  double selected_team;
};
// The original construction team is the strongest single preference (PRODUCT.md: "preferred for
// service"), level with the skill; a needed skill missing still halves the score.
inline constexpr TechnicianWeights kStandardWeights{20, 10, 15, 15, 10, 20, 5, 5};
// Emergencies: being near and free matters more than knowing the project.
inline constexpr TechnicianWeights kEmergencyWeights{20, 15, 10, 25, 5, 15, 5, 5};
const TechnicianWeights& WeightsFor(std::optional<sla::Grade> grade);

inline constexpr double kMissingSkillFactor = 0.5;   // score × this when a needed skill is missing
inline constexpr int kLoadSaturation = 5;            // open requests at which the load factor is 0
inline constexpr double kNearKm = 5;                 // distance factor 1 up to here
inline constexpr double kFarKm = 100;                // distance factor 0 from here
inline constexpr double kOffDutyAvailability = 0.5;  // known to be off duty
inline constexpr double kNoCertificateFit = 0.25;    // licensed trade, no certificate recorded

struct Certificate {
  std::string name;
  std::optional<std::string> expires_on;  // YYYY-MM-DD; none: does not expire
};

struct TechnicianCandidate {
  std::int64_t staff_id = 0;
  std::string name;
  std::optional<std::int64_t> team_id;
  std::string team_name;
  std::vector<std::string> skills;
  bool active = true;
  std::optional<bool> on_duty;           // unknown: no effect
  std::optional<std::string> on_site_at; // the request number he is on site for right now
  int open_requests = 0;                 // open requests assigned to him (this one excluded)
  std::optional<GeoPoint> home;          // his home service centre
  std::string home_name;
  std::optional<GeoPoint> last_job;      // where his last visit was
  std::optional<std::chrono::sys_seconds> last_job_at;
  int prior_requests = 0;                // other requests of this project he worked on
  bool original_team = false;            // member of the project's original construction team
  std::vector<Certificate> certificates;
};

struct TechnicianScore {
  std::int64_t staff_id = 0;
  std::string name;
  std::optional<std::int64_t> team_id;
  std::string team_name;
  double score = 0;  // 0..100, one decimal
  std::optional<double> distance_km;
  std::vector<Reason> reasons;
};

// Scores one candidate (inactive candidates too: the caller decides).
TechnicianScore ScoreTechnician(const Job& job, const SkillNeed& need, std::optional<std::int64_t> selected_team,
                                const TechnicianCandidate& c);

// Active candidates, best first, at most `limit`.
std::vector<TechnicianScore> RankTechnicians(const Job& job, const SkillNeed& need,
                                             std::optional<std::int64_t> selected_team,
                                             std::span<const TechnicianCandidate> candidates, std::size_t limit = 10);

}  // namespace domain::dispatch
