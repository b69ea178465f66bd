pub mod case;
mod case_forms;
mod crises;
mod goals;
mod history;
pub mod list;
pub mod plan;
mod start;

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static INTERNED: RefCell<HashMap<String, &'static str>> = RefCell::new(HashMap::new());
}

/// The form components take `&'static str` ids and field names; a repeated element (the
/// n-th goal, one volunteer's row) needs one made at run time. Each distinct text is kept
/// once, so re-rendering does not grow memory.
pub fn interned(text: String) -> &'static str {
    INTERNED.with(|map| {
        let mut map = map.borrow_mut();
        if let Some(found) = map.get(&text) {
            return *found;
        }
        let kept: &'static str = Box::leak(text.clone().into_boxed_str());
        map.insert(text, kept);
        kept
    })
}

/// Client checks first, then the server's rules (`validate` from `shared`) for the fields the
/// client said nothing about: one message per field, the most specific one.
pub fn merge_errors(
    mut errors: Vec<shared::FieldError>,
    more: Vec<shared::FieldError>,
) -> Vec<shared::FieldError> {
    for error in more {
        if !errors.iter().any(|e| e.field == error.field) {
            errors.push(error);
        }
    }
    errors
}
