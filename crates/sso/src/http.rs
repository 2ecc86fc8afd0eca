//! The few outgoing requests Ardoise makes to connected services (back-channel single logout): form
//! POSTs over HTTP/1.1, TLS verified against the Web PKI roots, five seconds at most, no redirects.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Client {
    /// None only if ring's default protocol versions were refused (they are not).
    tls: Option<TlsConnector>,
}

impl Client {
    pub fn new() -> Client {
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .ok()
            .map(|b| TlsConnector::from(Arc::new(b.with_root_certificates(roots).with_no_client_auth())));
        Client { tls }
    }

    /// POSTs `form` (urlencoded) to `url`; the response status, or why it failed.
    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<u16, String> {
        tokio::time::timeout(TIMEOUT, self.request(hyper::Method::POST, url, form))
            .await
            .map_err(|_| format!("{url} : pas de réponse en {} s", TIMEOUT.as_secs()))?
    }

    /// GETs `url` with `query` appended; the response status, or why it failed.
    pub async fn get(&self, url: &str, query: &[(&str, &str)]) -> Result<u16, String> {
        tokio::time::timeout(TIMEOUT, self.request(hyper::Method::GET, url, query))
            .await
            .map_err(|_| format!("{url} : pas de réponse en {} s", TIMEOUT.as_secs()))?
    }

    async fn request(&self, method: hyper::Method, url: &str, form: &[(&str, &str)]) -> Result<u16, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("{url} : adresse invalide ({e})"))?;
        let host = parsed
            .host_str()
            .ok_or(format!("{url} : pas d'hôte"))?
            .to_string();
        let https = match parsed.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(format!("{url} : schéma {other} non pris en charge")),
        };
        let port = parsed
            .port_or_known_default()
            .unwrap_or(if https { 443 } else { 80 });
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", web::url_encode(k), web::url_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let get = method == hyper::Method::GET;
        let query = match (parsed.query(), get && !body.is_empty()) {
            (Some(q), true) => Some(format!("{q}&{body}")),
            (Some(q), false) => Some(q.to_string()),
            (None, true) => Some(body.clone()),
            (None, false) => None,
        };
        let path = match query {
            Some(q) => format!("{}?{q}", parsed.path()),
            None => parsed.path().to_string(),
        };
        let body = if get { String::new() } else { body };
        let authority = match parsed.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, authority)
            .header(hyper::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(hyper::header::USER_AGENT, "Ardoise")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("{url} : connexion impossible ({e})"))?;
        let status = if https {
            let name = ServerName::try_from(host.clone()).map_err(|e| e.to_string())?;
            let connector = self.tls.as_ref().ok_or("TLS indisponible")?;
            let tls = connector
                .connect(name, tcp)
                .await
                .map_err(|e| format!("{url} : TLS ({e})"))?;
            send(TokioIo::new(tls), request).await
        } else {
            send(TokioIo::new(tcp), request).await
        };
        status.map_err(|e| format!("{url} : {e}"))
    }
}

async fn send<T>(io: T, request: hyper::Request<Full<Bytes>>) -> Result<u16, hyper::Error>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
    tokio::spawn(connection);
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    // Read (and drop) the body so the connection ends cleanly.
    let _ = response.into_body().collect().await;
    Ok(status)
}
