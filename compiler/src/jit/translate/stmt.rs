//! Statements: assignments, branches (or lane masks), loops, returns, solves.
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, StackSlotData, StackSlotKind, Value};

use super::*;

impl Translator<'_, '_> {
    pub(in crate::jit) fn stmts(&mut self, body: &[Stmt]) -> R<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    pub(super) fn stmt(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Assign(var, e) => {
                let v = self.expr(e)?;
                self.store_var(var, v)
            }
            Stmt::If(c, t, e) => {
                if self.mode != Mode::Scalar {
                    return self.vector_if(c, t, e);
                }
                let c = self.cond(c)?;
                let then_b = self.b.create_block();
                let else_b = self.b.create_block();
                let join = self.b.create_block();
                let before = self.memo_point();
                self.b.ins().brif(c, then_b, &[], else_b, &[]);
                self.b.switch_to_block(then_b);
                self.stmts(t)?;
                let after_t = self.memo_point();
                self.b.ins().jump(join, &[]);
                self.b.switch_to_block(else_b);
                self.memo_restore(before);
                self.stmts(e)?;
                let after_e = self.memo_point();
                self.b.ins().jump(join, &[]);
                self.b.switch_to_block(join);
                self.memo_join(after_t, after_e);
                Ok(())
            }
            Stmt::While(c, body) => {
                self.scalar_only("a while loop")?;
                let head = self.b.create_block();
                let body_b = self.b.create_block();
                let exit = self.b.create_block();
                self.memo_enter_loop(c, body);
                self.b.ins().jump(head, &[]);
                self.b.switch_to_block(head);
                let c = self.cond(c)?;
                let at_head = self.memo_point();
                self.b.ins().brif(c, body_b, &[], exit, &[]);
                self.b.switch_to_block(body_b);
                self.stmts(body)?;
                self.memo_point();
                self.b.ins().jump(head, &[]);
                self.b.switch_to_block(exit);
                self.memo_restore(at_head);
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
                self.memo_dead();
                Ok(())
            }
            Stmt::Solve { a, b, out } => self.solve(a, b, out),
        }
    }

    /// Gaussian elimination with partial pivoting, unrolled for n: row swaps
    /// are selects, so the code has no branches.
    pub(super) fn solve(&mut self, a: &[Expr], b: &[Expr], out: &[Var]) -> R<()> {
        self.scalar_only("a SOLVE")?;
        let n = out.len();
        if n == 0 || a.len() != n * n || b.len() != n {
            return self.err(format!(
                "Solve needs n² coefficients and n right-hand sides for n = {n} outputs (given {} and {})",
                a.len(),
                b.len()
            ));
        }
        if n > UNROLL_MAX {
            return self.solve_call(a, b, out);
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
    pub(in crate::jit) fn ult(&mut self, i: Value, limit: Value) -> Value {
        self.b.ins().icmp(IntCC::UnsignedLessThan, i, limit)
    }

    /// A large solve: a and b into a stack slot,
    /// [`crate::jit::solve::nerve_jit_solve`] in
    /// place, x out of the slot.
    fn solve_call(&mut self, a: &[Expr], b: &[Expr], out: &[Var]) -> R<()> {
        let n = out.len();
        let bytes = u32::try_from(8 * (n * n + n))
            .map_err(|_| JitError::Internal(format!("a {n}x{n} solve is too large")))?;
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            bytes,
            3,
        ));
        for (k, e) in a.iter().chain(b).enumerate() {
            let v = self.expr(e)?;
            self.b.ins().stack_store(types::I64, v, slot, 8 * k as i32);
        }
        let pa = self.b.ins().stack_addr(types::I64, slot, 0);
        let pb = self
            .b
            .ins()
            .stack_addr(types::I64, slot, 8 * (n * n) as i32);
        let nv = self.b.ins().iconst(types::I64, n as i64);
        let f = self.import_solve()?;
        self.b.ins().call(f, &[nv, pa, pb]);
        for (k, var) in out.iter().enumerate() {
            let x = self
                .b
                .ins()
                .stack_load(types::I64, types::F64, slot, 8 * (n * n + k) as i32);
            self.store_var(var, x)?;
        }
        Ok(())
    }
}
