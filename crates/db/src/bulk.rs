//! Bulk loading, the one engine-specific hot path of imports, the generator and fan-outs (a message's
//! mailboxes): COPY on PostgreSQL for large batches, one INSERT … SELECT FROM UNNEST of arrays for small
//! ones, multi-row INSERTs in the open transaction on SQLite.

use sea_query::{Alias, Query, SimpleExpr, Value};
use uuid::Uuid;

use crate::exec::Conn;
use crate::{Result, Tx};

/// One value of a bulk-loaded row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Null,
}

impl From<Uuid> for Cell {
    fn from(v: Uuid) -> Self {
        Cell::Uuid(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

/// SQLite accepts at most 32,766 bound values per statement.
const SQLITE_MAX_VARS: usize = 32_000;

impl Tx {
    /// Appends `rows` to `table` inside this transaction. Column and table names are code constants.
    pub async fn bulk_insert(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        rows: &[Vec<Cell>],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        // A COPY costs a few round trips (and, for a handful of rows, a TCP delayed-ACK stall of ~40 ms
        // between its messages): small batches go as one multi-row INSERT instead.
        let copy = rows.len() >= COPY_FROM_ROWS;
        match self.conn() {
            Conn::Postgres(c) if !copy && let Some(arrays) = unnest_arrays(rows, columns.len()) => {
                // One statement shape whatever the number of rows: a multi-row INSERT has one shape per
                // row count, and a fan-out of a few dozen rows of varying size would prepare a new
                // statement almost every time.
                let types: Vec<String> = arrays
                    .iter()
                    .enumerate()
                    .map(|(i, a)| format!("${}::{}[]", i + 1, a.sql_type()))
                    .collect();
                let statement = format!(
                    "INSERT INTO {table} ({}) SELECT * FROM UNNEST({})",
                    columns.join(", "),
                    types.join(", ")
                );
                // Table and column names are code constants (see the function's contract).
                let mut query = sqlx::query(sqlx::AssertSqlSafe(statement));
                for a in arrays {
                    query = match a {
                        Array::Uuid(v) => query.bind(v),
                        Array::Text(v) => query.bind(v),
                        Array::Int(v) => query.bind(v),
                        Array::Bool(v) => query.bind(v),
                    };
                }
                query.execute(&mut *c).await?;
            }
            Conn::Postgres(c) if copy => {
                let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
                let mut copy = c.copy_in_raw(&statement).await?;
                let mut buf = String::with_capacity(64 * 1024);
                for row in rows {
                    write_copy_line(&mut buf, row);
                    if buf.len() > 60 * 1024 {
                        copy.send(buf.as_bytes()).await?;
                        buf.clear();
                    }
                }
                if !buf.is_empty() {
                    copy.send(buf.as_bytes()).await?;
                }
                copy.finish().await?;
            }
            _ => {
                let per_statement = (SQLITE_MAX_VARS / columns.len().max(1)).max(1);
                for chunk in rows.chunks(per_statement) {
                    let mut insert = Query::insert();
                    insert
                        .into_table(Alias::new(table))
                        .columns(columns.iter().map(|c| Alias::new(*c)));
                    for row in chunk {
                        let values: Vec<SimpleExpr> = row.iter().map(to_expr).collect();
                        insert
                            .values(values)
                            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
                    }
                    self.execute(&insert).await?;
                }
            }
        }
        Ok(())
    }
}

/// A column of a bulk insert as one PostgreSQL array parameter.
enum Array {
    Uuid(Vec<Option<Uuid>>),
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

impl Array {
    fn sql_type(&self) -> &'static str {
        match self {
            Array::Uuid(_) => "uuid",
            Array::Text(_) => "text",
            Array::Int(_) => "bigint",
            Array::Bool(_) => "boolean",
        }
    }
}

/// The rows as one array per column, when every column's type is known (a column of NULLs only, or
/// of mixed kinds, has none: the caller falls back to a multi-row INSERT).
fn unnest_arrays(rows: &[Vec<Cell>], width: usize) -> Option<Vec<Array>> {
    let mut arrays = Vec::with_capacity(width);
    for col in 0..width {
        let cells = rows.iter().map(|r| r.get(col).unwrap_or(&Cell::Null));
        let first = rows
            .iter()
            .map(|r| r.get(col))
            .find(|c| !matches!(c, None | Some(Cell::Null)))??;
        let array = match first {
            Cell::Uuid(_) => Array::Uuid(
                cells
                    .map(|c| match c {
                        Cell::Uuid(u) => Some(Some(*u)),
                        Cell::Null => Some(None),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
            Cell::Text(_) => Array::Text(
                cells
                    .map(|c| match c {
                        Cell::Text(t) => Some(Some(t.clone())),
                        Cell::Null => Some(None),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
            Cell::Int(_) => Array::Int(
                cells
                    .map(|c| match c {
                        Cell::Int(n) => Some(Some(*n)),
                        Cell::Null => Some(None),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
            Cell::Bool(_) => Array::Bool(
                cells
                    .map(|c| match c {
                        Cell::Bool(b) => Some(Some(*b)),
                        Cell::Null => Some(None),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
            Cell::Null => return None,
        };
        arrays.push(array);
    }
    Some(arrays)
}

/// Below this many rows, PostgreSQL gets an INSERT rather than a COPY.
const COPY_FROM_ROWS: usize = 200;

fn to_expr(cell: &Cell) -> SimpleExpr {
    match cell {
        Cell::Uuid(u) => Value::Uuid(Some(*u)).into(),
        Cell::Text(s) => Value::String(Some(s.clone())).into(),
        Cell::Int(i) => Value::BigInt(Some(*i)).into(),
        Cell::Bool(b) => Value::Bool(Some(*b)).into(),
        // An untyped NULL: PostgreSQL gives it the column's type (a NULL *text* would not go into a
        // uuid or bigint column).
        Cell::Null => sea_query::Expr::cust("NULL"),
    }
}

/// One line of PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
fn write_copy_line(buf: &mut String, row: &[Cell]) {
    use std::fmt::Write;
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            buf.push('\t');
        }
        match cell {
            Cell::Uuid(u) => {
                let _ = write!(buf, "{u}");
            }
            Cell::Int(n) => {
                let _ = write!(buf, "{n}");
            }
            Cell::Bool(b) => buf.push(if *b { 't' } else { 'f' }),
            Cell::Null => buf.push_str("\\N"),
            Cell::Text(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => buf.push_str("\\\\"),
                        '\t' => buf.push_str("\\t"),
                        '\n' => buf.push_str("\\n"),
                        '\r' => buf.push_str("\\r"),
                        c => buf.push(c),
                    }
                }
            }
        }
    }
    buf.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_escape_what_postgres_would_misread() {
        let mut buf = String::new();
        write_copy_line(
            &mut buf,
            &[
                Cell::Text("a\tb\\c\nd".into()),
                Cell::Null,
                Cell::Bool(true),
                Cell::Int(-3),
            ],
        );
        assert_eq!(buf, "a\\tb\\\\c\\nd\t\\N\tt\t-3\n");
    }
}
