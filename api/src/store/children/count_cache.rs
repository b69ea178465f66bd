//! Recently counted registry totals. A list page states its total ("共 312 条"), and counting
//! means reading every index entry of the list: with 10,000 children that is over a second a
//! page. A total is display, never a decision, so one counted in the last few seconds is shown
//! again — unless a child was written through this store since, which starts a new generation.
//! On Lambda each instance keeps its own; another instance's save shows within `FRESH`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FRESH: Duration = Duration::from_secs(5);
/// Distinct lists remembered at once (filters × villages); past it the memory starts over.
const MAX_ENTRIES: usize = 1024;

#[derive(Default)]
pub struct CountCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (u64, Instant, u64)>>,
    /// One count at a time: a burst of pages asking the same total waits for the first to
    /// count it rather than each reading the whole list.
    counting: tokio::sync::Mutex<()>,
}

impl CountCache {
    /// A child is being written: every remembered total may be wrong.
    pub fn child_written(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The generation to count under: read before counting, so a write during the count makes
    /// the result stale at once.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Held while counting (see `counting`); check `get` again once it is yours.
    pub async fn counting(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.counting.lock().await
    }

    pub fn get(&self, key: &str) -> Option<u64> {
        let entries = self.entries.lock().ok()?;
        let (generation, at, total) = entries.get(key)?;
        (*generation == self.generation() && at.elapsed() < FRESH).then_some(*total)
    }

    pub fn put(&self, key: String, generation: u64, total: u64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (generation, Instant::now(), total));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_makes_every_remembered_total_stale() {
        let cache = CountCache::default();
        let generation = cache.generation();
        cache.put("district".into(), generation, 7);
        assert_eq!(cache.get("district"), Some(7));
        cache.child_written();
        assert_eq!(cache.get("district"), None);
        // Counted before a write that landed during the count: stale too.
        let before = cache.generation();
        cache.child_written();
        cache.put("village".into(), before, 3);
        assert_eq!(cache.get("village"), None);
    }
}
