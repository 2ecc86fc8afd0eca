//! A local SMTP sink: every TestApp sends its mail through a real SMTP conversation to this listener,
//! which keeps the messages for the test to read.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A message as received: its recipients, and its headers and body (quoted-printable decoded).
#[derive(Debug, Clone)]
pub struct Captured {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

#[derive(Clone, Default)]
pub struct MailSink {
    received: Arc<Mutex<Vec<Captured>>>,
    pub port: u16,
}

impl MailSink {
    /// Listens on a free local port.
    pub async fn start() -> MailSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = MailSink {
            received: Arc::default(),
            port: listener.local_addr().unwrap().port(),
        };
        let received = sink.received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(converse(socket, received.clone()));
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn all(&self) -> Vec<Captured> {
        self.received.lock().unwrap().clone()
    }

    /// Messages received so far for `address`.
    pub fn to(&self, address: &str) -> Vec<Captured> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Waits (up to five seconds) until `address` has received `count` messages, and returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Captured> {
        for _ in 0..100 {
            let got = self.to(address);
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{address} received {} message(s), expected {count}",
            self.to(address).len()
        );
    }
}

async fn converse(socket: tokio::net::TcpStream, received: Arc<Mutex<Vec<Captured>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let address = line[8..].trim().trim_start_matches('<');
            to.push(address.split('>').next().unwrap_or("").to_string());
            b"250 OK\r\n"
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = Vec::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push(l.strip_prefix('.').map_or(l.clone(), str::to_string));
            }
            received
                .lock()
                .unwrap()
                .push(parse(std::mem::take(&mut to), &data));
            b"250 queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if upper.starts_with("RSET") {
            to.clear();
            b"250 OK\r\n"
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

fn parse(to: Vec<String>, lines: &[String]) -> Captured {
    let split = lines.iter().position(String::is_empty).unwrap_or(lines.len());
    let headers = &lines[..split];
    let subject = headers
        .iter()
        .find_map(|h| h.strip_prefix("Subject: "))
        .map(decode_header)
        .unwrap_or_default();
    let raw = lines.get(split + 1..).unwrap_or(&[]).join("\n");
    Captured {
        to,
        subject,
        body: decode_quoted_printable(&raw),
    }
}

/// Decodes the RFC 2047 UTF-8 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) of a header value.
fn decode_header(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value.trim();
    let mut after_word = false;
    while let Some(start) = rest.to_ascii_lowercase().find("=?utf-8?") {
        let between = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 8..];
        let Some(end) = word.find("?=") else {
            break;
        };
        let (kind, text) = (word[..1].to_ascii_lowercase(), &word[2..end]);
        if kind == "b" {
            out.push_str(&base64_decode(text));
        } else {
            out.push_str(&decode_quoted_printable(&text.replace('_', " ")));
        }
        rest = &word[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

fn base64_decode(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len() + 1
            && let Some(hex) = joined.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_and_encoded_words_are_decoded() {
        assert_eq!(
            decode_quoted_printable("caf=C3=A9 =3D ok=\nsuite"),
            "café = oksuite"
        );
        assert_eq!(
            decode_header("=?utf-8?b?UsOpaW5pdGlhbGlzYXRpb24=?="),
            "Réinitialisation"
        );
        assert_eq!(decode_header("Plain"), "Plain");
        assert_eq!(
            decode_header("connexion =?utf-8?b?w6A=?= votre"),
            "connexion à votre"
        );
    }
}
