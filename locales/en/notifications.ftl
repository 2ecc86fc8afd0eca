notif-tile = Notifications
notif-tile-desc = What concerns you: marks, absences, messages, news
notif-header-link = Notifications
notif-header-unread = { $count } unread
notif-title = Notifications
notif-none-unread = No unread notifications.
notif-unread-count = Unread: { $count }
notif-messages-unread = Messages: { $count } unread
notif-empty = No notifications yet.
notif-new = New
notif-mark-one = Mark as read
notif-mark-all = Mark all as read
notif-marked-one = Notification marked as read.
notif-marked-all = All notifications are marked as read.
notif-preferences-link = Notification preferences
notif-back = Back to notifications
notif-and = and
notif-generic = New notification
notif-when-hours = on { $day }, { $from }–{ $to }
notif-when-span = from { $day } to { $until }
notif-kind-absences = Absences and lateness
notif-kind-discipline = Punishments and sanctions
notif-kind-notes = Marks and report cards
notif-kind-devoirs = Homework and corrections
notif-kind-edt = Timetable
notif-kind-messagerie = Messages
notif-kind-actualites = News
notif-kind-agenda = Calendar
notif-kind-autres = Other
notif-attendance-recorded = { $kind ->
    [retard] Late arrival
   *[other] Absence
}{ $family ->
    [yes] {" "}of { $children }
   *[other] {""}
}
notif-attendance-recorded-body = { $when }{ $has_subject ->
    [yes] {" "}· { $subject }
   *[other] {""}
}
notif-attendance-decided = { $status ->
    [justifie] Absence justified
    [refuse] Justification refused
   *[other] Absence updated
}{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-discipline-punishment-given = Punishment{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-discipline-punishment-given-body = See the details under School life.
notif-discipline-sanction-decided = Sanction{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-discipline-sanction-decided-body = See the details under School life.
notif-grades-published = { $many ->
    [yes] { $count } new assessments
   *[other] New assessment
}{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-grades-published-body = Latest: { $subject } — { $title }
notif-grades-report-card-published = Report card available{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-homework-assigned = { $many ->
    [yes] { $count } new homework assignments
   *[other] New homework
}{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-homework-assigned-body = Latest: { $subject }, due { $due }
notif-homework-corrected = Your work has been corrected
notif-timetable-lesson-changed = { $cancelled ->
    [yes] Lesson cancelled
   *[other] Lesson changed
} on { $day }{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-timetable-lesson-added = Lesson added on { $day }{ $family ->
    [yes] {" "}for { $children }
   *[other] {""}
}
notif-messaging-received = New message from { $sender }: { $subject }
notif-prefs-title = Notification preferences
notif-prefs-kinds = In the notification feed
notif-prefs-kinds-help = Untick what you no longer want to receive.
notif-prefs-mail = E-mail
notif-prefs-digest = Receive a daily e-mail summary of unread notifications
notif-prefs-digest-help = The summary goes out late in the afternoon, only when there is something new.
notif-prefs-no-email = No e-mail address is recorded: add one under My account to receive the summary.
notif-prefs-quiet = Right to disconnect
notif-prefs-quiet-label = Send me nothing from 8 pm to 7 am nor on Sundays
notif-prefs-quiet-help = During these hours nothing is signalled live or sent by e-mail; notifications wait for you in the feed.
notif-prefs-save = Save
notif-prefs-saved = Preferences saved.
notif-digest-subject = Ardoise: { $count } unread notification(s)
notif-digest-intro = Hello, here are your unread notifications ({ $count }) since the last summary:
notif-digest-footer = To stop receiving this summary: { $url }
