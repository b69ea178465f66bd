//! Longwan District's streets and villages (GB/T 2260 codes, from the `china-division` package,
//! MIT — see `data/divisions/LICENSE`). Compiled in, so the browser and the API agree on them.

use std::sync::OnceLock;

const PROVINCES_CSV: &str = include_str!("../data/divisions/provinces.csv");
const CITIES_CSV: &str = include_str!("../data/divisions/cities.csv");
const COUNTIES_CSV: &str = include_str!("../data/divisions/areas.csv");
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

pub fn provinces() -> impl Iterator<Item = Division> {
    PROVINCES_CSV.lines().skip(1).filter_map(|line| {
        let (code, name) = line.split_once(',')?;
        Some(Division {
            code,
            name: name.trim_matches('"'),
            parent: "",
        })
    })
}

pub fn cities() -> impl Iterator<Item = Division> {
    rows(CITIES_CSV)
}

/// County-level divisions (districts, counties, county-level cities), e.g. 330303 龙湾区.
pub fn counties() -> impl Iterator<Item = Division> {
    rows(COUNTIES_CSV)
}

fn sorted(
    cache: &'static OnceLock<Vec<Division>>,
    all: fn() -> Vec<Division>,
) -> &'static [Division] {
    cache.get_or_init(|| {
        let mut list = all();
        list.sort_by(|a, b| a.code.cmp(b.code));
        list
    })
}

fn find(list: &'static [Division], code: &str) -> Option<Division> {
    list.binary_search_by(|division| division.code.cmp(code))
        .ok()
        .map(|at| list[at].clone())
}

static COUNTIES: OnceLock<Vec<Division>> = OnceLock::new();
static VILLAGES: OnceLock<Vec<Division>> = OnceLock::new();

/// Looked up often (every imported row), so kept sorted once.
pub fn county(code: &str) -> Option<Division> {
    find(sorted(&COUNTIES, || counties().collect()), code)
}

pub fn city_name(code: &str) -> Option<&'static str> {
    cities()
        .find(|city| city.code == code)
        .map(|city| city.name)
}

pub fn province_name(code: &str) -> Option<&'static str> {
    provinces()
        .find(|province| province.code == code)
        .map(|province| province.name)
}

/// "浙江省温州市鹿城区" for a county code; the code itself when unknown.
pub fn county_full_name(code: &str) -> String {
    match county(code) {
        Some(county) => {
            let province = province_name(code.get(..2).unwrap_or_default()).unwrap_or_default();
            let city = city_name(county.parent).unwrap_or_default();
            let city = if city == "市辖区" || city == "县" {
                ""
            } else {
                city
            };
            format!("{province}{city}{}", county.name)
        }
        None => code.to_string(),
    }
}

pub fn street_of_village(village_code: &str) -> Option<Division> {
    let village = village(village_code)?;
    streets().find(|street| street.code == village.parent)
}

pub fn streets() -> impl Iterator<Item = Division> {
    rows(STREETS_CSV)
}

pub fn villages() -> impl Iterator<Item = Division> {
    rows(VILLAGES_CSV)
}

pub fn village(code: &str) -> Option<Division> {
    find(sorted(&VILLAGES, || villages().collect()), code)
}

pub fn village_name(code: &str) -> Option<&'static str> {
    village(code).map(|v| v.name)
}

pub fn is_village(code: &str) -> bool {
    village(code).is_some()
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
        assert_eq!(county("330302").unwrap().name, "鹿城区");
        assert_eq!(county_full_name("330303"), "浙江省温州市龙湾区");
        assert_eq!(county_full_name("110101"), "北京市东城区");
        assert_eq!(street_of_village("330303001004").unwrap().name, "永中街道");
    }
}
