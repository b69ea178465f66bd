//! Longwan District's streets and villages (GB/T 2260 codes, from the `china-division` package,
//! MIT — see `data/divisions/LICENSE`). Compiled in, so the browser and the API agree on them.

const STREETS_CSV: &str = include_str!("../data/divisions/streets-330303.csv");
const VILLAGES_CSV: &str = include_str!("../data/divisions/villages-330303.csv");

/// The district this deployment serves (Longwan, Wenzhou).
pub const DISTRICT_CODE: &str = "330303";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
    pub parent: &'static str,
}

fn rows(csv: &'static str) -> impl Iterator<Item = Division> {
    csv.lines().skip(1).filter_map(|line| {
        let mut cols = line.split(',');
        let code = cols.next()?;
        let name = cols.next()?.trim_matches('"');
        let parent = cols.next()?;
        Some(Division { code, name, parent })
    })
}

pub fn streets() -> impl Iterator<Item = Division> {
    rows(STREETS_CSV)
}

pub fn villages() -> impl Iterator<Item = Division> {
    rows(VILLAGES_CSV)
}

pub fn village_name(code: &str) -> Option<&'static str> {
    villages().find(|v| v.code == code).map(|v| v.name)
}

pub fn is_village(code: &str) -> bool {
    villages().any(|v| v.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longwan_has_streets_and_villages() {
        assert!(streets().count() >= 10);
        assert!(villages().count() >= 100);
        assert_eq!(village_name("330303001004"), Some("永上居委会"));
        assert!(villages().all(|v| v.code.starts_with(DISTRICT_CODE) && v.code.len() == 12));
        assert!(!is_village("330303999999"));
    }
}
