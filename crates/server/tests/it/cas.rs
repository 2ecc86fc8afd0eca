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
            },
            server::config::ServiceSettings {
                name: "Vie scolaire".into(),
                protocol: "cas".into(),
                urls: vec![format!("{PRONOTE}*")],
                profiles: vec!["ENS".into()],
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
async fn python_cas(base: &str, version: u8, service: &str, ticket: &str) -> String {
    let (base, service, ticket) = (base.to_string(), service.to_string(), ticket.to_string());
    tokio::task::spawn_blocking(move || python_cas_blocking(&base, version, &service, &ticket))
        .await
        .unwrap()
}

fn python_cas_blocking(base: &str, version: u8, service: &str, ticket: &str) -> String {
    let script = "import cas, json, sys\n\
        c = cas.CASClient(version=int(sys.argv[1]), server_url=sys.argv[2], service_url=sys.argv[3])\n\
        user, attributes, _ = c.verify_ticket(sys.argv[4])\n\
        print(f'{user}|{json.dumps(attributes, sort_keys=True)}')\n";
    let out = Command::new("python3")
        .args([
            "-c",
            script,
            &version.to_string(),
            &format!("{base}/cas/"),
            service,
            ticket,
        ])
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

    let eleve = t.signed_in("demo.eleve").await;
    let st = ticket(&eleve, MOODLE).await;
    let (user, attributes) = {
        let out = python_cas(&t.base, 3, MOODLE, &st).await;
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
    assert!(python_cas(&t.base, 3, MOODLE, &st).await.starts_with("None|"));

    // CAS 2 and CAS 1 clients too.
    let st = ticket(&eleve, MOODLE).await;
    assert!(
        python_cas(&t.base, 2, MOODLE, &st)
            .await
            .starts_with("demo.eleve|")
    );
    let st = ticket(&eleve, MOODLE).await;
    assert!(
        python_cas(&t.base, 1, MOODLE, &st)
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
    assert!(python_cas(&t.base, 3, MOODLE, &st).await.starts_with("None|"));

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
        python_cas(&t.base, 3, "https://pronote.test/professeur?x=1", &st)
            .await
            .starts_with("demo.prof|")
    );
    // gateway: an anonymous visitor goes back to the service without a ticket.
    let res = t
        .browser()
        .get(&format!("/cas/login?service={}&gateway=true", urlencode(MOODLE)))
        .await;
    assert_eq!(location(&res), MOODLE);
    t.stop().await;
}
