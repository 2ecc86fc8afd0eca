//! Why a SAML message, key or metadata file was refused.

/// Every refusal of this crate. The messages are French, short, and say what was wrong — never the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlError {
    /// Not the XML or the structure a SAML message must have (also: too large, a DTD, two assertions).
    #[error("message SAML mal formé : {0}")]
    Malformed(String),
    /// Neither the assertion nor the response carries a signature.
    #[error("la réponse n'est pas signée")]
    Unsigned,
    /// A signature is present but does not verify with the identity provider's certificates, or does not
    /// cover the element it is attached to.
    #[error("la signature de la réponse est invalide")]
    BadSignature,
    /// The message names an algorithm this crate refuses (SHA-1 digests, RSA PKCS#1 v1.5 key transport…).
    #[error("algorithme non pris en charge : {0}")]
    UnsupportedAlgorithm(String),
    /// The response or the assertion comes from another identity provider.
    #[error("la réponse ne vient pas du fournisseur d'identité attendu")]
    WrongIssuer,
    /// The response was sent to another service provider's address.
    #[error("la réponse est destinée à une autre adresse")]
    WrongDestination,
    /// The assertion is meant for another service provider.
    #[error("l'assertion est destinée à un autre service")]
    WrongAudience,
    /// The bearer confirmation names another consumer address.
    #[error("l'assertion est destinée à une autre adresse de retour")]
    WrongRecipient,
    /// The response answers another request (or answers a request where none was made).
    #[error("la réponse ne correspond pas à la demande de connexion")]
    InResponseToMismatch,
    /// Too late: the assertion or its confirmation has expired.
    #[error("l'assertion a expiré")]
    Expired,
    /// Too early, even allowing for clock skew.
    #[error("l'assertion n'est pas encore valable")]
    NotYetValid,
    /// The identity provider answered with a failure status (its code, e.g. `…:Responder / …:AuthnFailed`).
    #[error("le fournisseur d'identité a refusé la connexion : {0}")]
    Status(String),
    /// The encrypted assertion could not be decrypted with our key.
    #[error("l'assertion chiffrée ne peut pas être déchiffrée : {0}")]
    Decrypt(String),
    /// Our key or certificate is unreadable, too weak, or the two do not match.
    #[error("clé ou certificat invalide : {0}")]
    BadKey(String),
    /// The identity provider's metadata cannot be used.
    #[error("métadonnées du fournisseur d'identité invalides : {0}")]
    BadMetadata(String),
    /// A service provider's metadata cannot be used (we are the identity provider).
    #[error("métadonnées du service invalides : {0}")]
    BadSpMetadata(String),
    /// An AuthnRequest or a logout message comes from a service provider we do not know, or not from the
    /// one it claims.
    #[error("le message vient d'un service inconnu")]
    UnknownServiceProvider,
    /// An AuthnRequest is not signed while the service provider's metadata, or our own, requires it.
    #[error("la demande de connexion n'est pas signée")]
    UnsignedRequest,
    /// An AuthnRequest's signature does not verify with the service provider's certificates.
    #[error("la signature de la demande de connexion est invalide")]
    BadRequestSignature,
    /// An AuthnRequest asks for the response at an address its service provider's metadata does not list.
    #[error("l'adresse de retour demandée n'est pas déclarée par le service")]
    UnknownAssertionConsumer,
    /// An AuthnRequest's `IssueInstant` is too old, or in the future, even allowing for clock skew.
    #[error("la demande de connexion est périmée ou datée dans le futur")]
    StaleRequest,
    /// A service provider's LogoutRequest is not signed (always required), or its LogoutResponse is not
    /// while its metadata says it signs its messages.
    #[error("le message de déconnexion n'est pas signé")]
    UnsignedLogout,
    /// A logout message's signature does not verify with the service provider's certificates.
    #[error("la signature du message de déconnexion est invalide")]
    BadLogoutSignature,
    /// A logout message's `IssueInstant` is too old or in the future, or its `NotOnOrAfter` has passed.
    #[error("le message de déconnexion est périmé ou daté dans le futur")]
    StaleLogout,
}

impl SamlError {
    pub(crate) fn malformed(what: impl Into<String>) -> Self {
        SamlError::Malformed(what.into())
    }
}
