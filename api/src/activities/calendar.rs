//! Calendar files (iCalendar) with public information only: what, when, where — never who.

use icalendar::{Calendar, Component, Event, EventLike};
use shared::events::{EventRecord, EventStatus};

pub fn ics(events: &[EventRecord], name: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for record in events {
        let event = &record.event;
        let place = record
            .site
            .as_ref()
            .map(|site| format!("{} {}", site.site.name, site.site.address))
            .unwrap_or_default();
        let mut entry = Event::new();
        entry
            .uid(&format!("{}@shouwang", record.id))
            .summary(&event.title)
            .description(&event.description)
            .location(place.trim())
            .starts(event.starts_at)
            .ends(event.ends_at);
        if event.status == EventStatus::Cancelled {
            entry.status(icalendar::EventStatus::Cancelled);
        }
        calendar.push(entry.done());
    }
    calendar.done().to_string()
}
