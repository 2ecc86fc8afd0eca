"""An OpenID Connect relying party built on authlib, driven by the Rust tests step by step (the test's
own HTTP client plays the browser). Every command prints one JSON object; a refusal by the provider
or by authlib's checks exits 2 with "refused: <reason>" on stderr.

  start   ISSUER CLIENT_ID REDIRECT_URI [SCOPE]         -> {url, state, nonce, code_verifier}
  finish  ISSUER CLIENT_ID AUTH SECRET REDIRECT_URI CALLBACK_URL STATE NONCE VERIFIER
          AUTH: client_secret_basic | client_secret_post | none | private_key_jwt (SECRET = PEM file)
                                                        -> {token, claims}  (id_token verified with the JWKS)
  refresh ISSUER CLIENT_ID AUTH SECRET REFRESH_TOKEN    -> {token, claims}
  userinfo ISSUER ACCESS_TOKEN                          -> claims
  revoke  ISSUER CLIENT_ID AUTH SECRET TOKEN            -> {}
  introspect ISSUER CLIENT_ID AUTH SECRET TOKEN         -> introspection answer
"""
import json
import secrets
import sys

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken


def refuse(reason):
    sys.stderr.write(f"refused: {reason}\n")
    sys.exit(2)


def discover(issuer):
    r = requests.get(issuer + "/.well-known/openid-configuration", timeout=10)
    r.raise_for_status()
    meta = r.json()
    if meta["issuer"] != issuer:
        refuse("issuer mismatch in discovery")
    return meta


def session(meta, client_id, auth, secret, **kw):
    if auth == "private_key_jwt":
        with open(secret) as f:
            key = f.read()
        s = OAuth2Session(client_id, key, token_endpoint_auth_method=PrivateKeyJWT(meta["token_endpoint"]), **kw)
        return s
    if auth == "none":
        return OAuth2Session(client_id, None, token_endpoint_auth_method="none", **kw)
    return OAuth2Session(client_id, secret, token_endpoint_auth_method=auth, **kw)


def verify_id_token(meta, token, client_id, nonce):
    jwks = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    try:
        claims = jwt.decode(
            token["id_token"],
            jwks,
            claims_cls=CodeIDToken,
            claims_options={"iss": {"value": meta["issuer"]}, "aud": {"value": client_id}},
            claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
        )
        claims.validate()
    except Exception as e:  # authlib raises several error types
        refuse(f"id_token: {e}")
    return dict(claims)


def main(argv):
    cmd, issuer = argv[0], argv[1]
    meta = discover(issuer)
    if cmd == "start":
        client_id, redirect_uri = argv[2], argv[3]
        scope = argv[4] if len(argv) > 4 else "openid profile"
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(16)
        s = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scope, code_challenge_method="S256")
        url, state = s.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
        print(json.dumps({"url": url, "state": state, "nonce": nonce, "code_verifier": verifier}))
    elif cmd == "finish":
        client_id, auth, secret, redirect_uri, callback, state, nonce, verifier = argv[2:10]
        s = session(meta, client_id, auth, secret, redirect_uri=redirect_uri, state=state)
        try:
            token = s.fetch_token(meta["token_endpoint"], authorization_response=callback, code_verifier=verifier)
        except Exception as e:
            refuse(f"token: {e}")
        print(json.dumps({"token": dict(token), "claims": verify_id_token(meta, token, client_id, nonce)}))
    elif cmd == "refresh":
        client_id, auth, secret, refresh_token = argv[2:6]
        s = session(meta, client_id, auth, secret)
        try:
            token = s.refresh_token(meta["token_endpoint"], refresh_token=refresh_token)
        except Exception as e:
            refuse(f"refresh: {e}")
        print(json.dumps({"token": dict(token), "claims": verify_id_token(meta, token, client_id, None)}))
    elif cmd == "userinfo":
        r = requests.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {argv[2]}"}, timeout=10)
        if r.status_code != 200:
            refuse(f"userinfo {r.status_code}")
        print(json.dumps(r.json()))
    elif cmd == "revoke":
        client_id, auth, secret, token = argv[2:6]
        s = session(meta, client_id, auth, secret)
        r = s.revoke_token(meta["revocation_endpoint"], token=token)
        if r.status_code != 200:
            refuse(f"revoke {r.status_code}")
        print("{}")
    elif cmd == "introspect":
        client_id, auth, secret, token = argv[2:6]
        s = session(meta, client_id, auth, secret)
        r = s.introspect_token(meta["introspection_endpoint"], token=token)
        if r.status_code != 200:
            refuse(f"introspect {r.status_code}: {r.text}")
        print(json.dumps(r.json()))
    else:
        refuse(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
