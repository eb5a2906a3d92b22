//! Cached loop invariants and per-instance addresses; constants and lanes.
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, InstBuilder, Value};

use super::*;

impl Translator<'_, '_> {
    pub(super) fn cached(
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

    pub(super) fn view_field(&mut self, off: i32, ty: Type) -> Value {
        let view = self.view;
        self.cached(Key::ViewField(off), true, |pos| {
            pos.ins().load(ty, trusted(), view, off)
        })
    }

    pub(super) fn stride8(&mut self) -> Value {
        let stride = self.view_field(VIEW_STRIDE, types::I64);
        self.cached(Key::Stride8, true, |pos| pos.ins().ishl_imm_u(stride, 3))
    }

    pub(super) fn slot_off(&mut self, k: usize) -> Value {
        let s8 = self.stride8();
        self.cached(Key::SlotOff(k), true, |pos| {
            pos.ins().imul_imm_u(s8, k as i64)
        })
    }

    pub(super) fn ion_ptr(&mut self, ion: usize, field: i32) -> Value {
        let ions = self.view_field(VIEW_IONS, types::I64);
        let off = ion as i32 * ION_VIEW_SIZE as i32 + field;
        self.cached(Key::IonPtr(ion, field), true, |pos| {
            pos.ins().load(types::I64, trusted(), ions, off)
        })
    }

    pub(super) fn ion_field_off(&mut self, ion: usize, field: usize) -> Value {
        let stride = self.ion_ptr(ion, ION_STRIDE);
        self.cached(Key::IonFieldOff(ion, field), true, |pos| {
            pos.ins().imul_imm_u(stride, 8 * field as i64)
        })
    }

    /// The instance of `lane` (lane 1 only in `Pair` mode).
    pub(super) fn lane_instance(&mut self, lane: usize) -> Value {
        if lane == 0 || self.mode != Mode::Pair {
            return self.instance;
        }
        let i = self.instance;
        self.cached(Key::Lane1, false, |pos| pos.ins().iadd_imm_u(i, 1))
    }

    /// `data + i*8` for lane 0: add `k*stride*8` for slot k.
    pub(super) fn row(&mut self) -> Value {
        let data = self.view_field(VIEW_DATA, types::I64);
        let i = self.instance;
        self.cached(Key::Row, false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 3);
            pos.ins().iadd(data, o)
        })
    }

    pub(super) fn node_off(&mut self, lane: usize) -> Value {
        let ni = self.view_field(VIEW_NODE_INDEX, types::I64);
        let i = self.lane_instance(lane);
        self.cached(Key::NodeOff(lane), false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 2);
            let a = pos.ins().iadd(ni, o);
            let n = pos.ins().uload32(trusted(), a, 0);
            pos.ins().ishl_imm_u(n, 3)
        })
    }

    pub(super) fn ion_row(&mut self, ion: usize, lane: usize) -> Value {
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

    /// The address POINTER `k` of the instance in `lane` refers to:
    /// `pointers[k * stride + i]`.
    pub(super) fn pointer_target(&mut self, k: usize, lane: usize) -> Value {
        let base = self.view_field(VIEW_POINTERS, types::I64);
        let off = self.slot_off(k);
        let i = self.lane_instance(lane);
        self.cached(Key::PointerTarget(k, lane), false, |pos| {
            let o = pos.ins().ishl_imm_u(i, 3);
            let a = pos.ins().iadd(base, o);
            let a = pos.ins().iadd(a, off);
            pos.ins().load(types::I64, trusted(), a, 0)
        })
    }

    pub(super) fn fconst(&mut self, x: f64) -> Value {
        splat_f(&mut self.b, self.ty, x)
    }

    /// A scalar f64 as a value of the body's type.
    pub(super) fn splat(&mut self, x: Value) -> Value {
        if self.ty == types::F64 {
            x
        } else {
            self.b.ins().splat(self.ty, x)
        }
    }

    pub(super) fn lanes(&self) -> usize {
        if self.mode == Mode::Pair {
            2
        } else {
            1
        }
    }

    pub(super) fn lane(&mut self, v: Value, lane: usize) -> Value {
        if self.ty == types::F64 {
            v
        } else {
            self.b.ins().extractlane(v, lane as u8)
        }
    }

    /// A value of the body's type from one scalar per lane.
    pub(super) fn of_lanes(&mut self, xs: &[Value]) -> Value {
        match self.mode {
            Mode::Scalar => xs[0],
            Mode::Dup => self.b.ins().splat(self.ty, xs[0]),
            Mode::Pair => {
                // lane 0 by a splat rather than `scalar_to_vector`: x64 has
                // one instruction for a splat (two to zero the upper lane)
                let v = self.b.ins().splat(self.ty, xs[0]);
                self.b.ins().insertlane(v, xs[1], 1)
            }
        }
    }

    /// `c ? x : y` lane by lane, `c` a condition from [`Self::cond`].
    pub(super) fn sel(&mut self, c: Value, x: Value, y: Value) -> Value {
        if self.ty == types::F64 {
            self.b.ins().select(c, x, y)
        } else {
            let m = self.b.ins().bitcast(self.ty, le(), c);
            self.b.ins().bitselect(m, x, y)
        }
    }

    pub(super) fn bool_to_num(&mut self, c: Value) -> Value {
        let one = self.fconst(1.0);
        let zero = self.fconst(0.0);
        self.sel(c, one, zero)
    }
}
