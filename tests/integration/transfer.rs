//! Import (all-or-nothing, row-by-row errors) and export of the registry.

use reqwest::StatusCode;
use serde_json::Value;
use tests::{body, Client, TestApp, VILLAGE};

const HEADER: &str = "姓名,性别,出生日期,身份证号,户籍县区代码,户籍村社区代码,常住村社区代码,详细地址,学校,班级,类别,关爱等级,父亲情况,父亲务工县区代码,父亲外出日期,父亲监护能力,父亲说明,父亲电话,母亲情况,母亲务工县区代码,母亲外出日期,母亲监护能力,母亲说明,母亲电话,监护人姓名,监护人关系,监护人电话,监护人监护能力,兴趣爱好";

fn row(name: &str, birth: &str) -> String {
    format!("{name},女,{birth},,330303,{VILLAGE},{VILLAGE},示例路 1 号,示例小学,三(1)班,留守儿童,常规,外出务工,440106,2024-02-20,,,,外出务工,330381,2024-02-20,,,,张奶奶,祖母,13800000000,有监护能力,唱歌")
}

async fn upload(client: &Client, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
    client
        .post_raw("/api/children/import", content_type, bytes)
        .await
}

async fn count(admin: &Client) -> usize {
    let mut total = 0;
    let mut cursor = String::new();
    loop {
        let page = body(admin.get(&format!("/api/children{cursor}")).await).await;
        total += page["items"].as_array().unwrap().len();
        match page["next"].as_str() {
            Some(next) => cursor = format!("?cursor={next}"),
            None => return total,
        }
    }
}

#[tokio::test]
async fn a_large_file_with_a_bad_last_row_writes_nothing_and_names_the_row() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut lines = vec![HEADER.to_string()];
    for i in 0..2000 {
        lines.push(row(&format!("导入{i:04}"), "2015-05-05"));
    }
    lines.push(row("坏行", "2015-02-30"));
    let response = upload(&admin, "text/csv", lines.join("\n").into_bytes()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(response).await;
    assert_eq!(error["rows"][0]["row"], 2002);
    assert_eq!(error["rows"][0]["column"], "出生日期");
    assert_eq!(count(&admin).await, 0, "nothing was written");

    lines.pop();
    let response = upload(&admin, "text/csv", lines.join("\n").into_bytes()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report = body(response).await;
    assert_eq!(report["imported"], 2000);
    assert_eq!(count(&admin).await, 2000);
}

#[tokio::test]
async fn every_row_error_is_listed_with_its_column() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut bad_phone = row("甲", "2015-05-05");
    bad_phone = bad_phone.replace("13800000000", "12345");
    let mut bad_village = row("乙", "2015-05-05");
    bad_village = bad_village.replacen(
        &format!(",{VILLAGE},{VILLAGE},"),
        &format!(",{VILLAGE},330303999999,"),
        1,
    );
    let text = [
        HEADER.to_string(),
        row("丙", "2015-05-05"),
        bad_phone,
        bad_village,
    ]
    .join("\n");
    let error = body(upload(&admin, "text/csv", text.into_bytes()).await).await;
    let rows: Vec<(u64, &str)> = error["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "监护人电话"), (4, "常住村社区代码")]);
    assert!(!error["rows"][0]["message_en"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn templates_round_trip_and_exports_are_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for format in ["csv", "xlsx"] {
        let template = admin
            .get(&format!("/api/children/import-template?format={format}"))
            .await;
        assert_eq!(template.status(), StatusCode::OK);
        let content_type = template.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let bytes = template.bytes().await.unwrap().to_vec();
        let imported = upload(&admin, &content_type, bytes).await;
        let report: Value = body(imported).await;
        assert_eq!(report["imported"], 1, "{format}: {report}");
    }
    // The second import of the same example row is flagged as a possible duplicate.
    let export = admin.get("/api/children/export?format=csv").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("children-"));
    let text = export.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), 3);
    assert!(text.contains("张小雨"));
    let xlsx = admin.get("/api/children/export?format=xlsx").await;
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    let log = body(admin.get("/api/audit").await).await;
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "children_exported"));

    let gbk = encoding_to_gbk(&[HEADER.to_string(), row("黄", "2015-05-05")].join("\n"));
    let report = body(upload(&admin, "text/csv", gbk).await).await;
    assert_eq!(report["imported"], 1, "GBK CSV from Excel: {report}");
    let not_a_sheet = upload(&admin, "application/pdf", b"%PDF".to_vec()).await;
    assert_eq!(not_a_sheet.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = upload(
        &admin,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"not a zip".to_vec(),
    )
    .await;
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

fn encoding_to_gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}
