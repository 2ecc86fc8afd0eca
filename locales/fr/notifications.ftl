notif-tile = Notifications
notif-tile-desc = Ce qui vous concerne : notes, absences, messages, actualités
notif-header-link = Notifications
notif-header-unread = { $count } non lues
notif-title = Notifications
notif-none-unread = Aucune notification non lue.
notif-unread-count = Non lues : { $count }
notif-messages-unread = Messagerie : { $count } message(s) non lu(s)
notif-empty = Aucune notification pour le moment.
notif-new = Nouveau
notif-mark-one = Marquer comme lue
notif-mark-all = Tout marquer comme lu
notif-marked-one = Notification marquée comme lue.
notif-marked-all = Toutes les notifications sont marquées comme lues.
notif-preferences-link = Préférences de notification
notif-back = Retour aux notifications
notif-and = et
notif-generic = Nouvelle notification
notif-when-hours = le { $day }, { $from }–{ $to }
notif-when-span = du { $day } au { $until }
notif-kind-absences = Absences et retards
notif-kind-discipline = Punitions et sanctions
notif-kind-notes = Notes et bulletins
notif-kind-devoirs = Devoirs et corrections
notif-kind-edt = Emploi du temps
notif-kind-messagerie = Messagerie
notif-kind-actualites = Actualités
notif-kind-agenda = Agenda
notif-kind-autres = Autres
notif-attendance-recorded = { $kind ->
    [retard] Retard
   *[other] Absence
}{ $family ->
    [yes] {" "}: { $children }
   *[other] {""}
}
notif-attendance-recorded-body = { $when }{ $has_subject ->
    [yes] {" "}· { $subject }
   *[other] {""}
}
notif-attendance-decided = { $status ->
    [justifie] Absence justifiée
    [refuse] Justificatif refusé
   *[other] Absence mise à jour
}{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-discipline-punishment-given = Punition{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-discipline-punishment-given-body = Consultez le détail dans Vie scolaire.
notif-discipline-sanction-decided = Sanction{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-discipline-sanction-decided-body = Consultez le détail dans Vie scolaire.
notif-grades-published = { $many ->
    [yes] { $count } nouvelles évaluations
   *[other] Nouvelle évaluation
}{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-grades-published-body = Dernière : { $subject } — { $title }
notif-grades-report-card-published = Bulletin disponible{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-homework-assigned = { $many ->
    [yes] { $count } nouveaux devoirs
   *[other] Nouveau devoir
}{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-homework-assigned-body = Dernier : { $subject }, pour le { $due }
notif-homework-corrected = Votre travail a été corrigé
notif-timetable-lesson-changed = { $cancelled ->
    [yes] Cours annulé
   *[other] Cours modifié
} le { $day }{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-timetable-lesson-added = Cours ajouté le { $day }{ $family ->
    [yes] {" "}pour { $children }
   *[other] {""}
}
notif-messaging-received = Nouveau message de { $sender } : { $subject }
notif-prefs-title = Préférences de notification
notif-prefs-kinds = Dans le fil de notifications
notif-prefs-kinds-help = Décochez ce que vous ne souhaitez plus recevoir.
notif-prefs-mail = Courriel
notif-prefs-digest = Recevoir chaque jour un résumé des notifications non lues par courriel
notif-prefs-digest-help = Le résumé part en fin d’après-midi, seulement s’il y a du nouveau.
notif-prefs-no-email = Aucune adresse de courriel n’est enregistrée : ajoutez-en une dans Mon compte pour recevoir le résumé.
notif-prefs-quiet = Droit à la déconnexion
notif-prefs-quiet-label = Ne rien m’envoyer de 20 h à 7 h ni le dimanche
notif-prefs-quiet-help = Pendant ces heures, rien n’est signalé en direct ni envoyé par courriel ; les notifications vous attendent dans le fil.
notif-prefs-save = Enregistrer
notif-prefs-saved = Préférences enregistrées.
notif-digest-subject = Ardoise : { $count } notification(s) non lue(s)
notif-digest-intro = Bonjour, voici vos notifications non lues ({ $count }) depuis le dernier résumé :
notif-digest-footer = Pour ne plus recevoir ce résumé : { $url }
