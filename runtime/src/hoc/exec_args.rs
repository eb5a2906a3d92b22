//! Object arguments are passed by reference: NEURON hands a proc the
//! address of the caller's objref, so `$o1 = new Vector()` inside the proc
//! changes the caller's variable. Each argument on the argument stack
//! remembers the objref it came from, if any.

use super::code::{DIdx, Ex, VarRef};
use super::error::HocError;
use super::interp::Interpreter;
use super::symbols::{ObjArray, Sym};
use super::value::{Obj, Value};
use nerve_compiler::hoc::lexer::DollarKind;

/// Where an object argument came from.
#[derive(Clone)]
pub(crate) enum ObjSlot {
    /// Element `k` of an objref variable (global, field, or array).
    Var(ObjArray, usize),
    /// A `localobj` of a live frame, by absolute slot.
    Local(usize),
    /// An argument of a live frame (`$o1` passed on), by absolute slot.
    Arg(usize),
}

impl Interpreter {
    /// Evaluates a call argument onto the argument stack, remembering the
    /// objref it names, if it names one.
    pub(crate) fn push_arg(&mut self, a: &Ex) -> Result<(), HocError> {
        let src = match a {
            Ex::Var(VarRef::Local(s), _) => {
                let k = self.frames[self.cur].base + s;
                matches!(self.locals[k], Value::Obj(_)).then_some(ObjSlot::Local(k))
            }
            Ex::Var(v @ (VarRef::Global(_) | VarRef::Field(_)), _) => match self.objref_of(*v) {
                Some(o) if o.dims.is_empty() => Some(ObjSlot::Var(o, 0)),
                _ => None,
            },
            Ex::Dollar(DollarKind::Obj, DIdx::Lit(i), _) => self.arg_slot(*i).map(ObjSlot::Arg),
            _ => None,
        };
        let v = self.eval(a)?;
        self.arg_stack.push(v);
        self.arg_src.push(src);
        Ok(())
    }

    /// The objref storage of a global or field variable, if it is one.
    fn objref_of(&self, v: VarRef) -> Option<ObjArray> {
        let sym = match v {
            VarRef::Global(id) => self.symbols[id].sym.clone(),
            VarRef::Field(i) => self.frames[self.cur].this.as_ref()?.field(i)?,
            VarRef::Local(_) => return None,
        };
        match sym {
            Sym::Objs(o) => Some(o),
            _ => None,
        }
    }

    /// Evaluates call arguments onto the argument stack; on error the stack
    /// is left as it was.
    pub(crate) fn push_args(&mut self, args: &[Ex]) -> Result<usize, HocError> {
        let base = self.arg_stack.len();
        for a in args {
            if let Err(e) = self.push_arg(a) {
                self.truncate_args(base);
                return Err(e);
            }
        }
        Ok(base)
    }

    /// Pops the argument stack down to `base`.
    pub(crate) fn truncate_args(&mut self, base: usize) {
        self.arg_stack.truncate(base);
        self.arg_src.truncate(base);
    }

    /// After `$oN = obj`: writes `obj` through to the objref the argument
    /// came from (and on up, if that was itself an argument).
    pub(crate) fn write_through(&mut self, mut slot: usize, obj: Option<Obj>) {
        // Bounded: each step goes to an older frame's argument.
        for _ in 0..self.arg_src.len() {
            match self.arg_src.get(slot).cloned().flatten() {
                Some(ObjSlot::Var(o, k)) => {
                    if let Some(cell) = o.data.borrow_mut().get_mut(k) {
                        *cell = obj;
                    }
                    return;
                }
                Some(ObjSlot::Local(k)) => {
                    if let Some(l @ Value::Obj(_)) = self.locals.get_mut(k) {
                        *l = Value::Obj(obj);
                    }
                    return;
                }
                Some(ObjSlot::Arg(k)) if k < slot => {
                    self.arg_stack[k] = Value::Obj(obj.clone());
                    slot = k;
                }
                _ => return,
            }
        }
    }
}
