//! The engine on a data file, plain or encrypted (SQLCipher: the `encryption` build, where the
//! file always has a key): child-sized writes, consistent reads and a backup, measured the same
//! way on both builds, so that the cost of encryption is the difference of two runs
//! (`docs/encryption.md`). `SHOUWANG_BENCH=disk` runs this alone.

use std::time::Instant;

use api::store::embedded::{EmbeddedEngine, EngineFile};
use aws_sdk_dynamodb::types::AttributeValue;
use futures::future::join_all;
use serde_json::{json, Value};

const ITEMS: usize = 2_000;
const TABLE: &str = "shouwang";

fn key_of(i: usize) -> [(&'static str, AttributeValue); 2] {
    [
        ("PK", AttributeValue::S(format!("BENCH#{i:05}"))),
        ("SK", AttributeValue::S("PROFILE".into())),
    ]
}

pub async fn disk_engine() -> Value {
    let dir = tempfile::tempdir().expect("dir");
    let file = api::backup::data_file(dir.path());
    #[cfg(feature = "encryption")]
    let key = Some(api::config::DataKey::generate());
    #[cfg(not(feature = "encryption"))]
    let key: Option<api::config::DataKey> = None;
    let engine = EmbeddedEngine::start(EngineFile::on_disk(&file, key.as_ref()))
        .await
        .expect("engine");
    engine.store(TABLE).await.expect("table");
    let client = engine.client();
    // About a child record's size: 1.5 kB of text.
    let body = "某".repeat(500);

    let started = Instant::now();
    for chunk in (0..ITEMS).collect::<Vec<_>>().chunks(16) {
        join_all(chunk.iter().map(|&i| {
            let mut put = client.put_item().table_name(TABLE);
            for (name, value) in key_of(i) {
                put = put.item(name, value);
            }
            put.item("body", AttributeValue::S(body.clone())).send()
        }))
        .await
        .into_iter()
        .for_each(|result| {
            result.expect("put");
        });
    }
    let writes = ITEMS as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    for chunk in (0..ITEMS).collect::<Vec<_>>().chunks(16) {
        join_all(chunk.iter().map(|&i| {
            let mut get = client.get_item().table_name(TABLE).consistent_read(true);
            for (name, value) in key_of(i) {
                get = get.key(name, value);
            }
            get.send()
        }))
        .await
        .into_iter()
        .for_each(|result| {
            result.expect("get");
        });
    }
    let reads = ITEMS as f64 / started.elapsed().as_secs_f64();

    let copy = dir.path().join("copy.db");
    let started = Instant::now();
    let bytes = api::backup::backup_with_key(dir.path(), &copy, key.as_ref())
        .await
        .expect("backup");
    let backup_ms = started.elapsed().as_secs_f64() * 1000.0;
    drop(client);
    engine.stop().await;
    json!({
        "build": if cfg!(feature = "encryption") { "encrypted (SQLCipher)" } else { "plain SQLite" },
        "items": ITEMS,
        "writes_per_s": writes,
        "consistent_reads_per_s": reads,
        "backup_ms": backup_ms,
        "file_kb": bytes as f64 / 1024.0,
    })
}
