//! Import (all-or-nothing, row-by-row errors) and export of the registry in the national
//! registration form's layout; the round trip through an empty registry (`round_trip`) and the
//! per-village roster (`roster`).

mod roster;
mod round_trip;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, Client, TestApp, VILLAGE};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn headers() -> Vec<&'static str> {
    api::registry::transfer::headers()
}

fn header_line() -> String {
    headers().join(",")
}

/// A CSV line of the layout with these cells filled (a later one wins), the rest empty.
fn line(cells: &[(&str, &str)]) -> String {
    let headers = headers();
    let mut row = vec![String::new(); headers.len()];
    for (header, value) in cells {
        let at = headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header}"));
        row[at] = value.to_string();
    }
    row.join(",")
}

fn row_with(name: &str, birth: &str, changes: &[(&str, &str)]) -> String {
    let mut cells = vec![
        ("姓名", name),
        ("性别", "女"),
        ("出生日期", birth),
        ("户籍所在县(区)代码", "330303"),
        ("户籍所在村(社区)代码", VILLAGE),
        ("常住村社区代码", VILLAGE),
        ("详细地址", "示例路 1 号"),
        ("学校", "示例小学"),
        ("班级", "三(1)班"),
        ("类别", "留守儿童"),
        ("关爱等级", "常规关注"),
        ("父亲状况", "外出务工"),
        ("父亲务工县区代码", "440106"),
        ("父亲外出时间", "2024-02-20"),
        ("母亲状况", "外出务工"),
        ("母亲务工县区代码", "330381"),
        ("母亲外出时间", "2024-02-20"),
        ("共同生活监护人姓名", "张奶奶"),
        ("共同生活监护人关系", "祖母"),
        ("共同生活监护人电话", "13800000000"),
        ("共同生活监护人监护能力", "有监护能力"),
        ("兴趣爱好", "唱歌"),
    ];
    cells.extend_from_slice(changes);
    line(&cells)
}

fn row(name: &str, birth: &str) -> String {
    row_with(name, birth, &[])
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
    let mut lines = vec![header_line()];
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
    let bad_phone = row_with("甲", "2015-05-05", &[("共同生活监护人电话", "12345")]);
    let bad_village = row_with("乙", "2015-05-05", &[("常住村社区代码", "330303999999")]);
    let bad_national = row_with(
        "丁",
        "2015-05-05",
        &[
            ("民族", "火星族"),
            ("父亲状况", "出走"),
            ("享受救助情况", "低保、彩票"),
        ],
    );
    let text = [
        header_line(),
        row("丙", "2015-05-05"),
        bad_phone,
        bad_village,
        bad_national,
    ]
    .join("\n");
    let error = body(upload(&admin, "text/csv", text.into_bytes()).await).await;
    let rows: Vec<(u64, &str)> = error["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            (3, "共同生活监护人电话"),
            (4, "常住村社区代码"),
            (5, "父亲状况"),
            (5, "民族"),
            (5, "享受救助情况"),
        ]
    );
    for problem in error["rows"].as_array().unwrap() {
        assert!(!problem["message"].as_str().unwrap().is_empty());
        assert!(!problem["message_en"].as_str().unwrap().is_empty());
    }
    assert_eq!(count(&admin).await, 0);
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
    // The national form's columns come first, in the form's order.
    let first_line = text.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(
        first_line.starts_with(
            "序号,姓名,性别,民族,出生日期,身份证号,是否登记户口,户籍所在县(区)代码,\
             户籍所在村(社区)代码,现居住地址,健康状况,残疾类别,残疾等级,患病类型,就学情况,是否寄宿,\
             父亲姓名,父亲出生日期,父亲身份证号,父亲状况,父亲务工地省份,父亲务工地市,父亲务工县区代码,\
             父亲外出时间,父亲联系电话,母亲姓名"
        ),
        "{first_line}"
    );
    assert!(first_line.contains(",委托监护人姓名,委托监护人与儿童关系,委托监护人联系电话,"));
    assert!(first_line.contains(",监护类型,家庭收入来源,享受救助情况,其他救助说明,困境儿童类别,填表人,复核人,单位负责人,常住村社区代码,"));
    // The place of work in words, from the county code.
    assert!(text.contains(",广东省,广州市,440106,"), "{text}");
    let xlsx = admin.get("/api/children/export?format=xlsx").await;
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    let log = body(admin.get("/api/audit").await).await;
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "children_exported"));

    let gbk = encoding_to_gbk(&[header_line(), row("黄", "2015-05-05")].join("\n"));
    let report = body(upload(&admin, "text/csv", gbk).await).await;
    assert_eq!(report["imported"], 1, "GBK CSV from Excel: {report}");
    let not_a_sheet = upload(&admin, "application/pdf", b"%PDF".to_vec()).await;
    assert_eq!(not_a_sheet.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = upload(&admin, XLSX, b"not a zip".to_vec()).await;
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

fn encoding_to_gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

async fn create(client: &Client, child: Value) -> Value {
    let response = client.post("/api/children", &json!({"child": child})).await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record
}
