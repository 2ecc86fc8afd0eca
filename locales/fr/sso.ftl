cas-unknown-service = Ce service n'est pas enregistré auprès d'Ardoise : la connexion n'est pas transmise. Si vous arrivez d'un lien officiel, prévenez l'établissement.
cas-not-for-profile = Le service « { $service } » n'est pas ouvert à votre profil actuel. Changez de profil dans le bandeau s'il y a lieu.
