# EduConnect attribute names as the SAML URI name format carries them (interop.md §3).
# FrEduCtRefId's OID is not in our sources: .999.1.99 is invented for the tests.
EDU = "urn:oid:1.3.6.1.4.1.20326.10.999.1."

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "fro": {
        EDU + "57": "FrEduCtId",
        EDU + "7": "FrEduCtPersonAffiliation",
        EDU + "72": "FrEduCtEleveUAI",
        EDU + "64": "FrEduCtEleveINEHash",
        EDU + "99": "FrEduCtRefId",
        "urn:oid:2.5.4.4": "sn",
        "urn:oid:2.5.4.42": "givenName",
        "urn:oid:0.9.2342.19200300.100.1.3": "mail",
    },
    "to": {
        "FrEduCtId": EDU + "57",
        "FrEduCtPersonAffiliation": EDU + "7",
        "FrEduCtEleveUAI": EDU + "72",
        "FrEduCtEleveINEHash": EDU + "64",
        "FrEduCtRefId": EDU + "99",
        "sn": "urn:oid:2.5.4.4",
        "givenName": "urn:oid:2.5.4.42",
        "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    },
}
