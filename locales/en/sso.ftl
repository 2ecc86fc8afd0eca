cas-unknown-service = This service is not registered with Ardoise: your sign-in is not passed on. If you came from an official link, tell the school.
cas-not-for-profile = The service "{ $service }" is not open to your current profile. Switch profile in the banner if relevant.
