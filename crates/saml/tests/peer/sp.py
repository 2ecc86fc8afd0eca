#!/usr/bin/env python3
"""A command-line SAML 2 service provider built on pysaml2, the peer of the `saml` crate's identity provider
tests (it plays the GAR or a publisher).

    sp.py now                               the peer's clock, in Unix milliseconds
    sp.py metadata --idp-metadata F         this SP's metadata (EntityDescriptor) on stdout
    sp.py authn-request --idp-metadata F [--binding redirect|post] [--unsigned] [--signing-key NAME]
          [--acs-url URL] [--relay-state R] [--force-authn]
        an AuthnRequest to the IdP of F, printed as JSON: {"id", "query"} for HTTP-Redirect (the query
        string, signed unless --unsigned), {"id", "saml_request", "relay_state"} for HTTP-POST (the form
        fields, the request carrying an enveloped signature unless --unsigned)
    sp.py check-response --idp-metadata F --response B64 (--request-id ID | --unsolicited)
          [--want-response-signed]
        validate the IdP's base64 Response with pysaml2's parse_authn_request_response (signatures by
        xmlsec1 against F's certificates, destination, audience, times, InResponseTo) and print
        {"issuer", "name_id", "name_id_format", "sp_name_qualifier", "session_index", "ava",
        "attributes": [{"name", "friendly_name", "name_format", "values"}]} as JSON;
        exit 2 with "response refused" on stderr when pysaml2 refuses it
    sp.py logout-request --idp-metadata F --name-id N [--session-index S] [--relay-state R] [--unsigned]
          [--signing-key NAME]
        a LogoutRequest for the persistent NameID N (qualified by F's IdP and this SP) to F's single logout
        service over HTTP-Redirect, signed unless --unsigned, printed as JSON: {"id", "query"}
    sp.py answer-logout-request --idp-metadata F --url URL --name-id N [--signing-key NAME]
        read the IdP's LogoutRequest URL with pysaml2's parse_logout_request (HTTP-Redirect, its query
        signature checked against F's certificates, destination, issue instant), then answer it over
        HTTP-Redirect, signed: status Success when it names N, UnknownPrincipal otherwise; print
        {"id", "issuer", "name_id", "name_id_format", "sp_name_qualifier", "session_indexes",
        "relay_state", "response_url"} as JSON; exit 2 with "request refused" when pysaml2 refuses it
    sp.py check-logout-response --idp-metadata F --url URL --request-id ID
        check the IdP's LogoutResponse URL: its query signature against F's certificates (pysaml2's
        verify_redirect_signature), then parse_logout_request_response (destination, issue instant, status
        Success) and InResponseTo = ID; print {"issuer", "in_response_to", "relay_state"} as JSON; exit 2
        with "response refused" when refused

--signing-key NAME signs with test-only-NAME.{key,crt} beside this file instead of the SP's own pair (the
metadata always publishes the SP's). Test keys only. Needs `pip install pysaml2` and the `xmlsec1` CLI.
"""

import argparse
import json
import os
import shutil
import sys
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SP_ENTITY_ID = "https://gar.test/sp"
SP_ACS_URLS = ["https://gar.test/sp/acs", "https://gar.test/sp/acs-legacy"]
SP_SLO_URL = "https://gar.test/sp/slo"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"


def key_pair(name):
    return os.path.join(HERE, f"test-only-{name}.key"), os.path.join(HERE, f"test-only-{name}.crt")


def xmlsec_binary():
    found = shutil.which("xmlsec1")
    if not found:
        sys.exit("xmlsec1 is missing: apt-get install xmlsec1")
    return found


def sp_config(idp_metadata, signing_key="sp", want_response_signed=False, allow_unsolicited=False):
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import SPConfig
    from saml2.saml import NAMEID_FORMAT_PERSISTENT

    key_file, cert_file = key_pair(signing_key)
    conf = {
        "entityid": SP_ENTITY_ID,
        "name": "GAR (test)",
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(url, BINDING_HTTP_POST) for url in SP_ACS_URLS],
                    "single_logout_service": [(SP_SLO_URL, BINDING_HTTP_REDIRECT)],
                },
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                # pysaml2 wants the response signed by default; Shibboleth and SimpleSAMLphp IdPs sign only
                # the assertion unless told otherwise, and so do we.
                "want_response_signed": want_response_signed,
                "allow_unsolicited": allow_unsolicited,
                "signing_algorithm": RSA_SHA256,
                "digest_algorithm": SHA256,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }
        },
        "key_file": key_file,
        "cert_file": cert_file,
        "xmlsec_binary": xmlsec_binary(),
        "attribute_map_dir": os.path.join(HERE, "attributemaps"),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "metadata": {"local": [idp_metadata]} if idp_metadata else {},
    }
    config = SPConfig()
    config.load(conf)
    if signing_key != "sp":
        # Sign with another key, but publish (and so be checked against) the SP's own certificate.
        config.cert_file = key_pair("sp")[1]
    return config


def cmd_metadata(args):
    from saml2.metadata import entity_descriptor

    print(str(entity_descriptor(sp_config(args.idp_metadata))))


def idp_entity_id(client):
    ids = list(client.metadata.identity_providers())
    if len(ids) != 1:
        sys.exit(f"expected one IdP in the metadata, found {ids}")
    return ids[0]


def cmd_authn_request(args):
    import base64

    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client

    client = Saml2Client(config=sp_config(args.idp_metadata, args.signing_key))
    idp = idp_entity_id(client)
    kwargs = {}
    if args.acs_url:
        kwargs["assertion_consumer_service_url"] = args.acs_url
    if args.force_authn:
        kwargs["force_authn"] = "true"
    binding = BINDING_HTTP_REDIRECT if args.binding == "redirect" else BINDING_HTTP_POST
    destination = client._sso_location(idp, binding)
    sign = not args.unsigned
    if binding == BINDING_HTTP_REDIRECT:
        request_id, request = client.create_authn_request(destination, sign=False, **kwargs)
        info = client.apply_binding(binding, str(request), destination, args.relay_state, sign=sign, sigalg=RSA_SHA256)
        location = dict(info["headers"])["Location"]
        if not location.startswith(destination + "?"):
            sys.exit(f"unexpected redirect {location}")
        print(json.dumps({"id": request_id, "query": urlsplit(location).query}))
    else:
        request_id, request = client.create_authn_request(
            destination, sign=sign, sign_alg=RSA_SHA256, digest_alg=SHA256, **kwargs
        )
        saml_request = base64.b64encode(str(request).encode("utf-8")).decode("ascii")
        print(json.dumps({"id": request_id, "saml_request": saml_request, "relay_state": args.relay_state}))


def refuse(what, message="response"):
    print(f"{message} refused: {what}", file=sys.stderr)
    sys.exit(2)


def cmd_check_response(args):
    from saml2 import BINDING_HTTP_POST
    from saml2.client import Saml2Client

    config = sp_config(
        args.idp_metadata,
        want_response_signed=args.want_response_signed,
        allow_unsolicited=args.unsolicited,
    )
    client = Saml2Client(config=config)
    outstanding = {} if args.unsolicited else {args.request_id: "/"}
    try:
        response = client.parse_authn_request_response(args.response, BINDING_HTTP_POST, outstanding=outstanding)
    except Exception as exc:  # noqa: BLE001 -- every refusal is reported the same way
        refuse(f"{type(exc).__name__}: {exc}")
    if response is None or response.assertion is None:
        refuse("pysaml2 returned no assertion")
    name_id = response.name_id
    authn = response.assertion.authn_statement
    attributes = [
        {
            "name": attribute.name,
            "friendly_name": attribute.friendly_name,
            "name_format": attribute.name_format,
            "values": [value.text for value in attribute.attribute_value],
        }
        for statement in response.assertion.attribute_statement
        for attribute in statement.attribute
    ]
    print(
        json.dumps(
            {
                "issuer": response.issuer(),
                "in_response_to": response.in_response_to,
                "name_id": name_id.text,
                "name_id_format": name_id.format,
                "sp_name_qualifier": name_id.sp_name_qualifier,
                "session_index": authn[0].session_index if authn else None,
                "ava": response.get_identity(),
                "attributes": attributes,
            },
            ensure_ascii=False,
        )
    )


def slo_location(client, idp):
    from saml2 import BINDING_HTTP_REDIRECT

    _binding, destination = client.pick_binding(
        "single_logout_service", [BINDING_HTTP_REDIRECT], "idpsso", entity_id=idp
    )
    return destination


def redirect_query(location, destination):
    """The query string of a redirect pysaml2 built, checking it goes to `destination`."""
    if not location.startswith(destination + "?"):
        sys.exit(f"unexpected redirect {location}")
    return urlsplit(location).query


def received_query(url, endpoint, message):
    """The binding's parameters of a URL the IdP sent the browser to, checking it goes to `endpoint`."""
    from urllib.parse import parse_qs

    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}{parts.path}" != endpoint:
        refuse(f"sent to {url}, not to {endpoint}", message)
    params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    if any(len(values) != 1 for values in params.values()):
        refuse("a parameter appears twice", message)
    return {name: values[0] for name, values in params.items()}


def cmd_logout_request(args):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

    client = Saml2Client(config=sp_config(args.idp_metadata, args.signing_key))
    idp = idp_entity_id(client)
    destination = slo_location(client, idp)
    name_id = NameID(
        text=args.name_id, format=NAMEID_FORMAT_PERSISTENT, name_qualifier=idp, sp_name_qualifier=SP_ENTITY_ID
    )
    session_indexes = [args.session_index] if args.session_index else None
    request_id, request = client.create_logout_request(
        destination, idp, name_id=name_id, session_indexes=session_indexes, sign=False
    )
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, args.relay_state, sign=not args.unsigned, sigalg=RSA_SHA256
    )
    query = redirect_query(dict(info["headers"])["Location"], destination)
    print(json.dumps({"id": request_id, "query": query}))


def cmd_answer_logout_request(args):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client
    from saml2.s_utils import status_message_factory, success_status_factory
    from saml2.samlp import STATUS_UNKNOWN_PRINCIPAL

    config = sp_config(args.idp_metadata, args.signing_key)
    # pysaml2 checks a redirect request's signature only when its "idp" settings want signed requests.
    config.setattr("idp", "want_authn_requests_signed", True)
    client = Saml2Client(config=config)
    params = received_query(args.url, SP_SLO_URL, "request")
    try:
        request = client.parse_logout_request(
            params.get("SAMLRequest"),
            BINDING_HTTP_REDIRECT,
            relay_state=params.get("RelayState"),
            sigalg=params.get("SigAlg"),
            signature=params.get("Signature"),
        )
        verified = request is not None and request.verify()
    except Exception as exc:  # noqa: BLE001 -- every refusal is reported the same way
        refuse(f"{type(exc).__name__}: {exc}", "request")
    if not verified:
        refuse("issued too long ago or too far in the future", "request")
    message = request.message
    if message.name_id.text == args.name_id:
        status = success_status_factory()
    else:
        status = status_message_factory("Unknown user", STATUS_UNKNOWN_PRINCIPAL)
    response = client.create_logout_response(message, bindings=[BINDING_HTTP_REDIRECT], status=status, sign=False)
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        response.destination,
        params.get("RelayState", ""),
        response=True,
        sign=True,
        sigalg=RSA_SHA256,
    )
    print(
        json.dumps(
            {
                "id": message.id,
                "issuer": request.sender(),
                "name_id": message.name_id.text,
                "name_id_format": message.name_id.format,
                "sp_name_qualifier": message.name_id.sp_name_qualifier,
                "session_indexes": [index.text for index in message.session_index],
                "relay_state": params.get("RelayState"),
                "response_url": dict(info["headers"])["Location"],
            },
            ensure_ascii=False,
        )
    )


def cmd_check_logout_response(args):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client
    from saml2.sigver import verify_redirect_signature

    client = Saml2Client(config=sp_config(args.idp_metadata))
    idp = idp_entity_id(client)
    params = received_query(args.url, SP_SLO_URL, "response")
    if "SigAlg" not in params or "Signature" not in params:
        refuse("the LogoutResponse is not signed")
    certs = client.metadata.certs(idp, "idpsso", "signing")
    signed = {k: params[k] for k in ("SAMLResponse", "RelayState", "SigAlg", "Signature") if k in params}
    if not any(verify_redirect_signature(signed, client.sec.sec_backend, cert) for _name, cert in certs):
        refuse("the query signature does not verify with the IdP's certificates")
    try:
        response = client.parse_logout_request_response(params.get("SAMLResponse"), BINDING_HTTP_REDIRECT)
        verified = response is not None and response.verify()
    except Exception as exc:  # noqa: BLE001 -- every refusal is reported the same way
        refuse(f"{type(exc).__name__}: {exc}")
    if not verified:
        refuse("wrong destination or issue instant")
    if response.in_response_to != args.request_id:
        refuse(f"answers {response.in_response_to}, not {args.request_id}")
    if response.issuer() != idp:
        refuse(f"issued by {response.issuer()}")
    verdict = {
        "issuer": response.issuer(),
        "in_response_to": response.in_response_to,
        "relay_state": params.get("RelayState"),
    }
    print(json.dumps(verdict, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("now").set_defaults(run=lambda _a: print(int(time.time() * 1000)))
    metadata = commands.add_parser("metadata")
    metadata.set_defaults(run=cmd_metadata)
    request = commands.add_parser("authn-request")
    request.set_defaults(run=cmd_authn_request)
    check = commands.add_parser("check-response")
    check.set_defaults(run=cmd_check_response)
    logout = commands.add_parser("logout-request")
    logout.set_defaults(run=cmd_logout_request)
    answer = commands.add_parser("answer-logout-request")
    answer.set_defaults(run=cmd_answer_logout_request)
    check_logout = commands.add_parser("check-logout-response")
    check_logout.set_defaults(run=cmd_check_logout_response)
    for p in (metadata, request, check, logout, answer, check_logout):
        p.add_argument("--idp-metadata", required=True)
    for p in (logout, answer):
        p.add_argument("--name-id", required=True)
        p.add_argument("--signing-key", default="sp")
    logout.add_argument("--session-index")
    logout.add_argument("--relay-state", default="")
    logout.add_argument("--unsigned", action="store_true")
    for p in (answer, check_logout):
        p.add_argument("--url", required=True)
    check_logout.add_argument("--request-id", required=True)
    request.add_argument("--binding", choices=["redirect", "post"], default="redirect")
    request.add_argument("--unsigned", action="store_true")
    request.add_argument("--signing-key", default="sp")
    request.add_argument("--acs-url")
    request.add_argument("--relay-state", default="")
    request.add_argument("--force-authn", action="store_true")
    check.add_argument("--response", required=True, help="the base64 SAMLResponse")
    who = check.add_mutually_exclusive_group(required=True)
    who.add_argument("--request-id")
    who.add_argument("--unsolicited", action="store_true")
    check.add_argument("--want-response-signed", action="store_true")
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
