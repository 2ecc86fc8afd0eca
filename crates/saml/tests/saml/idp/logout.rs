//! Single logout over HTTP-Redirect with pysaml2 as the service provider: its LogoutRequests read by us
//! and answered with our LogoutResponses, which it checks; our LogoutRequests checked by it and its
//! LogoutResponses read by us.

use super::*;

const NAME_ID: &str = "a1b2c3-persistent";
const SESSION: &str = "_session42";

impl Gar {
    /// The peer's LogoutRequest for `NAME_ID` and `SESSION` over HTTP-Redirect: its ID and query string.
    fn logout_request(&self, options: &[&str]) -> Result<(String, String), Box<dyn Error>> {
        let mut args = vec!["logout-request", "--idp-metadata", self.path()?];
        args.extend(["--name-id", NAME_ID, "--session-index", SESSION]);
        args.extend(options);
        let json = sp_ok(&args)?;
        Ok((json_str(&json, "id")?, json_str(&json, "query")?))
    }

    fn read_logout_request(&self, query: &str) -> Result<saml::LogoutRequest, SamlError> {
        let found = |issuer: &str| (issuer == self.sp.entity_id).then_some(&self.sp);
        self.idp
            .logout_request_from_redirect(query, found, self.now_millis)
            .map(|(request, _)| request)
    }

    /// pysaml2's verdict on our LogoutRequest `url`; on success, what it read and the URL of its answer
    /// (for a request naming `name_id`, Success; else UnknownPrincipal).
    fn answer_logout_request(
        &self,
        url: &str,
        name_id: &str,
    ) -> Result<Result<String, String>, Box<dyn Error>> {
        sp_py(&[
            "answer-logout-request",
            "--idp-metadata",
            self.path()?,
            "--url",
            url,
            "--name-id",
            name_id,
        ])
    }

    /// pysaml2's verdict on our LogoutResponse `url`, which must answer its request `request_id`.
    fn check_logout_response(
        &self,
        url: &str,
        request_id: &str,
    ) -> Result<Result<String, String>, Box<dyn Error>> {
        sp_py(&[
            "check-logout-response",
            "--idp-metadata",
            self.path()?,
            "--url",
            url,
            "--request-id",
            request_id,
        ])
    }

    /// Where the peer takes logout messages, from its metadata.
    fn slo_url(&self) -> Result<&str, Box<dyn Error>> {
        Ok(&self
            .sp
            .single_logout
            .as_ref()
            .ok_or("no SLO in the peer's metadata")?
            .url)
    }

    /// Our LogoutRequest to the peer for `name_id`: the URL and its ID.
    fn our_logout_request(&self, name_id: &str) -> Result<(String, String), Box<dyn Error>> {
        Ok(self.idp.logout_request_url(&LogoutRequestSpec {
            destination: self.slo_url()?,
            name_id,
            name_id_format: NAME_ID_PERSISTENT,
            sp_name_qualifier: GAR_ENTITY,
            session_index: SESSION,
            now_millis: self.now_millis,
            relay_state: Some("retour/portail"),
        })?)
    }
}

/// The query string of a URL to `endpoint`.
fn query_to<'u>(url: &'u str, endpoint: &str) -> Result<&'u str, Box<dyn Error>> {
    let (to, query) = url.split_once('?').ok_or("no query")?;
    assert_eq!(to, endpoint);
    Ok(query)
}

#[test]
fn a_signed_logout_request_from_pysaml2_is_read_and_our_answer_accepted() -> TestResult {
    let gar = Gar::new()?;
    let (id, query) = gar.logout_request(&["--relay-state", "/après déconnexion"])?;
    assert!(query.contains("&Signature="));
    let request = gar.read_logout_request(&query)?;
    assert_eq!(request.id, id);
    assert_eq!(request.issuer, GAR_ENTITY);
    assert_eq!(request.name_id, NAME_ID);
    assert_eq!(request.session_indexes, [SESSION]);
    assert_eq!(request.relay_state.as_deref(), Some("/après déconnexion"));

    let answer = |idp: &Idp, success: bool| {
        idp.logout_response_url(
            gar.slo_url()?,
            &request.id,
            success,
            request.relay_state.as_deref(),
            gar.now_millis,
        )
        .map_err(Box::<dyn Error>::from)
    };
    let check = |url: &str, request_id: &str| gar.check_logout_response(url, request_id);
    let verdict =
        check(&answer(&gar.idp, true)?, &id)?.map_err(|refusal| format!("the peer refused: {refusal}"))?;
    assert_eq!(json_str(&verdict, "in_response_to")?, id);
    assert_eq!(json_str(&verdict, "issuer")?, IDP_ENTITY);
    assert_eq!(json_str(&verdict, "relay_state")?, "/après déconnexion");
    // pysaml2 reads our failure status as a failure, and refuses an answer to another request or signed
    // by a key absent from our metadata.
    peer_refused(check(&answer(&gar.idp, false)?, &id)?, "Unsuccessful")?;
    peer_refused(check(&answer(&gar.idp, true)?, "_another")?, "not _another")?;
    let forger = Gar::with_keys("attacker")?;
    peer_refused(
        check(&answer(&forger.idp, true)?, &id)?,
        "signature does not verify",
    )?;
    Ok(())
}

#[test]
fn unsigned_or_forged_logout_requests_from_pysaml2_are_refused() -> TestResult {
    let mut gar = Gar::new()?;
    let (_, unsigned) = gar.logout_request(&["--unsigned"])?;
    assert!(!unsigned.contains("Signature="));
    // Whatever either metadata says about signing AuthnRequests.
    gar.sp.authn_requests_signed = false;
    gar.idp.want_authn_requests_signed = false;
    refused(gar.read_logout_request(&unsigned), &SamlError::UnsignedLogout)?;
    let (_, forged) = gar.logout_request(&["--signing-key", "attacker"])?;
    refused(gar.read_logout_request(&forged), &SamlError::BadLogoutSignature)?;
    let (_, genuine) = gar.logout_request(&["--relay-state", "a"])?;
    refused(
        gar.read_logout_request(&genuine.replace("RelayState=a", "RelayState=b")),
        &SamlError::BadLogoutSignature,
    )?;
    assert!(gar.read_logout_request(&genuine).is_ok());
    Ok(())
}

#[test]
fn pysaml2_accepts_our_logout_request_and_we_read_its_answer() -> TestResult {
    let gar = Gar::new()?;
    let answer = |url: &str| {
        let verdict = gar.answer_logout_request(url, NAME_ID)?;
        Ok::<_, Box<dyn Error>>(verdict.map_err(|refusal| format!("the peer refused: {refusal}"))?)
    };
    let (url, id) = gar.our_logout_request(NAME_ID)?;
    let json = answer(&url)?;
    assert_eq!(json_str(&json, "id")?, id);
    assert_eq!(json_str(&json, "issuer")?, IDP_ENTITY);
    assert_eq!(json_str(&json, "name_id")?, NAME_ID);
    assert_eq!(json_str(&json, "name_id_format")?, NAME_ID_PERSISTENT);
    assert_eq!(json_str(&json, "sp_name_qualifier")?, GAR_ENTITY);
    assert!(
        json.contains(&format!(r#""session_indexes": ["{SESSION}"]"#)),
        "{json}"
    );
    assert_eq!(json_str(&json, "relay_state")?, "retour/portail");

    let response_url = json_str(&json, "response_url")?;
    let read = |url: &str| {
        let found = |issuer: &str| (issuer == gar.sp.entity_id).then_some(&gar.sp);
        gar.idp
            .logout_response_from_redirect(query_to(url, IDP_SLO)?, found, gar.now_millis)
            .map(|(response, _)| response)
            .map_err(Box::<dyn Error>::from)
    };
    let response = read(&response_url)?;
    assert!(response.success);
    assert_eq!(response.in_response_to.as_deref(), Some(id.as_str()));
    assert_eq!(response.issuer, GAR_ENTITY);
    assert_eq!(response.relay_state.as_deref(), Some("retour/portail"));
    // A person the peer does not know: it answers with a failure status, which we read as such.
    let (url, id) = gar.our_logout_request("someone-else")?;
    let response = read(&json_str(&answer(&url)?, "response_url")?)?;
    assert!(!response.success);
    assert_eq!(response.in_response_to.as_deref(), Some(id.as_str()));
    Ok(())
}

#[test]
fn pysaml2_refuses_our_logout_request_signed_by_a_key_it_does_not_know() -> TestResult {
    let gar = Gar::with_keys("attacker")?;
    let (url, _) = gar.our_logout_request(NAME_ID)?;
    peer_refused(gar.answer_logout_request(&url, NAME_ID)?, "IncorrectlySigned")?;
    // The same request signed with the genuine key passes.
    let genuine = Gar::new()?;
    let (url, _) = genuine.our_logout_request(NAME_ID)?;
    assert!(genuine.answer_logout_request(&url, NAME_ID)?.is_ok());
    Ok(())
}
