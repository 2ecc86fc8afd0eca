// Sends the SAML assertion on to the service as soon as the page loads (the button does it without
// JavaScript).
document.getElementById('saml-post').submit();
