//! The per-village roster (花名册).

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::json;
use tests::{body, child_json, id_number, TestApp, OTHER_VILLAGE, VILLAGE};

use super::{create, XLSX};

/// The cells of a sheet below its header row, by header.
fn sheet_rows(sheet: &[Vec<String>]) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = sheet.split_first().expect("a header row");
    rows.iter()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.iter().cloned().chain(std::iter::repeat(String::new())))
                .collect()
        })
        .collect()
}

/// Full years on `on` as eligibility counts them: a year is full the day after the birthday.
fn age(birth: chrono::NaiveDate, on: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) <= (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

#[tokio::test]
async fn the_roster_has_a_sheet_per_village_with_its_monitored_children_by_name() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut second = child_json("王二", VILLAGE, "2014-02-03");
    second["gender"] = json!("female");
    second["id_number"] = json!(id_number("20140203", 2));
    second["national"] = json!({
        "ethnicity": "22",
        "guardianship_type": "good",
        "entrusted_guardian": {"name": "王外婆", "relation": "外祖母", "phone": "13800005555"}
    });
    create(&admin, second).await;
    create(&admin, child_json("王一", VILLAGE, "2015-06-01")).await;
    let leaving = create(&admin, child_json("王三", VILLAGE, "2016-01-01")).await;
    let exited = admin
        .post(
            &format!("/api/children/{}/exit", leaving["id"].as_str().unwrap()),
            &json!({"version": 1, "reason": "随父母迁出"}),
        )
        .await;
    assert_eq!(exited.status(), StatusCode::OK);
    let mut elsewhere = child_json("李四", OTHER_VILLAGE, "2013-12-12");
    elsewhere["father"] = json!({"situation": {"kind": "deceased"}});
    create(&admin, elsewhere).await;

    let response = admin.get("/api/children/roster?format=xlsx").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], XLSX);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("roster-"));
    let bytes = response.bytes().await.unwrap().to_vec();
    let sheets = api::registry::transfer::read_workbook(&bytes).expect("an XLSX file");
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    let village_name = shared::divisions::village_name(VILLAGE).unwrap();
    let other_name = shared::divisions::village_name(OTHER_VILLAGE).unwrap();
    assert_eq!(names, [village_name, other_name]);

    let header: Vec<&str> = sheets[0].1[0].iter().map(String::as_str).collect();
    assert_eq!(header, api::registry::transfer::ROSTER_HEADERS);
    let rows = sheet_rows(&sheets[0].1);
    let listed: Vec<&str> = rows.iter().map(|row| row["姓名"].as_str()).collect();
    assert_eq!(
        listed,
        ["王一", "王二"],
        "by name, without the child who left"
    );
    let today = shared::time::beijing_date(chrono::Utc::now());
    let wang_er = &rows[1];
    assert_eq!(wang_er["序号"], "2");
    assert_eq!(wang_er["性别"], "女");
    assert_eq!(wang_er["民族"], "畲族");
    assert_eq!(wang_er["出生日期"], "2014-02-03");
    let born = chrono::NaiveDate::from_ymd_opt(2014, 2, 3).unwrap();
    assert_eq!(wang_er["年龄"], age(born, today).to_string());
    assert_eq!(wang_er["身份证号"], id_number("20140203", 2), "in full");
    assert_eq!(wang_er["就读学校"], "龙湾区永中第一小学");
    assert_eq!(wang_er["班级"], "四(1)班");
    assert_eq!(wang_er["监护类型"], "较好");
    assert_eq!(wang_er["父亲状况"], "外出务工");
    assert_eq!(wang_er["委托监护人"], "王外婆(外祖母)");
    assert_eq!(wang_er["联系电话"], "13800005555");
    assert_eq!(wang_er["关爱等级"], "常规关注");
    // Without an entrusted guardian, the guardian living with the child.
    assert_eq!(rows[0]["委托监护人"], "王奶奶(祖母)");
    let other = sheet_rows(&sheets[1].1);
    assert_eq!(other.len(), 1);
    assert_eq!(other[0]["父亲状况"], "死亡");

    // One village: its sheet alone.
    let one = admin
        .get(&format!(
            "/api/children/roster?format=xlsx&village={OTHER_VILLAGE}"
        ))
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    let bytes = one.bytes().await.unwrap().to_vec();
    let sheets = api::registry::transfer::read_workbook(&bytes).expect("an XLSX file");
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].0, other_name);
    assert_eq!(sheet_rows(&sheets[0].1).len(), 1);

    let log = body(admin.get("/api/audit").await).await;
    let rosters = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"] == "children_roster_exported"
                && e["detail"].as_str().is_some_and(|d| d.contains("roster"))
        })
        .count();
    assert_eq!(rosters, 2, "each download is audited");
}

#[tokio::test]
async fn the_roster_is_for_admins_and_refuses_an_unknown_village() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let unknown = admin
        .get("/api/children/roster?format=xlsx&village=330303999999")
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let error = body(unknown).await;
    assert_eq!(error["fields"][0]["field"], "village");
    assert!(!error["fields"][0]["message"].as_str().unwrap().is_empty());
    assert!(!error["fields"][0]["message_en"]
        .as_str()
        .unwrap()
        .is_empty());
    let csv = admin.get("/api/children/roster?format=csv").await;
    assert_eq!(csv.status(), StatusCode::BAD_REQUEST);
    // An empty registry still gives a workbook, with the headers.
    let empty = admin.get("/api/children/roster").await;
    assert_eq!(empty.status(), StatusCode::OK);
    let bytes = empty.bytes().await.unwrap().to_vec();
    let sheets = api::registry::transfer::read_workbook(&bytes).expect("an XLSX file");
    assert_eq!(sheets.len(), 1);

    let director = app.user(&admin, "director.roster", "director").await;
    let refused = director.get("/api/children/roster?format=xlsx").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
