//! A bare HTTP/1.1 client for the ceiling (P1), as `wrk` is one: each worker keeps one connection,
//! writes the same GET as bytes and reads the answer up to its `Content-Length`, one request at a time
//! (no pipelining). The full client the other scenarios use (cookies, redirects, a connection pool,
//! header maps) costs about as much CPU per request as the server it measures, and in P1 both share
//! the same two cores: with it, the run measured the client.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::stats::Outcome;

/// One keep-alive connection asking for one path again and again.
pub struct Conn {
    addr: String,
    request: Vec<u8>,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    timeout: Duration,
}

impl Conn {
    /// `url`: `http://host:port/path`.
    pub fn new(url: &reqwest::Url, timeout: Duration) -> Conn {
        let host = url.host_str().unwrap_or("127.0.0.1");
        let port = url.port_or_known_default().unwrap_or(80);
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: ardoise-load\r\nAccept: */*\r\n\r\n",
            url.path()
        );
        Conn {
            addr: format!("{host}:{port}"),
            request: request.into_bytes(),
            stream: None,
            buf: Vec::with_capacity(4096),
            timeout,
        }
    }

    /// Sends the GET and reads its answer; reconnects when the server closed the connection.
    pub async fn get(&mut self) -> Outcome {
        match tokio::time::timeout(self.timeout, self.exchange()).await {
            Ok(Ok(status)) => match status {
                200 => Outcome::Ok,
                503 => Outcome::Shed { retry_after: None },
                500..=599 => Outcome::ServerError,
                _ => Outcome::Unexpected,
            },
            Ok(Err(_)) => {
                self.stream = None;
                Outcome::Transport
            }
            Err(_) => {
                self.stream = None;
                Outcome::Timeout
            }
        }
    }

    async fn exchange(&mut self) -> std::io::Result<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(std::io::ErrorKind::NotConnected.into());
        };
        stream.write_all(&self.request).await?;
        self.buf.clear();
        let (status, head, length, close) = loop {
            if stream.read_buf(&mut self.buf).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if let Some(parsed) = head(&self.buf)? {
                break parsed;
            }
        };
        while self.buf.len() < head + length {
            if stream.read_buf(&mut self.buf).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
        if close {
            self.stream = None;
        }
        Ok(status)
    }
}

/// The answer's status, the length of its head, its body's length and whether the server closes the
/// connection after it, once the head is whole (`None` before).
fn head(buf: &[u8]) -> std::io::Result<Option<(u16, usize, usize, bool)>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidData, "malformed HTTP answer");
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| invalid())?;
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(invalid)?;
    let (mut length, mut close) = (None, false);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse::<usize>().ok();
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked answers are not what a health check sends; count them as malformed.
            return Err(invalid());
        }
    }
    Ok(Some((status, end + 4, length.ok_or_else(invalid)?, close)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_and_the_body_length_once_the_head_is_whole() {
        assert_eq!(head(b"HTTP/1.1 200 OK\r\ncontent-length: 2").unwrap(), None);
        let answer = b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 5\r\nContent-Length: 13\r\nConnection: close\r\n\r\nRevenez vite.";
        assert_eq!(head(answer).unwrap(), Some((503, 91, 13, true)));
        assert!(head(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").is_err());
        assert!(head(b"nonsense\r\n\r\n").is_err());
    }
}
