//! The AAF reader and record builders on arbitrary bytes: never a panic, never unbounded memory.
#![no_main]

use import::aaf::{Action, FileType, Reader, Record};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = Reader::new(data, "ENT_Fuzz_Complet_20260901_Eleve_0000.xml");
    for op in reader.take(10_000).flatten() {
        if op.action != Action::Add {
            continue;
        }
        for file_type in FileType::ALL {
            if let Ok(mut record) = Record::from_add(file_type, &op) {
                let _ = record.replace(&op);
            }
        }
    }
});
