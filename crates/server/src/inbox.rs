//! The mailbox's unread messages in the notifications' header counter, and the counter told when a
//! person reads or files a conversation: the one place that joins the two features, which do not know
//! each other.

use std::sync::Arc;

use kernel::UserId;
use uuid::Uuid;

struct Mailbox(messaging::Messaging);

impl notifications::service::Inbox for Mailbox {
    fn unread<'a>(&'a self, user: Uuid, since: Option<i64>) -> db::BoxFuture<'a, i64> {
        Box::pin(self.0.unread(UserId(user), since))
    }
}

/// The notifications' source of unread messages.
pub fn for_notifications(messaging: &messaging::Messaging) -> Arc<dyn notifications::service::Inbox> {
    Arc::new(Mailbox(messaging.clone()))
}

struct Counter(notifications::Notifications);

impl messaging::service::Counters for Counter {
    fn changed<'a>(&'a self, user: Uuid) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move { self.0.tell(&[user]).await })
    }
}

/// What messaging tells when a person's unread messages change by their own hand.
pub fn for_messaging(notifications: &notifications::Notifications) -> Arc<dyn messaging::service::Counters> {
    Arc::new(Counter(notifications.clone()))
}
