//! Where a variable lives, and loads and stores of it in each mode.
use std::ops::Range;

use cranelift_codegen::ir::{types, Inst, InstBuilder, Value};
use cranelift_frontend::Variable;

use super::*;

impl Translator<'_, '_> {
    pub(super) fn check_per_instance(&self, what: &str) -> R<()> {
        if self.per_instance {
            Ok(())
        } else {
            self.err(format!("{what} used in a type-wide body (no instance)"))
        }
    }

    /// The index of an access to the array at element `base` (of the
    /// elements `bounds`) as one i64 per lane, rounded toward zero and, in
    /// the vector modes (where untaken branches run too), clamped to the
    /// array: add `base` for the element. Arrays of the same size share the
    /// clamped index.
    pub(super) fn array_index(
        &mut self,
        base: usize,
        index: &Expr,
        bounds: Range<usize>,
    ) -> R<Vec<Value>> {
        let x = self.expr(index)?;
        let lo = bounds.start as i64 - base as i64;
        let hi = bounds.end as i64 - 1 - base as i64;
        if self.mode != Mode::Scalar {
            if let (Ok(lo), Ok(hi)) = (i32::try_from(lo), i32::try_from(hi)) {
                return Ok(self.vector_index(x, lo, hi));
            }
        }
        let mut out = Vec::new();
        for l in 0..self.lanes() {
            let xl = self.lane(x, l);
            let mut t = self.b.ins().fcvt_to_sint_sat(types::I64, xl);
            if self.mode != Mode::Scalar {
                let lo = self.b.ins().iconst(types::I64, lo);
                let hi = self.b.ins().iconst(types::I64, hi);
                t = self.b.ins().smax(t, lo);
                t = self.b.ins().smin(t, hi);
            }
            out.push(t);
        }
        Ok(out)
    }

    /// Both lanes of `x` (f64x2) rounded toward zero by one `cvttpd2dq`
    /// and clamped to `[lo, hi]`, as i64 per lane. Lanes out of i32's range
    /// (and NaN) convert to i32::MIN and clamp to `lo`; they can only be
    /// lanes whose branch is not taken, as the index of a taken one is
    /// within the array.
    fn vector_index(&mut self, x: Value, lo: i32, hi: i32) -> Vec<Value> {
        let zero = self.b.func.dfg.constants.insert(vec![0u8; 16].into());
        let zero = self.b.ins().vconst(types::I64X2, zero);
        let wide = self.b.ins().x86_cvtt2dq(types::I64X2, x);
        let n = self.b.ins().snarrow(wide, zero);
        let lo = self.b.ins().iconst(types::I32, i64::from(lo));
        let lo = self.b.ins().splat(types::I32X4, lo);
        let hi = self.b.ins().iconst(types::I32, i64::from(hi));
        let hi = self.b.ins().splat(types::I32X4, hi);
        let n = self.b.ins().smax(n, lo);
        let n = self.b.ins().smin(n, hi);
        (0..self.lanes())
            .map(|l| {
                let t = self.b.ins().extractlane(n, l as u8);
                self.b.ins().sextend(types::I64, t)
            })
            .collect()
    }

    pub(super) fn place(&mut self, var: &Var) -> R<Option<Place>> {
        let ir = self.env.ir;
        Ok(Some(match var {
            Var::Slot(k, index) => {
                self.check_per_instance("a RANGE variable")?;
                let len = ir.slot_count();
                if *k >= len {
                    return self.err(format!("slot {k} out of range (the mechanism has {len})"));
                }
                let bounds = ir.slot_array(*k);
                match (index, const_element(*k, index, &bounds)) {
                    (_, Some(e)) => {
                        let off = self.slot_off(e);
                        let row = self.row();
                        let a = self.b.ins().iadd(row, off);
                        if self.mode == Mode::Pair {
                            Place::Contig(a)
                        } else {
                            Place::Uniform(a)
                        }
                    }
                    (Some(index), None) => {
                        let ts = self.array_index(*k, index, bounds)?;
                        let s8 = self.stride8();
                        let row = self.row();
                        let mut addrs = Vec::new();
                        for (l, t) in ts.into_iter().enumerate() {
                            let e = self.b.ins().iadd_imm_u(t, *k as i64);
                            let off = self.b.ins().imul(e, s8);
                            let mut a = self.b.ins().iadd(row, off);
                            if l == 1 {
                                a = self.b.ins().iadd_imm_u(a, 8);
                            }
                            addrs.push(a);
                        }
                        self.place_of(addrs)
                    }
                    (None, None) => unreachable!("no index is the declaration's first element"),
                }
            }
            Var::Global(k, index) => {
                let len = ir.global_count();
                if *k >= len {
                    return self.err(format!("global {k} out of range (the mechanism has {len})"));
                }
                let g = self.view_field(VIEW_GLOBALS, types::I64);
                let bounds = ir.global_array(*k);
                match (index, const_element(*k, index, &bounds)) {
                    (_, Some(e)) => Place::Uniform(self.b.ins().iadd_imm_u(g, 8 * e as i64)),
                    (Some(index), None) => {
                        let ts = self.array_index(*k, index, bounds)?;
                        let gk = self.b.ins().iadd_imm_u(g, 8 * *k as i64);
                        let mut addrs = Vec::new();
                        for t in ts {
                            let off = self.b.ins().ishl_imm_u(t, 3);
                            addrs.push(self.b.ins().iadd(gk, off));
                        }
                        self.place_of(addrs)
                    }
                    (None, None) => unreachable!("no index is the declaration's first element"),
                }
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
            Var::Pointer(k) => {
                self.check_per_instance("a POINTER variable")?;
                if *k >= ir.pointers.len() {
                    return self.err(format!(
                        "POINTER {k} out of range (the mechanism has {})",
                        ir.pointers.len()
                    ));
                }
                let mut addrs = Vec::new();
                for l in 0..self.lanes() {
                    addrs.push(self.pointer_target(*k, l));
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

    pub(super) fn place_of(&mut self, addrs: Vec<Value>) -> Place {
        if addrs.len() == 2 {
            Place::Lanes(addrs[0], addrs[1])
        } else {
            Place::Uniform(addrs[0])
        }
    }

    pub(super) fn load_place(&mut self, p: Place) -> Value {
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

    /// Stores `v` at `p`; returns the store instructions.
    pub(super) fn store_place(&mut self, p: Place, v: Value) -> Vec<Inst> {
        match p {
            Place::Uniform(a) => {
                // a Global written by both lanes keeps the last instance's value
                let lane = if self.mode == Mode::Pair { 1 } else { 0 };
                let x = self.lane(v, lane);
                vec![self.b.ins().store(trusted(), x, a, 0)]
            }
            Place::Contig(a) => vec![self.b.ins().store(vector_flags(), v, a, 0)],
            Place::Lanes(a0, a1) => {
                let x0 = self.lane(v, 0);
                // lane 1 as i64 bits: x64 stores it with one `pextrq`
                // (an f64 lane 1 takes a shuffle and a `movsd`)
                let bits = self.b.ins().bitcast(types::I64X2, le(), v);
                let x1 = self.b.ins().extractlane(bits, 1);
                vec![
                    self.b.ins().store(trusted(), x0, a0, 0),
                    self.b.ins().store(trusted(), x1, a1, 0),
                ]
            }
        }
    }

    pub(super) fn local(&self, k: usize) -> R<Variable> {
        match self.locals.get(k) {
            Some(v) => Ok(*v),
            None => self.err(format!(
                "local {k} out of range ({} declared)",
                self.locals.len()
            )),
        }
    }

    pub(super) fn load_var(&mut self, var: &Var) -> R<Value> {
        if let Some(v) = self.loc(var).and_then(|l| self.memo_get(l)) {
            return Ok(v);
        }
        if let Some(p) = self.place(var)? {
            let v = self.load_place(p);
            self.memo_loaded(var, v);
            return Ok(v);
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
            Var::Slot(..) | Var::Global(..) | Var::Node(_) | Var::Ion(..) | Var::Pointer(_) => {
                unreachable!()
            }
        })
    }

    pub(super) fn store_var(&mut self, var: &Var, v: Value) -> R<()> {
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
        if self.defer > 0 {
            // inside a merged If: the place's value waits in the memo
            if let Some(loc) = self.loc(var) {
                self.memo_set(loc, v);
                return Ok(());
            }
            if !matches!(var, Var::Local(_)) {
                return Err(JitError::Internal(format!(
                    "a store to {var:?} inside a merged If in {}",
                    self.place
                )));
            }
        }
        if let Some(p) = self.place(var)? {
            let stores = self.store_place(p, v);
            self.memo_stored(var, v, stores);
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
            _ => unreachable!(),
        }
        Ok(())
    }
}

/// The element an access to the array at element `base` (of the elements
/// `bounds`) reaches when its index is absent (`base`) or a constant within
/// the array (rounded toward zero, as [`Translator::array_index`] does); a
/// constant outside it stays an index computed at run time, so that the
/// scalar path reads what C would and the vector modes clamp it.
pub(in crate::jit) fn const_element(
    base: usize,
    index: &Option<Box<Expr>>,
    bounds: &Range<usize>,
) -> Option<usize> {
    match index.as_deref() {
        None => Some(base),
        // `as` saturates and takes NaN to 0, as fcvt_to_sint_sat does
        Some(Expr::Num(x)) => {
            let e = (base as i64).saturating_add(*x as i64);
            (bounds.start as i64 <= e && e < bounds.end as i64).then_some(e as usize)
        }
        Some(_) => None,
    }
}
