//! [`KernelCompiler`]: one Cranelift JIT module and its contexts, used to
//! compile one mechanism: declare every function, define each, finalize,
//! and hand the pointers out in a [`CompiledMechanism`] that owns the code.

use std::ffi::c_void;
use std::time::{Duration, Instant};

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, Signature, Value,
};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, FuncOrDataId, Linkage, Module};

use super::exp::{build_exp_cold, exp_cold_signature, per_step_functions, EXP_COLD_SYMBOL};
use super::hoist::hoist_invariants;
use super::hoist::Hoisted;
use super::layout::VIEW_COUNT;
use super::mathlib::host_symbols;
use super::solve::{nerve_jit_solve, SOLVE_SYMBOL};
use super::translate::{Args, Env, Mode, ReturnTo, Translator};
use super::vectorize::{specialise, vectorizable};
use super::{JitError, JitOptions};
use crate::nmodl::ir::{Function, Kernel, MechIr};

/// A compiled `init`, `cur`, `jacob`, `state` or `table` kernel (the
/// runtime's `Kernel` with an untyped view pointer).
pub type KernelFn = unsafe extern "C" fn(view: *const c_void);
/// A compiled NET_RECEIVE (or its INITIAL) for one instance.
pub type NetReceiveFn =
    unsafe extern "C" fn(view: *const c_void, instance: usize, weights: *mut f64, flag: f64);
/// A FUNCTION or PROCEDURE callable from HOC on one instance.
pub type FunctionFn =
    unsafe extern "C" fn(view: *const c_void, instance: usize, args: *const f64) -> f64;

/// The kernels of a mechanism; `None` where the IR has none.
#[derive(Debug, Clone, Copy, Default)]
pub struct KernelPointers {
    /// INITIAL
    pub init: Option<KernelFn>,
    /// BREAKPOINT currents
    pub cur: Option<KernelFn>,
    /// conductance into `d`
    pub jacob: Option<KernelFn>,
    /// SOLVE
    pub state: Option<KernelFn>,
    /// TABLE precomputation (type-wide)
    pub table: Option<KernelFn>,
    /// NET_RECEIVE
    pub net_receive: Option<NetReceiveFn>,
    /// NET_RECEIVE's INITIAL
    pub net_receive_init: Option<NetReceiveFn>,
}

/// What compiling cost and produced.
#[derive(Debug, Clone, Default)]
pub struct CompileStats {
    /// wall time of [`KernelCompiler::compile`]
    pub time: Duration,
    /// machine code emitted [bytes]
    pub code_bytes: usize,
    /// the kernels compiled for two instances at a time
    pub vectorized: Vec<&'static str>,
}

/// Native code for one mechanism. The pointers it hands out are valid while
/// it lives: dropping it frees the code.
pub struct CompiledMechanism {
    module: Option<JITModule>,
    kernels: KernelPointers,
    functions: Vec<Option<FunctionFn>>,
    before_after: Vec<KernelFn>,
    stats: CompileStats,
}

// SAFETY: after finalization the module is never touched through `&self`
// (its `RefCell` symbol cache is only used while compiling); it is only
// freed by `Drop`, which has `&mut self`. The code itself is immutable.
unsafe impl Sync for CompiledMechanism {}
// SAFETY: as above; the code pages do not belong to any thread.
unsafe impl Send for CompiledMechanism {}

impl CompiledMechanism {
    /// The kernels, as C function pointers valid while `self` lives.
    pub fn kernels(&self) -> &KernelPointers {
        &self.kernels
    }

    /// The HOC entry of `ir.functions[k]` (`None` unless it is `hoc`).
    pub fn function(&self, k: usize) -> Option<FunctionFn> {
        self.functions.get(k).copied().flatten()
    }

    /// The BEFORE/AFTER blocks, in the order of the IR's
    /// `kernels.before_after` (loop kernels, as `state`).
    pub fn before_after(&self) -> &[KernelFn] {
        &self.before_after
    }

    /// Compile time, code size, vectorised kernels.
    pub fn stats(&self) -> &CompileStats {
        &self.stats
    }
}

impl Drop for CompiledMechanism {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the pointers handed out are documented to be valid only
            // while `self` lives, so none may run or be called after this.
            unsafe { module.free_memory() };
        }
    }
}

impl std::fmt::Debug for CompiledMechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledMechanism")
            .field("kernels", &self.kernels)
            .field("functions", &self.functions)
            .field("before_after", &self.before_after)
            .field("stats", &self.stats)
            .finish()
    }
}

/// Turns a finalized code address into a typed function pointer.
///
/// # Safety
/// `p` must be the finalized address of a function whose Cranelift signature
/// (System V) matches the C signature `F`, and `F` must be a function
/// pointer type.
unsafe fn code_as<F: Copy>(p: *const u8) -> F {
    assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*const u8>());
    // SAFETY: the caller guarantees `F` is a function pointer of the
    // matching signature; sizes are equal (checked above).
    unsafe { std::mem::transmute_copy::<*const u8, F>(&p) }
}

/// Compiles one mechanism (cranelift-jit-demo's shape: one struct owning the
/// contexts; declare → define → finalize).
pub struct KernelCompiler {
    module: JITModule,
    ctx: Context,
    fctx: FunctionBuilderContext,
    options: JitOptions,
    code_bytes: usize,
}

/// The kernel hooks with one instance loop, by name.
const LOOP_HOOKS: [&str; 4] = ["init", "cur", "jacob", "state"];

impl KernelCompiler {
    /// A compiler for the host machine.
    pub fn new(options: JitOptions) -> Result<Self, JitError> {
        let host = |e: &dyn std::fmt::Display| JitError::Host(e.to_string());
        let mut flags = settings::builder();
        for (k, v) in [
            ("use_colocated_libcalls", "false"),
            ("is_pic", "false"),
            // "speed" (GVN, LICM) was slower in the stack spike because f64
            // constants were materialised in registers; with constants from
            // the pool it is 5-10% faster on hh, for 0.2-1 ms more compile
            // time (bench/README.md)
            ("opt_level", "speed"),
            (
                "enable_verifier",
                if cfg!(debug_assertions) {
                    "true"
                } else {
                    "false"
                },
            ),
        ] {
            flags.set(k, v).map_err(|e| host(&e))?;
        }
        let isa = cranelift_native::builder()
            .map_err(|e| host(&e))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| host(&e))?;
        if isa.pointer_type() != types::I64 {
            return Err(JitError::Host("only 64-bit targets are supported".into()));
        }
        let mut jb = JITBuilder::with_isa(isa, default_libcall_names());
        for (name, ptr, _) in host_symbols() {
            jb.symbol(name, ptr);
        }
        jb.symbol(SOLVE_SYMBOL, nerve_jit_solve as *const u8);
        let module = JITModule::new(jb);
        Ok(KernelCompiler {
            ctx: module.make_context(),
            module,
            fctx: FunctionBuilderContext::new(),
            options,
            code_bytes: 0,
        })
    }

    fn codegen_error(ir: &MechIr, place: &str, e: impl std::fmt::Debug) -> JitError {
        JitError::Codegen {
            mechanism: ir.name.clone(),
            place: place.to_string(),
            message: format!("{e:?}"),
        }
    }

    fn declare(&mut self, ir: &MechIr, name: &str, sig: &Signature) -> Result<FuncId, JitError> {
        self.module
            .declare_function(name, Linkage::Local, sig)
            .map_err(|e| Self::codegen_error(ir, name, e))
    }

    fn sig(&self, params: &[cranelift_codegen::ir::Type], ret: bool) -> Signature {
        let mut sig = self.module.make_signature();
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        if ret {
            sig.returns.push(AbiParam::new(types::F64));
        }
        sig
    }

    fn function_sig(&self, f: &Function) -> Signature {
        let mut params = vec![types::I64, types::I64];
        params.extend(std::iter::repeat_n(types::F64, f.args));
        self.sig(&params, true)
    }

    /// Compiles every kernel and function of `ir`.
    pub fn compile(mut self, ir: &MechIr) -> Result<CompiledMechanism, JitError> {
        let start = Instant::now();
        // declare
        let mut fn_ids = Vec::new();
        for (k, f) in ir.functions.iter().enumerate() {
            let sig = self.function_sig(f);
            fn_ids.push(self.declare(ir, &format!("fn{k}_{}", f.name), &sig)?);
        }
        let env = Env {
            ir,
            functions: &fn_ids,
            options: self.options,
        };
        // what runs once or per event calls libm's exp (see per_step_functions)
        let once = Env {
            options: JitOptions {
                exact_exp: false,
                ..self.options
            },
            ..env
        };
        let per_step_fns = per_step_functions(ir);
        // define
        let mut vectorized = Vec::new();
        for (k, f) in ir.functions.iter().enumerate() {
            let env = if per_step_fns[k] { &env } else { &once };
            self.define_function(env, fn_ids[k], f)?;
        }
        let mut hoc_ids = Vec::new();
        for (k, f) in ir.functions.iter().enumerate() {
            // WATCH conditions are called by the runtime as HOC functions are
            hoc_ids.push(if f.hoc || ir.kernels.watch.contains(&k) {
                Some(self.define_hoc_entry(&once, k, fn_ids[k], f)?)
            } else {
                None
            });
        }
        let ks = &ir.kernels;
        let mut loop_ids = Vec::new();
        for (name, kernel) in LOOP_HOOKS
            .iter()
            .zip([&ks.init, &ks.cur, &ks.jacob, &ks.state])
        {
            loop_ids.push(match kernel {
                Some(kernel) => {
                    // INITIAL runs once per finitialize: scalar code is
                    // enough, and compiles in half the time
                    let per_step = *name != "init";
                    let env = if per_step { &env } else { &once };
                    let (id, vector) = self.define_loop_kernel(env, name, kernel, per_step)?;
                    if vector {
                        vectorized.push(*name);
                    }
                    Some(id)
                }
                None => None,
            });
        }
        let mut ba_ids = Vec::new();
        for (k, (when, kernel)) in ks.before_after.iter().enumerate() {
            let name = format!("ba{k}_{when:?}");
            ba_ids.push(self.define_loop_kernel(&env, &name, kernel, true)?.0);
        }
        let table_id = match &ks.table {
            Some(k) => Some(self.define_table_kernel(&once, k)?),
            None => None,
        };
        let mut nr_ids = Vec::new();
        for (name, kernel) in [
            ("net_receive", &ks.net_receive),
            ("net_receive_init", &ks.net_receive_init),
        ] {
            nr_ids.push(match kernel {
                Some(k) => Some(self.define_net_receive(&once, name, k)?),
                None => None,
            });
        }
        // the cold path of the inline exact exp, if a kernel has one
        if let Some(FuncOrDataId::Func(id)) = self.module.get_name(EXP_COLD_SYMBOL) {
            self.define_exp_cold(ir, id)?;
        }
        // finalize
        self.module
            .finalize_definitions()
            .map_err(|e| Self::codegen_error(ir, "finalize", e))?;
        let m = &self.module;
        // SAFETY (all `code_as` below): each id was defined with the
        // signature matching the target type: kernels (ptr), NET_RECEIVE
        // (ptr, i64, ptr, f64), HOC entries (ptr, i64, ptr) -> f64.
        let kernel = |id: Option<FuncId>| {
            id.map(|id| unsafe { code_as::<KernelFn>(m.get_finalized_function(id)) })
        };
        let nr = |id: Option<FuncId>| {
            id.map(|id| unsafe { code_as::<NetReceiveFn>(m.get_finalized_function(id)) })
        };
        let kernels = KernelPointers {
            init: kernel(loop_ids[0]),
            cur: kernel(loop_ids[1]),
            jacob: kernel(loop_ids[2]),
            state: kernel(loop_ids[3]),
            table: kernel(table_id),
            net_receive: nr(nr_ids[0]),
            net_receive_init: nr(nr_ids[1]),
        };
        let functions = hoc_ids
            .iter()
            .map(|id| id.map(|id| unsafe { code_as::<FunctionFn>(m.get_finalized_function(id)) }))
            .collect();
        let before_after = ba_ids
            .iter()
            .map(|&id| unsafe { code_as::<KernelFn>(m.get_finalized_function(id)) })
            .collect();
        let stats = CompileStats {
            time: start.elapsed(),
            code_bytes: self.code_bytes,
            vectorized,
        };
        Ok(CompiledMechanism {
            module: Some(self.module),
            kernels,
            functions,
            before_after,
            stats,
        })
    }

    /// Compiles the function in `self.ctx` as `id`.
    fn finish(&mut self, ir: &MechIr, place: &str, id: FuncId) -> Result<(), JitError> {
        self.ctx
            .set_disasm(std::env::var_os("NERVE_JIT_DISASM").is_some());
        let r = self.module.define_function(id, &mut self.ctx);
        if let Err(e) = r {
            let e = match e {
                cranelift_module::ModuleError::Compilation(e) => {
                    let msg = cranelift_codegen::print_errors::pretty_error(&self.ctx.func, e);
                    JitError::Codegen {
                        mechanism: ir.name.clone(),
                        place: place.to_string(),
                        message: msg,
                    }
                }
                e => Self::codegen_error(ir, place, e),
            };
            self.module.clear_context(&mut self.ctx);
            return Err(e);
        }
        if let Some(code) = self.ctx.compiled_code() {
            if let Some(d) = &code.vcode {
                eprintln!("; {place}\n{d}");
            }
            self.code_bytes += code.code_info().total_size as usize;
        }
        self.module.clear_context(&mut self.ctx);
        Ok(())
    }

    /// `init`, `cur`, `jacob`, `state`, BEFORE/AFTER blocks: `for i in
    /// 0..count { body }`, two instances at a time when the body allows it.
    /// A body vectorisable only once specialised for its uniform conditions
    /// (see [`super::vectorize::specialise`]) gets both loops: the vector
    /// one over the specialised body when the conditions hold at entry,
    /// else the scalar one over the body as written.
    fn define_loop_kernel(
        &mut self,
        env: &Env,
        name: &str,
        kernel: &Kernel,
        vectorize: bool,
    ) -> Result<(FuncId, bool), JitError> {
        let ir = env.ir;
        let sig = self.sig(&[types::I64], false);
        let id = self.declare(ir, name, &sig)?;
        let generic = hoist_invariants(ir, kernel);
        let mut guarded = None;
        let vectorize = vectorize && self.options.vectorize;
        let vector = vectorize && vectorizable(ir, &generic.kernel);
        if vectorize && !vector {
            if let Some(sp) = specialise(ir, kernel) {
                guarded = Some((sp.guard, hoist_invariants(ir, &sp.kernel)));
            }
        }
        self.ctx.func.signature = sig;
        let tc = self.module.target_config();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let view = b.block_params(entry)[0];
        let count = b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), view, VIEW_COUNT);
        let pre = b.create_block();
        let exit = b.create_block();
        b.ins().brif(count, pre, &[], exit, &[]);
        b.switch_to_block(pre);
        // loop invariants are cached before this anchor
        let anchor = b.ins().nop();
        let zero = b.ins().iconst(types::I64, 0);
        let mut t = Translator::new(
            b,
            &mut self.module,
            env,
            name.to_string(),
            view,
            zero,
            false,
            ReturnTo::Block(exit),
            anchor,
        );
        match &guarded {
            None => emit_loop(&mut t, &generic, vector, count, exit)?,
            Some((guard, special)) => {
                t.begin_region(Mode::Scalar, zero, 0, anchor);
                let c = t.cond(guard)?;
                let vector_b = t.b.create_block();
                let scalar_b = t.b.create_block();
                t.b.ins().brif(c, vector_b, &[], scalar_b, &[]);
                t.b.switch_to_block(vector_b);
                emit_loop(&mut t, special, true, count, exit)?;
                t.b.switch_to_block(scalar_b);
                emit_loop(&mut t, &generic, false, count, exit)?;
            }
        }
        t.b.switch_to_block(exit);
        t.b.ins().return_(&[]);
        t.b.seal_all_blocks();
        t.b.finalize(tc);
        self.finish(ir, name, id)?;
        Ok((id, vector || guarded.is_some()))
    }

    /// `table`: the body once, with no instance. Slot, Node and Ion are
    /// refused in the body; FUNCTIONs it calls get instance 0 and must not
    /// touch per-instance storage (the view may have no instances).
    fn define_table_kernel(&mut self, env: &Env, kernel: &Kernel) -> Result<FuncId, JitError> {
        let ir = env.ir;
        let sig = self.sig(&[types::I64], false);
        let id = self.declare(ir, "table", &sig)?;
        self.ctx.func.signature = sig;
        let tc = self.module.target_config();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let view = b.block_params(entry)[0];
        let zero = b.ins().iconst(types::I64, 0);
        let anchor = b.ins().nop();
        let exit = b.create_block();
        let mut t = Translator::new(
            b,
            &mut self.module,
            env,
            "table".into(),
            view,
            zero,
            false,
            ReturnTo::Block(exit),
            anchor,
        );
        t.begin_region(Mode::Scalar, zero, kernel.locals, anchor);
        t.stmts(&kernel.body)?;
        t.b.ins().jump(exit, &[]);
        t.b.switch_to_block(exit);
        t.b.ins().return_(&[]);
        t.b.seal_all_blocks();
        t.b.finalize(tc);
        self.finish(ir, "table", id)?;
        Ok(id)
    }

    /// NET_RECEIVE (and its INITIAL): the body once for `instance`.
    fn define_net_receive(
        &mut self,
        env: &Env,
        name: &str,
        kernel: &Kernel,
    ) -> Result<FuncId, JitError> {
        let ir = env.ir;
        let sig = self.sig(&[types::I64, types::I64, types::I64, types::F64], false);
        let id = self.declare(ir, name, &sig)?;
        self.ctx.func.signature = sig;
        let tc = self.module.target_config();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let p = b.block_params(entry).to_vec();
        let anchor = b.ins().nop();
        let exit = b.create_block();
        let mut t = Translator::new(
            b,
            &mut self.module,
            env,
            name.into(),
            p[0],
            p[1],
            true,
            ReturnTo::Block(exit),
            anchor,
        );
        t.begin_region(Mode::Scalar, p[1], kernel.locals, anchor);
        t.args = Args::Weights(p[2]);
        t.flag = Some(p[3]);
        t.stmts(&kernel.body)?;
        t.b.ins().jump(exit, &[]);
        t.b.switch_to_block(exit);
        t.b.ins().return_(&[]);
        t.b.seal_all_blocks();
        t.b.finalize(tc);
        self.finish(ir, name, id)?;
        Ok(id)
    }

    /// A FUNCTION or PROCEDURE: `(view, instance, args...) -> f64`.
    fn define_function(&mut self, env: &Env, id: FuncId, f: &Function) -> Result<(), JitError> {
        let ir = env.ir;
        let place = format!("FUNCTION {}", f.name);
        self.ctx.func.signature = self.function_sig(f);
        let tc = self.module.target_config();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let p = b.block_params(entry).to_vec();
        let anchor = b.ins().nop();
        let ret = b.create_block();
        let rv = b.append_block_param(ret, types::F64);
        let mut t = Translator::new(
            b,
            &mut self.module,
            env,
            place.clone(),
            p[0],
            p[1],
            true,
            ReturnTo::Value(ret, f.returns_value),
            anchor,
        );
        t.begin_region(Mode::Scalar, p[1], f.locals, anchor);
        let mut args = Vec::new();
        for v in &p[2..] {
            let var = t.b.declare_var(types::F64);
            t.b.def_var(var, *v);
            args.push(var);
        }
        t.args = Args::Vars(args);
        t.stmts(&f.body)?;
        let zero = t.b.ins().f64const(0.0);
        t.b.ins().jump(ret, &[BlockArg::Value(zero)]);
        t.b.switch_to_block(ret);
        t.b.ins().return_(&[rv]);
        t.b.seal_all_blocks();
        t.b.finalize(tc);
        self.finish(ir, &place, id)
    }

    /// The exact exp's cold path (see `exp::declare_exp_cold`).
    fn define_exp_cold(&mut self, ir: &MechIr, id: FuncId) -> Result<(), JitError> {
        self.ctx.func.signature = exp_cold_signature();
        let sig = self.sig(&[types::F64], true);
        let libm_exp = self
            .module
            .declare_function("exp", Linkage::Import, &sig)
            .map_err(|e| Self::codegen_error(ir, EXP_COLD_SYMBOL, e))?;
        let libm_exp = self
            .module
            .declare_func_in_func(libm_exp, &mut self.ctx.func);
        let tc = self.module.target_config();
        build_exp_cold(
            FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx),
            libm_exp,
            tc,
        );
        self.finish(ir, EXP_COLD_SYMBOL, id)
    }

    /// The HOC entry of function `k`: `(view, instance, args*) -> f64`.
    fn define_hoc_entry(
        &mut self,
        env: &Env,
        k: usize,
        inner: FuncId,
        f: &Function,
    ) -> Result<FuncId, JitError> {
        let ir = env.ir;
        let sig = self.sig(&[types::I64, types::I64, types::I64], true);
        let name = format!("hoc{k}_{}", f.name);
        let id = self.declare(ir, &name, &sig)?;
        self.ctx.func.signature = sig;
        let callee = self.module.declare_func_in_func(inner, &mut self.ctx.func);
        let tc = self.module.target_config();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let p = b.block_params(entry).to_vec();
        let mut args = vec![p[0], p[1]];
        for j in 0..f.args {
            args.push(
                b.ins()
                    .load(types::F64, MemFlagsData::trusted(), p[2], 8 * j as i32),
            );
        }
        let call = b.ins().call(callee, &args);
        let r = b.inst_results(call)[0];
        b.ins().return_(&[r]);
        b.seal_all_blocks();
        b.finalize(tc);
        self.finish(ir, &name, id)?;
        Ok(id)
    }
}

/// From the current block (after the view's invariants are cached): the
/// loop over `count` instances running `hoisted`'s body, two at a time with
/// a one-instance tail when `vector`; jumps to `exit` when done.
fn emit_loop(
    t: &mut Translator,
    hoisted: &Hoisted,
    vector: bool,
    count: Value,
    exit: Block,
) -> Result<(), JitError> {
    let kernel = &hoisted.kernel;
    let header = t.b.create_block();
    let i = t.b.append_block_param(header, types::I64);
    let body = t.b.create_block();
    let latch = t.b.create_block();
    let tail = t.b.create_block();
    // the prologue: invariant expressions, once
    let zero = t.b.ins().iconst(types::I64, 0);
    let anchor = t.b.ins().nop();
    t.per_instance = false;
    t.hoisted.clear();
    t.begin_region(Mode::Scalar, zero, 0, anchor);
    for (k, e) in &hoisted.prologue {
        let x = t.expr(e)?;
        let xv = vector.then(|| t.b.ins().splat(types::F64X2, x));
        t.hoisted.push((*k, x, xv));
    }
    t.per_instance = true;
    let limit = if vector {
        t.b.ins().band_imm_s(count, -2)
    } else {
        count
    };
    t.b.ins().jump(header, &[BlockArg::Value(zero)]);
    t.b.switch_to_block(header);
    // the exit first: Cranelift's elaborator then visits the body before
    // the exit among the header's dominator-tree children, and keeps the
    // loop on its stack while it does (the other way round it hoists
    // nothing out of the body)
    let done = t.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, i, limit);
    t.b.ins().brif(done, tail, &[], body, &[]);
    t.b.switch_to_block(body);
    let body_anchor = t.b.ins().nop();
    let mode = if vector { Mode::Pair } else { Mode::Scalar };
    t.ret = ReturnTo::Block(latch);
    t.begin_region(mode, i, kernel.locals, body_anchor);
    t.stmts(&kernel.body)?;
    t.b.ins().jump(latch, &[]);
    t.b.switch_to_block(latch);
    let next = t.b.ins().iadd_imm_u(i, if vector { 2 } else { 1 });
    t.b.ins().jump(header, &[BlockArg::Value(next)]);
    t.b.switch_to_block(tail);
    if vector {
        let c = t.ult(limit, count);
        let last = t.b.create_block();
        t.b.ins().brif(c, last, &[], exit, &[]);
        t.b.switch_to_block(last);
        let tail_anchor = t.b.ins().nop();
        t.ret = ReturnTo::Block(exit);
        t.begin_region(Mode::Dup, limit, kernel.locals, tail_anchor);
        t.stmts(&kernel.body)?;
    }
    t.b.ins().jump(exit, &[]);
    Ok(())
}
