//! Calls: procs, funcs, obfuncs and iterators with their frames, built-in
//! functions, and object construction.

use super::class::Args;
use super::code::{ProcDef, VarRef};
use super::error::HocError;
use super::exec::*;
use super::interp::{Frame, Interpreter, IterCtx};
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::{ClassKind, Obj, ObjectData, Value};
use nerve_compiler::hoc::ast::{ProcKind, Span};
use std::rc::Rc;

/// What a name can be called as.
pub(crate) enum Callable {
    Proc(Rc<ProcDef>, Option<Obj>),
    Builtin(super::class::NativeFn, Rc<str>),
}

impl Interpreter {
    pub(crate) fn callable(&self, v: VarRef) -> Option<Callable> {
        match v {
            VarRef::Global(id) => match &self.symbols[id].sym {
                Sym::Proc(d) => Some(Callable::Proc(d.clone(), None)),
                Sym::Builtin(f) => {
                    Some(Callable::Builtin(f.clone(), self.symbols[id].name.clone()))
                }
                _ => None,
            },
            VarRef::Field(i) => {
                let this = self.frames[self.cur].this.clone();
                // The template of the running method, or of the object an
                // `execute1(cmd, obj)` runs in.
                let t = self.frames[self.cur]
                    .def
                    .as_ref()
                    .and_then(|d| d.template.clone())
                    .or_else(|| match this.as_ref().map(|o| &o.class.kind) {
                        Some(ClassKind::Template(t)) => Some(t.clone()),
                        _ => None,
                    })?;
                let m = t.members.borrow();
                match &m.get(i)?.kind {
                    MemberKind::Code(Some(d)) => Some(Callable::Proc(d.clone(), this)),
                    _ => None,
                }
            }
            VarRef::Local(_) => None,
        }
    }

    pub(crate) fn call_var(
        &mut self,
        v: VarRef,
        vals: Vec<Value>,
        span: Span,
    ) -> Result<Value, HocError> {
        match self.callable(v) {
            Some(Callable::Proc(def, this)) => {
                if def.kind == ProcKind::Iterator {
                    let msg = format!("iterator {} can only be called by for", def.name);
                    return Err(self.here(HocError::msg(msg), span));
                }
                self.call_proc(&def, vals, this, None, span)
            }
            Some(Callable::Builtin(f, name)) => {
                let mut args = Args::new(name, vals);
                f(self, &mut args).map_err(|e| self.here(e, span))
            }
            None => {
                if let (VarRef::Global(_) | VarRef::Field(_), Ok(Sym::Range(r))) =
                    (v, self.sym_of(v))
                {
                    return self.range_call(r, &vals).map_err(|e| self.here(e, span));
                }
                let name = self.var_name(v);
                let what = match v {
                    VarRef::Local(_) => "a local variable".to_string(),
                    _ => match self.sym_of(v) {
                        Ok(Sym::Undef) => "an undefined function".to_string(),
                        Ok(s) => s.kind_name().to_string(),
                        Err(_) => "not a function".to_string(),
                    },
                };
                Err(self.here(HocError::msg(format!("{name} is {what}")), span))
            }
        }
    }

    /// Calls the global function, proc or built-in `name` with `args`, as a
    /// host program or a native method (`Vector.apply("f")`) needs. A proc
    /// returns [`Value::Void`].
    pub fn call_function(&mut self, name: &str, args: Vec<Value>) -> Result<Value, HocError> {
        let id = self
            .lookup(name)
            .ok_or_else(|| HocError::msg(format!("{name} is an undefined function")))?;
        match self.callable(VarRef::Global(id)) {
            Some(Callable::Proc(def, _)) if def.kind == ProcKind::Iterator => Err(HocError::msg(
                format!("iterator {name} can only be called by for"),
            )),
            Some(Callable::Proc(def, _)) => self.call_proc(&def, args, None, None, Span::default()),
            Some(Callable::Builtin(f, n)) => f(self, &mut Args::new(n, args)),
            None => Err(HocError::msg(format!("{name} is not a function"))),
        }
    }

    /// Calls a compiled proc with arguments, as `this` if given.
    pub(crate) fn call_proc(
        &mut self,
        def: &Rc<ProcDef>,
        args: Vec<Value>,
        this: Option<Obj>,
        iter: Option<IterCtx>,
        span: Span,
    ) -> Result<Value, HocError> {
        let args_base = self.arg_stack.len();
        self.arg_src.extend(args.iter().map(|_| None));
        self.arg_stack.extend(args);
        self.call_proc_at(def, args_base, this, iter, span)
    }

    /// Calls a compiled proc whose arguments are on the argument stack from
    /// `args_base` up; they are popped when it returns.
    pub(crate) fn call_proc_at(
        &mut self,
        def: &Rc<ProcDef>,
        args_base: usize,
        this: Option<Obj>,
        iter: Option<IterCtx>,
        span: Span,
    ) -> Result<Value, HocError> {
        let r = self.call_frame(def, args_base, this, iter);
        self.truncate_args(args_base);
        match r {
            Ok(Flow::Return(v)) | Ok(Flow::IterReturn(v)) => Ok(v),
            Ok(_) => match def.kind {
                ProcKind::Func => {
                    let mut e =
                        HocError::msg(format!("func {} ends without returning a value", def.name));
                    let file = self.frame_file(self.cur);
                    let (line, col) = file.line_col(span.start);
                    e.location = Some(super::error::Location {
                        file: file.clone(),
                        span,
                    });
                    e.stack
                        .push(format!("{}() at {}:{}:{}", def.name, file.name, line, col));
                    Err(e)
                }
                ProcKind::Obfunc => Ok(Value::Obj(None)),
                ProcKind::Proc | ProcKind::Iterator => Ok(Value::Void),
            },
            Err(mut e) => {
                if e.is_error() {
                    if e.location.is_none() && e.stack.is_empty() {
                        // Failed before running (too deep, interrupted): point at the call.
                        e = self.here(e, span);
                    }
                    let file = self.frame_file(self.cur);
                    let (line, col) = file.line_col(span.start);
                    e.stack
                        .push(format!("{}() at {}:{}:{}", def.name, file.name, line, col));
                }
                Err(e)
            }
        }
    }

    /// Pushes a frame, runs the body, pops the frame.
    pub(crate) fn call_frame(
        &mut self,
        def: &Rc<ProcDef>,
        args_base: usize,
        this: Option<Obj>,
        iter: Option<IterCtx>,
    ) -> Result<Flow, HocError> {
        self.check_interrupt()?;
        if self.frames.len() >= MAX_DEPTH {
            return Err(HocError::msg(format!(
                "recursion too deep: {MAX_DEPTH} nested calls (in {})",
                def.name
            )));
        }
        let base = self.locals.len();
        self.locals.extend(def.locals.iter().map(|&obj| {
            if obj {
                Value::Obj(None)
            } else {
                Value::Num(0.0)
            }
        }));
        let caller = self.cur;
        self.frames.push(Frame {
            def: Some(def.clone()),
            args_base,
            nargs: self.arg_stack.len() - args_base,
            base,
            this,
            iter,
            file: None,
        });
        self.cur = self.frames.len() - 1;
        let r = self.exec(&def.body);
        self.frames.pop();
        // localobj references end with the call: their templates' unref runs.
        if def.locals.iter().any(|&is_obj| is_obj) {
            for v in self.locals.drain(base..).collect::<Vec<_>>() {
                if let Value::Obj(o) = v {
                    self.defer_release(o);
                }
            }
        } else {
            self.locals.truncate(base);
        }
        self.cur = caller;
        let released = self.run_releases();
        let r = r?;
        released.map(|_| r)
    }

    /// Creates an instance of a class with constructor arguments.
    pub fn instantiate(
        &mut self,
        class: &Rc<super::value::ClassInfo>,
        vals: Vec<Value>,
    ) -> Result<Obj, HocError> {
        self.instantiate_at(class, vals, Span::default())
    }

    /// [`Self::instantiate`] for a `new` written at `span` (where an error in
    /// `init()` is reported to have been called from).
    pub(crate) fn instantiate_at(
        &mut self,
        class: &Rc<super::value::ClassInfo>,
        vals: Vec<Value>,
        span: Span,
    ) -> Result<Obj, HocError> {
        match &class.kind {
            ClassKind::Native(n) => {
                let ctor = n.ctor.clone();
                let mut args = Args::new(class.name.clone(), vals);
                let payload = ctor(self, &mut args)?;
                Ok(class.instantiate(ObjectData::Native(std::cell::RefCell::new(payload))))
            }
            ClassKind::Template(t) => {
                let fields = t.new_fields();
                let obj = class.instantiate(ObjectData::Template(std::cell::RefCell::new(fields)));
                self.make_object_sections(&obj)?;
                let init = t
                    .find("init")
                    .and_then(|i| match &t.members.borrow()[i].kind {
                        MemberKind::Code(Some(d)) => Some(d.clone()),
                        _ => None,
                    });
                if let Some(init) = init {
                    self.call_proc(&init, vals, Some(obj.clone()), None, span)?;
                }
                Ok(obj)
            }
        }
    }

    // --------------------------------------------------------------- members
}
