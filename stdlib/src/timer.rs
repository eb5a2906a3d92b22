//! The HOC `Timer` class (NEURON's `src/ivoc/octimer.cpp`): runs a
//! statement every `seconds()` while started, from the GUI event loop.
//!
//! `new Timer("stmt")` (a statement is required, NEURON says "Timer not
//! enough arguments" otherwise; an object is also accepted, for Python
//! callables), `seconds([s])` (get, or set within `[1e-6, 1e6]`; default
//! 0.5), `start()`, `end()`, each returning what NEURON returns.
//!
//! Like NEURON running a script without a display, nerve has no event loop
//! that fires timers, so the statement never runs; the object only records
//! its state (see [`HocTimer`]).
//!
//! (Wall-clock stopwatches are the global `startsw()`/`stopsw()`, not this
//! class.)

use crate::list::chkarg;
use nerve_runtime::hoc::{ClassBuilder, HocError, Interpreter, Obj, Value};

/// What a `Timer` runs.
#[derive(Clone)]
pub enum TimerAction {
    /// A HOC statement.
    Statement(String),
    /// An object (a Python callable in NEURON).
    Object(Option<Obj>),
}

/// The payload of a `Timer` object.
#[derive(Clone)]
pub struct HocTimer {
    /// What it runs at each expiry.
    pub action: TimerAction,
    /// The interval in seconds.
    pub seconds: f64,
    /// Whether `start()` was called without a later `end()`.
    pub running: bool,
}

/// Registers the `Timer` class.
pub fn register(interp: &mut Interpreter) {
    ClassBuilder::<HocTimer>::new("Timer", |_, args| {
        if args.is_empty() {
            return Err(HocError::msg("Timer not enough arguments"));
        }
        let action = if args.is_obj(0) {
            TimerAction::Object(args.obj(0)?)
        } else {
            TimerAction::Statement(args.str(0)?)
        };
        Ok(HocTimer {
            action,
            seconds: 0.5,
            running: false,
        })
    })
    .method_mut("seconds", |t, args| {
        if !args.is_empty() {
            t.seconds = chkarg(args, 0, 1e-6, 1e6)?;
        }
        Ok(Value::Num(t.seconds))
    })
    .method_mut("start", |t, _| {
        t.running = true;
        Ok(Value::Num(0.0))
    })
    .method_mut("end", |t, _| {
        t.running = false;
        Ok(Value::Num(0.0))
    })
    .register(interp);
}

#[cfg(test)]
mod tests {
    use crate::list::testutil::{run, run_err};

    #[test]
    fn methods_return_neurons_values() {
        let (_, out) = run(
            "objref tm\ntm = new Timer(\"print 1\")\ntm.seconds\ntm.seconds(0.1)\n\
             tm.start()\ntm.end()\n",
        );
        assert_eq!(out, "\t0.5 \n\t0.1 \n\t0 \n\t0 \n");
    }

    #[test]
    fn errors() {
        let (e, _) = run_err("objref tm\ntm = new Timer()\n");
        assert_eq!(e, "Timer not enough arguments");
        let (e, _) = run_err("objref tm\ntm = new Timer(\"x\")\ntm.seconds(0)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref tm\ntm = new Timer(\"x\")\ntm.total()\n");
        assert!(e.contains("total"), "{e}");
    }
}
