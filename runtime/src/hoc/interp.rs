//! The HOC interpreter: symbol table, frames, output, and the public API a
//! host uses to run source text, read and write variables, and register
//! native functions and classes.

use super::class::{Args, NativeClass};
use super::code::{St, SymId};
use super::compile::Scope;
use super::error::{HocError, Location};
use super::symbols::{Sym, Symbol};
use super::template::Template;
use super::value::{ClassInfo, ClassKind, Obj, Value};
use nerve_compiler::diagnostics::SourceFile;
use nerve_compiler::hoc::ast::Span;
use nerve_compiler::hoc::parse::{Driver, SectionOracle, TopItem};
use std::any::{Any, TypeId};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A global objref variable as [`Interpreter::global_objrefs`] lists it:
/// name, array dimensions (empty for a scalar), the objects it holds.
pub type ObjRefVar = (Rc<str>, Vec<usize>, Vec<Option<Obj>>);

/// The body of a `for iterator(...)` loop, run by `iterator_statement` in
/// the frame of the loop's caller.
#[derive(Clone)]
pub(crate) struct IterCtx {
    pub body: Rc<St>,
    pub caller: usize,
}

/// A call frame. Frame 0 is the top level.
pub(crate) struct Frame {
    pub def: Option<Rc<super::code::ProcDef>>,
    /// Where this call's arguments start in the argument stack.
    pub args_base: usize,
    /// How many arguments.
    pub nargs: usize,
    /// Where this call's locals start in the local stack.
    pub base: usize,
    pub this: Option<Obj>,
    pub iter: Option<IterCtx>,
    /// The file of top-level code (proc frames use their definition's file).
    pub file: Option<Rc<SourceFile>>,
}

/// A HOC interpreter. It owns every symbol, object and frame; there is no
/// global state, so several can live in one process.
pub struct Interpreter {
    pub(crate) symbols: Vec<Symbol>,
    names: HashMap<Rc<str>, SymId>,
    pub(crate) locals: Vec<Value>,
    pub(crate) arg_stack: Vec<Value>,
    /// For each argument on `arg_stack`, the objref it came from.
    pub(crate) arg_src: Vec<Option<super::exec_args::ObjSlot>>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) cur: usize,
    pub(crate) defining: Option<Rc<Template>>,
    /// The value comparisons treat as equal (`float_epsilon`).
    pub float_epsilon: Rc<Cell<f64>>,
    /// Set from another thread (a signal handler) to interrupt a running statement.
    pub interrupt: Arc<AtomicBool>,
    out: Box<dyn Write>,
    extensions: HashMap<TypeId, Box<dyn Any>>,
    section_names: Vec<Rc<str>>,
    range_warnings: usize,
    /// Objects whose references an assignment dropped, waiting for their
    /// template's `unref` to run.
    pub(crate) pending_release: std::cell::RefCell<Vec<Obj>>,
    /// What `object_push` replaced, innermost last.
    object_stack: Vec<Option<Obj>>,
    /// The cell model's binding, if installed.
    pub(crate) host: Option<Rc<dyn super::section::SectionHost>>,
    /// NEURON's section stack (`sec stmt` pushes for the statement).
    pub(crate) sec_stack: Vec<super::section::SecHandle>,
    /// The section `access` chose.
    pub(crate) access: Option<super::section::SecHandle>,
}

impl SectionOracle for Interpreter {
    fn is_section(&self, name: &str, after_dot: bool) -> bool {
        if after_dot {
            return self.section_names.iter().any(|n| &**n == name);
        }
        if let Some(t) = &self.defining {
            return t.sections.borrow().iter().any(|n| &**n == name);
        }
        // Code run in an object's context (execute1(cmd, obj)) sees its sections.
        if let Some(ClassKind::Template(t)) =
            self.frames[self.cur].this.as_ref().map(|o| &o.class.kind)
        {
            if t.sections.borrow().iter().any(|n| &**n == name) {
                return true;
            }
        }
        matches!(self.symbol_kind(name), Some(Sym::Sections(_)))
    }
}

impl Default for Interpreter {
    fn default() -> Self {
        Interpreter::new()
    }
}

impl Interpreter {
    /// An interpreter with the language's own built-in variables, writing to stdout.
    pub fn new() -> Interpreter {
        Interpreter::with_output(Box::new(std::io::BufWriter::new(std::io::stdout())))
    }

    /// An interpreter writing its output (print, printf, echo) to `out`.
    pub fn with_output(out: Box<dyn Write>) -> Interpreter {
        let top = SourceFile::new("<top>", "");
        let mut i = Interpreter {
            symbols: Vec::new(),
            names: HashMap::new(),
            locals: Vec::new(),
            arg_stack: Vec::new(),
            arg_src: Vec::new(),
            frames: vec![Frame {
                def: None,
                args_base: 0,
                nargs: 0,
                base: 0,
                this: None,
                iter: None,
                file: Some(top),
            }],
            cur: 0,
            defining: None,
            float_epsilon: Rc::new(Cell::new(1e-11)),
            interrupt: Arc::new(AtomicBool::new(false)),
            out,
            extensions: HashMap::new(),
            section_names: Vec::new(),
            range_warnings: 0,
            object_stack: Vec::new(),
            pending_release: std::cell::RefCell::new(Vec::new()),
            host: None,
            sec_stack: Vec::new(),
            access: None,
        };
        let eps = i.float_epsilon.clone();
        let id = i.global_id("float_epsilon");
        i.symbols[id].sym = Sym::Num(eps);
        i.symbols[id].builtin = true;
        i
    }

    // ------------------------------------------------------------ symbols

    /// The id of a global name, if known.
    pub(crate) fn lookup(&self, name: &str) -> Option<SymId> {
        self.names.get(name).copied()
    }

    /// The id of a global name, creating an undefined symbol if new.
    pub(crate) fn global_id(&mut self, name: &str) -> SymId {
        if let Some(id) = self.names.get(name) {
            return *id;
        }
        let id = self.symbols.len();
        let name: Rc<str> = name.into();
        self.symbols.push(Symbol {
            name: name.clone(),
            sym: Sym::Undef,
            builtin: false,
        });
        self.names.insert(name, id);
        id
    }

    /// Registers a native function callable from HOC as `name(args)`.
    pub fn register_fn(
        &mut self,
        name: &str,
        f: impl Fn(&mut Interpreter, &mut Args) -> Result<Value, HocError> + 'static,
    ) {
        let id = self.global_id(name);
        self.symbols[id].sym = Sym::Builtin(Rc::new(f));
        self.symbols[id].builtin = true;
    }

    /// Declares a mechanism name (`hh`): `insert` takes it, `name_declared`
    /// knows it, and it cannot be used as a value. A name already bound to
    /// something else (a point process's class) is left alone.
    pub fn register_mechanism_name(&mut self, name: &str) {
        let id = self.global_id(name);
        if matches!(self.symbols[id].sym, Sym::Undef) {
            self.symbols[id].sym = Sym::Mechanism;
            self.symbols[id].builtin = true;
        }
    }

    /// Registers a built-in double variable (visible inside templates too)
    /// and returns its cell, which the host may read and write directly.
    pub fn register_var(&mut self, name: &str, value: f64) -> Rc<Cell<f64>> {
        let id = self.global_id(name);
        let cell = Rc::new(Cell::new(value));
        self.symbols[id].sym = Sym::Num(cell.clone());
        self.symbols[id].builtin = true;
        cell
    }

    /// Registers a native class built with [`super::class::ClassBuilder`].
    pub fn register_native_class(&mut self, name: &str, class: NativeClass) {
        let id = self.global_id(name);
        self.symbols[id].sym = Sym::Class(ClassInfo::new(name, ClassKind::Native(class)));
        self.symbols[id].builtin = true;
    }

    /// The class called `name` (native or template), if any.
    pub fn class(&self, name: &str) -> Option<Rc<ClassInfo>> {
        match self.lookup(name).map(|id| &self.symbols[id].sym) {
            Some(Sym::Class(c)) => Some(c.clone()),
            _ => None,
        }
    }

    /// Every class, in registration order.
    pub fn classes(&self) -> Vec<Rc<ClassInfo>> {
        self.symbols
            .iter()
            .filter_map(|s| match &s.sym {
                Sym::Class(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }

    /// Creates an object of the class called `name`.
    pub fn new_object(&mut self, name: &str, args: Vec<Value>) -> Result<Obj, HocError> {
        let class = self
            .class(name)
            .ok_or_else(|| HocError::msg(format!("{name} is not a template")))?;
        self.instantiate(&class, args)
    }

    /// How NEURON's `name_declared` classifies a global name: 0 undefined,
    /// 1 object-like (template or builtin class), 2 others... see the stdlib.
    pub fn symbol_kind(&self, name: &str) -> Option<&Sym> {
        self.lookup(name).map(|id| &self.symbols[id].sym)
    }

    /// Whether a global name is a built-in.
    pub fn is_builtin(&self, name: &str) -> bool {
        self.lookup(name).is_some_and(|id| self.symbols[id].builtin)
    }

    /// Reads a global double variable.
    pub fn get_num(&self, name: &str) -> Option<f64> {
        match self.symbol_kind(name)? {
            Sym::Num(c) => Some(c.get()),
            _ => None,
        }
    }

    /// Sets a global double variable, declaring it if new.
    pub fn set_num(&mut self, name: &str, value: f64) -> Result<(), HocError> {
        let id = self.global_id(name);
        match &self.symbols[id].sym {
            Sym::Num(c) => c.set(value),
            Sym::Undef => self.symbols[id].sym = Sym::num(value),
            other => return Err(HocError::msg(format!("{name} is {}", other.kind_name()))),
        }
        Ok(())
    }

    /// Reads a global string variable.
    pub fn get_str(&self, name: &str) -> Option<String> {
        match self.symbol_kind(name)? {
            Sym::Str(s) => s.data.first().map(|s| s.borrow().clone()),
            _ => None,
        }
    }

    /// Reads a global object reference.
    pub fn get_obj(&self, name: &str) -> Option<Option<Obj>> {
        match self.symbol_kind(name)? {
            Sym::Objs(o) => o.data.borrow().first().cloned(),
            _ => None,
        }
    }

    /// Every global objref variable in declaration order: its name, its
    /// array dimensions (empty for a scalar) and what it holds.
    pub fn global_objrefs(&self) -> Vec<ObjRefVar> {
        self.symbols
            .iter()
            .filter_map(|s| match &s.sym {
                Sym::Objs(o) => Some((s.name.clone(), o.dims.clone(), o.data.borrow().clone())),
                _ => None,
            })
            .collect()
    }

    /// Names the parser should treat as sections after a dot (`cell.soma`).
    pub fn add_section_name(&mut self, name: &str) {
        if !self.section_names.iter().any(|n| &**n == name) {
            self.section_names.push(name.into());
        }
    }

    /// Per-interpreter state of an extension (the stdlib keeps its state here).
    pub fn ext<T: Default + 'static>(&mut self) -> &mut T {
        self.extensions
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut::<T>()
            .expect("extension map is keyed by TypeId")
    }

    // ------------------------------------------------------------- output

    /// Writes text to the interpreter's output.
    pub fn write_out(&mut self, s: &str) -> Result<(), HocError> {
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| HocError::msg(format!("cannot write output: {e}")))
    }

    /// Warns on stderr that a math result was out of range (NEURON goes on
    /// after such warnings; after five it stops reporting them).
    pub fn range_warning(&mut self, what: &str) {
        self.range_warnings += 1;
        if self.range_warnings <= 5 {
            self.flush();
            eprintln!("nerve: warning: {what} result out of range");
            if self.range_warnings == 5 {
                eprintln!("nerve: warning: no more range warnings during this execution");
            }
        }
    }

    /// Flushes the output (before anything else writes to the terminal).
    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }

    // -------------------------------------------------------------- state

    /// The arguments of the innermost proc call (for `numarg`, `argtype`).
    pub fn current_args(&self) -> &[Value] {
        let f = &self.frames[self.cur];
        &self.arg_stack[f.args_base..f.args_base + f.nargs]
    }

    /// Whether code is running inside a proc or func.
    pub fn in_proc(&self) -> bool {
        self.frames[self.cur].def.is_some()
    }

    /// `object_push(o)`: statements run from now on (at this level) see the
    /// fields and methods of `o`, until [`Self::pop_object`].
    pub fn push_object(&mut self, o: Obj) {
        let old = self.frames[self.cur].this.replace(o);
        self.object_stack.push(old);
    }

    /// `object_pop()`: undoes the last [`Self::push_object`].
    pub fn pop_object(&mut self) -> Result<(), HocError> {
        match self.object_stack.pop() {
            Some(old) => {
                self.frames[self.cur].this = old;
                Ok(())
            }
            None => Err(HocError::msg("object_pop: no object_push to undo")),
        }
    }

    /// The object whose method is running, if any.
    pub fn current_object(&self) -> Option<Obj> {
        self.frames[self.cur].this.clone()
    }

    /// Undoes partial state after an error that reached the top level.
    fn unwind_to_top(&mut self) {
        self.frames.truncate(1);
        self.locals.clear();
        self.arg_stack.clear();
        self.arg_src.clear();
        self.sec_stack.clear();
        self.cur = 0;
    }

    // ------------------------------------------------------------ running

    /// Runs HOC source text named `name` (for diagnostics). Stops at the
    /// first error, which carries its location and call stack.
    pub fn run_source(&mut self, name: &str, text: &str) -> Result<(), HocError> {
        let file = SourceFile::new(name, text);
        self.run_file(file)
    }

    /// Runs a source file.
    pub fn run_file(&mut self, file: Rc<SourceFile>) -> Result<(), HocError> {
        let r = self.run_file_inner(&file);
        if r.is_err() && self.frames.len() > 1 && self.cur == 0 {
            self.unwind_to_top();
        }
        r
    }

    fn run_file_inner(&mut self, file: &Rc<SourceFile>) -> Result<(), HocError> {
        let syntax = |e: nerve_compiler::hoc::parse::SyntaxError| {
            HocError::syntax(
                e.message,
                Location {
                    file: file.clone(),
                    span: e.span,
                },
                e.incomplete,
            )
        };
        let mut driver = Driver::new(&file.text).map_err(syntax)?;
        loop {
            let item = match driver.next_item(&*self) {
                None => break,
                Some(r) => r.map_err(syntax)?,
            };
            match item {
                TopItem::BeginTemplate(name) => {
                    if self.defining.is_some() {
                        return Err(
                            HocError::msg("begintemplate inside a template").at(file, name.span)
                        );
                    }
                    if let Some(id) = self.lookup(&name.name) {
                        if !matches!(self.symbols[id].sym, Sym::Undef) {
                            let msg = format!(
                                "{} is already declared and cannot be a template",
                                name.name
                            );
                            return Err(HocError::msg(msg).at(file, name.span));
                        }
                    }
                    self.defining = Some(Template::new(&name.name));
                }
                TopItem::EndTemplate(name) => {
                    let Some(t) = self.defining.take() else {
                        return Err(
                            HocError::msg("endtemplate without begintemplate").at(file, name.span)
                        );
                    };
                    if *t.name != *name.name {
                        let msg = format!(
                            "endtemplate {} does not match begintemplate {}",
                            name.name, t.name
                        );
                        return Err(HocError::msg(msg).at(file, name.span));
                    }
                    let id = self.global_id(&name.name);
                    self.symbols[id].sym =
                        Sym::Class(ClassInfo::new(&name.name, ClassKind::Template(t)));
                }
                TopItem::Stmts(stmts) => {
                    for s in stmts {
                        // Inside a template body, or in an object's context (execute1(cmd, obj)).
                        let this_template =
                            match self.frames[self.cur].this.as_ref().map(|o| &o.class.kind) {
                                Some(ClassKind::Template(t)) => Some(t.clone()),
                                _ => None,
                            };
                        let mut scope =
                            Scope::top(file.clone(), self.defining.clone().or(this_template));
                        scope.template_body = self.defining.is_some();
                        let code = self.compile_stmt(&mut scope, &s, self.defining.is_none())?;
                        match self.run_top(&code, file) {
                            // `stop` abandons every active call and returns to the top level.
                            Err(e)
                                if e.kind == super::error::ErrorKind::Stop
                                    && self.frames.len() == 1 =>
                            {
                                self.cur = 0;
                            }
                            r => r?,
                        }
                    }
                }
            }
        }
        if let Some(t) = &self.defining {
            if self.frames.len() == 1 {
                let msg = format!("begintemplate {} has no endtemplate", t.name);
                self.defining = None;
                return Err(
                    HocError::msg(msg).at(file, Span::new(file.text.len(), file.text.len()))
                );
            }
        }
        Ok(())
    }

    fn run_top(&mut self, code: &St, file: &Rc<SourceFile>) -> Result<(), HocError> {
        let saved = self.frames[self.cur].file.replace(file.clone());
        let r = self.exec(code);
        self.frames[self.cur].file = saved;
        r.map(|_| ())
    }

    /// Runs a statement given as text from inside running code (`execute`),
    /// with the same scoping as the top level.
    pub fn execute_string(&mut self, name: &str, text: &str) -> Result<(), HocError> {
        self.execute_in(name, text, None)
    }

    /// Runs statement text as if at top level, or in the context of an
    /// object (its fields and methods visible, as `execute1(cmd, obj)` does).
    pub fn execute_in(
        &mut self,
        name: &str,
        text: &str,
        this: Option<Obj>,
    ) -> Result<(), HocError> {
        let file = SourceFile::new(name, text);
        let saved_cur = self.cur;
        let saved_frames = self.frames.len();
        let saved_locals = self.locals.len();
        // Code run by execute sees globals, as at top level.
        self.frames.push(Frame {
            def: None,
            args_base: self.arg_stack.len(),
            nargs: 0,
            base: self.locals.len(),
            this,
            iter: None,
            file: Some(file.clone()),
        });
        self.cur = self.frames.len() - 1;
        let r = self.run_file_inner(&file);
        self.frames.truncate(saved_frames);
        self.locals.truncate(saved_locals);
        self.cur = saved_cur;
        r
    }
}
