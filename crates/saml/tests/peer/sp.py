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


def refuse(what):
    print(f"response refused: {what}", file=sys.stderr)
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
    for p in (metadata, request, check):
        p.add_argument("--idp-metadata", required=True)
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
