//! Reads back the live schema in one engine-neutral shape, so tests can prove both engines build the same one.

use std::collections::BTreeMap;

use crate::{Db, Result};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    /// Normalised type: uuid, text, bigint, integer, boolean, double.
    pub kind: String,
    pub nullable: bool,
    /// Position in the primary key (1-based), 0 when not part of it.
    pub pk: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Explicitly named indexes (CREATE INDEX), with their columns.
    pub indexes: BTreeMap<String, Vec<String>>,
}

/// SQLite declares UUIDs as BLOB (how sqlx stores them); everything else uses the PostgreSQL type name.
fn normalise(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "blob" | "uuid" => "uuid".into(),
        "int" | "int4" | "integer" => "integer".into(),
        "int8" | "bigint" => "bigint".into(),
        "bool" | "boolean" => "boolean".into(),
        "text" | "character varying" => "text".into(),
        "double precision" | "real" | "float8" => "double".into(),
        other => other.to_string(),
    }
}

pub async fn describe(db: &Db) -> Result<BTreeMap<String, Table>> {
    let mut out = BTreeMap::new();
    match db {
        Db::Sqlite(pool) => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(pool)
            .await?;
            for (table,) in tables {
                let cols: Vec<(String, String, bool, i64)> = sqlx::query_as(
                    "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
                )
                .bind(&table)
                .fetch_all(pool)
                .await?;
                let mut t = Table {
                    columns: cols
                        .into_iter()
                        .map(|(name, ty, notnull, pk)| Column {
                            name,
                            kind: normalise(&ty),
                            nullable: !notnull && pk == 0,
                            pk,
                        })
                        .collect(),
                    ..Table::default()
                };
                let indexes: Vec<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                )
                .bind(&table)
                .fetch_all(pool)
                .await?;
                for (index,) in indexes {
                    let cols: Vec<(String,)> =
                        sqlx::query_as("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                            .bind(&index)
                            .fetch_all(pool)
                            .await?;
                    t.indexes.insert(index, cols.into_iter().map(|c| c.0).collect());
                }
                t.columns.sort();
                out.insert(table, t);
            }
        }
        Db::Postgres(pool) => {
            let cols: Vec<(String, String, String, bool, i64)> = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable = 'YES',
                        COALESCE(k.ordinal_position, 0)::bigint
                   FROM information_schema.columns c
                   LEFT JOIN information_schema.table_constraints tc
                     ON tc.table_schema = c.table_schema AND tc.table_name = c.table_name
                    AND tc.constraint_type = 'PRIMARY KEY'
                   LEFT JOIN information_schema.key_column_usage k
                     ON k.constraint_name = tc.constraint_name AND k.table_schema = c.table_schema
                    AND k.table_name = c.table_name AND k.column_name = c.column_name
                  WHERE c.table_schema = current_schema()
                  ORDER BY c.table_name, c.ordinal_position",
            )
            .fetch_all(pool)
            .await?;
            for (table, name, ty, nullable, pk) in cols {
                let t: &mut Table = out.entry(table).or_default();
                t.columns.push(Column {
                    name,
                    kind: normalise(&ty),
                    nullable,
                    pk,
                });
            }
            let indexes: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT t.relname::text, i.relname::text, a.attname::text
                   FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_class t ON t.oid = x.indrelid
                   JOIN pg_namespace n ON n.oid = t.relnamespace
                   JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  WHERE n.nspname = current_schema() AND NOT x.indisprimary
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                  ORDER BY t.relname, i.relname, k.ord",
            )
            .fetch_all(pool)
            .await?;
            for (table, index, column) in indexes {
                if let Some(t) = out.get_mut(&table) {
                    t.indexes.entry(index).or_default().push(column);
                }
            }
            for t in out.values_mut() {
                t.columns.sort();
            }
        }
    }
    Ok(out)
}
