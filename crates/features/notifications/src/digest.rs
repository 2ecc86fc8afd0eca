//! The e-mail digest's words: the unread messages of the mailbox, then the unread items since the last
//! digest, each with its link, in French
//! (the school's language; mails carry no session to tell the reader's choice).

use web::{Lang, Tr};

use crate::model;
use crate::store::Item;

pub fn compose(to: &str, items: &[Item], messages: i64, public_url: &str) -> mail::Mail {
    let lang = Lang::Fr;
    let t = Tr(lang);
    let base = public_url.trim_end_matches('/');
    let count = (items.len() + usize::from(messages > 0)).to_string();
    let mut text = t.with("notif-digest-intro", "count", &count);
    text.push_str("\n\n");
    if messages > 0 {
        text.push_str(&format!(
            "• {}\n  {base}/messagerie\n\n",
            t.with("notif-messages-unread", "count", &messages.to_string())
        ));
    }
    for item in items {
        let (title, detail) = model::words(lang, &item.topic, &item.params(), i64::from(item.events));
        text.push_str(&format!("• {title}\n"));
        if !detail.is_empty() {
            text.push_str(&format!("  {detail}\n"));
        }
        text.push_str(&format!("  {base}/notifications/{}\n\n", item.id));
    }
    text.push_str(&t.with(
        "notif-digest-footer",
        "url",
        &format!("{base}/notifications/preferences"),
    ));
    text.push('\n');
    mail::Mail {
        to: to.to_string(),
        subject: t.with("notif-digest-subject", "count", &count),
        text,
    }
}
