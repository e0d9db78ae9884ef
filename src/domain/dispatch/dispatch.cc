#include "domain/dispatch/dispatch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace domain::dispatch {
namespace {

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

Reason Make(std::string code, std::map<std::string, std::string> params, std::string zh, std::string en,
            double points) {
  return Reason{std::move(code), std::move(params), std::move(zh), std::move(en), points};
}

std::string Trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// The skill reason shared by teams and technicians.
Reason SkillReason(const SkillNeed& need, const SkillFit& fit, double weight, const std::string& prefix) {
  const double pts = weight * fit.value;
  if (fit.not_required)
    return Make(prefix + "skill_not_required", {{"rule", need.rule}}, "无特定技能要求", "no particular skill needed",
                pts);
  if (fit.primary)
    return Make(prefix + "skill_match", {{"skills", JoinSkillsEn(fit.matched)}, {"rule", need.rule}},
                "具备所需技能：" + JoinSkillsZh(fit.matched), "has the needed skill: " + JoinSkillsEn(fit.matched),
                pts);
  if (!fit.matched.empty())
    return Make(prefix + "skill_related", {{"skills", JoinSkillsEn(fit.matched)}, {"rule", need.rule}},
                "具备相关技能：" + JoinSkillsZh(fit.matched) + "（所需：" + JoinSkillsZh(need.primary) + "）",
                "has a related skill: " + JoinSkillsEn(fit.matched) + " (needed: " + JoinSkillsEn(need.primary) + ")",
                pts);
  return Make(prefix + "skill_missing", {{"needed", JoinSkillsEn(need.primary)}, {"rule", need.rule}},
              "缺少所需技能：" + JoinSkillsZh(need.primary), "lacks the needed skill: " + JoinSkillsEn(need.primary),
              0);
}

Reason RemoteNote() {
  return Make("remote_project", {}, "偏远项目，可考虑由合作资源（当地合作单位）服务",
              "remote project: a local partner (合作资源) may serve it", 0);
}

double DistanceFit(double km) {
  if (km <= kNearKm) return 1.0;
  if (km >= kFarKm) return 0.0;
  return (kFarKm - km) / (kFarKm - kNearKm);
}

bool Intersects(std::span<const std::string> a, std::span<const std::string> b) {
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

}  // namespace

double HaversineKm(GeoPoint a, GeoPoint b) {
  constexpr double kEarthKm = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.latitude - a.latitude) * kRad;
  const double dlon = (b.longitude - a.longitude) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(h)));
}

// ---- teams ------------------------------------------------------------------

AreaFit FitArea(std::span<const std::string> areas, std::string_view address) {
  std::vector<std::string> named;
  for (const auto& a : areas) {
    auto t = Trim(a);
    if (!t.empty()) named.push_back(std::move(t));
  }
  if (named.empty()) return {kAnywhereAreaFit, ""};
  if (Trim(address).empty()) return {kNeutralFit, ""};
  // Chinese addresses run from the largest place to the smallest, so the name found latest in
  // the address is the most specific ("浦东" over "上海" in "上海市浦东新区"); then the longer.
  std::string best;
  std::size_t best_pos = 0;
  for (const auto& a : named) {
    const auto pos = address.find(a);
    if (pos == std::string_view::npos) continue;
    if (best.empty() || pos > best_pos || (pos == best_pos && a.size() > best.size())) {
      best = a;
      best_pos = pos;
    }
  }
  if (!best.empty()) return {1.0, best};
  return {0.0, ""};
}

std::vector<TeamScore> RankTeams(const Job& job, const SkillNeed& need, std::span<const TeamCandidate> teams,
                                 int original_team_size) {
  const auto& w = kTeamWeights;
  std::vector<TeamScore> out;
  for (const auto& t : teams) {
    TeamScore s;
    s.id = t.id;
    s.name = t.name;
    const auto skill = FitSkills(need, t.skills);
    s.reasons.push_back(SkillReason(need, skill, w.skill, "team_"));

    const auto area = FitArea(t.areas, job.project_address);
    const double area_pts = w.area * area.value;
    if (area.value == 1.0)
      s.reasons.push_back(Make("area_match", {{"area", area.matched}}, "服务区域覆盖项目：" + area.matched,
                               "service area covers the project: " + area.matched, area_pts));
    else if (area.value == kAnywhereAreaFit)
      s.reasons.push_back(Make("area_anywhere", {}, "未限定服务区域", "serves any area", area_pts));
    else if (area.value == kNeutralFit)
      s.reasons.push_back(Make("area_unknown", {}, "项目地址未知，无法判断服务区域",
                               "project address unknown: area not checked", area_pts));
    else {
      std::string list;
      for (const auto& a : t.areas) list += (list.empty() ? "" : "、") + a;
      s.reasons.push_back(Make("area_mismatch", {{"areas", list}}, "服务区域（" + list + "）不覆盖项目地址",
                               "service area (" + list + ") does not cover the project address", 0));
    }

    double original = 0;
    if (original_team_size > 0 && t.original_members > 0) {
      original = std::min(1.0, static_cast<double>(t.original_members) / original_team_size);
      s.reasons.push_back(Make("team_original_members", {{"count", std::to_string(t.original_members)}},
                               "含原施工班组成员 " + std::to_string(t.original_members) + " 人",
                               std::to_string(t.original_members) + " member(s) of the original construction team",
                               w.original_team * original));
    }
    if (t.active_members <= 0)
      s.reasons.push_back(Make("team_no_active_members", {}, "班组无在岗人员", "the team has no active member", 0));
    if (job.remote) s.reasons.push_back(RemoteNote());

    s.score = Round1(std::clamp(w.skill * skill.value + area_pts + w.original_team * original, 0.0, 100.0));
    s.eligible = skill.value > 0 && area.value > 0 && t.active_members > 0;
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const TeamScore& a, const TeamScore& b) {
    if (a.eligible != b.eligible) return a.eligible;
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  });
  return out;
}

// ---- technicians --------------------------------------------------------------

const TechnicianWeights& WeightsFor(std::optional<sla::Grade> grade) {
  return grade && *grade == sla::Grade::emergency ? kEmergencyWeights : kStandardWeights;
}

TechnicianScore ScoreTechnician(const Job& job, const SkillNeed& need, std::optional<std::int64_t> selected_team,
                                const TechnicianCandidate& c) {
  const auto& w = WeightsFor(job.grade);
  TechnicianScore s;
  s.staff_id = c.staff_id;
  s.name = c.name;
  s.team_id = c.team_id;
  s.team_name = c.team_name;
  double total = 0;
  auto add = [&](Reason r) {
    total += r.points;
    s.reasons.push_back(std::move(r));
  };

  // Original construction team first: it is the strongest preference after skill.
  if (c.original_team)
    add(Make("original_team", {}, "原施工班组成员", "member of the original construction team", w.original_team));

  // Skill.
  const auto skill = FitSkills(need, c.skills);
  add(SkillReason(need, skill, w.skill, ""));

  // Availability.
  if (c.on_site_at)
    add(Make("on_site_elsewhere", {{"ticket", *c.on_site_at}}, "正在其他工单现场：" + *c.on_site_at,
             "on site for another request right now: " + *c.on_site_at, 0));
  else if (c.on_duty && !*c.on_duty)
    add(Make("off_duty", {}, "当前不在值班/工作时间", "off duty now", w.availability * kOffDutyAvailability));
  else if (c.on_duty)
    add(Make("on_duty", {}, "当前值班", "on duty now", w.availability));
  else
    add(Make("available", {}, "当前无现场任务", "not on site elsewhere", w.availability));

  // Load.
  {
    const int n = std::max(0, c.open_requests);
    const double f = std::max(0.0, 1.0 - static_cast<double>(n) / kLoadSaturation);
    add(Make("load", {{"open_requests", std::to_string(n)}}, "在办工单 " + std::to_string(n) + " 个",
             std::to_string(n) + " open request(s) assigned", w.load * f));
  }

  // Distance: from the last job today, else from the home service centre.
  {
    std::optional<GeoPoint> from;
    bool from_last_job = false;
    if (c.last_job && c.last_job_at && *c.last_job_at >= job.day_start && *c.last_job_at <= job.now) {
      from = c.last_job;
      from_last_job = true;
    } else if (c.home) {
      from = c.home;
    }
    if (from && job.project_location) {
      const double km = HaversineKm(*from, *job.project_location);
      s.distance_km = Round1(km);
      const double pts = w.distance * DistanceFit(km);
      const std::string kms = Fixed1(km);
      if (from_last_job)
        add(Make("distance_from_last_job", {{"km", kms}}, "距今日上一现场 " + kms + " 公里",
                 kms + " km from today's last job", pts));
      else
        add(Make("distance_from_home", {{"km", kms}, {"centre", c.home_name}},
                 "距驻地" + (c.home_name.empty() ? std::string() : "（" + c.home_name + "）") + " " + kms + " 公里",
                 kms + " km from the home service centre" + (c.home_name.empty() ? "" : " (" + c.home_name + ")"),
                 pts));
    } else {
      add(Make("distance_unknown", {}, "位置未知，距离按中性计", "position unknown: distance neutral",
               w.distance * kNeutralFit));
    }
  }

  // Prior work on the project.
  if (c.prior_requests > 0)
    add(Make("prior_work", {{"requests", std::to_string(c.prior_requests)}},
             "曾处理本项目工单 " + std::to_string(c.prior_requests) + " 个",
             "worked on " + std::to_string(c.prior_requests) + " other request(s) of this project", w.prior_work));

  // Certificates for a licensed trade the need names.
  {
    std::vector<std::string> licensed;
    for (const auto* list : {&need.primary, &need.secondary})
      for (const auto& sk : *list)
        if (IsLicensedSkill(sk) && (skill.matched.empty() || std::find(skill.matched.begin(), skill.matched.end(),
                                                                       sk) != skill.matched.end()))
          licensed.push_back(sk);
    if (licensed.empty()) {
      total += w.certificate * kNeutralFit;  // nothing to check: neutral, no reason shown
    } else {
      const Certificate* valid = nullptr;
      const Certificate* expired = nullptr;
      for (const auto& cert : c.certificates) {
        if (!Intersects(CertificateSkills(cert.name), licensed)) continue;
        const bool ok = !cert.expires_on || job.today.empty() || *cert.expires_on >= job.today;
        if (ok && !valid) valid = &cert;
        if (!ok && !expired) expired = &cert;
      }
      if (valid)
        add(Make("certificate_valid", {{"name", valid->name}, {"expires_on", valid->expires_on.value_or("")}},
                 "持有效证书：" + valid->name, "holds a valid certificate: " + valid->name, w.certificate));
      else if (expired)
        add(Make("certificate_expired", {{"name", expired->name}, {"expires_on", expired->expires_on.value_or("")}},
                 "证书已过期：" + expired->name + "（" + expired->expires_on.value_or("") + "）",
                 "certificate expired: " + expired->name + " (" + expired->expires_on.value_or("") + ")", 0));
      else
        add(Make("certificate_missing", {{"skills", JoinSkillsEn(licensed)}},
                 "未登记" + JoinSkillsZh(licensed) + "相关作业证书",
                 "no certificate recorded for " + JoinSkillsEn(licensed), w.certificate * kNoCertificateFit));
    }
  }

  // Membership of the chosen team.
  if (selected_team && c.team_id && *selected_team == *c.team_id)
    add(Make("selected_team", {{"team", c.team_name}}, "属于推荐班组：" + c.team_name,
             "member of the suggested team: " + c.team_name, w.selected_team));

  // A needed skill missing halves the score, so that project knowledge alone cannot
  // send the wrong trade.
  if (!skill.not_required && skill.value == 0) {
    const double cut = total * (1 - kMissingSkillFactor);
    total -= cut;
    s.reasons.push_back(Make("skill_missing_penalty", {{"factor", Fixed1(kMissingSkillFactor)}},
                             "缺少所需技能，得分减半", "needed skill missing: score halved", -cut));
  }
  if (job.grade && *job.grade == sla::Grade::emergency)
    s.reasons.push_back(Make("emergency_weights", {}, "紧急工单：距离与可用性权重加大",
                             "emergency: distance and availability weigh more", 0));
  if (job.remote) s.reasons.push_back(RemoteNote());

  s.score = Round1(std::clamp(total, 0.0, 100.0));
  for (auto& r : s.reasons) r.points = Round1(r.points);
  return s;
}

std::vector<TechnicianScore> RankTechnicians(const Job& job, const SkillNeed& need,
                                             std::optional<std::int64_t> selected_team,
                                             std::span<const TechnicianCandidate> candidates, std::size_t limit) {
  struct Entry {
    TechnicianScore score;
    const TechnicianCandidate* c;
  };
  std::vector<Entry> all;
  for (const auto& c : candidates)
    if (c.active) all.push_back({ScoreTechnician(job, need, selected_team, c), &c});
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    if (a.score.score != b.score.score) return a.score.score > b.score.score;
    if (a.c->original_team != b.c->original_team) return a.c->original_team;
    if (a.c->open_requests != b.c->open_requests) return a.c->open_requests < b.c->open_requests;
    const bool ad = a.score.distance_km.has_value(), bd = b.score.distance_km.has_value();
    if (ad != bd) return ad;
    if (ad && *a.score.distance_km != *b.score.distance_km) return *a.score.distance_km < *b.score.distance_km;
    return a.c->staff_id < b.c->staff_id;
  });
  std::vector<TechnicianScore> out;
  for (auto& e : all) {
    if (out.size() >= limit) break;
    out.push_back(std::move(e.score));
  }
  return out;
}

}  // namespace domain::dispatch
