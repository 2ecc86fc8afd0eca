//! Health probes, security headers, static assets and error pages.

use testkit::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let res = b.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let res = b.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ready");
    t.app.db.close().await;
    assert_eq!(
        b.get("/readyz").await.status(),
        503,
        "a closed database is not ready"
    );
    t.stop().await;
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let t = TestApp::spawn().await;
    let res = t.browser().get("/login").await;
    let h = res.headers();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h.get("x-request-id").is_some());
    t.stop().await;
}

#[tokio::test]
async fn unknown_pages_get_a_french_page_with_an_operation_id() {
    let t = TestApp::spawn().await;
    let (status, html) = t.browser().get_html("/nulle-part").await;
    assert_eq!(status, 404);
    assert!(
        html.contains("Cette page n") && html.contains("plus disponible"),
        "{html}"
    );
    assert!(html.contains("Identifiant à communiquer"));
    let res = t
        .browser()
        .client
        .get(format!("{}/nulle-part", t.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(body.contains("\"error\":404"), "{body}");
    t.stop().await;
}

#[tokio::test]
async fn the_stylesheet_is_served_with_an_immutable_cache() {
    let t = TestApp::spawn().await;
    let (_, html) = t.browser().get_html("/login").await;
    let href = html
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(href.starts_with("/static/app.") && href.ends_with(".css"));
    let res = t.browser().get(&href).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(res.text().await.unwrap().contains(".skip-link"));
    assert_eq!(t.browser().get("/static/app.00000000.css").await.status(), 404);
    t.stop().await;
}
