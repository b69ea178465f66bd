//! Fictional demo data, so a newcomer can try every screen at once: one user per role and
//! children spread over Longwan's real streets and villages, eligible and not. Every name,
//! number and story here is made up.

use chrono::{Months, NaiveDate};
use shared::api::UserStatus;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, MonitoringStatus, Parent,
    Registration,
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
        2 => (home(Capacity::SeverelyDisabled), away(FAR[3], 20)),
        3 => (away(LUCHENG, 24), home(Capacity::Capable)),
        4 => (away(FAR[0], 3), away(FAR[0], 3)),
        5 => (away(FAR[1], 40), home(Capacity::OtherInability)),
        _ => (away(FAR[3], 9), home(Capacity::Capable)),
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
            category: if i % 9 == 8 {
                Category::InDifficulty
            } else {
                Category::LeftBehind
            },
            care_level: match i % 11 {
                0 => CareLevel::Urgent,
                1..=3 => CareLevel::Focus,
                _ => CareLevel::Routine,
            },
            care_level_reason: "首次登记 First registration".into(),
            guardians: vec![Guardian {
                name: format!("{}奶奶", SURNAMES[i % SURNAMES.len()]),
                relation: "祖母".into(),
                phone: format!("1380577{:04}", 1000 + i),
                capacity: Capacity::Capable,
            }],
            father: Parent {
                situation: father,
                phone: Some(format!("1390577{:04}", 2000 + i)),
            },
            mother: Parent {
                situation: mother,
                phone: None,
            },
            interests: ["画画", "足球", "唱歌", "阅读", "跳绳"][i % 5].into(),
        };
        let child = child.validate(today).map_err(AppError::Invalid)?;
        children.push(ChildItem {
            id: ulid::Ulid::new().to_string(),
            version: 1,
            eligibility: child.eligibility(today, &core),
            care_level_history: vec![shared::children::CareLevelChange {
                level: child.care_level,
                reason: "示例数据 Demo data".into(),
                by: "未保办管理员".into(),
                at: now,
            }],
            child,
            status: MonitoringStatus::Monitored,
            exit: None,
            duplicates: Vec::new(),
            created_at: now,
            created_by: "demo".into(),
            updated_at: now,
            updated_by: "demo".into(),
        });
    }
    state.store.put_children_batch(&children).await?;
    events(state, &director_villages).await?;
    cases(state, &children).await?;
    pairings(state, &children).await?;
    Ok(created)
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
async fn cases(state: &AppState, children: &[ChildItem]) -> Result<(), AppError> {
    use shared::cases::{
        CreateCaseRequest, CrisisKind, Goal, GoalStatus, NoteKind, NoteRequest, PlanInput,
        RaiseCrisisRequest, SavePlanRequest,
    };
    let Some(teacher) = state.store.find_user_by_username("teacher.demo").await? else {
        return Ok(());
    };
    let teacher_id = teacher.id.clone();
    let teacher = acting_as(state, &teacher);
    let today = crate::registry::today(state);
    let pupils: Vec<&ChildItem> = children
        .iter()
        .filter(|c| c.child.school == SCHOOLS[0])
        .take(2)
        .collect();
    for (i, child) in pupils.into_iter().enumerate() {
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
            crate::cases::raise_crisis(state, &teacher, &child.id, &crisis, None).await?;
        }
    }
    Ok(())
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
