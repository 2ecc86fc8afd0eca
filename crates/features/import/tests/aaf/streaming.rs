//! Size and damage: a 50 MB file in flat memory, and corrupted files that must not panic.

use std::io::{BufReader, Read};

use import::aaf::{FileType, ParseError, Reader, Record};
use proptest::prelude::*;

use super::fixture;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Cut and corrupted files end in errors, never in a panic or an endless loop; a fatal error is last.
    #[test]
    fn damaged_files_never_panic(cut in 0usize..3200, at in 0usize..3200, byte in any::<u8>()) {
        let mut bytes = std::fs::read(fixture("ENT_Grand-Est_Complet_20260901_Eleve_0000.xml")).unwrap();
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        bytes.truncate(cut);
        let results: Vec<_> = Reader::new(&bytes[..], "x_Eleve_0000.xml").collect();
        if let Some(i) = results.iter().position(|r| r.as_ref().is_err_and(ParseError::is_fatal)) {
            prop_assert_eq!(i, results.len() - 1);
        }
        for op in results.into_iter().flatten() {
            let _ = Record::from_add(FileType::Eleve, &op);
        }
    }
}

/// Serves a header, `count` copies of one record and the footer, without ever holding the whole file.
struct Generated {
    parts: [Vec<u8>; 3],
    count: usize,
    part: usize,
    offset: usize,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.part < 3 {
            let bytes = &self.parts[self.part];
            if self.offset < bytes.len() {
                let n = buf.len().min(bytes.len() - self.offset);
                buf[..n].copy_from_slice(&bytes[self.offset..self.offset + n]);
                self.offset += n;
                return Ok(n);
            }
            self.offset = 0;
            if self.part == 1 && self.count > 1 {
                self.count -= 1;
            } else {
                self.part += 1;
            }
        }
        Ok(0)
    }
}

/// Peak resident memory of this process, where Linux tells it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_50_mb_file_streams_in_flat_memory() {
    let full = std::fs::read(fixture("ENT_Grand-Est_Complet_20260901_Eleve_0000.xml")).unwrap();
    let text = encoding_free_slice(&full);
    let start = text.find("  <addRequest>").unwrap();
    let end = text.find("  <addRequest>\n    <operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n    <identifier><id>2000002").unwrap();
    let record = full[start..end].to_vec();
    let count = 50 * 1024 * 1024 / record.len() + 1;
    let source = Generated {
        parts: [full[..start].to_vec(), record, b"</ficAlimMENESR>\n".to_vec()],
        count,
        part: 0,
        offset: 0,
    };
    let before = peak_rss_kib();
    let mut reader = Reader::new(BufReader::new(source), "generated_Eleve_0000.xml");
    let mut parsed = 0;
    let mut largest_buffers = 0;
    while let Some(op) = reader.next_operation() {
        let op = op.unwrap();
        if parsed % 1000 == 0 {
            assert!(matches!(
                Record::from_add(FileType::Eleve, &op),
                Ok(Record::Student(_))
            ));
        }
        parsed += 1;
        largest_buffers = largest_buffers.max(reader.buffered_bytes());
    }
    assert_eq!(parsed, count);
    assert!(reader.line() > 50 * count as u64 / 2);
    assert!(
        largest_buffers < 64 * 1024,
        "reader buffers grew to {largest_buffers} bytes"
    );
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        assert!(
            after - before < 20 * 1024,
            "peak memory grew by {} KiB",
            after - before
        );
    }
}

/// The fixture's markup is ASCII; only names are Latin-9, so a lossy view is enough to find tags.
fn encoding_free_slice(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { '?' })
        .collect()
}
