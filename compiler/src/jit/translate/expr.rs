//! Expressions: arithmetic, conditions, selects, maths, calls, services.
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, AbiParam, BlockArg, FuncRef, InstBuilder, Signature, Value};
use cranelift_module::{FuncId, Linkage, Module};

use super::*;
use crate::jit::exp::{declare_exp_cold, emit_exact_exp, exact_exp_available};

impl Translator<'_, '_> {
    /// `e` as a condition: I8 (scalar) or an I64X2 lane mask.
    pub(in crate::jit) fn cond(&mut self, e: &Expr) -> R<Value> {
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

    pub(super) fn not(&mut self, c: Value) -> Value {
        if self.ty == types::F64 {
            self.b.ins().bxor_imm_u(c, 1)
        } else {
            self.b.ins().bnot(c)
        }
    }

    pub(in crate::jit) fn expr(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Num(x) => Ok(self.fconst(*x)),
            Expr::Load(v) => self.load_var(v),
            Expr::Un(UnOp::Neg, a) => {
                let a = self.expr(a)?;
                if self.ty == types::F64 {
                    return Ok(self.b.ins().fneg(a));
                }
                // the sign bit flipped by a mask from the constant pool
                // (x64's fneg of a vector builds the mask in two instructions)
                let sign = self.fconst(-0.0);
                Ok(self.b.ins().bxor(a, sign))
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

    pub(super) fn select(&mut self, c: &Expr, a: &Expr, b: &Expr) -> R<Value> {
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
        let before = self.memo_point();
        self.b.ins().brif(c, then_b, &[], else_b, &[]);
        self.b.switch_to_block(then_b);
        let a = self.expr(a)?;
        let after_a = self.memo_point();
        self.b.ins().jump(join, &[BlockArg::Value(a)]);
        self.b.switch_to_block(else_b);
        self.memo_restore(before);
        let b = self.expr(b)?;
        let after_b = self.memo_point();
        self.b.ins().jump(join, &[BlockArg::Value(b)]);
        self.b.switch_to_block(join);
        self.memo_join(after_a, after_b);
        Ok(r)
    }

    pub(super) fn math(&mut self, f: MathFn, args: &[Expr]) -> R<Value> {
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
            MathImpl::Libm("exp") if self.env.options.exact_exp && exact_exp_available() => {
                let cold = declare_exp_cold(self.module, &self.env.ir.name, &self.place)?;
                let cold = self.func_ref(cold);
                Ok(emit_exact_exp(&mut self.b, xs[0], cold))
            }
            MathImpl::Libm(name) => self.libm(name, &xs),
            MathImpl::Instruction => Ok(match f {
                MathFn::Sqrt => self.b.ins().sqrt(xs[0]),
                MathFn::Fabs => self.b.ins().fabs(xs[0]),
                MathFn::Floor => self.b.ins().floor(xs[0]),
                _ => self.b.ins().ceil(xs[0]),
            }),
            MathImpl::MinMax => {
                // C's fmin/fmax as glibc does them on x86_64 (minsd/maxsd):
                // x < y ? x : y, so equal operands (±0) give y; a NaN
                // operand yields the other operand
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

    pub(super) fn import(&mut self, name: &str, arity: usize) -> R<FuncRef> {
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

    /// [`crate::jit::solve::nerve_jit_solve`]: `(n, a*, b*)`.
    pub(super) fn import_solve(&mut self) -> R<FuncRef> {
        let mut sig = self.module.make_signature();
        for _ in 0..3 {
            sig.params.push(AbiParam::new(types::I64));
        }
        let id = self
            .module
            .declare_function(SOLVE_SYMBOL, Linkage::Import, &sig)
            .map_err(|e| JitError::Codegen {
                mechanism: self.env.ir.name.clone(),
                place: self.place.clone(),
                message: e.to_string(),
            })?;
        Ok(self.func_ref(id))
    }

    pub(super) fn func_ref(&mut self, id: FuncId) -> FuncRef {
        if let Some(r) = self.func_refs.get(&id) {
            return *r;
        }
        let r = self.module.declare_func_in_func(id, self.b.func);
        self.func_refs.insert(id, r);
        r
    }

    /// A call of a libm function, lane by lane.
    pub(super) fn libm(&mut self, name: &str, xs: &[Value]) -> R<Value> {
        let f = self.import(name, xs.len())?;
        let mut outs = Vec::new();
        for l in 0..self.lanes() {
            let args: Vec<Value> = xs.iter().map(|x| self.lane(*x, l)).collect();
            let call = self.b.ins().call(f, &args);
            outs.push(self.b.inst_results(call)[0]);
        }
        Ok(self.of_lanes(&outs))
    }

    pub(super) fn scalar_only(&self, what: &str) -> R<()> {
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

    pub(super) fn call(&mut self, f: usize, args: &[Expr]) -> R<Value> {
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
        // the callee may read and write the instance's data, and more
        self.memo_forget_all();
        Ok(self.b.inst_results(call)[0])
    }

    pub(super) fn host(&mut self, op: HostFn, args: &[Expr]) -> R<Value> {
        self.scalar_only("a runtime service")?;
        // random services, WATCH: the first argument is an index (op >> 8)
        let (stream, args) = if op.has_index() {
            match args.split_first() {
                Some((Expr::Num(k), rest)) if *k >= 0.0 && k.fract() == 0.0 => (*k as u32, rest),
                _ => {
                    return self.err(format!(
                        "{op:?} needs a constant index as its first argument"
                    ))
                }
            }
        } else {
            (0, args)
        };
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
        let opv = self
            .b
            .ins()
            .iconst(types::I32, ((stream << 8) | op as u32) as i64);
        let call = self.b.ins().call_indirect(
            sig,
            f,
            &[host, opv, self.view, self.instance, xs[0], xs[1]],
        );
        let v = self.b.inst_results(call)[0];
        self.b.ins().jump(join, &[BlockArg::Value(v)]);
        self.b.switch_to_block(join);
        // the runtime may read and write the instance's data
        self.memo_forget_all();
        Ok(r)
    }
}
