//! Fictional demo data, so a newcomer can try every screen at once: one user per role (and
//! officers of three member units), children spread over Longwan's real streets and villages,
//! eligible and not, and referrals in every state. Every name, number and story here is made up.

use chrono::{Months, NaiveDate};
use shared::api::UserStatus;
use shared::calendar::Quarter;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, MonitoringStatus, NationalDetails,
    Parent, Registration,
};
use shared::eligibility::ParentSituation;
use shared::validate::Password;
use shared::{Role, Scope};

use crate::accounts::passwords;
use crate::store::children::ChildItem;
use crate::store::users::UserRecord;
use crate::{AppError, AppState};

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "陈", "林", "黄", "周", "吴", "郑", "潘", "金", "叶", "徐", "朱", "胡", "季",
];
const GIVEN: [&str; 20] = [
    "小雨", "子涵", "浩然", "梓萱", "一诺", "思远", "雨桐", "俊杰", "欣怡", "宇航", "佳琪", "明轩",
    "诗涵", "博文", "可欣", "天佑", "若曦", "家豪", "语嫣", "晨阳",
];
const SCHOOLS: [&str; 4] = [
    "龙湾区永中第一小学",
    "龙湾区海城中学",
    "龙湾区状元小学",
    "龙湾区瑶溪第二小学",
];
/// Where parents work: another province, a non-core county of Wenzhou, a core district.
const FAR: [&str; 4] = ["440106", "310115", "330381", "320583"];
const LUCHENG: &str = "330302";

pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub password: String,
}

fn password() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 12)
}

fn id_number(birth: NaiveDate, sequence: u32) -> String {
    let first17 = format!("330303{}{sequence:03}", birth.format("%Y%m%d"));
    let check = shared::id_number::check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// The kinds of family situation the demo shows, in turn.
fn parents(case: usize, today: NaiveDate) -> (ParentSituation, ParentSituation) {
    let since = |months: u32| {
        today
            .checked_sub_months(Months::new(months))
            .unwrap_or(today)
    };
    let away = |county: &str, months: u32| ParentSituation::WorkingAway {
        county_code: county.into(),
        since: since(months),
        note: if months > 12 {
            "每年春节回家".into()
        } else {
            String::new()
        },
    };
    let home = |capacity| ParentSituation::AtHome {
        capacity,
        note: if capacity == Capacity::OtherInability {
            "长期外出失联".into()
        } else {
            String::new()
        },
    };
    match case % 7 {
        0 => (away(FAR[0], 30), away(FAR[1], 30)),
        1 => (away(FAR[2], 14), home(Capacity::SeriouslyIll)),
        2 if case % 14 == 9 => (
            ParentSituation::Imprisoned {
                note: "示例:服刑至 2028 年".into(),
            },
            away(FAR[3], 20),
        ),
        2 => (home(Capacity::SeverelyDisabled), away(FAR[3], 20)),
        3 => (away(LUCHENG, 24), home(Capacity::Capable)),
        4 => (away(FAR[0], 3), away(FAR[0], 3)),
        5 if case % 14 == 12 => (
            away(FAR[1], 40),
            ParentSituation::Deceased {
                note: "示例数据".into(),
            },
        ),
        5 => (
            away(FAR[1], 40),
            ParentSituation::Missing {
                since: Some(since(36)),
                note: "长期失联".into(),
            },
        ),
        _ => (away(FAR[3], 9), home(Capacity::Capable)),
    }
}

/// The rest of the national form, varied so that every statistic has something to count; a
/// few are left unrecorded, as records registered before the form was complete are.
fn national(
    i: usize,
    age_years: u32,
    guardian: &Guardian,
    father: &ParentSituation,
    mother: &ParentSituation,
    category: Category,
) -> NationalDetails {
    use shared::national::*;
    if i % 8 == 7 {
        return NationalDetails::default();
    }
    let unable = |p: &ParentSituation| {
        !matches!(
            p,
            ParentSituation::WorkingAway { .. }
                | ParentSituation::AtHome {
                    capacity: Capacity::Capable,
                    ..
                }
        )
    };
    let imprisoned = [father, mother]
        .iter()
        .any(|p| matches!(p, ParentSituation::Imprisoned { .. }));
    let health = match i % 13 {
        5 => Health {
            status: HealthStatus::Disabled,
            disability_category: Some(DisabilityCategory::Physical),
            disability_grade: Some(DisabilityGrade::Third),
            illness: String::new(),
        },
        9 => Health {
            status: HealthStatus::Ill,
            disability_category: None,
            disability_grade: None,
            illness: "哮喘".into(),
        },
        _ => Health {
            status: HealthStatus::Healthy,
            disability_category: None,
            disability_grade: None,
            illness: String::new(),
        },
    };
    let schooling = match age_years {
        _ if i == 27 => SchoolStage::DroppedOut,
        0..=2 => SchoolStage::NotInKindergarten,
        3..=5 => SchoolStage::Kindergarten,
        6..=11 => SchoolStage::Primary,
        12..=14 => SchoolStage::JuniorSecondary,
        _ => SchoolStage::SeniorSecondary,
    };
    let guardianship_type = if unable(father) || unable(mother) {
        GuardianshipType::ParentIncapable
    } else {
        match i % 19 {
            7 => GuardianshipType::EntrustedInsufficient,
            11 => GuardianshipType::Unattended,
            n if n % 2 == 0 => GuardianshipType::Good,
            _ => GuardianshipType::Ordinary,
        }
    };
    let mut difficulty_groups = Vec::new();
    if category == Category::InDifficulty || health.status == HealthStatus::Disabled {
        difficulty_groups.push(DifficultyGroup::Disabled);
    }
    if imprisoned {
        difficulty_groups.push(DifficultyGroup::PrisonersChild);
    }
    if i % 6 == 1 {
        difficulty_groups.push(DifficultyGroup::LowIncomeFamily);
    }
    NationalDetails {
        ethnicity: Some(if i % 10 == 4 { "22" } else { "01" }.into()),
        hukou_registered: Some(i != 31),
        boarding: Some(schooling == SchoolStage::JuniorSecondary && i.is_multiple_of(2)),
        schooling: Some(schooling),
        entrusted_guardian: Some(EntrustedGuardian {
            name: guardian.name.clone(),
            relation: guardian.relation.clone(),
            phone: guardian.phone.clone(),
            id_number: None,
            address: format!("示例路 {} 号", i + 1),
        }),
        guardianship_type: Some(guardianship_type),
        income_sources: if i.is_multiple_of(3) {
            vec![IncomeSource::Wages, IncomeSource::Farming]
        } else {
            vec![IncomeSource::Wages]
        },
        assistance: match i % 6 {
            1 => vec![Assistance::Dibao, Assistance::MedicalAssistance],
            4 => vec![Assistance::TemporaryRelief],
            _ => Vec::new(),
        },
        assistance_other: String::new(),
        health: Some(health),
        difficulty_groups,
        signoff: Signoff {
            filled_by: "陈主任".into(),
            checked_by: "未保办管理员".into(),
            responsible: "示例负责人".into(),
        },
    }
}

/// Fills a fresh table. Returns the accounts it made, with their passwords.
pub async fn fill(state: &AppState) -> Result<Vec<DemoAccount>, AppError> {
    let today = crate::registry::today(state);
    let now = state.clock.now();
    let villages: Vec<_> = shared::divisions::villages().collect();
    // The director looks after the first three villages of 永中街道, where most demo children live.
    let director_villages: Vec<String> = villages
        .iter()
        .take(3)
        .map(|v| v.code.to_string())
        .collect();
    let accounts = [
        (
            "director.demo",
            "陈主任",
            Role::Director,
            Scope::Villages {
                codes: director_villages.clone(),
            },
        ),
        (
            "teacher.demo",
            "林老师",
            Role::Teacher,
            Scope::School {
                name: SCHOOLS[0].into(),
            },
        ),
        ("volunteer.demo", "周妈妈", Role::Volunteer, Scope::Own),
        ("counsellor.demo", "吴老师", Role::Counsellor, Scope::Own),
        (
            "officer.demo",
            "郑警官",
            Role::Officer,
            Scope::Unit {
                name: "区公安分局".into(),
            },
        ),
        // Two more member units' officers, so referrals can be seen moving through several.
        (
            "officer.civil",
            "孙科长",
            Role::Officer,
            Scope::Unit {
                name: "区民政局".into(),
            },
        ),
        (
            "officer.edu",
            "钱老师",
            Role::Officer,
            Scope::Unit {
                name: "区教育局".into(),
            },
        ),
    ];
    let mut created = Vec::new();
    for (username, name, role, scope) in accounts {
        let secret = password();
        let parsed =
            Password::parse("password", &secret).map_err(|error| AppError::Invalid(vec![error]))?;
        let user = UserRecord::new(username, name, role, scope, UserStatus::Active, now)
            .with_password_hash(passwords::hash(&parsed).await?);
        state
            .store
            .create_user(&user, None)
            .await
            .map_err(|error| match error {
                crate::store::users::CreateUserError::UsernameTaken => AppError::UsernameTaken,
                crate::store::users::CreateUserError::Store(error) => error.into(),
            })?;
        created.push(DemoAccount {
            username: username.into(),
            role,
            password: secret,
        });
    }

    let core = state.store.core_districts().await?;
    // Registered well before last quarter began, so last quarter's visits came after it; a few
    // of the director's children were registered in the last few days and await a first visit.
    let long_ago = at_beijing(
        Quarter::of(today).previous().first_day() - chrono::Duration::days(30),
        9,
        now,
    );
    let mut children = Vec::new();
    for i in 0..48 {
        // Half in the director's villages, the rest spread over the district.
        let village = if i % 2 == 0 {
            director_villages[i % director_villages.len()].clone()
        } else {
            villages[(i * 7) % villages.len()].code.to_string()
        };
        let age_years = 6 + (i % 10) as u32;
        let mut birth = today
            .checked_sub_months(Months::new(age_years * 12 + (i as u32 * 5) % 12))
            .unwrap_or(today);
        if i == 5 {
            // Turned 16 last week: on the review list.
            birth = today
                .checked_sub_months(Months::new(16 * 12))
                .unwrap_or(today)
                - chrono::Duration::days(7);
        }
        let gender = if i % 3 == 0 {
            Gender::Female
        } else {
            Gender::Male
        };
        let sequence = (i as u32 * 2 + 1) + if gender == Gender::Female { 1 } else { 0 };
        let (father, mother) = parents(i, today);
        let name = format!(
            "{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i * 3) % GIVEN.len()]
        );
        let category = if i % 9 == 8 {
            Category::InDifficulty
        } else {
            Category::LeftBehind
        };
        let guardian = Guardian {
            name: format!("{}奶奶", SURNAMES[i % SURNAMES.len()]),
            relation: "祖母".into(),
            phone: format!("1380577{:04}", 1000 + i),
            capacity: Capacity::Capable,
        };
        let national = national(i, age_years, &guardian, &father, &mother, category);
        let child = ChildInput {
            name: name.clone(),
            gender,
            birth_date: birth,
            id_number: (i % 4 != 3).then(|| id_number(birth, sequence)),
            registration: Registration {
                county_code: "330303".into(),
                village_code: Some(village.clone()),
            },
            residence_village: village,
            residence_detail: format!("示例路 {} 号", i + 1),
            school: SCHOOLS[i % SCHOOLS.len()].into(),
            class_name: format!("{}({})班", 1 + i % 6, 1 + i % 3),
            category,
            care_level: match i % 11 {
                0 => CareLevel::Urgent,
                1..=3 => CareLevel::Focus,
                _ => CareLevel::Routine,
            },
            care_level_reason: "首次登记 First registration".into(),
            guardians: vec![guardian],
            father: Parent::new(father, Some(format!("1390577{:04}", 2000 + i))),
            mother: Parent::new(mother, None),
            interests: ["画画", "足球", "唱歌", "阅读", "跳绳"][i % 5].into(),
            national,
        };
        let child = child.validate(today).map_err(AppError::Invalid)?;
        let registered = if awaits_first_visit(i) {
            now - chrono::Duration::days(1 + (i % 3) as i64)
        } else {
            long_ago
        };
        children.push(ChildItem {
            id: ulid::Ulid::new().to_string(),
            version: 1,
            eligibility: child.eligibility(today, &core),
            care_level_history: vec![shared::children::CareLevelChange {
                level: child.care_level,
                reason: "示例数据 Demo data".into(),
                by: "未保办管理员".into(),
                at: registered,
            }],
            child,
            status: MonitoringStatus::Monitored,
            exit: None,
            duplicates: Vec::new(),
            created_at: registered,
            created_by: "demo".into(),
            updated_at: now,
            updated_by: "demo".into(),
            schema_version: shared::children::CHILD_SCHEMA_VERSION,
        });
    }
    state.store.put_children_batch(&children).await?;
    events(state, &director_villages).await?;
    let crisis = cases(state, &children).await?;
    pairings(state, &children).await?;
    let concern = visits(state, &children, &director_villages).await?;
    referrals(state, &children, &director_villages, concern, crisis).await?;
    Ok(created)
}

/// The demo children (by their index) registered in the last few days: in the director's
/// villages (even indexes), never visited yet, their first visit due within 5 working days.
fn awaits_first_visit(i: usize) -> bool {
    i % 12 == 10
}

/// The demo children visited last quarter and not since: their next visit is overdue.
fn visited_last_quarter_only(i: usize) -> bool {
    i % 8 == 6 && !awaits_first_visit(i)
}

/// `hour` o'clock Beijing time on `day`, never later than `now`.
fn at_beijing(
    day: NaiveDate,
    hour: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(0, 0, 0)
        .map(|midnight| midnight.and_utc() - chrono::Duration::hours(8))
        .map(|start| start + chrono::Duration::hours(i64::from(hour)))
        .map_or(now, |at| at.min(now))
}

/// A quarter of visits by the demo director to the children of their villages: most visited
/// once this quarter (some also last quarter), a few only last quarter (now overdue), a few
/// registered in the last few days and never visited, and one visit that found a concern. Stored as the
/// register stores them, each with its audit entry; every name and finding is made up. Returns
/// the visit that found the concern and its child (a referral is raised from it).
async fn visits(
    state: &AppState,
    children: &[ChildItem],
    villages: &[String],
) -> Result<Option<(String, String)>, AppError> {
    use shared::visits::{
        Assistance, Emotion, Guardianship, Health, MetWith, Schooling, VisitInput, VisitMode,
        VisitRecord, VisitSettings,
    };
    let Some(director) = state.store.find_user_by_username("director.demo").await? else {
        return Ok(None);
    };
    let actor = acting_as(state, &director).actor(None);
    let now = state.clock.now();
    let today = crate::registry::today(state);
    let quarter = Quarter::of(today);
    let previous = quarter.previous();
    let elapsed = (today - quarter.first_day()).num_days().max(0);
    let settings = VisitSettings::default();
    let mut concern_recorded = false;
    let mut visits: Vec<(VisitRecord, bool)> = Vec::new();
    for (i, child) in children.iter().enumerate() {
        if !villages.contains(&child.child.residence_village) || awaits_first_visit(i) {
            continue;
        }
        let level = child.child.care_level;
        // Visit days: one this quarter, or one last quarter far enough back to be overdue now.
        let mut days = Vec::new();
        if visited_last_quarter_only(i) {
            let months = chrono::Months::new(settings.interval_months(level));
            let back = today.checked_sub_months(months).unwrap_or(today)
                - chrono::Duration::days(3 + (i % 5) as i64);
            days.push(back.clamp(previous.first_day(), previous.last_day()));
        } else {
            if i % 4 == 0 {
                let day = previous.first_day() + chrono::Duration::days(((i * 11) % 80) as i64);
                days.push(day.min(previous.last_day()));
            }
            let offset = if elapsed == 0 {
                0
            } else {
                ((i * 7) as i64) % (elapsed + 1)
            };
            days.push(quarter.first_day() + chrono::Duration::days(offset));
        }
        for (n, day) in days.into_iter().enumerate() {
            let visited_at = at_beijing(day, 9 + (i % 8) as u32, now);
            // One visit this quarter (the first child's, from the fifth on) found a concern.
            let concern = !concern_recorded && quarter.contains(day) && i >= 4;
            concern_recorded |= concern;
            let mode = match i % 6 {
                4 if n == 0 => VisitMode::Phone,
                4 => VisitMode::SchoolVisit,
                2 if i % 5 == 1 => VisitMode::Video,
                _ => VisitMode::HomeVisit,
            };
            let mode = if concern { VisitMode::HomeVisit } else { mode };
            let met_with = match mode {
                VisitMode::Phone | VisitMode::Video => vec![MetWith::Child, MetWith::ParentByPhone],
                VisitMode::SchoolVisit => vec![MetWith::Child, MetWith::Teacher],
                VisitMode::HomeVisit => vec![MetWith::Child, MetWith::Guardian],
            };
            let ill = i % 10 == 8 && !concern;
            let mut input = VisitInput {
                client_id: ulid::Ulid::new().to_string(),
                child_id: child.id.clone(),
                visited_at,
                mode,
                met_with,
                guardianship: if i % 3 == 0 {
                    Guardianship::Good
                } else {
                    Guardianship::Fair
                },
                entrusted_guardian: false,
                entrusted_guardian_capable: None,
                health: if ill { Health::Ill } else { Health::Healthy },
                health_note: if ill {
                    "感冒发烧,已去村卫生室看过(虚构示例)".into()
                } else {
                    String::new()
                },
                schooling: if i % 5 == 4 {
                    Schooling::Boarding
                } else {
                    Schooling::InSchool
                },
                emotion: if i % 7 == 2 {
                    Emotion::Low
                } else {
                    Emotion::Stable
                },
                unsafe_at_home: false,
                device_overuse: i % 9 == 6,
                bullying_or_violence: false,
                income_sources: "父母外出务工收入(虚构示例)".into(),
                assistance: if i % 6 == 2 {
                    vec![Assistance::Dibao]
                } else {
                    Vec::new()
                },
                needs: if i % 7 == 2 {
                    "想念在外地打工的父母,希望多和父母视频(虚构示例)".into()
                } else {
                    String::new()
                },
                problems_found: if i % 9 == 6 {
                    "放学后玩手机时间较长(虚构示例)".into()
                } else {
                    String::new()
                },
                action_taken: if i % 9 == 6 {
                    "与祖母商量约定每天玩手机的时间(虚构示例)".into()
                } else {
                    String::new()
                },
                follow_up: String::new(),
                follow_up_by: None,
                proposed_level: None,
                level_reason: String::new(),
                corrects: None,
                child_version: None,
            };
            if concern {
                input.guardianship = Guardianship::Poor;
                input.unsafe_at_home = true;
                input.emotion = Emotion::Anxious;
                input.needs = "奶奶住院期间需要有人临时照看;房屋电线需要检修(虚构示例)".into();
                input.problems_found =
                    "奶奶生病住院,孩子放学后常独自在家,家中电线老化(虚构示例)".into();
                input.action_taken = "联系村委会安排邻居临时照看,提醒家人检修电线(虚构示例)".into();
                input.follow_up = "一周内再次入户,确认照看安排和电线检修(虚构示例)".into();
                input.follow_up_by = Some(day + chrono::Duration::days(7));
            }
            // The register's own checks, as of the day the visit was made.
            let input = input
                .validate(visited_at + chrono::Duration::hours(1))
                .map_err(AppError::Invalid)?;
            let record = VisitRecord {
                id: input.client_id.clone(),
                child_name: child.child.name.clone(),
                village_code: child.child.residence_village.clone(),
                director_id: director.id.clone(),
                director_name: director.display_name.clone(),
                recorded_at: (visited_at + chrono::Duration::hours(2)).min(now),
                visit: input,
            };
            visits.push((record, concern));
        }
    }
    let mut found = None;
    for (record, concern) in visits {
        let entry = crate::accounts::audit_entry(
            state,
            &actor,
            shared::api::AuditAction::VisitRecorded,
            Some(crate::registry::child_target(&record.visit.child_id)),
            Some(format!("{} demo", crate::visits::visit_target(&record.id))),
        );
        state
            .store
            .record_visit(&record, None, false, &entry)
            .await?;
        if concern {
            found = Some((record.id.clone(), record.visit.child_id.clone()));
            let message = crate::notifications::Message::new(
                format!(
                    "走访发现需关注的情况:{}({})",
                    record.child_name, record.director_name
                ),
                format!(
                    "A visit found a concern: {} ({})",
                    record.child_name, record.director_name
                ),
            )
            .link(format!("/visits/{}", record.id));
            crate::notifications::after_commit(
                state,
                &crate::notifications::Recipients::admins(),
                &message,
            )
            .await;
        }
    }
    Ok(found)
}

/// The demo volunteer is vetted and paired with one child, with a contact logged.
async fn pairings(state: &AppState, children: &[ChildItem]) -> Result<(), AppError> {
    use shared::pairings::{
        BackgroundCheck, CheckResult, ContactMode, ContactRequest, ProfileInput,
        ProposePairingRequest, VettingDecision, VettingRequest,
    };
    let Some(volunteer) = state.store.find_user_by_username("volunteer.demo").await? else {
        return Ok(());
    };
    let Some(admin) = state.store.find_user_by_username("admin").await? else {
        return Ok(());
    };
    let today = crate::registry::today(state);
    let (admin, mother) = (acting_as(state, &admin), acting_as(state, &volunteer));
    crate::pairings::update_my_profile(
        state,
        &mother,
        &ProfileInput {
            skills: "绘画".into(),
            interests: "画画、唱歌".into(),
            availability: "周末;住永中街道".into(),
        },
    )
    .await?;
    let check = BackgroundCheck {
        checked_on: today,
        result: CheckResult::Clear,
    };
    crate::pairings::vet(
        state,
        &admin,
        &volunteer.id,
        &VettingRequest {
            decision: VettingDecision::Approve,
            background_check: Some(check),
            reason: String::new(),
            max_children: Some(1),
        },
        None,
    )
    .await?;
    let Some(child) = children.iter().find(|c| c.child.interests.contains("画画")) else {
        return Ok(());
    };
    let pairing = crate::pairings::propose(
        state,
        &admin,
        &ProposePairingRequest {
            child_id: child.id.clone(),
            volunteer_id: volunteer.id.clone(),
        },
        None,
    )
    .await?;
    crate::pairings::activate(state, &admin, &pairing.id, None).await?;
    crate::pairings::log_contact(
        state,
        &mother,
        &pairing.id,
        &ContactRequest {
            date: today,
            mode: ContactMode::Phone,
            minutes: 20,
            summary: "电话问候,聊了画画(虚构示例)".into(),
            concern: false,
        },
    )
    .await?;
    Ok(())
}

/// Signed in as `user`, for demo steps that go through the same rules as the API.
fn acting_as(
    state: &AppState,
    user: &crate::store::users::UserRecord,
) -> crate::accounts::CurrentUser {
    crate::accounts::CurrentUser {
        id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        scope: user.scope.clone(),
        organisation: user.organisation,
        token_hash: String::new(),
        expires_at: state.clock.now(),
    }
}

/// Two case groups led by the demo teacher: one with a plan and notes, one with an open crisis.
/// Returns the crisis's id (a referral is raised from it).
async fn cases(state: &AppState, children: &[ChildItem]) -> Result<Option<String>, AppError> {
    use shared::cases::{
        CreateCaseRequest, CrisisKind, Goal, GoalStatus, NoteKind, NoteRequest, PlanInput,
        RaiseCrisisRequest, SavePlanRequest,
    };
    let Some(teacher) = state.store.find_user_by_username("teacher.demo").await? else {
        return Ok(None);
    };
    let teacher_id = teacher.id.clone();
    let teacher = acting_as(state, &teacher);
    let today = crate::registry::today(state);
    let mut raised = None;
    for (i, child) in case_pupils(children).into_iter().enumerate() {
        crate::cases::create(
            state,
            &teacher,
            &CreateCaseRequest {
                child_id: child.id.clone(),
                lead_user_id: None,
            },
            None,
        )
        .await?;
        let plan = PlanInput {
            situation: "与祖母同住,父母在外务工;性格内向,数学成绩下滑。(虚构示例)".into(),
            care_level: CareLevel::Focus,
            goals: vec![
                Goal {
                    id: "g1".into(),
                    title: "每周一次谈心".into(),
                    measures: "班主任课后谈心,记录情绪变化".into(),
                    owner: Some(teacher_id.clone()),
                    due: Some(today + chrono::Duration::days(60)),
                    status: GoalStatus::InProgress,
                },
                Goal {
                    id: "g2".into(),
                    title: "数学学习帮扶".into(),
                    measures: "每周两次课后辅导".into(),
                    owner: None,
                    due: Some(today + chrono::Duration::days(90)),
                    status: GoalStatus::NotStarted,
                },
            ],
            // The second group's review is overdue, so the list shows it.
            next_review: if i == 0 {
                today + chrono::Duration::days(30)
            } else {
                today - chrono::Duration::days(3)
            },
        };
        crate::cases::save_plan(
            state,
            &teacher,
            &child.id,
            &SavePlanRequest { version: 0, plan },
            None,
        )
        .await?;
        let note = NoteRequest {
            kind: NoteKind::Conversation,
            date: today,
            text: "谈心:想念在外地的妈妈,愿意参加周末活动。(虚构示例)".into(),
        };
        crate::cases::add_note(state, &teacher, &child.id, &note, None).await?;
        if i == 1 {
            let crisis = RaiseCrisisRequest {
                kind: CrisisKind::Psychological,
                description: "连续两天情绪低落,提到不想上学。(虚构示例)".into(),
            };
            let crisis =
                crate::cases::raise_crisis(state, &teacher, &child.id, &crisis, None).await?;
            raised = Some(crisis.id);
        }
    }
    Ok(raised)
}

/// The demo teacher's two pupils with a case group (the second has an open crisis).
fn case_pupils(children: &[ChildItem]) -> Vec<&ChildItem> {
    children
        .iter()
        .filter(|c| c.child.school == SCHOOLS[0])
        .take(2)
        .collect()
}

/// Three sites and a few upcoming events, one of them with the demo volunteer signed up.
async fn events(state: &AppState, villages: &[String]) -> Result<(), AppError> {
    use shared::events::{
        EventInput, EventStatus, EventType, PlaceKind, SignupRecord, SignupStatus, Site, SiteInput,
        SiteType, Visibility,
    };
    let sites = [
        ("永中街道儿童之家", SiteType::ChildrensHome),
        ("龙湾区未成年人保护工作站", SiteType::ProtectionStation),
        ("海城妇儿驿站", SiteType::WomenChildrenPost),
    ];
    let mut site_ids = Vec::new();
    for (i, (name, site_type)) in sites.into_iter().enumerate() {
        let site = Site {
            id: ulid::Ulid::new().to_string(),
            site: SiteInput {
                name: name.into(),
                site_type,
                village_code: villages[i % villages.len()].clone(),
                address: format!("示例路 {} 号", 10 + i),
                contact_name: "陈主任".into(),
                contact_phone: "0577-86666258".into(),
            },
        };
        state.store.put_site(&site).await?;
        site_ids.push(site.id);
    }
    let now = state.clock.now();
    let plans = [
        ("寒假托管:书法与手工", EventType::HolidayCare, 10, 20, 5),
        ("成长微课:认识情绪", EventType::MicroCourse, 4, 15, 9),
        (
            "心理健康课:与压力做朋友",
            EventType::MentalHealth,
            2,
            12,
            12,
        ),
        ("法治教育进校园", EventType::LegalEducation, 0, 40, 16),
    ];
    let volunteer = state.store.find_user_by_username("volunteer.demo").await?;
    for (i, (title, event_type, volunteers, children, in_days)) in plans.into_iter().enumerate() {
        // 09:00 Beijing time (01:00 UTC), `in_days` from today.
        let day = shared::time::beijing_date(now) + chrono::Duration::days(in_days);
        let starts = day
            .and_hms_opt(1, 0, 0)
            .map(|at| at.and_utc())
            .unwrap_or(now);
        let event = crate::store::events::EventItem {
            id: ulid::Ulid::new().to_string(),
            version: 1,
            event: EventInput {
                title: title.into(),
                event_type,
                description: "示例活动(虚构)。Demo event (fictional).".into(),
                site_id: site_ids[i % site_ids.len()].clone(),
                starts_at: starts,
                ends_at: starts + chrono::Duration::hours(2),
                signup_deadline: starts - chrono::Duration::days(1),
                cancel_deadline: starts - chrono::Duration::days(2),
                volunteer_capacity: volunteers,
                child_capacity: children,
                visibility: Visibility::AllVolunteers,
                leads: volunteer
                    .iter()
                    .map(|v| v.id.clone())
                    .take(usize::from(i == 0))
                    .collect(),
                status: EventStatus::Published,
            },
            v_confirmed: 0,
            v_waitlisted: 0,
            c_confirmed: 0,
            c_waitlisted: 0,
            created_by: "demo".into(),
        };
        state.store.put_new_event(&event).await?;
        if let (0, Some(volunteer)) = (i, &volunteer) {
            let signup = SignupRecord {
                event_id: event.id.clone(),
                kind: PlaceKind::Volunteer,
                person_id: volunteer.id.clone(),
                name: volunteer.display_name.clone(),
                status: SignupStatus::Confirmed,
                position: None,
                signed_up_at: now,
                attendance: None,
                minutes: None,
                correction: None,
                entered_by: None,
            };
            state.store.join_confirmed(&signup, starts, now).await?;
        }
    }
    Ok(())
}

/// The demo user `username`, as signed in.
async fn demo_user(
    state: &AppState,
    username: &str,
) -> Result<Option<crate::accounts::CurrentUser>, AppError> {
    Ok(state
        .store
        .find_user_by_username(username)
        .await?
        .map(|user| acting_as(state, &user)))
}

/// Referrals in every state, raised by the demo director and teacher over the last four weeks
/// and moved on by the office and three member units' officers through the same rules as the
/// API, each step on the day it happened: three waiting for the office (one raised this morning
/// from the visit that found a concern, one overdue, one a unit returned), two with units and
/// not yet taken (one overdue), one in progress with two units, one resolved and waiting for
/// the office's confirmation, two closed after a unit's work, one answered by the office and
/// one declined. Every story is made up.
async fn referrals(
    state: &AppState,
    children: &[ChildItem],
    villages: &[String],
    concern: Option<(String, String)>,
    crisis: Option<String>,
) -> Result<(), AppError> {
    use shared::referrals::{
        OfficeReview, PartRequest, RaiseReferral, ReferralCategory, ReferralSource, SourceKind,
        Triage, UnitAction, Urgency,
    };

    fn ask(
        child: &ChildItem,
        kind: SourceKind,
        id: Option<String>,
        category: ReferralCategory,
        urgency: Urgency,
        found: &str,
        asked: &str,
    ) -> RaiseReferral {
        RaiseReferral {
            child_id: child.id.clone(),
            source: ReferralSource { kind, id },
            category,
            urgency,
            found: found.into(),
            asked: asked.into(),
        }
    }

    fn assign(version: u64, parts: &[(&str, &str)]) -> Triage {
        Triage::Assign {
            version,
            parts: parts
                .iter()
                .map(|(unit, task)| PartRequest {
                    unit: (*unit).into(),
                    task: (*task).into(),
                })
                .collect(),
            resolve_by: None,
        }
    }

    let (Some(office), Some(director), Some(teacher), Some(police), Some(civil), Some(schools)) = (
        demo_user(state, "admin").await?,
        demo_user(state, "director.demo").await?,
        demo_user(state, "teacher.demo").await?,
        demo_user(state, "officer.demo").await?,
        demo_user(state, "officer.civil").await?,
        demo_user(state, "officer.edu").await?,
    ) else {
        return Ok(());
    };
    const POLICE: &str = "区公安分局";
    const CIVIL: &str = "区民政局";
    const EDUCATION: &str = "区教育局";
    let now = state.clock.now();
    let today = crate::registry::today(state);
    // The state as of `hour` o'clock in Beijing `ago` days back: each step happens then.
    let on = |ago: i64, hour: u32| {
        let mut then = state.clone();
        then.clock =
            crate::clock::Clock::fixed(at_beijing(today - chrono::Duration::days(ago), hour, now));
        then
    };
    let pupils = case_pupils(children);
    let (Some(pupil), Some(crisis_pupil)) = (pupils.first().copied(), pupils.get(1).copied())
    else {
        return Ok(());
    };
    let concern_child = concern.as_ref().map(|(_, child)| child.as_str());
    let mine: Vec<&ChildItem> = children
        .iter()
        .filter(|c| villages.contains(&c.child.residence_village))
        .filter(|c| Some(c.id.as_str()) != concern_child)
        .filter(|c| !pupils.iter().any(|p| p.id == c.id))
        .collect();
    if mine.len() < 8 {
        return Ok(());
    }
    use crate::referrals::{raise, review, triage, unit_action};

    // Raised this morning from the visit that found a concern: waiting for the office.
    let (from_visit, visit_child) = match &concern {
        Some((visit, child)) => (
            Some(visit.clone()),
            children.iter().find(|c| &c.id == child).unwrap_or(mine[7]),
        ),
        None => (None, mine[7]),
    };
    raise(
        &on(0, 9),
        &director,
        &ask(
            visit_child,
            if from_visit.is_some() {
                SourceKind::Visit
            } else {
                SourceKind::Direct
            },
            from_visit,
            ReferralCategory::Guardianship,
            Urgency::Urgent,
            "走访发现:奶奶生病住院,孩子放学后常独自在家,家中电线老化。(虚构示例)",
            "请协调落实临时照护,并请相关部门上门检查家中用电安全。(虚构示例)",
        ),
        None,
    )
    .await?;

    // Raised by the teacher from the case group six days ago; the office has not answered:
    // overdue.
    raise(
        &on(6, 15),
        &teacher,
        &ask(
            pupil,
            SourceKind::CaseGroup,
            None,
            ReferralCategory::Schooling,
            Urgency::Normal,
            "近一个月多次迟到早退,作业经常未完成,祖母说管不住。(虚构示例)",
            "请协助联系在外务工的父母,商量孩子的学习和照护安排。(虚构示例)",
        ),
        None,
    )
    .await?;

    // Sent to education, which returned it: back with the office.
    let returned = raise(
        &on(3, 10),
        &director,
        &ask(
            mine[0],
            SourceKind::Direct,
            None,
            ReferralCategory::Schooling,
            Urgency::Normal,
            "开学两周未到校,家人说孩子随父母去了外地。(虚构示例)",
            "请核实孩子是否在外地入学,避免辍学。(虚构示例)",
        ),
        None,
    )
    .await?;
    let returned = triage(
        &on(3, 14),
        &office,
        &returned.id,
        &assign(
            returned.version,
            &[(EDUCATION, "联系学校和家长,核实孩子的就学情况。")],
        ),
        None,
    )
    .await?;
    unit_action(
        &on(2, 9),
        &schools,
        &returned.id,
        &UnitAction::Return {
            version: returned.version,
            reason: "孩子已随父母在外省入学,不属本区学校,请未保办与当地联系。(虚构示例)".into(),
        },
        None,
    )
    .await?;

    // With two units, neither has taken it yet.
    let waiting = raise(
        &on(2, 11),
        &director,
        &ask(
            mine[1],
            SourceKind::Direct,
            None,
            ReferralCategory::Financial,
            Urgency::Normal,
            "父亲工伤在家休养,家里没有收入,孩子的午餐费欠了两个月。(虚构示例)",
            "请核实家庭经济状况,落实临时救助和教育资助。(虚构示例)",
        ),
        None,
    )
    .await?;
    triage(
        &on(2, 15),
        &office,
        &waiting.id,
        &assign(
            waiting.version,
            &[
                (CIVIL, "核实家庭经济状况,符合条件的纳入临时救助。"),
                (EDUCATION, "落实学生资助政策,减免午餐费。"),
            ],
        ),
        None,
    )
    .await?;

    // Sent to the police nine days ago and not taken: overdue, at the top of their queue.
    let late = raise(
        &on(9, 10),
        &director,
        &ask(
            mine[2],
            SourceKind::Direct,
            None,
            ReferralCategory::Safety,
            Urgency::Normal,
            "孩子多次在镇上网吧逗留到深夜,网吧没有核验年龄。(虚构示例)",
            "请核查网吧接纳未成年人的情况,并提醒家长加强看护。(虚构示例)",
        ),
        None,
    )
    .await?;
    triage(
        &on(9, 15),
        &office,
        &late.id,
        &assign(
            late.version,
            &[(POLICE, "核查网吧接纳未成年人情况,依法处理。")],
        ),
        None,
    )
    .await?;

    // In progress with two units: both took their part and report progress.
    let busy = raise(
        &on(8, 16),
        &director,
        &ask(
            mine[3],
            SourceKind::Direct,
            None,
            ReferralCategory::Safety,
            Urgency::Urgent,
            "孩子说放学路上常被几个社会青年拦住要钱,不敢告诉老师。(虚构示例)",
            "请核实情况,加强放学时段的巡逻和护送。(虚构示例)",
        ),
        None,
    )
    .await?;
    let busy = triage(
        &on(8, 17),
        &office,
        &busy.id,
        &assign(
            busy.version,
            &[
                (POLICE, "核实情况,放学时段加强学校周边巡逻。"),
                (EDUCATION, "学校加强放学护送,开展防欺凌教育。"),
            ],
        ),
        None,
    )
    .await?;
    let busy = unit_action(
        &on(7, 9),
        &police,
        &busy.id,
        &UnitAction::Take {
            version: busy.version,
        },
        None,
    )
    .await?;
    let busy = unit_action(
        &on(7, 10),
        &schools,
        &busy.id,
        &UnitAction::Take {
            version: busy.version,
        },
        None,
    )
    .await?;
    let busy = unit_action(
        &on(6, 11),
        &schools,
        &busy.id,
        &UnitAction::Update {
            version: busy.version,
            text: "学校已安排老师放学时护送,并开了防欺凌主题班会。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    unit_action(
        &on(5, 16),
        &police,
        &busy.id,
        &UnitAction::Update {
            version: busy.version,
            text: "已查看周边监控,约谈相关青年及家长,放学时段安排民警巡逻。(虚构示例)".into(),
        },
        None,
    )
    .await?;

    // Resolved by education after the teacher's crisis flag: waiting for the office to confirm.
    let helped = raise(
        &on(12, 16),
        &teacher,
        &ask(
            crisis_pupil,
            SourceKind::Crisis,
            crisis,
            ReferralCategory::Psychological,
            Urgency::Urgent,
            "连续两天情绪低落,提到不想上学。(虚构示例)",
            "请安排专业心理评估和辅导,并给家人一些支持。(虚构示例)",
        ),
        None,
    )
    .await?;
    let helped = triage(
        &on(11, 9),
        &office,
        &helped.id,
        &assign(
            helped.version,
            &[(EDUCATION, "请区心理健康指导中心安排评估和辅导。")],
        ),
        None,
    )
    .await?;
    let helped = unit_action(
        &on(11, 10),
        &schools,
        &helped.id,
        &UnitAction::Take {
            version: helped.version,
        },
        None,
    )
    .await?;
    let helped = unit_action(
        &on(9, 15),
        &schools,
        &helped.id,
        &UnitAction::Update {
            version: helped.version,
            text: "心理老师已做两次辅导,孩子情绪有所好转。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    unit_action(
        &on(1, 16),
        &schools,
        &helped.id,
        &UnitAction::Resolve {
            version: helped.version,
            outcome: "评估完成:每两周辅导一次,班主任每周反馈情绪和出勤。(虚构示例)".into(),
        },
        None,
    )
    .await?;

    // Closed after civil affairs' work.
    let closed = raise(
        &on(20, 10),
        &director,
        &ask(
            mine[4],
            SourceKind::Direct,
            None,
            ReferralCategory::Guardianship,
            Urgency::Normal,
            "父母在外务工,委托照护的叔叔长期外出,孩子由邻居照看。(虚构示例)",
            "请协助明确委托照护人,落实监护责任。(虚构示例)",
        ),
        None,
    )
    .await?;
    let closed = triage(
        &on(19, 9),
        &office,
        &closed.id,
        &assign(
            closed.version,
            &[(CIVIL, "核实监护情况,指导父母落实委托照护。")],
        ),
        None,
    )
    .await?;
    let closed = unit_action(
        &on(19, 14),
        &civil,
        &closed.id,
        &UnitAction::Take {
            version: closed.version,
        },
        None,
    )
    .await?;
    let closed = unit_action(
        &on(15, 10),
        &civil,
        &closed.id,
        &UnitAction::Update {
            version: closed.version,
            text: "已入户,父母同意委托孩子的姑姑照护。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    let closed = unit_action(
        &on(12, 11),
        &civil,
        &closed.id,
        &UnitAction::Resolve {
            version: closed.version,
            outcome: "已签订委托照护协议,姑姑照护,纳入重点关注,每月回访。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    review(
        &on(11, 9),
        &office,
        &closed.id,
        &OfficeReview::Confirm {
            version: closed.version,
            note: "确认办结:委托照护已落实,村儿童主任每月回访。(虚构示例)".into(),
        },
        None,
    )
    .await?;

    // Closed after the police's work.
    let river = raise(
        &on(25, 10),
        &director,
        &ask(
            mine[5],
            SourceKind::Direct,
            None,
            ReferralCategory::Safety,
            Urgency::Urgent,
            "村口河道没有护栏,放学后常有孩子在河边玩水。(虚构示例)",
            "请设置警示标志,放学时段加强巡查。(虚构示例)",
        ),
        None,
    )
    .await?;
    let river = triage(
        &on(24, 9),
        &office,
        &river.id,
        &assign(
            river.version,
            &[(POLICE, "放学时段巡查河道,协调村委会设置警示标志。")],
        ),
        None,
    )
    .await?;
    let river = unit_action(
        &on(24, 11),
        &police,
        &river.id,
        &UnitAction::Take {
            version: river.version,
        },
        None,
    )
    .await?;
    let river = unit_action(
        &on(20, 15),
        &police,
        &river.id,
        &UnitAction::Resolve {
            version: river.version,
            outcome: "派出所放学时段巡查河道;村委会已设置警示牌和临时护栏。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    review(
        &on(19, 10),
        &office,
        &river.id,
        &OfficeReview::Confirm {
            version: river.version,
            note: "确认办结:警示牌和护栏已设置,暑假前再巡查一次。(虚构示例)".into(),
        },
        None,
    )
    .await?;

    // Answered by the office itself.
    let answered = raise(
        &on(15, 10),
        &director,
        &ask(
            mine[6],
            SourceKind::Direct,
            None,
            ReferralCategory::Financial,
            Urgency::Normal,
            "祖母看病花了不少钱,问有没有救助可以申请。(虚构示例)",
            "请告知可以申请的救助和办理地点。(虚构示例)",
        ),
        None,
    )
    .await?;
    triage(
        &on(14, 11),
        &office,
        &answered.id,
        &Triage::Answer {
            version: answered.version,
            text: "可申请临时救助和医疗救助,申请表在街道社会事务办领取;已电话告知祖母。(虚构示例)"
                .into(),
        },
        None,
    )
    .await?;

    // Declined: not for referral.
    let declined = raise(
        &on(10, 14),
        &teacher,
        &ask(
            pupil,
            SourceKind::CaseGroup,
            None,
            ReferralCategory::Other,
            Urgency::Normal,
            "班上几个孩子家里几乎没有课外读物。(虚构示例)",
            "希望为孩子们购买一批课外读物。(虚构示例)",
        ),
        None,
    )
    .await?;
    triage(
        &on(9, 10),
        &office,
        &declined.id,
        &Triage::Decline {
            version: declined.version,
            reason: "不属于转介范围:可联系学校图书角或区图书馆流动书车。(虚构示例)".into(),
        },
        None,
    )
    .await?;
    Ok(())
}
