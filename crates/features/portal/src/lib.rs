//! The portal: the page everyone lands on, greeting the person and launching the services their current
//! profile and school may use. Features contribute tiles; the portal only filters and shows them.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use web::{CurrentUser, Lang, Launcher, ServiceLink, Tile, Tr, WebResult};

#[derive(Clone)]
pub struct Portal {
    tiles: Arc<Vec<Tile>>,
    launcher: Option<Arc<dyn Launcher>>,
}

impl Portal {
    pub fn new(mut tiles: Vec<Tile>) -> Portal {
        tiles.push(account_tile());
        Portal {
            tiles: Arc::new(tiles),
            launcher: None,
        }
    }

    /// Also lists the connected services `launcher` says the person may open.
    pub fn with_launcher(mut self, launcher: Arc<dyn Launcher>) -> Portal {
        self.launcher = Some(launcher);
        self
    }

    /// The tiles a person acting in `context` may use, in launcher order.
    pub fn visible(&self, context: &kernel::Context) -> Vec<Tile> {
        self.tiles
            .iter()
            .filter(|t| (t.visible)(context))
            .copied()
            .collect()
    }
}

fn account_tile() -> Tile {
    Tile {
        id: "compte",
        name_key: "tile-account",
        desc_key: "tile-account-desc",
        href: "/compte",
        visible: |_| true,
    }
}

pub fn routes() -> Router<Portal> {
    Router::new().route("/", get(home)).route("/compte", get(account))
}

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalTemplate<'a> {
    t: Tr,
    user: &'a CurrentUser,
    tiles: Vec<Tile>,
    services: Vec<ServiceLink>,
}

async fn home(State(portal): State<Portal>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let tiles = portal.visible(&user.context.context);
    let services = match &portal.launcher {
        Some(l) => l.links(&user).await,
        None => vec![],
    };
    let body = PortalTemplate {
        t: Tr(lang),
        user: &user,
        tiles,
        services,
    };
    web::user_page(lang, &user, "portal-title", &body)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountTemplate<'a> {
    t: Tr,
    user: &'a CurrentUser,
}

async fn account(lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let body = AccountTemplate {
        t: Tr(lang),
        user: &user,
    };
    web::user_page(lang, &user, "tile-account", &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::{Context, Profile, SchoolId};

    #[test]
    fn tiles_follow_the_current_context() {
        let staff_only = Tile {
            id: "x",
            name_key: "k",
            desc_key: "k",
            href: "/x",
            visible: |c| c.profile().is_some_and(Profile::is_staff),
        };
        let portal = Portal::new(vec![staff_only]);
        let school = SchoolId::new();
        let teacher = Context::School {
            school,
            profile: Profile::Teacher,
        };
        let student = Context::School {
            school,
            profile: Profile::Student,
        };
        let ids = |c: &Context| portal.visible(c).iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(&teacher), ["x", "compte"]);
        assert_eq!(ids(&student), ["compte"]);
    }
}
