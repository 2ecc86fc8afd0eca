//! News SQL. An item is one `news` row linked to each school it reaches (`news_schools`, keyed by
//! school first); readers' queries start from their schools' links.

use db::{Db, Result, Tx};
use directory::audience::{self, Audience, ReaderKey};
use kernel::Timestamp;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

const NEWS_COLS: [&str; 21] = [
    "id",
    "owner_school_id",
    "region_id",
    "author_id",
    "author_name",
    "signature",
    "title",
    "body",
    "to_students",
    "to_guardians",
    "to_teachers",
    "to_staff",
    "publish_from",
    "publish_until",
    "pinned",
    "status",
    "illustration_key",
    "illustration_type",
    "illustration_alt",
    "created_at",
    "published_at",
];

pub const DRAFT: &str = "brouillon";
pub const PUBLISHED: &str = "publiee";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NewsRow {
    pub id: Uuid,
    pub owner_school_id: Option<Uuid>,
    pub region_id: Option<Uuid>,
    pub author_id: Uuid,
    pub author_name: String,
    pub signature: String,
    pub title: String,
    pub body: String,
    pub to_students: bool,
    pub to_guardians: bool,
    pub to_teachers: bool,
    pub to_staff: bool,
    pub publish_from: i64,
    pub publish_until: Option<i64>,
    pub pinned: bool,
    pub status: String,
    pub illustration_key: Option<String>,
    pub illustration_type: Option<String>,
    pub illustration_alt: Option<String>,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

impl NewsRow {
    pub fn audience(&self) -> Audience {
        Audience::from_flags([
            self.to_students,
            self.to_guardians,
            self.to_teachers,
            self.to_staff,
        ])
    }

    pub fn is_draft(&self) -> bool {
        self.status == DRAFT
    }
}

fn select_news() -> SelectStatement {
    let mut q = Query::select();
    for c in NEWS_COLS {
        q.column((a("n"), a(c)));
    }
    q.from_as(a("news"), a("n"));
    q
}

/// Whether the item `n` reaches the reader of `key`.
fn reaches(key: &ReaderKey) -> Cond {
    let linked = Query::select()
        .expr(Expr::val(1))
        .from_as(a("news_schools"), a("ns"))
        .and_where(col("ns", "school_id").eq(key.school))
        .and_where(col("ns", "news_id").equals((a("n"), a("id"))))
        .to_owned();
    let links = Query::select()
        .expr(Expr::val(1))
        .from_as(a("news_classes"), a("nc"))
        .and_where(col("nc", "news_id").equals((a("n"), a("id"))))
        .to_owned();
    key.reaches("n", Expr::exists(linked), &links, "nc")
}

/// The published items in their window that reach any of `keys`, pinned first then newest, each once.
/// `only`: one item (its page).
pub async fn readable(
    db: &Db,
    keys: &[ReaderKey],
    now: Timestamp,
    only: Option<Uuid>,
    limit: u64,
) -> Result<Vec<NewsRow>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let mut schools: Vec<Uuid> = keys.iter().map(|k| k.school).collect();
    schools.sort();
    schools.dedup();
    let linked = Query::select()
        .column(a("news_id"))
        .from(a("news_schools"))
        .and_where(Expr::col(a("school_id")).is_in(schools))
        .to_owned();
    let mut any = Cond::any();
    for k in keys {
        any = any.add(reaches(k));
    }
    let mut q = select_news();
    q.and_where(col("n", "id").in_subquery(linked))
        .and_where(col("n", "status").eq(PUBLISHED))
        .and_where(col("n", "publish_from").lte(now.0))
        .cond_where(
            Cond::any()
                .add(col("n", "publish_until").is_null())
                .add(col("n", "publish_until").gt(now.0)),
        )
        .cond_where(any)
        .order_by((a("n"), a("pinned")), Order::Desc)
        .order_by((a("n"), a("publish_from")), Order::Desc)
        .order_by((a("n"), a("id")), Order::Desc)
        .limit(limit);
    if let Some(id) = only {
        q.and_where(col("n", "id").eq(id));
    }
    db.fetch_all(&q).await
}

/// What a person wrote, drafts included, newest first.
pub async fn authored(db: &Db, author: Uuid, limit: u64) -> Result<Vec<NewsRow>> {
    let q = select_news()
        .and_where(col("n", "author_id").eq(author))
        .order_by((a("n"), a("created_at")), Order::Desc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn news(db: &Db, id: Uuid) -> Result<Option<NewsRow>> {
    let q = select_news().and_where(col("n", "id").eq(id)).to_owned();
    db.fetch_optional(&q).await
}

pub async fn schools_of(db: &Db, id: Uuid) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(a("school_id"))
        .from(a("news_schools"))
        .and_where(Expr::col(a("news_id")).eq(id))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

pub async fn classes_of(db: &Db, id: Uuid) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(a("class_id"))
        .from(a("news_classes"))
        .and_where(Expr::col(a("news_id")).eq(id))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// A new item and its links, in the caller's transaction.
pub struct NewNews<'a> {
    pub row: &'a NewsRow,
    pub schools: &'a [Uuid],
    pub classes: &'a [Uuid],
}

pub async fn insert(tx: &mut Tx, n: NewNews<'_>) -> Result<()> {
    let r = n.row;
    let q = Query::insert()
        .into_table(a("news"))
        .columns(NEWS_COLS.map(a))
        .values_panic([
            r.id.into(),
            r.owner_school_id.into(),
            r.region_id.into(),
            r.author_id.into(),
            r.author_name.clone().into(),
            r.signature.clone().into(),
            r.title.clone().into(),
            r.body.clone().into(),
            r.to_students.into(),
            r.to_guardians.into(),
            r.to_teachers.into(),
            r.to_staff.into(),
            r.publish_from.into(),
            r.publish_until.into(),
            r.pinned.into(),
            r.status.clone().into(),
            r.illustration_key.clone().into(),
            r.illustration_type.clone().into(),
            r.illustration_alt.clone().into(),
            r.created_at.into(),
            r.published_at.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    for school in n.schools {
        let q = Query::insert()
            .into_table(a("news_schools"))
            .columns([a("school_id"), a("news_id")])
            .values_panic([(*school).into(), r.id.into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    if let Some(school) = r.owner_school_id {
        audience::insert_class_links(tx, ("news_classes", "news_id"), school, r.id, n.classes).await?;
    }
    Ok(())
}

/// Publishes a draft (its window stays as chosen). Returns the rows changed.
pub async fn publish(tx: &mut Tx, id: Uuid, now: Timestamp) -> Result<u64> {
    let q = Query::update()
        .table(a("news"))
        .value(a("status"), PUBLISHED)
        .value(a("published_at"), now.0)
        .and_where(Expr::col(a("id")).eq(id))
        .and_where(Expr::col(a("status")).eq(DRAFT))
        .to_owned();
    tx.execute(&q).await
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<()> {
    for table in ["news_files", "news_classes", "news_schools"] {
        let q = Query::delete()
            .from_table(a(table))
            .and_where(Expr::col(a("news_id")).eq(id))
            .to_owned();
        tx.execute(&q).await?;
    }
    let q = Query::delete()
        .from_table(a("news"))
        .and_where(Expr::col(a("id")).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: Uuid,
    pub news_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub blob_key: String,
}

const FILE_COLS: [&str; 6] = ["id", "news_id", "file_name", "content_type", "size", "blob_key"];

pub async fn insert_file(tx: &mut Tx, f: &FileRow) -> Result<()> {
    let q = Query::insert()
        .into_table(a("news_files"))
        .columns(FILE_COLS.map(a))
        .values_panic([
            f.id.into(),
            f.news_id.into(),
            f.file_name.clone().into(),
            f.content_type.clone().into(),
            f.size.into(),
            f.blob_key.clone().into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn files_of(db: &Db, news: Uuid) -> Result<Vec<FileRow>> {
    let q = Query::select()
        .columns(FILE_COLS.map(a))
        .from(a("news_files"))
        .and_where(Expr::col(a("news_id")).eq(news))
        .order_by(a("file_name"), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The schools of a region (through their académie), by name.
pub async fn region_schools(db: &Db, region: Uuid) -> Result<Vec<(Uuid, String)>> {
    let q = Query::select()
        .column((a("s"), a("id")))
        .column((a("s"), a("name")))
        .from_as(a("schools"), a("s"))
        .inner_join(
            a("academies"),
            col("academies", "id").equals((a("s"), a("academy_id"))),
        )
        .and_where(col("academies", "region_id").eq(region))
        .order_by((a("s"), a("name")), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The schools a local authority funds, by name.
pub async fn authority_schools(db: &Db, authority: Uuid) -> Result<Vec<(Uuid, String)>> {
    let q = Query::select()
        .columns([a("id"), a("name")])
        .from(a("schools"))
        .and_where(Expr::col(a("authority_id")).eq(authority))
        .order_by(a("name"), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A region's local authorities (id, name).
pub async fn authorities_of_region(db: &Db, region: Uuid) -> Result<Vec<(Uuid, String)>> {
    let q = Query::select()
        .columns([a("id"), a("name")])
        .from(a("authorities"))
        .and_where(Expr::col(a("region_id")).eq(region))
        .order_by(a("name"), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The authority that funds a school, its name, and the school's region.
pub async fn school_authority(db: &Db, school: Uuid) -> Result<Option<(Uuid, String, Uuid)>> {
    let q = Query::select()
        .column((a("authorities"), a("id")))
        .column((a("authorities"), a("name")))
        .column((a("authorities"), a("region_id")))
        .from(a("schools"))
        .inner_join(
            a("authorities"),
            col("authorities", "id").equals((a("schools"), a("authority_id"))),
        )
        .and_where(col("schools", "id").eq(school))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The region's name.
pub async fn region_name(db: &Db, region: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(a("name"))
        .from(a("regions"))
        .and_where(Expr::col(a("id")).eq(region))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}
