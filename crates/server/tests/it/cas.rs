//! The CAS server against a real client, python-cas (`pip install python-cas`), as Moodle-like services
//! use it: a ticket from `/cas/login`, validated once, for its own service only. Built with
//! `--features server/peer-tests` (CI does).

use std::process::Command;

use testkit::{Browser, TestApp, location};

const MOODLE: &str = "https://moodle.test/login/index.php";
const PRONOTE: &str = "https://pronote.test/";

async fn app() -> TestApp {
    TestApp::spawn_demo_with(|s| {
        s.mfa_required.clear();
        s.services = vec![
            server::config::ServiceSettings {
                name: "Moodle".into(),
                protocol: "cas".into(),
                urls: vec![MOODLE.into()],
                profiles: vec![],
                ..Default::default()
            },
            server::config::ServiceSettings {
                name: "Vie scolaire".into(),
                protocol: "cas".into(),
                urls: vec![format!("{PRONOTE}*")],
                profiles: vec!["ENS".into()],
                launch_url: Some(format!("{PRONOTE}professeur")),
                ..Default::default()
            },
        ];
    })
    .await
}

/// The ticket `/cas/login` hands to `service` for a signed-in browser.
async fn ticket(b: &Browser, service: &str) -> String {
    let res = b.get(&format!("/cas/login?service={}", urlencode(service))).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with(service), "{to}");
    to.split("ticket=").nth(1).unwrap().to_string()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// python-cas validating `ticket` for `service`: `user|attributes as JSON`, or `None`. Run off the
/// test's runtime thread, which also serves the requests the client makes.
async fn python_cas(base: &str, version: &str, service: &str, ticket: &str) -> String {
    let (base, version, service, ticket) = (
        base.to_string(),
        version.to_string(),
        service.to_string(),
        ticket.to_string(),
    );
    tokio::task::spawn_blocking(move || python_cas_blocking(&base, &version, &service, &ticket))
        .await
        .unwrap()
}

/// `version`: 1, 2, 3, or CAS_2_SAML_1_0 (`/samlValidate`).
fn python_cas_blocking(base: &str, version: &str, service: &str, ticket: &str) -> String {
    let script = "import cas, json, sys\n\
        v = sys.argv[1]\n\
        c = cas.CASClient(version=int(v) if v.isdigit() else v, server_url=sys.argv[2], service_url=sys.argv[3])\n\
        user, attributes, _ = c.verify_ticket(sys.argv[4])\n\
        print(f'{user}|{json.dumps(attributes, sort_keys=True)}')\n";
    let out = Command::new("python3")
        .args(["-c", script, version, &format!("{base}/cas/"), service, ticket])
        .output()
        .expect("python3 runs (pip install python-cas)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[tokio::test]
async fn a_service_signs_a_student_in_with_a_single_use_ticket() {
    let t = app().await;
    // Not signed in: the sign-in page first, then back to /cas/login.
    let res = t
        .browser()
        .get(&format!("/cas/login?service={}", urlencode(MOODLE)))
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        location(&res).starts_with("/login?next=/cas/login%3Fservice%3Dhttps%253A//moodle.test/"),
        "{}",
        location(&res)
    );

    // Signing in there, the answer moves on to /cas/login by itself (a form's redirect leaving the site
    // would break the CSP's form-action).
    let b = t.browser();
    let (_, html) = b.get_html(&location(&res)).await;
    let next = testkit::hidden_value(&html, "next").unwrap();
    let res = b
        .post_form(
            "/login",
            &[
                ("username", "demo.eleve"),
                ("password", testkit::DEMO_PASSWORD),
                ("csrf_token", &testkit::csrf_token(&html).unwrap()),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("http-equiv=\"refresh\" content=\"0;url=/cas/login?service="),
        "{page}"
    );

    let eleve = t.signed_in("demo.eleve").await;
    let st = ticket(&eleve, MOODLE).await;
    let (user, attributes) = {
        let out = python_cas(&t.base, "3", MOODLE, &st).await;
        let (u, a) = out.split_once('|').unwrap();
        (u.to_string(), a.to_string())
    };
    assert_eq!(user, "demo.eleve");
    for attribute in [
        "\"uid\": \"demo.eleve\"",
        "\"ENTPersonProfils\": \"National_ELV\"",
        "\"UAI\": ",
        "\"ENTPersonJointure\"",
    ] {
        assert!(attributes.contains(attribute), "{attribute} in {attributes}");
    }
    // Replayed: refused.
    assert!(python_cas(&t.base, "3", MOODLE, &st).await.starts_with("None|"));

    // CAS 2 and CAS 1 clients too.
    let st = ticket(&eleve, MOODLE).await;
    assert!(
        python_cas(&t.base, "2", MOODLE, &st)
            .await
            .starts_with("demo.eleve|")
    );
    let st = ticket(&eleve, MOODLE).await;
    assert!(
        python_cas(&t.base, "1", MOODLE, &st)
            .await
            .starts_with("demo.eleve|")
    );

    // A ticket presented by another service: refused with INVALID_SERVICE, and spent.
    let st = ticket(&eleve, MOODLE).await;
    let other = "https://moodle.test/autre";
    let xml = t
        .browser()
        .get(&format!(
            "/cas/serviceValidate?service={}&ticket={st}",
            urlencode(other)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("code=\"INVALID_SERVICE\""), "{xml}");
    assert!(python_cas(&t.base, "3", MOODLE, &st).await.starts_with("None|"));

    // Expired after a minute.
    let st = ticket(&eleve, MOODLE).await;
    t.clock.advance_secs(61);
    let xml = t
        .browser()
        .get(&format!(
            "/cas/p3/serviceValidate?service={}&ticket={st}",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        xml.contains("code=\"INVALID_TICKET\"") && xml.contains("expiré"),
        "{xml}"
    );
    let xml = t
        .browser()
        .get("/cas/serviceValidate?ticket=ST-x")
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("code=\"INVALID_REQUEST\""), "{xml}");
    t.stop().await;
}

#[tokio::test]
async fn unknown_services_and_profiles_not_allowed_get_no_ticket() {
    let t = app().await;
    let eleve = t.signed_in("demo.eleve").await;
    let res = eleve
        .get(&format!(
            "/cas/login?service={}",
            urlencode("https://evil.example/")
        ))
        .await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("pas enregistré"));
    let res = eleve
        .get(&format!(
            "/cas/login?service={}",
            urlencode("https://pronote.test/eleve")
        ))
        .await;
    assert_eq!(res.status(), 403, "the service is for teachers");
    let prof = t.signed_in("demo.prof").await;
    let st = ticket(&prof, "https://pronote.test/professeur?x=1").await;
    assert!(
        python_cas(&t.base, "3", "https://pronote.test/professeur?x=1", &st)
            .await
            .starts_with("demo.prof|")
    );
    // The portal's launcher lists what each may open, already signed in through /cas/login.
    let (_, home) = eleve.get_html("/").await;
    assert!(
        home.contains(&format!(
            "href=\"/cas/login?service={}\"",
            web::url_encode(MOODLE)
        )),
        "{home}"
    );
    assert!(!home.contains("Vie scolaire"), "teachers only");
    let (_, home) = prof.get_html("/").await;
    assert!(
        home.contains("Vie scolaire") && home.contains(&web::url_encode("https://pronote.test/professeur"))
    );
    // gateway: an anonymous visitor goes back to the service without a ticket.
    let res = t
        .browser()
        .get(&format!("/cas/login?service={}&gateway=true", urlencode(MOODLE)))
        .await;
    assert_eq!(location(&res), MOODLE);
    t.stop().await;
}

#[tokio::test]
async fn renew_json_and_saml_validation() {
    let t = app().await;
    let eleve = t.signed_in("demo.eleve").await;
    // SAML 1.1 (phpCAS's and python-cas's /samlValidate), with the attributes.
    let st = ticket(&eleve, MOODLE).await;
    let out = python_cas(&t.base, "CAS_2_SAML_1_0", MOODLE, &st).await;
    assert!(out.starts_with("demo.eleve|"), "{out}");
    assert!(out.contains("\"ENTPersonProfils\": \"National_ELV\""), "{out}");
    assert!(
        python_cas(&t.base, "CAS_2_SAML_1_0", MOODLE, &st)
            .await
            .starts_with("None|")
    );

    // format=JSON.
    let st = ticket(&eleve, MOODLE).await;
    let json = t
        .browser()
        .get(&format!(
            "/cas/p3/serviceValidate?service={}&ticket={st}&format=JSON",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(json.contains("\"user\":\"demo.eleve\""), "{json}");
    let json = t
        .browser()
        .get(&format!(
            "/cas/p3/serviceValidate?service={}&ticket={st}&format=JSON",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(json.contains("\"code\":\"INVALID_TICKET\""), "{json}");

    // renew: a sign-in two minutes old does not count; the password again gives a ticket from a new
    // login, which validation with renew accepts.
    t.clock.advance_secs(180);
    let res = eleve
        .get(&format!("/cas/login?service={}&renew=true", urlencode(MOODLE)))
        .await;
    let to = location(&res);
    assert!(to.starts_with("/login?next=") && to.ends_with("&renew=1"), "{to}");
    let (status, html) = eleve.get_html(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains("confirmer votre identité"), "{html}");
    // An old ticket (not from a new login) fails a renew validation.
    let st = ticket(&eleve, MOODLE).await;
    let xml = t
        .browser()
        .get(&format!(
            "/cas/serviceValidate?service={}&ticket={st}&renew=true",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("INVALID_TICKET"), "{xml}");
    let res = eleve
        .post_form(
            "/login",
            &[
                ("username", "demo.eleve"),
                ("password", testkit::DEMO_PASSWORD),
                ("csrf_token", &testkit::csrf_token(&html).unwrap()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = eleve
        .get(&format!("/cas/login?service={}&renew=true", urlencode(MOODLE)))
        .await;
    let st = location(&res).split("ticket=").nth(1).unwrap().to_string();
    let xml = t
        .browser()
        .get(&format!(
            "/cas/p3/serviceValidate?service={}&ticket={st}&renew=true",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        xml.contains("<cas:isFromNewLogin>true</cas:isFromNewLogin>"),
        "{xml}"
    );
    t.stop().await;
}

/// A proxy callback (what a portal or a library system would run): records the `pgtIou` → `pgtId` it
/// is given.
async fn proxy_callback() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let store = seen.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let store = store.clone();
        async move {
            store
                .lock()
                .unwrap()
                .push(uri.query().unwrap_or_default().to_string());
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn a_proxy_gets_tickets_for_another_service_through_its_callback() {
    let (portal, seen) = proxy_callback().await;
    let portal_service = format!("{portal}/portail");
    let callback = format!("{portal}/pgt-callback");
    let t = TestApp::spawn_demo_with(|s| {
        s.mfa_required.clear();
        s.services = vec![
            server::config::ServiceSettings {
                name: "Portail documentaire".into(),
                protocol: "cas".into(),
                urls: vec![format!("{portal}/*")],
                proxy: true,
                ..Default::default()
            },
            server::config::ServiceSettings {
                name: "Moodle".into(),
                protocol: "cas".into(),
                urls: vec![MOODLE.into()],
                ..Default::default()
            },
        ];
    })
    .await;
    let eleve = t.signed_in("demo.eleve").await;
    let st = ticket(&eleve, &portal_service).await;
    // python-cas validates with its pgtUrl: Ardoise calls the callback, then answers with the IOU.
    let (base, svc, cb) = (t.base.clone(), portal_service.clone(), callback.clone());
    let out = tokio::task::spawn_blocking(move || {
        let script = "import cas, sys\n\
            c = cas.CASClientV2(proxy_callback=sys.argv[3], server_url=sys.argv[1], service_url=sys.argv[2])\n\
            user, attributes, iou = c.verify_ticket(sys.argv[4])\n\
            print(f'{user}|{iou}')\n";
        let out = Command::new("python3")
            .args(["-c", script, &format!("{base}/cas/"), &svc, &cb, &st])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    })
    .await
    .unwrap();
    let (user, iou) = out.split_once('|').unwrap();
    assert_eq!(user, "demo.eleve");
    assert!(iou.starts_with("PGTIOU-"), "{out}");
    let query = seen.lock().unwrap().pop().expect("the callback was called");
    let params: std::collections::HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(params["pgtIou"], iou);
    let pgt = params["pgtId"].clone();

    let proxy_ticket = |target: &str| {
        let b = t.browser();
        let url = format!("/cas/proxy?pgt={pgt}&targetService={}", urlencode(target));
        async move {
            let xml = b.get(&url).await.text().await.unwrap();
            xml.split("<cas:proxyTicket>")
                .nth(1)
                .map(|r| r.split('<').next().unwrap().to_string())
                .ok_or(xml)
        }
    };
    // A proxy ticket is refused by serviceValidate, accepted by proxyValidate with the chain.
    let pt = proxy_ticket(MOODLE).await.unwrap();
    let xml = t
        .browser()
        .get(&format!(
            "/cas/serviceValidate?service={}&ticket={pt}",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("INVALID_TICKET_SPEC"), "{xml}");
    let pt = proxy_ticket(MOODLE).await.unwrap();
    let xml = t
        .browser()
        .get(&format!(
            "/cas/p3/proxyValidate?service={}&ticket={pt}",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("<cas:user>demo.eleve</cas:user>"), "{xml}");
    assert!(
        xml.contains(&format!("<cas:proxy>{callback}</cas:proxy>")),
        "{xml}"
    );
    // Unregistered targets and unknown PGTs are refused.
    assert!(
        proxy_ticket("https://evil.example/")
            .await
            .unwrap_err()
            .contains("UNAUTHORIZED_SERVICE")
    );
    let xml = t
        .browser()
        .get(&format!(
            "/cas/proxy?pgt=PGT-x&targetService={}",
            urlencode(MOODLE)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("INVALID_TICKET"), "{xml}");
    // Signing out ends the PGT.
    let (_, home) = eleve.get_html("/").await;
    eleve
        .post_form("/logout", &[("csrf_token", &testkit::csrf_token(&home).unwrap())])
        .await;
    let mut ended = false;
    for _ in 0..50 {
        if proxy_ticket(MOODLE).await.is_err() {
            ended = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ended, "the PGT outlived the session");
    t.stop().await;
}
