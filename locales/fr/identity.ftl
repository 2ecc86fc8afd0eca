login-title = Connexion
login-username = Identifiant
login-password = Mot de passe
login-submit = Se connecter
login-missing = Saisissez votre identifiant et votre mot de passe.
login-bad-credentials = Identifiant ou mot de passe incorrect. Vérifiez la saisie (majuscules, accents) puis réessayez.
login-locked = Trop d'essais infructueux sur ce compte : il est bloqué pendant { $minutes } min. Réessayez ensuite, ou demandez à l'établissement de réinitialiser votre mot de passe.
login-throttled = Trop d'essais infructueux depuis votre connexion. Réessayez dans { $minutes } min.
login-no-context = Votre compte n'est rattaché à aucun établissement. Contactez le secrétariat de l'établissement.
login-busy = Le service de connexion est très sollicité. Réessayez dans quelques secondes.
login-expired = Votre session a expiré. Reconnectez-vous pour continuer.
login-renew = Le service que vous ouvrez demande de confirmer votre identité : saisissez à nouveau votre mot de passe.
login-signed-out = Vous êtes déconnecté. À bientôt !
login-demo-title = Comptes de démonstration
login-demo-text = Mot de passe commun : ardoise-demo
context-invalid = Le profil demandé n'existe pas.
activation-title = Activer mon compte
activation-intro = Votre établissement vous a remis un courrier avec votre identifiant et un code d'activation. Saisissez-les pour choisir votre mot de passe.
activation-code = Code d'activation
activation-code-hint = 12 caractères, par exemple ABCD-EFGH-JKMN (tirets et majuscules facultatifs).
activation-continue = Continuer
activation-have-password = J'ai déjà un mot de passe : me connecter
activation-invalid = Identifiant ou code d'activation incorrect. Vérifiez votre courrier ; en cas de doute, demandez un nouveau code à l'établissement.
activation-expired = Ce code d'activation a expiré. Demandez un nouveau courrier au secrétariat de l'établissement.
activation-welcome = Bienvenue { $name } ! Choisissez votre mot de passe pour terminer.
activation-password = Nouveau mot de passe
activation-password-hint = 10 caractères au moins ; une phrase facile à retenir convient très bien.
activation-confirm = Confirmez le mot de passe
activation-alias = Identifiant personnalisé (facultatif)
activation-alias-hint = Lettres minuscules, chiffres, tirets : il remplacera votre identifiant à la connexion, qui reste valable.
activation-email = Adresse électronique de secours
activation-phone = Téléphone portable de secours
activation-charter = J'ai lu et j'accepte la charte d'utilisation de l'ENT.
activation-submit = Activer mon compte
activation-alias-invalid = Identifiant personnalisé refusé : de 3 à 40 lettres minuscules, chiffres ou tirets, en commençant par une lettre, sans point.
activation-alias-taken = Cet identifiant personnalisé est déjà pris : choisissez-en un autre.
activation-email-invalid = L'adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).
activation-phone-invalid = Le numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).
activation-recovery-needed = Indiquez une adresse électronique ou un téléphone : ils permettront de retrouver l'accès à votre compte.
activation-charter-needed = Vous devez accepter la charte d'utilisation pour activer votre compte.
activation-class-missing = Choisissez une classe.
password-too-short = Le mot de passe doit compter au moins { $min } caractères.
password-contains-name = Le mot de passe ne doit contenir ni votre nom, ni votre prénom, ni votre identifiant.
password-too-common = Ce mot de passe est trop courant et serait deviné vite : choisissez-en un autre.
password-mismatch = Les deux mots de passe saisis sont différents.
tile-activation = Activation des comptes
tile-activation-desc = Courriers et codes d'activation par classe
tile-journal = Journal des connexions
tile-journal-desc = Connexions, échecs, blocages, activations
letters-intro = Pour chaque classe, imprimez les courriers d'activation des élèves (et de leurs responsables) qui n'ont pas encore de mot de passe. Chaque impression crée de nouveaux codes et annule les précédents.
letters-col-letters = Courriers
letters-with-guardians = avec les responsables
letters-pdf-for = Courriers PDF de la classe { $class }
letters-csv-for = Fichier CSV de la classe { $class }
journal-filter = Type d'événement
journal-all = Tous
journal-apply = Filtrer
journal-when = Date
journal-what = Événement
journal-who = Compte
journal-ip = Adresse IP
journal-detail = Détail
audit-sign-in = Connexion
audit-sign-in-failed = Échec de connexion
audit-lockout = Compte bloqué
audit-sign-out = Déconnexion
audit-codes-issued = Codes d'activation créés
audit-activated = Compte activé
audit-activation-failed = Échec d'activation
login-first-time = Première connexion ? Activez votre compte avec le code reçu
sessions-title = Mes connexions actives
sessions-intro = Les appareils sur lesquels votre compte est connecté. Si vous n'en reconnaissez pas un, déconnectez-le et changez votre mot de passe.
sessions-device = Appareil
sessions-since = Connecté depuis (UTC)
sessions-last-seen = Dernière activité (UTC)
sessions-actions = Actions
sessions-current = cet appareil
sessions-end = Déconnecter
sessions-end-one = Déconnecter { $device }
sessions-end-others = Déconnecter tous les autres appareils
mfa-title = Vérification en deux étapes
mfa-intro = Saisissez le code affiché par votre application d'authentification.
mfa-code = Code à 6 chiffres
mfa-code-hint = Vous avez perdu votre téléphone ? Saisissez l'un de vos codes de secours.
mfa-submit = Valider
mfa-wrong-code = Ce code n'est pas valide ou a déjà servi. Attendez le code suivant et réessayez.
mfa-enrol-title = Double authentification
mfa-required = Votre profil exige une double authentification : configurez-la pour accéder à l'ENT.
mfa-step-app = Installez une application d'authentification (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator…).
mfa-step-scan = Scannez ce QR code avec l'application.
mfa-qr-label = QR code à scanner avec votre application d'authentification
mfa-manual = Ou saisissez cette clé dans l'application :
mfa-step-code = Code affiché par l'application
mfa-enrol-submit = Activer la double authentification
mfa-already-enrolled = La double authentification est déjà active sur ce compte.
mfa-active = La double authentification est active sur votre compte.
mfa-now-active = La double authentification est maintenant active.
mfa-recovery-title = Vos codes de secours
mfa-recovery-text = Notez ou imprimez ces codes et gardez-les en lieu sûr : chacun permet une connexion sans votre téléphone, une seule fois. Ils ne seront plus affichés.
login-mfa-blocked = Trop de codes erronés : la connexion a été fermée. Reconnectez-vous.
audit-mfa-enrolled = Double authentification activée
audit-mfa-passed = Second facteur validé
audit-mfa-failed = Second facteur refusé
password-title = Changer mon mot de passe
password-current = Mot de passe actuel
password-submit = Changer le mot de passe
password-changed = Mot de passe changé. Vos autres appareils ont été déconnectés.
password-current-wrong = Le mot de passe actuel est incorrect.
reset-title = Réinitialiser un compte
reset-intro = Pour un élève ou un responsable de l'établissement qui a perdu son mot de passe : le mot de passe est supprimé, ses connexions sont fermées et un nouveau courrier d'activation est imprimé.
reset-submit = Réinitialiser et imprimer le courrier
reset-unknown = Aucun compte n'a l'identifiant « { $login } ».
reset-not-here = Le compte « { $login } » n'est pas celui d'un élève ou d'un responsable de votre établissement.
audit-password-changed = Mot de passe changé
audit-account-reset = Compte réinitialisé
audit-recovery-requested = Lien de réinitialisation envoyé
audit-login-reminded = Rappel d'identifiant envoyé
audit-password-reset-by-mail = Mot de passe réinitialisé par courriel
audit-new-device = Connexion depuis un nouvel appareil
audit-step-up = Identité confirmée pour une action sensible
login-forgot = Mot de passe ou identifiant oublié ?
recovery-title = Mot de passe ou identifiant oublié
recovery-password-title = J'ai oublié mon mot de passe
recovery-password-text = Saisissez votre identifiant : nous envoyons un lien pour choisir un nouveau mot de passe à l'adresse de récupération de votre compte.
recovery-password-submit = Recevoir un lien
recovery-login-title = J'ai oublié mon identifiant
recovery-login-text = Saisissez l'adresse de récupération que vous avez donnée à l'activation : nous y envoyons les identifiants qui lui sont rattachés.
recovery-login-submit = Recevoir mon identifiant
recovery-email = Adresse électronique
recovery-no-email = Pas d'adresse de récupération ? Demandez à la vie scolaire ou au secrétariat de l'établissement de réinitialiser votre compte : vous recevrez un nouveau courrier d'activation.
recovery-back = Retour à la connexion
recovery-username-missing = Saisissez votre identifiant.
recovery-password-sent = Si ce compte a une adresse de récupération, un lien vient d'y être envoyé. Il est valable une heure. Pensez à regarder dans les courriers indésirables.
recovery-login-sent = Si des comptes sont rattachés à cette adresse, leurs identifiants viennent d'y être envoyés.
recovery-reset-title = Choisir un nouveau mot de passe
recovery-reset-submit = Enregistrer le mot de passe
recovery-link-unknown = Ce lien n'est pas valable. Vérifiez qu'il a été copié en entier, ou demandez-en un nouveau.
recovery-link-expired = Ce lien a expiré (il est valable une heure). Demandez-en un nouveau.
recovery-link-used = Ce lien a déjà servi. Demandez-en un nouveau si besoin.
recovery-ask-again = Demander un nouveau lien
recovery-done = Votre mot de passe a été changé et vos appareils déconnectés. Connectez-vous avec le nouveau mot de passe.
recovery-mail-reset-subject = Ardoise : choisir un nouveau mot de passe
recovery-mail-reset-body =
    Bonjour { $name },

    Quelqu'un (vous, sans doute) a demandé à changer le mot de passe du compte Ardoise « { $login } ».
    Pour choisir un nouveau mot de passe, ouvrez ce lien dans les { $minutes } minutes :

    { $url }

    Le lien ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.

    Ardoise, l'espace numérique de travail de votre établissement
recovery-mail-login-subject = Ardoise : votre identifiant
recovery-mail-login-body =
    Bonjour,

    Voici les identifiants Ardoise rattachés à cette adresse :

    { $logins }

    Pour vous connecter : { $url }
    Si vous n'avez rien demandé, ignorez ce message.

    Ardoise, l'espace numérique de travail de votre établissement
recovery-mail-device-subject = Ardoise : nouvelle connexion à votre compte
recovery-mail-device-body =
    Bonjour { $name },

    Le compte Ardoise « { $login } » vient d'être utilisé depuis un appareil que nous ne connaissions pas :
    le { $when }, { $device }, adresse { $ip }.

    Si c'est vous, il n'y a rien à faire.
    Sinon, changez tout de suite votre mot de passe et fermez les connexions inconnues ici : { $url }
    et prévenez l'établissement.

    Ardoise, l'espace numérique de travail de votre établissement
audit-recovery-contact-changed = Adresse de récupération changée
recovery-contact-title = Mon adresse de récupération
recovery-contact-intro = C'est à cette adresse que nous envoyons un lien si vous oubliez votre mot de passe, et un avertissement quand votre compte est utilisé depuis un nouvel appareil.
recovery-contact-submit = Enregistrer l'adresse
recovery-contact-saved = Adresse de récupération enregistrée.
recovery-mail-changed-subject = Ardoise : adresse de récupération changée
recovery-mail-changed-body =
    Bonjour { $name },

    L'adresse de récupération du compte Ardoise « { $login } » a été changée le { $when } ;
    ce message part vers l'ancienne adresse.

    Si ce n'est pas vous, prévenez tout de suite l'établissement.

    Ardoise, l'espace numérique de travail de votre établissement
mfa-step-up-title = Confirmer votre identité
mfa-step-up-intro = Cette action est sensible : saisissez le code à six chiffres de votre application d'authentification (ou un code de secours) pour continuer.
journal-login = Compte (identifiant)
journal-school = Établissement
journal-no-school = Hors établissement
tile-region-journal-desc = Connexions, échecs, blocages, réinitialisations dans toute la région
audit-federated-sign-in = Connexion par un guichet d'identité
audit-federation-refused = Connexion par un guichet refusée
audit-service-registered = Service connecté enregistré ou modifié
audit-service-removed = Service connecté retiré
wickets-title = Se connecter avec
wickets-students-parents = Élève ou parent
wickets-staff = Personnel de l'Éducation nationale
wickets-other = Autres
wickets-local = Ou avec un compte Ardoise
wicket-unknown = Ce guichet de connexion n'existe pas.
wicket-stale = Cette réponse du guichet de connexion a déjà servi ou a expiré. Recommencez la connexion depuis la page d'accueil.
wicket-invalid = La réponse du guichet de connexion n'a pas pu être vérifiée : la connexion est refusée. Recommencez ; si le problème persiste, prévenez l'établissement.
wicket-no-account = Votre identité a été vérifiée, mais elle n'est rattachée à aucun compte Ardoise. Les comptes sont créés par l'annuaire de l'académie : si vous venez d'arriver, réessayez dans quelques jours ou demandez à l'établissement.
wicket-ambiguous = Plusieurs comptes Ardoise portent votre adresse académique : la connexion est refusée. Demandez à l'établissement de corriger l'annuaire.
