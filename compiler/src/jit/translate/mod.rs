//! Translation of one IR body (a kernel, a FUNCTION or a NET_RECEIVE block)
//! into the Cranelift function being built. One [`Translator`] serves the
//! scalar path and the two-instance f64x2 path: the value type of every
//! expression is [`Translator::ty`], and only memory access, conditionals and
//! calls of libm differ between the modes.
//!
//! Loop invariants (view fields, slot offsets, ion pointers) and per-instance
//! addresses (the instance's row, its node, its ion rows) are computed once
//! and cached: they are inserted before an *anchor* instruction at the top of
//! the loop preheader or of the loop body, so they dominate every
//! use whatever branch first asked for them.
//!
//! | module | what it does |
//! |---|---|
//! | `values` | the cached values, constants, lanes |
//! | `place` | where a variable lives; loads and stores in each mode |
//! | `memo` | values of memory places remembered within one pass of a body |
//! | `expr` | expressions, conditions, maths, calls, runtime services |
//! | `stmt` | statements, branches, loops, unrolled solves |
//! | `ifconv` | `If`s in the vector modes: merged arms, or lane masks |

mod expr;
mod ifconv;
mod memo;
mod place;
mod stmt;
mod values;

pub(super) use place::const_element;

use std::collections::HashMap;

use cranelift_codegen::ir::{types, Block, Endianness, FuncRef, Inst, MemFlagsData, Type, Value};
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_jit::JITModule;
use cranelift_module::FuncId;

use super::layout::*;
use super::mathlib::{emit_inline_exp, math_impl, splat_f, MathImpl};
use super::solve::{SOLVE_SYMBOL, UNROLL_MAX};
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
    PointerTarget(usize, usize),
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
    /// inside this many merged `If`s: stores of places wait for the
    /// outermost one's end (see `ifconv`)
    defer: usize,
    func_refs: HashMap<FuncId, FuncRef>,
    host_sig: Option<cranelift_codegen::ir::SigRef>,
    /// locals computed before the loop: (local, f64 value, f64x2 value)
    pub hoisted: Vec<(usize, Value, Option<Value>)>,
    /// memory values remembered in the current region
    memo: memo::Memo,
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
            defer: 0,
            func_refs: HashMap::new(),
            host_sig: None,
            hoisted: Vec::new(),
            memo: memo::Memo::default(),
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
        self.memo = memo::Memo::default();
        self.mask = None;
        self.defer = 0;
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
}
