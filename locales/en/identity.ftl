login-title = Sign in
login-username = Username
login-password = Password
login-submit = Sign in
login-missing = Enter your username and your password.
login-bad-credentials = Wrong username or password. Check what you typed (capitals, accents) and try again.
login-locked = Too many failed attempts on this account: it is locked for { $minutes } min. Try again then, or ask the school to reset your password.
login-throttled = Too many failed attempts from your connection. Try again in { $minutes } min.
login-no-context = Your account is not attached to any school. Contact the school office.
login-busy = The sign-in service is very busy. Try again in a few seconds.
login-expired = Your session has expired. Sign in again to continue.
login-renew = The service you are opening asks you to confirm who you are: enter your password again.
login-signed-out = You are signed out. See you soon!
login-demo-title = Demo accounts
login-demo-text = Shared password: ardoise-demo
context-invalid = The requested profile does not exist.
activation-title = Activate my account
activation-intro = Your school gave you a letter with your username and an activation code. Enter them to choose your password.
activation-code = Activation code
activation-code-hint = 12 characters, for example ABCD-EFGH-JKMN (dashes and capitals optional).
activation-continue = Continue
activation-have-password = I already have a password: sign in
activation-invalid = Wrong username or activation code. Check your letter; if in doubt, ask the school for a new code.
activation-expired = This activation code has expired. Ask the school office for a new letter.
activation-welcome = Welcome { $name }! Choose your password to finish.
activation-password = New password
activation-password-hint = At least 10 characters; an easy-to-remember sentence works very well.
activation-confirm = Confirm the password
activation-alias = Personal username (optional)
activation-alias-hint = Lower-case letters, digits, dashes: you can sign in with it; your username stays valid.
activation-email = Recovery e-mail address
activation-phone = Recovery mobile phone
activation-charter = I have read and accept the ENT's terms of use.
activation-submit = Activate my account
activation-alias-invalid = Personal username refused: 3 to 40 lower-case letters, digits or dashes, starting with a letter, no dot.
activation-alias-taken = This personal username is taken: choose another one.
activation-email-invalid = The e-mail address is not valid (example: first.last@example.fr).
activation-phone-invalid = The phone number is not valid (example: 06 12 34 56 78).
activation-recovery-needed = Give an e-mail address or a phone number: they will let you recover your account.
activation-charter-needed = You must accept the terms of use to activate your account.
activation-class-missing = Choose a class.
password-too-short = The password must have at least { $min } characters.
password-contains-name = The password must contain neither your name, your first name nor your username.
password-too-common = This password is too common and would be guessed quickly: choose another one.
password-mismatch = The two passwords are different.
tile-activation = Account activation
tile-activation-desc = Activation letters and codes by class
tile-journal = Sign-in journal
tile-journal-desc = Sign-ins, failures, lockouts, activations
letters-intro = For each class, print the activation letters of the students (and their guardians) who have no password yet. Each printing creates new codes and cancels the previous ones.
letters-col-letters = Letters
letters-with-guardians = with guardians
letters-pdf-for = PDF letters of class { $class }
letters-csv-for = CSV file of class { $class }
journal-filter = Event type
journal-all = All
journal-apply = Filter
journal-when = Date
journal-what = Event
journal-who = Account
journal-ip = IP address
journal-detail = Detail
audit-sign-in = Sign-in
audit-sign-in-failed = Failed sign-in
audit-lockout = Account locked
audit-sign-out = Sign-out
audit-codes-issued = Activation codes issued
audit-activated = Account activated
audit-activation-failed = Failed activation
login-first-time = First time? Activate your account with the code you received
sessions-title = My active sessions
sessions-intro = The devices where your account is signed in. If you do not recognise one, sign it out and change your password.
sessions-device = Device
sessions-since = Signed in since (UTC)
sessions-last-seen = Last activity (UTC)
sessions-actions = Actions
sessions-current = this device
sessions-end = Sign out
sessions-end-one = Sign out { $device }
sessions-end-others = Sign out all other devices
mfa-title = Two-step verification
mfa-intro = Enter the code shown by your authenticator app.
mfa-code = 6-digit code
mfa-code-hint = Lost your phone? Enter one of your recovery codes.
mfa-submit = Verify
mfa-wrong-code = This code is not valid or was already used. Wait for the next code and try again.
mfa-enrol-title = Two-factor authentication
mfa-required = Your profile requires two-factor authentication: set it up to use the ENT.
mfa-step-app = Install an authenticator app (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator…).
mfa-step-scan = Scan this QR code with the app.
mfa-qr-label = QR code to scan with your authenticator app
mfa-manual = Or type this key in the app:
mfa-step-code = Code shown by the app
mfa-enrol-submit = Turn on two-factor authentication
mfa-already-enrolled = Two-factor authentication is already on for this account.
mfa-active = Two-factor authentication is on for your account.
mfa-now-active = Two-factor authentication is now on.
mfa-recovery-title = Your recovery codes
mfa-recovery-text = Write down or print these codes and keep them safe: each lets you sign in once without your phone. They will not be shown again.
login-mfa-blocked = Too many wrong codes: the sign-in was closed. Sign in again.
audit-mfa-enrolled = Two-factor authentication turned on
audit-mfa-passed = Second factor accepted
audit-mfa-failed = Second factor refused
password-title = Change my password
password-current = Current password
password-submit = Change the password
password-changed = Password changed. Your other devices have been signed out.
password-current-wrong = The current password is wrong.
reset-title = Reset an account
reset-intro = For a student or guardian of the school who lost their password: the password is removed, their sessions are closed and a new activation letter is printed.
reset-submit = Reset and print the letter
reset-unknown = No account has the username “{ $login }”.
reset-not-here = The account “{ $login }” is not a student's or guardian's of your school.
audit-password-changed = Password changed
audit-account-reset = Account reset
audit-recovery-requested = Reset link sent
audit-login-reminded = Login reminder sent
audit-password-reset-by-mail = Password reset by e-mail
audit-new-device = Sign-in from a new device
audit-step-up = Identity confirmed for a sensitive action
login-forgot = Forgotten password or login?
recovery-title = Forgotten password or login
recovery-password-title = I forgot my password
recovery-password-text = Enter your login: we send a link to choose a new password to your account's recovery address.
recovery-password-submit = Send me a link
recovery-login-title = I forgot my login
recovery-login-text = Enter the recovery address you gave when activating your account: we send the logins attached to it there.
recovery-login-submit = Send me my login
recovery-email = E-mail address
recovery-no-email = No recovery address? Ask the school office to reset your account: you will receive a new activation letter.
recovery-back = Back to sign-in
recovery-username-missing = Enter your login.
recovery-password-sent = If this account has a recovery address, a link has just been sent there. It is valid for one hour. Check your spam folder too.
recovery-login-sent = If accounts are attached to this address, their logins have just been sent there.
recovery-reset-title = Choose a new password
recovery-reset-submit = Save the password
recovery-link-unknown = This link is not valid. Check that it was copied in full, or ask for a new one.
recovery-link-expired = This link has expired (it is valid for one hour). Ask for a new one.
recovery-link-used = This link has already been used. Ask for a new one if needed.
recovery-ask-again = Ask for a new link
recovery-done = Your password has been changed and your devices signed out. Sign in with the new password.
recovery-mail-reset-subject = Ardoise: choose a new password
recovery-mail-reset-body =
    Hello { $name },

    Someone (probably you) asked to change the password of the Ardoise account "{ $login }".
    To choose a new password, open this link within { $minutes } minutes:

    { $url }

    The link works once. If you did not ask for anything, ignore this message: your password does not change.

    Ardoise, your school's digital workspace
recovery-mail-login-subject = Ardoise: your login
recovery-mail-login-body =
    Hello,

    These Ardoise logins are attached to this address:

    { $logins }

    To sign in: { $url }
    If you did not ask for anything, ignore this message.

    Ardoise, your school's digital workspace
recovery-mail-device-subject = Ardoise: new sign-in to your account
recovery-mail-device-body =
    Hello { $name },

    The Ardoise account "{ $login }" has just been used from a device we did not know:
    on { $when }, { $device }, address { $ip }.

    If it was you, there is nothing to do.
    Otherwise, change your password now and end the unknown sessions here: { $url }
    and tell the school.

    Ardoise, your school's digital workspace
audit-recovery-contact-changed = Recovery address changed
recovery-contact-title = My recovery address
recovery-contact-intro = This is where we send a link if you forget your password, and a warning when your account is used from a new device.
recovery-contact-submit = Save the address
recovery-contact-saved = Recovery address saved.
recovery-mail-changed-subject = Ardoise: recovery address changed
recovery-mail-changed-body =
    Hello { $name },

    The recovery address of the Ardoise account "{ $login }" was changed on { $when };
    this message goes to the former address.

    If it was not you, tell the school at once.

    Ardoise, your school's digital workspace
mfa-step-up-title = Confirm your identity
mfa-step-up-intro = This action is sensitive: enter the six-digit code from your authenticator app (or a recovery code) to continue.
journal-login = Account (login)
journal-school = School
journal-no-school = No school
tile-region-journal-desc = Sign-ins, failures, lockouts, resets across the region
audit-federated-sign-in = Sign-in through an identity provider
audit-federation-refused = Sign-in through an identity provider refused
audit-service-registered = Connected service registered or changed
audit-service-removed = Connected service removed
wickets-title = Sign in with
wickets-students-parents = Student or parent
wickets-staff = National education staff
wickets-other = Others
wickets-local = Or with an Ardoise account
wicket-unknown = This sign-in provider does not exist.
wicket-stale = This answer from the sign-in provider was already used or has expired. Start signing in again from the home page.
wicket-invalid = The sign-in provider's answer could not be verified: sign-in refused. Try again; if it persists, tell the school.
wicket-no-account = Your identity was verified, but it is not linked to any Ardoise account. Accounts come from the académie's directory: if you just arrived, try again in a few days or ask the school.
wicket-ambiguous = Several Ardoise accounts have your academic address: sign-in refused. Ask the school to correct the directory.
