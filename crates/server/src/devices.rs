//! When a device was first seen, from identity's device records, for messaging's new-device check:
//! the one place that joins the two crates.

use kernel::UserId;

pub struct IdentityDevices(pub identity::Identity);

impl messaging::Devices for IdentityDevices {
    fn first_seen<'a>(
        &'a self,
        user: UserId,
        device: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<i64>> + Send + 'a>> {
        Box::pin(self.0.device_first_seen(user, device))
    }
}
