//! Translation of one IR body (a kernel, a FUNCTION or a NET_RECEIVE block)
//! into the Cranelift function being built. One [`Translator`] serves the
//! scalar path and the two-instance f64x2 path: the value type of every
//! expression is [`Translator::ty`], and only memory access, conditionals and
//! calls of libm differ between the modes.
//!
//! Loop invariants (view fields, slot offsets, ion pointers) and per-instance
//! addresses (the instance's row, its node, its ion rows) are computed once
//! and cached: they are inserted before an *anchor* instruction at the end of
//! the loop preheader or at the top of the loop body, so they dominate every
//! use whatever branch first asked for them.

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, Endianness, FuncRef, Inst, InstBuilder, MemFlagsData,
    Signature, Type, Value,
};
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Linkage, Module};

use super::layout::*;
use super::mathlib::{emit_inline_exp, math_impl, splat_f, MathImpl};
use super::{JitError, JitOptions};
use crate::nmodl::ir::{
    BinOp, Expr, HostFn, IonField, MathFn, MechIr, MechKind, NodeVar, Stmt, UnOp, Var,
};

/// What the module knows while translating any body.
pub(super) struct Env<'a> {
    pub ir: &'a MechIr,
    /// internal functions, by index of `ir.functions`
    pub functions: &'a [FuncId],
    pub options: JitOptions,
}

/// How many instances one pass of the body handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// one instance, f64 values
    Scalar,
    /// instances i and i+1, f64x2 values, contiguous slot access
    Pair,
    /// instance i in both lanes of f64x2 values (the tail of a vector loop:
    /// the same code as `Pair`, so the tail computes what a pair would)
    Dup,
}

/// Where `Arg(k)` lives.
pub(super) enum Args {
    /// not available (kernels other than NET_RECEIVE)
    None,
    /// function arguments, as variables
    Vars(Vec<Variable>),
    /// NET_RECEIVE: the NetCon's weight vector
    Weights(Value),
}

/// Where `Return` goes.
#[derive(Clone, Copy)]
pub(super) enum ReturnTo {
    /// to a block without arguments (next instance, or the kernel's exit)
    Block(Block),
    /// to a function's return block, which takes the f64 value
    Value(Block, bool),
}

/// Cached values (see the module header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    ViewField(i32),
    Stride8,
    SlotOff(usize),
    IonPtr(usize, i32),
    IonFieldOff(usize, usize),
    Row,
    Lane1,
    NodeOff(usize),
    IonRow(usize, usize),
}

/// A resolved memory place.
enum Place {
    /// one scalar address for every lane
    Uniform(Value),
    /// `Pair` only: two consecutive f64 at this address
    Contig(Value),
    /// `Pair` only: one address per lane
    Lanes(Value, Value),
}

type R<T> = Result<T, JitError>;

fn trusted() -> MemFlagsData {
    MemFlagsData::trusted()
}

fn vector_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

fn le() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// Translates bodies into the function under construction.
pub(super) struct Translator<'a, 'f> {
    pub b: FunctionBuilder<'f>,
    module: &'a mut JITModule,
    env: &'a Env<'a>,
    /// the body's name for messages (`cur`, `FUNCTION rates`)
    place: String,
    pub view: Value,
    pub mode: Mode,
    /// F64 or F64X2
    pub ty: Type,
    /// the instance (lane 0); a constant 0 in type-wide bodies
    pub instance: Value,
    /// Slot, Node and Ion are available
    pub per_instance: bool,
    pub locals: Vec<Variable>,
    pub args: Args,
    pub flag: Option<Value>,
    pub ret: ReturnTo,
    entry_anchor: Inst,
    inst_anchor: Inst,
    entry_cache: HashMap<Key, Value>,
    inst_cache: HashMap<Key, Value>,
    /// the lanes active in the current if-converted branch (I64X2 mask)
    mask: Option<Value>,
    func_refs: HashMap<FuncId, FuncRef>,
    host_sig: Option<cranelift_codegen::ir::SigRef>,
    /// locals computed before the loop: (local, f64 value, f64x2 value)
    pub hoisted: Vec<(usize, Value, Option<Value>)>,
}

impl<'a, 'f> Translator<'a, 'f> {
    /// A translator for a body whose view is `view`. `anchor` is where loop
    /// invariants go; call [`Translator::begin_region`] before each body.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        b: FunctionBuilder<'f>,
        module: &'a mut JITModule,
        env: &'a Env<'a>,
        place: String,
        view: Value,
        instance: Value,
        per_instance: bool,
        ret: ReturnTo,
        anchor: Inst,
    ) -> Self {
        Translator {
            b,
            module,
            env,
            place,
            view,
            mode: Mode::Scalar,
            ty: types::F64,
            instance,
            per_instance,
            locals: Vec::new(),
            args: Args::None,
            flag: None,
            ret,
            entry_anchor: anchor,
            inst_anchor: anchor,
            entry_cache: HashMap::new(),
            inst_cache: HashMap::new(),
            mask: None,
            func_refs: HashMap::new(),
            host_sig: None,
            hoisted: Vec::new(),
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> R<T> {
        Err(JitError::InvalidIr {
            mechanism: self.env.ir.name.clone(),
            place: self.place.clone(),
            message: message.into(),
        })
    }

    /// Starts a body for `instance` in `mode` with `locals` fresh locals;
    /// per-instance values are cached before `anchor`.
    pub fn begin_region(&mut self, mode: Mode, instance: Value, locals: usize, anchor: Inst) {
        self.mode = mode;
        self.ty = if mode == Mode::Scalar {
            types::F64
        } else {
            types::F64X2
        };
        self.instance = instance;
        self.inst_anchor = anchor;
        self.inst_cache.clear();
        self.mask = None;
        self.locals = (0..locals).map(|_| self.b.declare_var(self.ty)).collect();
        for (k, scalar, vector) in self.hoisted.clone() {
            let v = if mode == Mode::Scalar {
                scalar
            } else {
                vector.unwrap_or(scalar)
            };
            self.b.def_var(self.locals[k], v);
        }
    }

    // ----- cached values ------------------------------------------------

    fn cached(
        &mut self,
        key: Key,
        entry: bool,
        make: impl FnOnce(&mut FuncCursor) -> Value,
    ) -> Value {
        let (cache, anchor) = if entry {
            (&mut self.entry_cache, self.entry_anchor)
        } else {
            (&mut self.inst_cache, self.inst_anchor)
        };
        if let Some(v) = cache.get(&key) {
            return *v;
        }
        // callers fetch the cached values `make` needs first: those land
        // before the anchor too, so before this one
        let mut pos = FuncCursor::new(&mut *self.b.func).at_inst(anchor);
        let v = make(&mut pos);
        cache.insert(key, v);
        v
    }

    fn view_field(&mut self, off: i32, ty: Type) -> Value {
        let view = self.view;
        self.cached(Key::ViewField(off), true, |pos| {
            pos.ins().load(ty, trusted(), view, off)
        })
    }

    fn stride8(&mut self) -> Value {
        let stride = self.view_field(VIEW_STRIDE, types::I64);
        self.cached(Key::Stride8, true, |pos| pos.ins().ishl_imm_u(stride, 3))
    }

    fn slot_off(&mut self, k: usize) -> Value {
        let s8 = self.stride8();
        self.cached(Key::SlotOff(k), true, |pos| {
            pos.ins().imul_imm_u(s8, k as i64)
        })
    }

    fn ion_ptr(&mut self, ion: usize, field: i32) -> Value {
        let ions = self.view_field(VIEW_IONS, types::I64);
        let off = ion as i32 * ION_VIEW_SIZE as i32 + field;
        self.cached(Key::IonPtr(ion, field), true, |pos| {
            pos.ins().load(types::I64, trusted(), ions, off)
        })
    }

    fn ion_field_off(&mut self, ion: usize, field: usize) -> Value {
        let stride = self.ion_ptr(ion, ION_STRIDE);
        self.cached(Key::IonFieldOff(ion, field), true, |pos| {
            pos.ins().imul_imm_u(stride, 8 * field as i64)
        })
    }

    /// The instance of `lane` (lane 1 only in `Pair` mode).
    fn lane_instance(&mut self, lane: usize) -> Value {
        if lane == 0 || self.mode != Mode::Pair {
            return self.instance;
        }
        let i = self.instance;
        self.cached(Key::Lane1, false, |pos| pos.ins().iadd_imm_u(i, 1))
    }

    /// `data + i*8` for lane 0: add `k*stride*8` for slot k.
    fn row(&mut self) -> Value {
        let data = self.view_field(VIEW_DATA, types::I64);
        let i = self.instance;
        self.cached(Key::Row, false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 3);
            pos.ins().iadd(data, o)
        })
    }

    fn node_off(&mut self, lane: usize) -> Value {
        let ni = self.view_field(VIEW_NODE_INDEX, types::I64);
        let i = self.lane_instance(lane);
        self.cached(Key::NodeOff(lane), false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 2);
            let a = pos.ins().iadd(ni, o);
            let n = pos.ins().uload32(trusted(), a, 0);
            pos.ins().ishl_imm_u(n, 3)
        })
    }

    fn ion_row(&mut self, ion: usize, lane: usize) -> Value {
        let data = self.ion_ptr(ion, ION_DATA);
        let index = self.ion_ptr(ion, ION_INDEX);
        let i = self.lane_instance(lane);
        self.cached(Key::IonRow(ion, lane), false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 2);
            let a = pos.ins().iadd(index, o);
            let n = pos.ins().uload32(trusted(), a, 0);
            let n = pos.ins().ishl_imm_u(n, 3);
            pos.ins().iadd(data, n)
        })
    }

    // ----- constants and lanes -------------------------------------------

    fn fconst(&mut self, x: f64) -> Value {
        splat_f(&mut self.b, self.ty, x)
    }

    /// A scalar f64 as a value of the body's type.
    fn splat(&mut self, x: Value) -> Value {
        if self.ty == types::F64 {
            x
        } else {
            self.b.ins().splat(self.ty, x)
        }
    }

    fn lanes(&self) -> usize {
        if self.mode == Mode::Pair {
            2
        } else {
            1
        }
    }

    fn lane(&mut self, v: Value, lane: usize) -> Value {
        if self.ty == types::F64 {
            v
        } else {
            self.b.ins().extractlane(v, lane as u8)
        }
    }

    /// A value of the body's type from one scalar per lane.
    fn of_lanes(&mut self, xs: &[Value]) -> Value {
        match self.mode {
            Mode::Scalar => xs[0],
            Mode::Dup => self.b.ins().splat(self.ty, xs[0]),
            Mode::Pair => {
                let v = self.b.ins().scalar_to_vector(self.ty, xs[0]);
                self.b.ins().insertlane(v, xs[1], 1)
            }
        }
    }

    /// `c ? x : y` lane by lane, `c` a condition from [`Self::cond`].
    fn sel(&mut self, c: Value, x: Value, y: Value) -> Value {
        if self.ty == types::F64 {
            self.b.ins().select(c, x, y)
        } else {
            let m = self.b.ins().bitcast(self.ty, le(), c);
            self.b.ins().bitselect(m, x, y)
        }
    }

    fn bool_to_num(&mut self, c: Value) -> Value {
        let one = self.fconst(1.0);
        let zero = self.fconst(0.0);
        self.sel(c, one, zero)
    }

    // ----- places ---------------------------------------------------------

    fn check_per_instance(&self, what: &str) -> R<()> {
        if self.per_instance {
            Ok(())
        } else {
            self.err(format!("{what} used in a type-wide body (no instance)"))
        }
    }

    /// The element `base + index` as one i64 per lane, clamped to
    /// `[0, len)` in the vector modes (where untaken branches run too).
    fn element(&mut self, base: usize, index: &Option<Box<Expr>>, len: usize) -> R<Vec<Value>> {
        let Some(index) = index else {
            let c = self.b.ins().iconst(types::I64, base as i64);
            return Ok(vec![c]);
        };
        let x = self.expr(index)?;
        let mut out = Vec::new();
        for l in 0..self.lanes() {
            let xl = self.lane(x, l);
            let t = self.b.ins().fcvt_to_sint_sat(types::I64, xl);
            let mut e = self.b.ins().iadd_imm_u(t, base as i64);
            if self.mode != Mode::Scalar {
                let zero = self.b.ins().iconst(types::I64, 0);
                let last = self
                    .b
                    .ins()
                    .iconst(types::I64, len.saturating_sub(1) as i64);
                e = self.b.ins().smax(e, zero);
                e = self.b.ins().smin(e, last);
            }
            out.push(e);
        }
        Ok(out)
    }

    fn place(&mut self, var: &Var) -> R<Option<Place>> {
        let ir = self.env.ir;
        Ok(Some(match var {
            Var::Slot(k, index) => {
                self.check_per_instance("a RANGE variable")?;
                let len = ir.slot_count();
                if *k >= len {
                    return self.err(format!("slot {k} out of range (the mechanism has {len})"));
                }
                if index.is_none() {
                    let off = self.slot_off(*k);
                    let row = self.row();
                    let a = self.b.ins().iadd(row, off);
                    if self.mode == Mode::Pair {
                        Place::Contig(a)
                    } else {
                        Place::Uniform(a)
                    }
                } else {
                    let es = self.element(*k, index, len)?;
                    let s8 = self.stride8();
                    let row = self.row();
                    let mut addrs = Vec::new();
                    for (l, e) in es.into_iter().enumerate() {
                        let off = self.b.ins().imul(e, s8);
                        let mut a = self.b.ins().iadd(row, off);
                        if l == 1 {
                            a = self.b.ins().iadd_imm_u(a, 8);
                        }
                        addrs.push(a);
                    }
                    self.place_of(addrs)
                }
            }
            Var::Global(k, index) => {
                let len = ir.global_count();
                if *k >= len {
                    return self.err(format!("global {k} out of range (the mechanism has {len})"));
                }
                let g = self.view_field(VIEW_GLOBALS, types::I64);
                let es = self.element(*k, index, len)?;
                let mut addrs = Vec::new();
                for e in es {
                    let off = self.b.ins().ishl_imm_u(e, 3);
                    addrs.push(self.b.ins().iadd(g, off));
                }
                self.place_of(addrs)
            }
            Var::Node(n) => {
                self.check_per_instance("a node variable")?;
                if ir.kind == MechKind::Artificial {
                    return self.err("an ARTIFICIAL_CELL has no node");
                }
                let field = match n {
                    NodeVar::V => VIEW_V,
                    NodeVar::Rhs => VIEW_RHS,
                    NodeVar::D => VIEW_D,
                    NodeVar::Area => VIEW_AREA,
                    NodeVar::Diam => VIEW_DIAM,
                };
                let base = self.view_field(field, types::I64);
                let mut addrs = Vec::new();
                for l in 0..self.lanes() {
                    let off = self.node_off(l);
                    addrs.push(self.b.ins().iadd(base, off));
                }
                self.place_of(addrs)
            }
            Var::Ion(j, f) => {
                self.check_per_instance("an ion variable")?;
                if *j >= ir.ions.len() {
                    return self.err(format!(
                        "ion {j} out of range (the mechanism uses {})",
                        ir.ions.len()
                    ));
                }
                let field = match f {
                    IonField::Erev => ION_FIELD_EREV,
                    IonField::ConcIn => ION_FIELD_CONC_IN,
                    IonField::ConcOut => ION_FIELD_CONC_OUT,
                    IonField::Current => ION_FIELD_CURRENT,
                    IonField::DCurrentDv => ION_FIELD_DCURRENT_DV,
                };
                let foff = self.ion_field_off(*j, field);
                let mut addrs = Vec::new();
                for l in 0..self.lanes() {
                    let row = self.ion_row(*j, l);
                    addrs.push(self.b.ins().iadd(row, foff));
                }
                self.place_of(addrs)
            }
            Var::Arg(k) => match &self.args {
                Args::Weights(w) => {
                    let w = *w;
                    if *k >= ir.weights {
                        return self.err(format!(
                            "NET_RECEIVE argument {k} out of range ({} weights)",
                            ir.weights
                        ));
                    }
                    Place::Uniform(self.b.ins().iadd_imm_u(w, 8 * *k as i64))
                }
                _ => return Ok(None),
            },
            _ => return Ok(None),
        }))
    }

    fn place_of(&mut self, addrs: Vec<Value>) -> Place {
        if addrs.len() == 2 {
            Place::Lanes(addrs[0], addrs[1])
        } else {
            Place::Uniform(addrs[0])
        }
    }

    fn load_place(&mut self, p: Place) -> Value {
        match p {
            Place::Uniform(a) => {
                let x = self.b.ins().load(types::F64, trusted(), a, 0);
                self.splat(x)
            }
            Place::Contig(a) => self.b.ins().load(types::F64X2, vector_flags(), a, 0),
            Place::Lanes(a0, a1) => {
                let x0 = self.b.ins().load(types::F64, trusted(), a0, 0);
                let x1 = self.b.ins().load(types::F64, trusted(), a1, 0);
                self.of_lanes(&[x0, x1])
            }
        }
    }

    fn store_place(&mut self, p: Place, v: Value) {
        match p {
            Place::Uniform(a) => {
                // a Global written by both lanes keeps the last instance's value
                let lane = if self.mode == Mode::Pair { 1 } else { 0 };
                let x = self.lane(v, lane);
                self.b.ins().store(trusted(), x, a, 0);
            }
            Place::Contig(a) => {
                self.b.ins().store(vector_flags(), v, a, 0);
            }
            Place::Lanes(a0, a1) => {
                let x0 = self.lane(v, 0);
                let x1 = self.lane(v, 1);
                self.b.ins().store(trusted(), x0, a0, 0);
                self.b.ins().store(trusted(), x1, a1, 0);
            }
        }
    }

    fn local(&self, k: usize) -> R<Variable> {
        match self.locals.get(k) {
            Some(v) => Ok(*v),
            None => self.err(format!(
                "local {k} out of range ({} declared)",
                self.locals.len()
            )),
        }
    }

    fn load_var(&mut self, var: &Var) -> R<Value> {
        if let Some(p) = self.place(var)? {
            return Ok(self.load_place(p));
        }
        Ok(match var {
            Var::Local(k) => {
                let v = self.local(*k)?;
                self.b.use_var(v)
            }
            Var::Arg(k) => match &self.args {
                Args::Vars(vs) => match vs.get(*k) {
                    Some(v) => {
                        let v = *v;
                        self.b.use_var(v)
                    }
                    None => return self.err(format!("argument {k} out of range")),
                },
                _ => return self.err("an argument used outside a FUNCTION or NET_RECEIVE"),
            },
            Var::T => {
                let x = self.view_field(VIEW_T, types::F64);
                self.splat(x)
            }
            Var::Dt => {
                let x = self.view_field(VIEW_DT, types::F64);
                self.splat(x)
            }
            Var::Celsius => {
                let x = self.view_field(VIEW_CELSIUS, types::F64);
                self.splat(x)
            }
            Var::SecondOrder => {
                let i = self.view_field(VIEW_SECONDORDER, types::I32);
                let x = self.b.ins().fcvt_from_sint(types::F64, i);
                self.splat(x)
            }
            Var::Flag => match self.flag {
                Some(f) => self.splat(f),
                None => return self.err("`flag` used outside NET_RECEIVE"),
            },
            Var::Pointer(_) => {
                return self.err("POINTER variables are not supported by the JIT yet")
            }
            Var::Slot(..) | Var::Global(..) | Var::Node(_) | Var::Ion(..) => unreachable!(),
        })
    }

    fn store_var(&mut self, var: &Var, v: Value) -> R<()> {
        match var {
            Var::Node(NodeVar::V | NodeVar::Area | NodeVar::Diam)
            | Var::T
            | Var::Dt
            | Var::Celsius
            | Var::SecondOrder
            | Var::Flag => return self.err(format!("assignment to read-only {var:?}")),
            _ => {}
        }
        let v = if let Some(m) = self.mask {
            let old = self.load_var(var)?;
            let m = self.b.ins().bitcast(self.ty, le(), m);
            self.b.ins().bitselect(m, v, old)
        } else {
            v
        };
        if let Some(p) = self.place(var)? {
            self.store_place(p, v);
            return Ok(());
        }
        match var {
            Var::Local(k) => {
                let var = self.local(*k)?;
                self.b.def_var(var, v);
            }
            Var::Arg(k) => match &self.args {
                Args::Vars(vs) => match vs.get(*k) {
                    Some(var) => {
                        let var = *var;
                        self.b.def_var(var, v);
                    }
                    None => return self.err(format!("argument {k} out of range")),
                },
                _ => return self.err("an argument used outside a FUNCTION or NET_RECEIVE"),
            },
            Var::Pointer(_) => {
                return self.err("POINTER variables are not supported by the JIT yet")
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    // ----- expressions ----------------------------------------------------

    /// `e` as a condition: I8 (scalar) or an I64X2 lane mask.
    fn cond(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Bin(
                op @ (BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne),
                a,
                b,
            ) => {
                let cc = match op {
                    BinOp::Lt => FloatCC::LessThan,
                    BinOp::Le => FloatCC::LessThanOrEqual,
                    BinOp::Gt => FloatCC::GreaterThan,
                    BinOp::Ge => FloatCC::GreaterThanOrEqual,
                    BinOp::Eq => FloatCC::Equal,
                    _ => FloatCC::NotEqual,
                };
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                Ok(self.b.ins().fcmp(cc, a, b))
            }
            Expr::Bin(op @ (BinOp::And | BinOp::Or), a, b) => {
                let a = self.cond(a)?;
                let b = self.cond(b)?;
                Ok(if *op == BinOp::And {
                    self.b.ins().band(a, b)
                } else {
                    self.b.ins().bor(a, b)
                })
            }
            Expr::Un(UnOp::Not, a) => {
                let a = self.cond(a)?;
                Ok(self.not(a))
            }
            _ => {
                let x = self.expr(e)?;
                let zero = self.fconst(0.0);
                Ok(self.b.ins().fcmp(FloatCC::NotEqual, x, zero))
            }
        }
    }

    fn not(&mut self, c: Value) -> Value {
        if self.ty == types::F64 {
            self.b.ins().bxor_imm_u(c, 1)
        } else {
            self.b.ins().bnot(c)
        }
    }

    pub fn expr(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Num(x) => Ok(self.fconst(*x)),
            Expr::Load(v) => self.load_var(v),
            Expr::Un(UnOp::Neg, a) => {
                let a = self.expr(a)?;
                Ok(self.b.ins().fneg(a))
            }
            Expr::Un(UnOp::Not, _) => {
                let c = self.cond(e)?;
                Ok(self.bool_to_num(c))
            }
            Expr::Bin(op, a, b) => match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                    let a = self.expr(a)?;
                    let b = self.expr(b)?;
                    Ok(match op {
                        BinOp::Add => self.b.ins().fadd(a, b),
                        BinOp::Sub => self.b.ins().fsub(a, b),
                        BinOp::Mul => self.b.ins().fmul(a, b),
                        _ => self.b.ins().fdiv(a, b),
                    })
                }
                BinOp::Pow => {
                    let a = self.expr(a)?;
                    let b = self.expr(b)?;
                    self.libm("pow", &[a, b])
                }
                _ => {
                    let c = self.cond(e)?;
                    Ok(self.bool_to_num(c))
                }
            },
            Expr::Select(c, a, b) => self.select(c, a, b),
            Expr::Math(f, args) => self.math(*f, args),
            Expr::Call(f, args) => self.call(*f, args),
            Expr::Host(op, args) => self.host(*op, args),
        }
    }

    fn select(&mut self, c: &Expr, a: &Expr, b: &Expr) -> R<Value> {
        let c = self.cond(c)?;
        if self.mode != Mode::Scalar {
            // both sides have no effects (checked by `vectorizable`)
            let a = self.expr(a)?;
            let b = self.expr(b)?;
            return Ok(self.sel(c, a, b));
        }
        let then_b = self.b.create_block();
        let else_b = self.b.create_block();
        let join = self.b.create_block();
        let r = self.b.append_block_param(join, self.ty);
        self.b.ins().brif(c, then_b, &[], else_b, &[]);
        self.b.switch_to_block(then_b);
        let a = self.expr(a)?;
        self.b.ins().jump(join, &[BlockArg::Value(a)]);
        self.b.switch_to_block(else_b);
        let b = self.expr(b)?;
        self.b.ins().jump(join, &[BlockArg::Value(b)]);
        self.b.switch_to_block(join);
        Ok(r)
    }

    fn math(&mut self, f: MathFn, args: &[Expr]) -> R<Value> {
        let (imp, arity) = math_impl(f);
        if args.len() != arity {
            return self.err(format!(
                "{f:?} takes {arity} argument(s), given {}",
                args.len()
            ));
        }
        let mut xs = Vec::with_capacity(arity);
        for a in args {
            xs.push(self.expr(a)?);
        }
        match imp {
            MathImpl::Libm("exp") if self.env.options.inline_exp => {
                Ok(emit_inline_exp(&mut self.b, xs[0]))
            }
            MathImpl::Libm(name) => self.libm(name, &xs),
            MathImpl::Instruction => Ok(match f {
                MathFn::Sqrt => self.b.ins().sqrt(xs[0]),
                MathFn::Fabs => self.b.ins().fabs(xs[0]),
                MathFn::Floor => self.b.ins().floor(xs[0]),
                _ => self.b.ins().ceil(xs[0]),
            }),
            MathImpl::MinMax => {
                // C's fmin/fmax: a NaN operand yields the other operand
                let (a, b) = (xs[0], xs[1]);
                let cc = if f == MathFn::Min {
                    FloatCC::LessThan
                } else {
                    FloatCC::GreaterThan
                };
                let c = self.b.ins().fcmp(cc, a, b);
                let r = self.sel(c, a, b);
                let nan_b = self.b.ins().fcmp(FloatCC::Unordered, b, b);
                Ok(self.sel(nan_b, a, r))
            }
        }
    }

    fn import(&mut self, name: &str, arity: usize) -> R<FuncRef> {
        let mut sig = self.module.make_signature();
        for _ in 0..arity {
            sig.params.push(AbiParam::new(types::F64));
        }
        sig.returns.push(AbiParam::new(types::F64));
        let id = self
            .module
            .declare_function(name, Linkage::Import, &sig)
            .map_err(|e| JitError::Codegen {
                mechanism: self.env.ir.name.clone(),
                place: self.place.clone(),
                message: e.to_string(),
            })?;
        Ok(self.func_ref(id))
    }

    fn func_ref(&mut self, id: FuncId) -> FuncRef {
        if let Some(r) = self.func_refs.get(&id) {
            return *r;
        }
        let r = self.module.declare_func_in_func(id, self.b.func);
        self.func_refs.insert(id, r);
        r
    }

    /// A call of a libm function, lane by lane.
    fn libm(&mut self, name: &str, xs: &[Value]) -> R<Value> {
        let f = self.import(name, xs.len())?;
        let mut outs = Vec::new();
        for l in 0..self.lanes() {
            let args: Vec<Value> = xs.iter().map(|x| self.lane(*x, l)).collect();
            let call = self.b.ins().call(f, &args);
            outs.push(self.b.inst_results(call)[0]);
        }
        Ok(self.of_lanes(&outs))
    }

    fn scalar_only(&self, what: &str) -> R<()> {
        if self.mode == Mode::Scalar {
            Ok(())
        } else {
            // `vectorizable` keeps such bodies scalar; reaching this is a bug
            Err(JitError::Internal(format!(
                "{what} in a vectorised body of {}",
                self.place
            )))
        }
    }

    fn call(&mut self, f: usize, args: &[Expr]) -> R<Value> {
        self.scalar_only("a function call")?;
        let ir = self.env.ir;
        let Some(decl) = ir.functions.get(f) else {
            return self.err(format!("call of function {f}, which does not exist"));
        };
        if decl.args != args.len() {
            return self.err(format!(
                "{} takes {} argument(s), given {}",
                decl.name,
                decl.args,
                args.len()
            ));
        }
        let mut vals = vec![self.view, self.instance];
        for a in args {
            vals.push(self.expr(a)?);
        }
        let fr = self.func_ref(self.env.functions[f]);
        let call = self.b.ins().call(fr, &vals);
        Ok(self.b.inst_results(call)[0])
    }

    fn host(&mut self, op: HostFn, args: &[Expr]) -> R<Value> {
        self.scalar_only("a runtime service")?;
        if args.len() > 2 {
            return self.err(format!("{op:?} given {} arguments (at most 2)", args.len()));
        }
        let mut xs = Vec::new();
        for a in args {
            xs.push(self.expr(a)?);
        }
        while xs.len() < 2 {
            xs.push(self.fconst(0.0));
        }
        let f = self.view_field(VIEW_HOST_CALL, types::I64);
        let host = self.view_field(VIEW_HOST, types::I64);
        let sig = match self.host_sig {
            Some(s) => s,
            None => {
                let mut sig = Signature::new(self.module.isa().default_call_conv());
                for t in [types::I64, types::I32, types::I64, types::I64] {
                    sig.params.push(AbiParam::new(t));
                }
                sig.params.push(AbiParam::new(types::F64));
                sig.params.push(AbiParam::new(types::F64));
                sig.returns.push(AbiParam::new(types::F64));
                let s = self.b.import_signature(sig);
                self.host_sig = Some(s);
                s
            }
        };
        // a view without services: the call yields 0
        let call_b = self.b.create_block();
        let join = self.b.create_block();
        let r = self.b.append_block_param(join, types::F64);
        let zero = self.b.ins().f64const(0.0);
        self.b
            .ins()
            .brif(f, call_b, &[], join, &[BlockArg::Value(zero)]);
        self.b.switch_to_block(call_b);
        let opv = self.b.ins().iconst(types::I32, op as u32 as i64);
        let call = self.b.ins().call_indirect(
            sig,
            f,
            &[host, opv, self.view, self.instance, xs[0], xs[1]],
        );
        let v = self.b.inst_results(call)[0];
        self.b.ins().jump(join, &[BlockArg::Value(v)]);
        self.b.switch_to_block(join);
        Ok(r)
    }

    // ----- statements -----------------------------------------------------

    pub fn stmts(&mut self, body: &[Stmt]) -> R<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Assign(var, e) => {
                let v = self.expr(e)?;
                self.store_var(var, v)
            }
            Stmt::If(c, t, e) => {
                if self.mode != Mode::Scalar {
                    return self.masked_if(c, t, e);
                }
                let c = self.cond(c)?;
                let then_b = self.b.create_block();
                let else_b = self.b.create_block();
                let join = self.b.create_block();
                self.b.ins().brif(c, then_b, &[], else_b, &[]);
                self.b.switch_to_block(then_b);
                self.stmts(t)?;
                self.b.ins().jump(join, &[]);
                self.b.switch_to_block(else_b);
                self.stmts(e)?;
                self.b.ins().jump(join, &[]);
                self.b.switch_to_block(join);
                Ok(())
            }
            Stmt::While(c, body) => {
                self.scalar_only("a while loop")?;
                let head = self.b.create_block();
                let body_b = self.b.create_block();
                let exit = self.b.create_block();
                self.b.ins().jump(head, &[]);
                self.b.switch_to_block(head);
                let c = self.cond(c)?;
                self.b.ins().brif(c, body_b, &[], exit, &[]);
                self.b.switch_to_block(body_b);
                self.stmts(body)?;
                self.b.ins().jump(head, &[]);
                self.b.switch_to_block(exit);
                Ok(())
            }
            Stmt::Call(f, args) => self.call(*f, args).map(|_| ()),
            Stmt::Host(op, args) => self.host(*op, args).map(|_| ()),
            Stmt::Return(e) => {
                self.scalar_only("a return")?;
                let v = self.expr(e)?;
                match self.ret {
                    ReturnTo::Block(b) => {
                        self.b.ins().jump(b, &[]);
                    }
                    ReturnTo::Value(b, returns_value) => {
                        let v = if returns_value {
                            v
                        } else {
                            self.b.ins().f64const(0.0)
                        };
                        self.b.ins().jump(b, &[BlockArg::Value(v)]);
                    }
                }
                // what follows a return is unreachable but must still compile
                let dead = self.b.create_block();
                self.b.switch_to_block(dead);
                Ok(())
            }
            Stmt::Solve { a, b, out } => self.solve(a, b, out),
        }
    }

    /// An `If` in a vector body: both branches run, each under its lane mask.
    fn masked_if(&mut self, c: &Expr, t: &[Stmt], e: &[Stmt]) -> R<()> {
        let c = self.cond(c)?;
        let outer = self.mask;
        let not_c = self.b.ins().bnot(c);
        let (mt, me) = match outer {
            Some(m) => (self.b.ins().band(m, c), self.b.ins().band(m, not_c)),
            None => (c, not_c),
        };
        self.mask = Some(mt);
        self.stmts(t)?;
        self.mask = Some(me);
        self.stmts(e)?;
        self.mask = outer;
        Ok(())
    }

    /// Gaussian elimination with partial pivoting, unrolled for n: row swaps
    /// are selects, so the code has no branches.
    fn solve(&mut self, a: &[Expr], b: &[Expr], out: &[Var]) -> R<()> {
        self.scalar_only("a SOLVE")?;
        let n = out.len();
        if n == 0 || a.len() != n * n || b.len() != n {
            return self.err(format!(
                "Solve needs n² coefficients and n right-hand sides for n = {n} outputs (given {} and {})",
                a.len(),
                b.len()
            ));
        }
        let mut m = Vec::with_capacity(n * n);
        for e in a {
            m.push(self.expr(e)?);
        }
        let mut r = Vec::with_capacity(n);
        for e in b {
            r.push(self.expr(e)?);
        }
        for k in 0..n {
            for row in k + 1..n {
                let pk = self.b.ins().fabs(m[k * n + k]);
                let pr = self.b.ins().fabs(m[row * n + k]);
                let c = self.b.ins().fcmp(FloatCC::GreaterThan, pr, pk);
                for j in k..n {
                    let (x, y) = (m[k * n + j], m[row * n + j]);
                    m[k * n + j] = self.sel(c, y, x);
                    m[row * n + j] = self.sel(c, x, y);
                }
                let (x, y) = (r[k], r[row]);
                r[k] = self.sel(c, y, x);
                r[row] = self.sel(c, x, y);
            }
            for row in k + 1..n {
                let f = self.b.ins().fdiv(m[row * n + k], m[k * n + k]);
                for j in k + 1..n {
                    let p = self.b.ins().fmul(f, m[k * n + j]);
                    m[row * n + j] = self.b.ins().fsub(m[row * n + j], p);
                }
                let p = self.b.ins().fmul(f, r[k]);
                r[row] = self.b.ins().fsub(r[row], p);
            }
        }
        let mut x = vec![r[0]; n];
        for k in (0..n).rev() {
            let mut s = r[k];
            for j in k + 1..n {
                let p = self.b.ins().fmul(m[k * n + j], x[j]);
                s = self.b.ins().fsub(s, p);
            }
            x[k] = self.b.ins().fdiv(s, m[k * n + k]);
        }
        for (var, v) in out.iter().zip(x) {
            self.store_var(var, v)?;
        }
        Ok(())
    }

    /// `i < limit` as an I8 (for loop headers).
    pub fn ult(&mut self, i: Value, limit: Value) -> Value {
        self.b.ins().icmp(IntCC::UnsignedLessThan, i, limit)
    }
}
