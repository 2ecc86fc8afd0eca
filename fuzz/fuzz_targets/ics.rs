//! The iCalendar reader of the timetable import on arbitrary input (a school uploads any file): never a
//! panic, only events or an error naming a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(events) = timetable::ics::parse(text) {
        for e in &events {
            for p in &e.props {
                let _ = p.text();
                let _ = timetable::ics::instant_of(p);
            }
        }
    }
});
