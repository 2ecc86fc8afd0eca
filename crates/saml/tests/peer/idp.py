#!/usr/bin/env python3
"""A command-line SAML 2 identity provider built on pysaml2, the peer of the `saml` crate's tests.

    idp.py now                              the peer's clock, in Unix milliseconds
    idp.py metadata                         this IdP's metadata (EntityDescriptor) on stdout
    idp.py check-request --sp-metadata F --request-url URL
        parse our HTTP-Redirect AuthnRequest, verify its signature against the SP metadata,
        print {"id", "issuer", "acs_url", "relay_state"} as JSON; exit 2 if refused
    idp.py respond --sp-metadata F --request-url URL --name-id N --attributes JSON [options]
        the same checks, then print the base64 SAMLResponse answering the request

Options of respond: --sign-assertion, --sign-response, --xmlsec1-sign-assertion (Shibboleth-style signature
with an InclusiveNamespaces PrefixList, made by the xmlsec1 CLI; at least one unless --unsigned),
--encrypt-assertion, --audience X, --recipient X, --lifetime-secs N, --signing-key NAME
(a key pair test-only-NAME.{key,crt} beside this file, default idp), --unsolicited,
--signing-alg rsa-sha256|rsa-sha1, --data-cipher aes256-gcm|aes128-gcm|aes256-cbc|aes128-cbc|tripledes-cbc.

Test keys only. Needs `pip install pysaml2` and the `xmlsec1` CLI (`apt-get install xmlsec1`).
"""

import argparse
import base64
import json
import os
import shutil
import sys
import time
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
IDP_ENTITY_ID = "https://educonnect.test/idp"
IDP_SSO_URL = "https://educonnect.test/idp/profile/SAML2/Redirect/SSO"


def key_pair(name):
    return os.path.join(HERE, f"test-only-{name}.key"), os.path.join(HERE, f"test-only-{name}.crt")


def xmlsec_binary():
    found = shutil.which("xmlsec1")
    if not found:
        sys.exit("xmlsec1 is missing: apt-get install xmlsec1")
    return found


SIGNING_ALGORITHMS = {
    "rsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
    "rsa-sha1": ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1"),
}
# Content encryption: the algorithm URI and the xmlsec1 session key for it.
DATA_CIPHERS = {
    "aes128-cbc": ("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "aes-128"),
    "aes256-cbc": ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "aes-256"),
    "aes128-gcm": ("http://www.w3.org/2009/xmlenc11#aes128-gcm", "aes-128"),
    "aes256-gcm": ("http://www.w3.org/2009/xmlenc11#aes256-gcm", "aes-256"),
    "tripledes-cbc": ("http://www.w3.org/2001/04/xmlenc#tripledes-cbc", "des-192"),  # pysaml2's default
}


def idp_config(sp_metadata=None, lifetime_secs=300, signing_key="idp", signing_alg="rsa-sha256"):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT

    key_file, cert_file = key_pair(signing_key)
    conf = {
        "entityid": IDP_ENTITY_ID,
        "name": "EduConnect (test)",
        "service": {
            "idp": {
                "endpoints": {"single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)]},
                "want_authn_requests_signed": True,
                # pysaml2 defaults to SHA-1; Shibboleth (EduConnect) and every current IdP sign with SHA-256.
                "signing_algorithm": SIGNING_ALGORITHMS[signing_alg][0],
                "digest_algorithm": SIGNING_ALGORITHMS[signing_alg][1],
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"seconds": lifetime_secs},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": key_file,
        "cert_file": cert_file,
        "xmlsec_binary": xmlsec_binary(),
        "attribute_map_dir": os.path.join(HERE, "attributemaps"),
        "metadata": {"local": [sp_metadata]} if sp_metadata else {},
    }
    config = IdPConfig()
    config.load(conf)
    return config


def cmd_metadata(_args):
    from saml2.metadata import entity_descriptor

    print(str(entity_descriptor(idp_config())))


def parse_request(server, request_url):
    """Verify our HTTP-Redirect AuthnRequest: the query-string signature and the request itself."""
    from saml2 import BINDING_HTTP_REDIRECT

    query = {k: v[0] for k, v in parse_qs(urlsplit(request_url).query, keep_blank_values=True).items()}
    if not urlsplit(request_url).geturl().startswith(IDP_SSO_URL + "?"):
        raise ValueError("the request is not addressed to this IdP's SSO endpoint")
    if "Signature" not in query or "SigAlg" not in query:
        raise ValueError("the request is not signed")
    parsed = server.parse_authn_request(
        query["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=query.get("RelayState"),
        sigalg=query["SigAlg"],
        signature=query["Signature"],
    )
    if parsed is None:
        raise ValueError("the request did not verify")
    return parsed, query.get("RelayState")


def refuse(exc):
    print(f"request refused: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(2)


def cmd_check_request(args):
    from saml2.server import Server

    server = Server(config=idp_config(args.sp_metadata))
    try:
        parsed, relay_state = parse_request(server, args.request_url)
    except Exception as exc:  # noqa: BLE001 -- every refusal is reported the same way
        refuse(exc)
    message = parsed.message
    print(
        json.dumps(
            {
                "id": message.id,
                "issuer": message.issuer.text.strip(),
                "acs_url": message.assertion_consumer_service_url,
                "relay_state": relay_state,
                "sp_entity_ids": list(server.metadata.keys()),
            }
        )
    )


def override_audience_and_recipient(audience, recipient):
    """pysaml2 derives both from the SP; a few tests need them wrong on purpose."""
    import saml2.assertion
    import saml2.server

    if audience is not None:
        conditions = saml2.assertion.Policy.conditions

        def wrong_audience(self, sp_entity_id):
            conds = conditions(self, sp_entity_id)
            conds.audience_restriction[0].audience[0].text = audience
            return conds

        saml2.assertion.Policy.conditions = wrong_audience
    if recipient is not None:
        update_farg = saml2.server.Server.update_farg

        def wrong_recipient(in_response_to, consumer_url, farg=None):
            farg = update_farg(in_response_to, consumer_url, farg)
            farg["assertion"]["subject"]["subject_confirmation"]["subject_confirmation_data"]["recipient"] = recipient
            return farg

        saml2.server.Server.update_farg = staticmethod(wrong_recipient)


def use_data_cipher(name):
    """pysaml2 always encrypts with 3DES; Shibboleth uses AES-GCM (v4+) or AES-CBC."""
    import functools

    import saml2.entity
    import saml2.sigver

    uri, session_key = DATA_CIPHERS[name]
    saml2.entity.pre_encryption_part = functools.partial(saml2.sigver.pre_encryption_part, msg_enc=uri)
    encrypt = saml2.sigver.SecurityContext.encrypt_assertion

    def with_session_key(self, statement, enc_key, template, key_type=None, node_xpath=None):
        return encrypt(self, statement, enc_key, template, session_key, node_xpath)

    saml2.sigver.SecurityContext.encrypt_assertion = with_session_key


SHIBBOLETH_STYLE_SIGNATURE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#{id}"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">'
    '<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/>'
    "</ds:Transform></ds:Transforms>"
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
    "</ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
    "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>"
)


def sign_assertion_with_xmlsec1(response_xml, signing_key):
    """Signs the assertion with the xmlsec1 CLI itself, the way Shibboleth IdPs (EduConnect) write their
    signatures: an InclusiveNamespaces PrefixList on the exclusive c14n transform."""
    import re
    import subprocess
    import tempfile

    found = re.search(r'<(\w+):Assertion [^>]*?ID="([^"]+)"[^>]*>.*?</\1:Issuer>', response_xml, re.S)
    if not found:
        sys.exit("no assertion Issuer to put the signature after")
    template = SHIBBOLETH_STYLE_SIGNATURE.format(id=found.group(2))
    unsigned = response_xml[: found.end()] + template + response_xml[found.end() :]
    key_file, cert_file = key_pair(signing_key)
    with tempfile.NamedTemporaryFile("w", suffix=".xml") as tmp:
        tmp.write(unsigned)
        tmp.flush()
        signed = subprocess.run(
            [
                xmlsec_binary(),
                "--sign",
                "--privkey-pem",
                f"{key_file},{cert_file}",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                tmp.name,
            ],
            capture_output=True,
            check=True,
        )
    return signed.stdout.decode("utf-8")


def cmd_respond(args):
    from saml2.s_utils import factory
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
    from saml2.server import Server

    if not (args.sign_assertion or args.sign_response or args.unsigned or args.xmlsec1_sign_assertion):
        sys.exit("say --sign-assertion, --sign-response, --xmlsec1-sign-assertion or --unsigned")
    server = Server(config=idp_config(args.sp_metadata, args.lifetime_secs, args.signing_key, args.signing_alg))
    use_data_cipher(args.data_cipher)
    try:
        parsed, _relay_state = parse_request(server, args.request_url)
    except Exception as exc:  # noqa: BLE001
        refuse(exc)
    request = parsed.message
    sp_entity_id = request.issuer.text.strip()
    acs_url = request.assertion_consumer_service_url
    override_audience_and_recipient(args.audience, args.recipient)

    identity = json.loads(args.attributes)
    name_id = factory(NameID, format=NAMEID_FORMAT_PERSISTENT, text=args.name_id)
    encrypt_cert = None
    if args.encrypt_assertion:
        # The SP's encryption certificate as its metadata publishes it.
        certs = server.metadata.certs(sp_entity_id, "spsso", "encryption")
        if not certs:
            sys.exit("the SP metadata has no encryption certificate")
        encrypt_cert = certs[0][1]
    response = server.create_authn_response(
        identity,
        None if args.unsolicited else request.id,
        acs_url,
        sp_entity_id,
        name_id=name_id,
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_response=args.sign_response,
        sign_assertion=args.sign_assertion,
        encrypt_assertion=args.encrypt_assertion,
        encrypt_cert_assertion=encrypt_cert,
    )
    response = str(response)
    if args.xmlsec1_sign_assertion:
        response = sign_assertion_with_xmlsec1(response, args.signing_key)
    print(base64.b64encode(response.encode("utf-8")).decode("ascii"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("now").set_defaults(run=lambda _a: print(int(time.time() * 1000)))
    commands.add_parser("metadata").set_defaults(run=cmd_metadata)
    check = commands.add_parser("check-request")
    check.set_defaults(run=cmd_check_request)
    respond = commands.add_parser("respond")
    respond.set_defaults(run=cmd_respond)
    for p in (check, respond):
        p.add_argument("--sp-metadata", required=True)
        p.add_argument("--request-url", required=True)
    respond.add_argument("--name-id", required=True)
    respond.add_argument("--attributes", required=True, help='JSON, e.g. {"sn": ["Martin"]}')
    respond.add_argument("--sign-assertion", action="store_true")
    respond.add_argument("--sign-response", action="store_true")
    respond.add_argument("--unsigned", action="store_true")
    respond.add_argument("--xmlsec1-sign-assertion", action="store_true", help="Shibboleth-style, by xmlsec1")
    respond.add_argument("--encrypt-assertion", action="store_true")
    respond.add_argument("--unsolicited", action="store_true", help="no InResponseTo")
    respond.add_argument("--audience")
    respond.add_argument("--recipient")
    respond.add_argument("--lifetime-secs", type=int, default=300)
    respond.add_argument("--signing-key", default="idp")
    respond.add_argument("--signing-alg", choices=sorted(SIGNING_ALGORITHMS), default="rsa-sha256")
    respond.add_argument("--data-cipher", choices=sorted(DATA_CIPHERS), default="aes256-gcm")
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
