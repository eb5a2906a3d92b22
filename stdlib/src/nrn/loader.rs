//! Loading mechanisms: the standard library (`mod-files/`, embedded in the
//! binary), the `.mod` files of the working directory, `nrn_load_dll(path)`
//! with a file or a folder; each file is parsed, checked, lowered and
//! compiled by the JIT, then installed (see [`super::mechs`]).

use super::mechs::{install, KernelSet};
use super::{host, model};
use nerve_compiler::diagnostics::SourceFile;
use nerve_compiler::jit;
use nerve_compiler::nmodl::ir::MechIr;
use nerve_runtime::hoc::{HocError, Interpreter, Value};
use nerve_runtime::mechanism::{FunctionKernel, Kernel, MechanismKernels, NetReceiveKernel};
use std::path::Path;

/// Our standard mechanisms, in the order NEURON registers its own (the type
/// order in which kernels run).
pub const STANDARD: &[(&str, &str)] = &[
    ("pas.mod", include_str!("../../../mod-files/pas.mod")),
    ("hh.mod", include_str!("../../../mod-files/hh.mod")),
    ("IClamp.mod", include_str!("../../../mod-files/IClamp.mod")),
    (
        "AlphaSynapse.mod",
        include_str!("../../../mod-files/AlphaSynapse.mod"),
    ),
    ("ExpSyn.mod", include_str!("../../../mod-files/ExpSyn.mod")),
    (
        "Exp2Syn.mod",
        include_str!("../../../mod-files/Exp2Syn.mod"),
    ),
    (
        "SEClamp.mod",
        include_str!("../../../mod-files/SEClamp.mod"),
    ),
    ("VClamp.mod", include_str!("../../../mod-files/VClamp.mod")),
    (
        "NetStim.mod",
        include_str!("../../../mod-files/NetStim.mod"),
    ),
    (
        "IntFire1.mod",
        include_str!("../../../mod-files/IntFire1.mod"),
    ),
    (
        "IntFire2.mod",
        include_str!("../../../mod-files/IntFire2.mod"),
    ),
    (
        "IntFire4.mod",
        include_str!("../../../mod-files/IntFire4.mod"),
    ),
    (
        "APCount.mod",
        include_str!("../../../mod-files/APCount.mod"),
    ),
];

/// Parses, checks, lowers and compiles one `.mod` source. Errors are
/// rendered with file, line, column and caret.
pub fn compile(file: &SourceFile) -> Result<(MechIr, KernelSet), String> {
    let ir = nerve_compiler::nmodl::compile_source(file)?;
    let compiled = jit::compile_with(
        &ir,
        jit::JitOptions {
            vectorize: true,
            inline_exp: false,
            exact_exp: true,
        },
    )
    .map_err(|e| format!("{}: {e}", file.name))?;
    let ks = kernel_set(&ir, compiled);
    Ok((ir, ks))
}

/// The runtime's view of the JIT's function pointers.
fn kernel_set(ir: &MechIr, c: jit::CompiledMechanism) -> KernelSet {
    let p = c.kernels();
    // SAFETY: the JIT's entries have the C signatures of the ABI's kernel
    // types, with `*const c_void` where the ABI has `*const MechanismView`
    // (the JIT reads the view through the offsets of `jit::layout`, which a
    // runtime test checks against the ABI's struct).
    let k = |f: Option<jit::KernelFn>| {
        f.map(|f| unsafe { std::mem::transmute::<jit::KernelFn, Kernel>(f) })
    };
    let nr = |f: Option<jit::NetReceiveFn>| {
        f.map(|f| unsafe { std::mem::transmute::<jit::NetReceiveFn, NetReceiveKernel>(f) })
    };
    let kernels = MechanismKernels {
        init: k(p.init),
        cur: k(p.cur),
        jacob: k(p.jacob),
        state: k(p.state),
        second_order_cur: None,
        net_receive: nr(p.net_receive),
        net_receive_init: nr(p.net_receive_init),
        table: k(p.table),
    };
    let functions = (0..ir.functions.len())
        .map(|i| {
            c.function(i)
                .map(|f| unsafe { std::mem::transmute::<jit::FunctionFn, FunctionKernel>(f) })
        })
        .collect();
    let before_after = c
        .before_after()
        .iter()
        .map(|&f| unsafe { std::mem::transmute::<jit::KernelFn, Kernel>(f) })
        .collect();
    KernelSet {
        kernels,
        functions,
        before_after,
        keep: Box::new(c),
    }
}

/// Compiles and installs one `.mod` source (`name` for messages).
pub fn load_source(interp: &mut Interpreter, name: &str, text: &str) -> Result<(), HocError> {
    let file = SourceFile::new(name, text);
    let (ir, ks) = compile(&file).map_err(HocError::msg)?;
    let h = host(interp)?;
    let existing = model(&h)?.mechanism_type(&ir.name);
    match existing {
        Some(t) => super::mechs::reinstall(interp, t, &ir, ks)
            .map_err(|e| HocError::msg(format!("{name}: {}", e.message))),
        None => install(interp, &ir, ks).map(|_| ()),
    }
}

/// Loads the standard mechanisms. One that fails to compile (a bug of
/// nerve) does not stop the others: using it is then an error that says why.
pub fn load_standard(interp: &mut Interpreter) {
    for (file, text) in STANDARD {
        if let Err(e) = load_source(interp, file, text) {
            let name = file.trim_end_matches(".mod").to_string();
            let reason = format!(
                "{name} is not available: nerve could not compile its own {file}: {}",
                e.message
            );
            if let Ok(h) = host(interp) {
                h.unavailable
                    .borrow_mut()
                    .insert(name.clone(), reason.clone());
            }
            if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                nerve_runtime::hoc::ClassBuilder::new(&name, move |_, _| -> Result<(), HocError> {
                    Err(HocError::msg(reason.clone()))
                })
                .register(interp);
            } else {
                interp.register_mechanism_name(&name);
            }
        }
    }
}

/// Loads a `.mod` file, or every `.mod` file of a folder (in name order).
pub fn load_path(interp: &mut Interpreter, path: &Path) -> Result<usize, HocError> {
    let mut files = Vec::new();
    if path.is_dir() {
        let rd = std::fs::read_dir(path)
            .map_err(|e| HocError::msg(format!("{}: {e}", path.display())))?;
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "mod") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    for f in &files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| HocError::msg(format!("{}: {e}", f.display())))?;
        load_source(interp, &f.display().to_string(), &text)?;
    }
    Ok(files.len())
}

/// Registers `nrn_load_dll(path)`.
pub(crate) fn register(interp: &mut Interpreter) {
    interp.register_fn("nrn_load_dll", |i, a| {
        a.expect_count(1, 1)?;
        let p = a.str(0)?;
        load_path(i, Path::new(&p))?;
        Ok(Value::Num(1.0))
    });
}
