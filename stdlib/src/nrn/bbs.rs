//! The bulletin board of `ParallelContext` with one process, as `nrniv`
//! without MPI runs it (NEURON's `BBSLocal`): `runworker()` returns at once,
//! `submit` queues a job, `working()` runs the next one in submission order
//! and returns its id (0 when none are left), `retval`/`userid` describe it;
//! messages are `pack`ed, `post`ed under a key and `take`n or `look`ed at
//! in posting order; `upk*` read the message in hand item by item.

use super::parallel::ParState;
use crate::vector::{new_vector, vector_data};
use nerve_runtime::hoc::symbols::Sym;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Value};
use std::collections::VecDeque;

/// One item of a message.
#[derive(Clone, Debug)]
enum Item {
    Num(f64),
    Str(String),
    Vec(Vec<f64>),
}

/// A submitted job.
struct Job {
    id: i64,
    userid: f64,
    /// a function to call with arguments, or a statement
    name: String,
    args: Vec<Item>,
    statement: bool,
}

/// The board.
#[derive(Default)]
pub(crate) struct Bbs {
    todo: VecDeque<Job>,
    last_id: i64,
    retval: f64,
    userid: f64,
    /// what `pack` has put together for the next `post` or `submit`
    send: Vec<Item>,
    /// the message in hand, read by `upk*`
    recv: VecDeque<Item>,
    /// posted messages, oldest first
    messages: Vec<(String, Vec<Item>)>,
}

fn bbs(interp: &mut Interpreter) -> &mut Bbs {
    &mut interp.ext::<ParState>().bbs
}

fn ok(x: f64) -> Result<Value, HocError> {
    Ok(Value::Num(x))
}

/// Argument `i` as a message item.
fn item(a: &Args, i: usize) -> Result<Item, HocError> {
    if a.is_str(i) {
        Ok(Item::Str(a.str(i)?))
    } else if a.is_obj(i) {
        Ok(Item::Vec(vector_data(&a.object(i)?)?.borrow().clone()))
    } else {
        Ok(Item::Num(a.num(i)?))
    }
}

/// `pack(x, "s", vec, ...)`.
fn pack(interp: &mut Interpreter, a: &mut Args, from: usize) -> Result<(), HocError> {
    for i in from..a.len() {
        let it = item(a, i)?;
        bbs(interp).send.push(it);
    }
    Ok(())
}

/// `submit([userid,] "name", args...)` or `submit([userid,] "statement")`.
fn submit(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    let first = usize::from(a.len() > 1 && a.is_num(0));
    if a.len() <= first || !a.is_str(first) {
        return Err(HocError::msg(
            "submit: a function name or a statement is needed (object methods are not supported)",
        ));
    }
    let name = a.str(first)?;
    let args = (first + 1..a.len())
        .map(|i| item(a, i))
        .collect::<Result<Vec<_>, _>>()?;
    let statement = args.is_empty()
        && !matches!(
            interp.symbol_kind(&name),
            Some(Sym::Proc(_) | Sym::Builtin(_))
        );
    let b = bbs(interp);
    b.last_id += 1;
    let id = b.last_id;
    let userid = if first == 1 { a.num(0)? } else { -(id as f64) };
    b.send.clear();
    b.todo.push_back(Job {
        id,
        userid,
        name,
        args,
        statement,
    });
    ok(userid)
}

/// `working()`: runs the next job; its id, or 0 when none is left.
fn working(interp: &mut Interpreter) -> Result<Value, HocError> {
    let Some(job) = bbs(interp).todo.pop_front() else {
        return ok(0.0);
    };
    let ret = if job.statement {
        interp.execute_string("submit", &job.name)?;
        // what NEURON 9.0.2 reports for a statement job
        job.id as f64
    } else {
        let mut vals = Vec::with_capacity(job.args.len());
        for it in job.args {
            vals.push(match it {
                Item::Num(x) => Value::Num(x),
                Item::Str(s) => Value::str(s),
                Item::Vec(v) => Value::Obj(Some(new_vector(interp, v)?)),
            });
        }
        match interp.call_function(&job.name, vals)? {
            Value::Num(x) => x,
            _ => 0.0,
        }
    };
    let b = bbs(interp);
    b.retval = ret;
    b.userid = job.userid;
    ok(job.id as f64)
}

/// `post(key, args...)`: the packed items and `args` under `key`.
fn post(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    if a.is_empty() {
        return Err(HocError::msg("post: a key is needed"));
    }
    let key = key(a)?;
    pack(interp, a, 1)?;
    let b = bbs(interp);
    let msg = std::mem::take(&mut b.send);
    b.messages.push((key, msg));
    ok(1.0)
}

fn key(a: &Args) -> Result<String, HocError> {
    if a.is_str(0) {
        a.str(0)
    } else {
        Ok(format!("{}", a.num(0)?))
    }
}

/// `take`, `look`, `look_take`: the oldest message under the key becomes
/// the message in hand (removed from the board unless `look`); the extra
/// arguments receive its first items. Returns whether there was one.
fn fetch(interp: &mut Interpreter, a: &mut Args, remove: bool) -> Result<bool, HocError> {
    if a.is_empty() {
        return Err(HocError::msg("a key is needed"));
    }
    let key = key(a)?;
    let b = bbs(interp);
    let Some(k) = b.messages.iter().position(|(m, _)| *m == key) else {
        return Ok(false);
    };
    let items = if remove {
        b.messages.remove(k).1
    } else {
        b.messages[k].1.clone()
    };
    b.recv = items.into();
    for i in 1..a.len() {
        let it = next(interp, "unpack")?;
        match it {
            Item::Num(x) => interp.ptr_set(&a.ptr(i)?, x)?,
            Item::Str(s) => *a.str_ref(i)?.borrow_mut() = s,
            Item::Vec(v) => *vector_data(&a.object(i)?)?.borrow_mut() = v,
        }
    }
    Ok(true)
}

fn next(interp: &mut Interpreter, what: &str) -> Result<Item, HocError> {
    bbs(interp)
        .recv
        .pop_front()
        .ok_or_else(|| HocError::msg(format!("{what}: the message has no more items")))
}

fn wrong(what: &str, want: &str) -> HocError {
    HocError::msg(format!(
        "{what}: the next item of the message is not {want}"
    ))
}

/// Adds the bulletin board methods to the `ParallelContext` class.
pub(crate) fn methods(b: ClassBuilder<()>) -> ClassBuilder<()> {
    b.method("runworker", |_, _, _| ok(0.0))
        .method("done", |_, _, _| ok(0.0))
        .method("submit", |i, _, a| submit(i, a))
        .method("working", |i, _, _| working(i))
        .method("retval", |i, _, _| ok(bbs(i).retval))
        .method("userid", |i, _, _| ok(bbs(i).userid))
        // with one process there are no workers to give a context to
        .method("context", |_, _, _| ok(1.0))
        .method("pack", |i, _, a| {
            pack(i, a, 0)?;
            ok(0.0)
        })
        .method("post", |i, _, a| post(i, a))
        .method("take", |i, _, a| {
            if fetch(i, a, true)? {
                ok(1.0)
            } else {
                let k = key(a)?;
                Err(HocError::msg(format!(
                    "take(\"{k}\"): no such message, and with one process none can come"
                )))
            }
        })
        .method("look", |i, _, a| {
            ok(f64::from(u8::from(fetch(i, a, false)?)))
        })
        .method("look_take", |i, _, a| {
            ok(f64::from(u8::from(fetch(i, a, true)?)))
        })
        .method("upkscalar", |i, _, _| match next(i, "upkscalar")? {
            Item::Num(x) => ok(x),
            _ => Err(wrong("upkscalar", "a number")),
        })
        .method("upkstr", |i, _, a| {
            a.expect_count(1, 1)?;
            let s = a.str_ref(0)?;
            match next(i, "upkstr")? {
                Item::Str(t) => *s.borrow_mut() = t,
                _ => return Err(wrong("upkstr", "a string")),
            }
            Ok(Value::Str(s))
        })
        .method("upkvec", |i, _, a| {
            a.expect_count(0, 1)?;
            let Item::Vec(v) = next(i, "upkvec")? else {
                return Err(wrong("upkvec", "a Vector"));
            };
            if a.is_empty() {
                Ok(Value::Obj(Some(new_vector(i, v)?)))
            } else {
                let o = a.object(0)?;
                *vector_data(&o)?.borrow_mut() = v;
                Ok(Value::Obj(Some(o)))
            }
        })
}
