//! Go's transaction with rollback on failure: `cargo run --example transaction`.
//!
//! ```go
//! func Transfer(db *DB, from, to string, amount int) (err error) {
//!     tx := db.Begin()
//!     defer func() {
//!         if p := recover(); p != nil { tx.Rollback(); panic(p) }
//!         if err != nil { tx.Rollback() } else { err = tx.Commit() }
//!     }()
//!     ...
//! }
//! ```

use godefer::{defer, recover, with_defer};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A toy database: committed balances, and the writes of the open transaction.
#[derive(Debug, Default)]
pub struct Db {
    committed: RefCell<BTreeMap<String, i64>>,
    pending: RefCell<Option<BTreeMap<String, i64>>>,
    pub log: RefCell<Vec<String>>,
}

impl Db {
    fn begin(&self) {
        *self.pending.borrow_mut() = Some(self.committed.borrow().clone());
        self.log.borrow_mut().push("begin".into());
    }

    fn set(&self, account: &str, balance: i64) {
        let mut pending = self.pending.borrow_mut();
        pending
            .as_mut()
            .expect("in a transaction")
            .insert(account.into(), balance);
    }

    fn get(&self, account: &str) -> Option<i64> {
        self.pending.borrow().as_ref()?.get(account).copied()
    }

    fn commit(&self) -> Result<(), String> {
        let pending = self.pending.borrow_mut().take().ok_or("no transaction")?;
        *self.committed.borrow_mut() = pending;
        self.log.borrow_mut().push("commit".into());
        Ok(())
    }

    fn rollback(&self) {
        self.pending.borrow_mut().take();
        self.log.borrow_mut().push("rollback".into());
    }

    pub fn balance(&self, account: &str) -> i64 {
        self.committed.borrow().get(account).copied().unwrap_or(0)
    }
}

/// Moves `amount` from one account to another, all or nothing: an error
/// rolls back, success commits, and a panic rolls back and goes on.
#[with_defer]
pub fn transfer(db: &Db, from: &str, to: &str, amount: i64) -> Result<(), String> {
    db.begin();
    defer!(|ret: &mut Option<Result<(), String>>| {
        if let Some(panic) = recover() {
            db.rollback();
            panic.resume(); // Go's panic(p): the caller sees the original payload
        }
        match ret {
            Some(Ok(())) => *ret = Some(db.commit()),
            _ => db.rollback(),
        }
    });
    let balance = db.get(from).ok_or_else(|| format!("no account {from:?}"))?;
    if balance < amount {
        return Err(format!("{from} has {balance}, needs {amount}"));
    }
    db.set(from, balance - amount);
    let target = db.get(to).ok_or_else(|| format!("no account {to:?}"))?;
    assert!(amount >= 0, "negative amount {amount}");
    db.set(to, target + amount);
    Ok(())
}

pub fn main() {
    let db = Db::default();
    db.begin();
    db.set("alice", 100);
    db.set("bob", 5);
    db.commit().unwrap();

    println!("{:?}", transfer(&db, "alice", "bob", 30));
    println!("{:?}", transfer(&db, "bob", "alice", 500));
    println!("{:?}", transfer(&db, "alice", "carol", 1));
    std::panic::set_hook(Box::new(|info| {
        println!("  (panicked: {})", message(info.payload()));
    }));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        transfer(&db, "alice", "bob", -1)
    }));
    let _ = std::panic::take_hook();
    let payload = panicked.unwrap_err();
    println!("panic: {}", payload.downcast_ref::<String>().unwrap());
    println!("alice {} bob {}", db.balance("alice"), db.balance("bob"));
    println!("log: {:?}", db.log.borrow());

    assert_eq!((db.balance("alice"), db.balance("bob")), (70, 35));
    assert_eq!(
        *db.log.borrow(),
        [
            "begin", "commit", "begin", "commit", "begin", "rollback", "begin", "rollback",
            "begin", "rollback"
        ]
    );
}

// The panic's message, whether it was a literal or formatted (what
// `PanicHookInfo::payload_as_str` does, which is newer than the MSRV).
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    match payload.downcast_ref::<&str>() {
        Some(text) => text,
        None => payload.downcast_ref::<String>().map_or("?", String::as_str),
    }
}
