//! Export, then import into an empty registry: the same records, field by field.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::children::ChildInput;
use tests::{body, child_json, id_number, TestApp, OTHER_VILLAGE, VILLAGE};

use super::{create, upload, XLSX};

/// Children covering every parent situation, an entrusted guardian, a disabled and an ill
/// child, several income sources, kinds of assistance and difficulty groups, sign-off names,
/// four guardians, and a record without national details.
fn varied_children() -> Vec<Value> {
    let mut first = child_json("全表甲", VILLAGE, "2015-06-01");
    first["id_number"] = json!(id_number("20150601", 1));
    first["category"] = json!("in_difficulty");
    first["care_level"] = json!("focus");
    first["care_level_reason"] = json!("父亲去世,母亲外出");
    first["guardians"] = json!([
        {"name": "王奶奶", "relation": "祖母", "phone": "13800001111", "capacity": "capable"},
        {"name": "王爷爷", "relation": "祖父", "phone": "0577-86666258", "capacity": "seriously_ill"}
    ]);
    first["father"] = json!({
        "situation": {"kind": "deceased", "note": "2020 年病故"},
        "name": "全大", "birth_date": "1985-01-02", "id_number": id_number("19850102", 3)
    });
    first["mother"] = json!({
        "situation": {"kind": "working_away", "county_code": "440106", "since": "2023-03-01", "note": "在广州打工"},
        "phone": "13900002222", "name": "李二", "birth_date": "1988-05-12",
        "id_number": id_number("19880512", 4)
    });
    first["national"] = json!({
        "ethnicity": "22",
        "hukou_registered": false,
        "health": {"status": "disabled", "disability_category": "visual", "disability_grade": "second"},
        "schooling": "primary",
        "boarding": true,
        "entrusted_guardian": {"name": "王奶奶", "relation": "祖母", "phone": "13800001111",
                               "id_number": id_number("19600101", 2), "address": "示例路 2 号"},
        "guardianship_type": "parent_incapable",
        "income_sources": ["wages", "pension", "relatives"],
        "assistance": ["dibao", "medical_assistance", "other"],
        "assistance_other": "慈善助学",
        "difficulty_groups": ["disabled", "low_income_family"],
        "signoff": {"filled_by": "周填表", "checked_by": "吴复核", "responsible": "郑主任"}
    });

    let mut second = child_json("全表乙", VILLAGE, "2014-02-03");
    second["gender"] = json!("female");
    second["id_number"] = json!(id_number("20140203", 2));
    second["father"] =
        json!({"situation": {"kind": "missing", "since": "2022-08-01", "note": "联系不上"}});
    second["mother"] = json!({"situation": {"kind": "imprisoned", "note": "服刑至 2028 年"}});
    second["national"] = json!({
        "ethnicity": "01",
        "health": {"status": "ill", "illness": "哮喘"},
        "guardianship_type": "unattended",
        "income_sources": ["farming"],
        "difficulty_groups": ["prisoners_child", "seriously_ill"],
        "signoff": {"filled_by": "周填表"}
    });

    let mut third = child_json("全表丙", OTHER_VILLAGE, "2016-09-09");
    third["care_level"] = json!("urgent");
    third["care_level_reason"] = json!("母亲卧床");
    third["father"] = json!({"situation": {"kind": "drug_rehabilitation"}});
    third["mother"] = json!({
        "situation": {"kind": "at_home", "capacity": "other_inability", "note": "长期卧床"},
        "phone": "13900003333"
    });
    third["guardians"] = json!([
        {"name": "赵奶奶", "relation": "祖母", "phone": "13800002221", "capacity": "capable"},
        {"name": "赵爷爷", "relation": "祖父", "phone": "13800002222", "capacity": "severely_disabled"},
        {"name": "赵姑姑", "relation": "姑姑", "phone": "13800002223", "capacity": "capable"},
        {"name": "赵叔叔", "relation": "叔叔", "phone": "13800002224", "capacity": "other_inability"}
    ]);
    third["national"] = json!({"schooling": "kindergarten", "boarding": false});

    let mut fourth = child_json("全表丁", OTHER_VILLAGE, "2013-12-12");
    fourth["father"] = json!({"situation": {"kind": "at_home", "capacity": "capable"}});
    fourth["mother"] = json!({"situation": {"kind": "missing"}});
    fourth["guardians"] = json!([]);
    fourth["interests"] = json!("");

    let mut fifth = child_json("全表戊", VILLAGE, "2015-05-05");
    fifth["father"]["situation"]["county_code"] = json!("110105");
    fifth["national"] = json!({"hukou_registered": true, "health": {"status": "healthy"}});

    vec![first, second, third, fourth, fifth]
}

/// Every child of a registry by name and date of birth (ids differ between registries).
async fn registry(app: &TestApp) -> BTreeMap<(String, String), ChildInput> {
    app.server
        .state
        .store
        .all_children()
        .await
        .expect("the store answers")
        .into_iter()
        .map(|item| {
            let key = (item.child.name.clone(), item.child.birth_date.to_string());
            (key, item.child)
        })
        .collect()
}

/// Field by field, so that a difference names the field.
fn assert_same(path: &str, before: &Value, after: &Value) {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => {
            let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
            fields.sort();
            fields.dedup();
            for field in fields {
                assert_same(
                    &format!("{path}.{field}"),
                    before.get(field).unwrap_or(&Value::Null),
                    after.get(field).unwrap_or(&Value::Null),
                );
            }
        }
        _ => assert_eq!(before, after, "{path}"),
    }
}

#[tokio::test]
async fn export_then_import_into_an_empty_registry_gives_the_same_records() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for child in varied_children() {
        create(&admin, child).await;
    }
    let original = registry(&app).await;
    assert_eq!(original.len(), 5);
    let first = &original[&("全表甲".to_string(), "2015-06-01".to_string())];
    assert!(
        first.national.entrusted_guardian.is_some(),
        "the details were kept"
    );
    assert_eq!(first.national.assistance.len(), 3);
    assert_eq!(first.guardians.len(), 2);

    for (format, content_type) in [("xlsx", XLSX), ("csv", "text/csv")] {
        let export = admin
            .get(&format!("/api/children/export?format={format}"))
            .await;
        assert_eq!(export.status(), StatusCode::OK);
        let file = export.bytes().await.unwrap().to_vec();

        let fresh = TestApp::spawn().await;
        let fresh_admin = fresh.admin().await;
        let response = upload(&fresh_admin, content_type, file).await;
        let status = response.status();
        let report = body(response).await;
        assert_eq!(status, StatusCode::OK, "{format}: {report}");
        assert_eq!(report["imported"], 5, "{format}: {report}");
        assert_eq!(report["possible_duplicates"], json!([]), "{format}");

        let imported = registry(&fresh).await;
        assert_eq!(
            imported.keys().collect::<Vec<_>>(),
            original.keys().collect::<Vec<_>>(),
            "{format}"
        );
        for (key, before) in &original {
            let after = &imported[key];
            assert_same(
                &format!("{format} {}", key.0),
                &serde_json::to_value(before).unwrap(),
                &serde_json::to_value(after).unwrap(),
            );
            assert_eq!(before, after, "{format}: {}", key.0);
        }
    }
}
