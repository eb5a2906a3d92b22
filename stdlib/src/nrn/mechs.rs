//! Mechanisms in HOC: installing a compiled mechanism (its IR for the names,
//! its kernels for the model) makes `insert name` work and declares the
//! names NEURON declares for it:
//! * a density mechanism: range variables `x_name` (`gnabar_hh`,
//!   `sec.m_hh(0.5)`, `&ina(0.5)`), GLOBALs `x_name`, functions
//!   `f_name(args)` run on the instance at the accessed section's middle;
//! * a point process or artificial cell: a class `Name` whose objects have
//!   its range variables as properties, `loc`, `get_loc`, `has_loc`, and
//!   its functions as methods;
//! * an ion it uses (first time): `eX`, `Xi`, `Xo`, `iX`, `diX_dv_` and
//!   the globals `Xi0_X_ion`, `Xo0_X_ion`.

use super::host::var_ptr;
use super::point::PointProcess;
use super::{cas, host, merr, model, NrnHost};
use nerve_compiler::nmodl::ir::{self, IonField, MechIr, MechKind, VarRole};
use nerve_runtime::hoc::{
    class::PropertyN, ClassBuilder, HocError, Interpreter, Property, RangeKind, RangeSym, Value,
};
use nerve_runtime::mechanism::{
    BaTiming, FieldKind, FieldSpec, FunctionKernel, FunctionSpec, FunctionTableSpec, IonDep,
    Kernel, MechanismKernels, MechanismKind, MechanismSpec,
};
use nerve_runtime::model::{MechTypeId, ModelError, VarRef};
use std::any::Any;
use std::rc::Rc;

/// Range-variable numbers from here on name mechanism variables (below are
/// the section and simulation variables of [`super::var`]).
pub(crate) const MECH_VAR_BASE: u32 = 1000;

/// What a mechanism variable number stands for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MechVar {
    /// slot `slot` of each instance of a density mechanism (or ion)
    Range { mech: MechTypeId, slot: usize },
    /// GLOBAL `index` of a type
    Global { mech: MechTypeId, index: usize },
    /// POINTER `pointer` of each instance of a density mechanism
    Pointer { mech: MechTypeId, pointer: usize },
}

/// The compiled code of a mechanism: the kernels, the HOC-callable entries
/// of its functions (by IR function index), and whatever keeps the code
/// alive (the JIT module).
pub struct KernelSet {
    /// the hooks
    pub kernels: MechanismKernels,
    /// per IR function, its HOC entry (`None` when not callable from HOC)
    pub functions: Vec<Option<FunctionKernel>>,
    /// the BEFORE/AFTER blocks, in the order of the IR's
    /// `kernels.before_after`
    pub before_after: Vec<Kernel>,
    /// dropped when the interpreter's model goes (frees the machine code)
    pub keep: Box<dyn Any>,
}

fn field_kind(r: VarRole) -> FieldKind {
    match r {
        VarRole::Parameter => FieldKind::Parameter,
        VarRole::State => FieldKind::State,
        VarRole::Assigned | VarRole::Internal => FieldKind::Assigned,
    }
}

/// The model's spec for a lowered mechanism and its code.
pub(crate) fn spec_of(ir: &MechIr, ks: &KernelSet) -> MechanismSpec {
    let kind = match ir.kind {
        MechKind::Density => MechanismKind::Density,
        MechKind::Point => MechanismKind::Point,
        MechKind::Artificial => MechanismKind::Artificial,
    };
    let mut spec = MechanismSpec::new(&ir.name, kind);
    spec.fields = ir
        .slots
        .iter()
        .map(|s| FieldSpec {
            name: s.name.clone(),
            kind: field_kind(s.role),
            default: s.default,
            size: s.size,
            hoc: s.hoc,
        })
        .collect();
    for g in &ir.globals {
        for k in 0..g.size {
            let name = if g.size == 1 {
                g.name.clone()
            } else {
                format!("{}[{k}]", g.name)
            };
            spec.globals.push((name, g.default));
            spec.globals_hoc.push(g.hoc && g.size == 1);
        }
    }
    spec.ions = ir
        .ions
        .iter()
        .map(|d| {
            let conc_field = |f: &IonField| matches!(f, IonField::ConcIn | IonField::ConcOut);
            let conc = if d.writes.iter().any(conc_field) {
                3
            } else if d.reads.iter().any(conc_field) {
                1
            } else {
                0
            };
            let rev = if d.writes.contains(&IonField::Erev) {
                3
            } else if d.reads.contains(&IonField::Erev) {
                1
            } else {
                0
            };
            IonDep {
                ion: d.name.clone(),
                valence: d.valence,
                conc,
                rev,
            }
        })
        .collect();
    spec.functions = ir
        .functions
        .iter()
        .zip(&ks.functions)
        .filter(|(f, _)| f.hoc)
        .filter_map(|(f, k)| {
            Some(FunctionSpec {
                name: f.name.clone(),
                args: f.args,
                returns_value: f.returns_value,
                kernel: (*k)?,
            })
        })
        .collect();
    spec.weights = ir.weights;
    spec.for_netcons = uses_for_netcons(ir);
    spec.randoms = ir.randoms.clone();
    if spec.randoms.is_empty() && uses_old_random(ir) {
        // scop_random, exprand, normrand draw on one unnamed stream
        spec.randoms.push(String::new());
    }
    spec.pointers = ir.pointers.iter().map(|p| p.name.clone()).collect();
    spec.kernels = ks.kernels;
    // WATCH conditions: the JIT gives each an entry as to a HOC function
    spec.watches = ir
        .kernels
        .watch
        .iter()
        .filter_map(|&f| ks.functions.get(f).copied().flatten())
        .collect();
    spec.function_tables = ir
        .function_tables
        .iter()
        .map(|f| FunctionTableSpec {
            name: f.name.clone(),
            args: f.args,
            header: f.header,
            used: f.used,
        })
        .collect();
    spec.before_after = ir
        .kernels
        .before_after
        .iter()
        .zip(&ks.before_after)
        .map(|((when, _), &k)| (ba_timing(*when), k))
        .collect();
    spec.thread_safe = ir.thread_safe;
    spec
}

/// The runtime's name for a BEFORE/AFTER timing.
fn ba_timing(t: ir::BaTiming) -> BaTiming {
    match t {
        ir::BaTiming::BeforeInitial => BaTiming::BeforeInitial,
        ir::BaTiming::AfterInitial => BaTiming::AfterInitial,
        ir::BaTiming::BeforeBreakpoint => BaTiming::BeforeBreakpoint,
        ir::BaTiming::AfterSolve => BaTiming::AfterSolve,
        ir::BaTiming::BeforeStep => BaTiming::BeforeStep,
    }
}

/// Whether any kernel or function calls a random service (so the
/// instances need a stream even without a RANDOM variable).
fn uses_old_random(ir: &MechIr) -> bool {
    let mut found = false;
    let bodies = ir.kernels.per_instance().map(|k| &k.body);
    for s in bodies.chain(ir.functions.iter().map(|f| &f.body)).flatten() {
        let mut in_stmt = false;
        ir::visit_stmt(
            s,
            &mut |s| in_stmt |= matches!(s, ir::Stmt::Host(h, _) if h.is_random()),
            &mut |e| found |= matches!(e, ir::Expr::Host(h, _) if h.is_random()),
        );
        found |= in_stmt;
    }
    found
}

/// Whether NET_RECEIVE (or its INITIAL) has a `FOR_NETCONS` loop, which
/// asks for the number of the instance's NetCons.
fn uses_for_netcons(ir: &MechIr) -> bool {
    let mut found = false;
    let bodies = [&ir.kernels.net_receive, &ir.kernels.net_receive_init];
    for s in bodies.into_iter().flatten().flat_map(|k| &k.body) {
        ir::visit_stmt(s, &mut |_| {}, &mut |e| {
            found |= matches!(e, ir::Expr::Host(ir::HostFn::NetconCount, _))
        });
    }
    found
}

impl NrnHost {
    /// Numbers a mechanism variable for the VM.
    fn new_mech_var(&self, v: MechVar) -> u32 {
        let mut vars = self.mech_vars.borrow_mut();
        vars.push(v);
        MECH_VAR_BASE + vars.len() as u32 - 1
    }

    /// The mechanism variable behind a VM number.
    pub(crate) fn mech_var(&self, id: u32) -> Option<MechVar> {
        let k = id.checked_sub(MECH_VAR_BASE)?;
        self.mech_vars.borrow().get(k as usize).copied()
    }
}

/// Declares the HOC names of a density mechanism or ion type: its visible
/// fields as range variables (`name` + `suffix`) and its visible globals.
fn declare_range_names(interp: &mut Interpreter, h: &NrnHost, t: MechTypeId, suffix: &str) {
    let spec = match h.model.borrow().mechanism_spec(t) {
        Ok(s) => s.clone(),
        Err(_) => return,
    };
    let mut slot = 0;
    for f in &spec.fields {
        if f.hoc && f.size == 1 {
            let id = h.new_mech_var(MechVar::Range { mech: t, slot });
            interp.register_range(
                &format!("{}{suffix}", f.name),
                RangeSym {
                    id,
                    kind: RangeKind::Range,
                },
            );
        }
        slot += f.size;
    }
    for (pointer, name) in spec.pointers.iter().enumerate() {
        let id = h.new_mech_var(MechVar::Pointer { mech: t, pointer });
        interp.register_range(
            &format!("{name}{suffix}"),
            RangeSym {
                id,
                kind: RangeKind::Range,
            },
        );
    }
    declare_globals(interp, h, t, &spec);
}

fn declare_globals(interp: &mut Interpreter, h: &NrnHost, t: MechTypeId, spec: &MechanismSpec) {
    for (index, (name, _)) in spec.globals.iter().enumerate() {
        if spec.global_is_hoc(index) {
            let id = h.new_mech_var(MechVar::Global { mech: t, index });
            interp.register_range(
                &format!("{name}_{}", spec.name),
                RangeSym {
                    id,
                    kind: RangeKind::Global,
                },
            );
        }
    }
}

/// Installs a compiled mechanism: registers its type in the model (and the
/// types of the ions it uses) and declares its HOC names.
pub fn install(
    interp: &mut Interpreter,
    ir: &MechIr,
    ks: KernelSet,
) -> Result<MechTypeId, HocError> {
    let h = host(interp)?;
    let spec = spec_of(ir, &ks);
    let before = model(&h)?.mechanism_count();
    // SAFETY: the kernels come from the JIT, which compiles them to the ABI
    // contract from the IR (only the arrays each hook may touch).
    let t = unsafe { model(&h)?.register_mechanism(spec) }.map_err(merr)?;
    h.code.borrow_mut().push(ks.keep);
    // ions registered on the way (they come before the mechanism)
    let after = model(&h)?.mechanism_count();
    for k in before..after {
        let it = model(&h)?.mechanism_type_at(k);
        if it != t {
            let name = model(&h)?.mechanism_spec(it).map_err(merr)?.name.clone();
            interp.register_mechanism_name(&name);
            declare_range_names(interp, &h, it, "");
        }
    }
    super::functable::declare(interp, &h, t, ir);
    match ir.kind {
        MechKind::Density => {
            interp.register_mechanism_name(&ir.name);
            declare_range_names(interp, &h, t, &format!("_{}", ir.name));
            declare_functions(interp, &h, t, ir);
        }
        MechKind::Point | MechKind::Artificial => {
            let spec = model(&h)?.mechanism_spec(t).map_err(merr)?.clone();
            declare_globals(interp, &h, t, &spec);
            declare_functions(interp, &h, t, ir);
            point_class(&h, t, ir, &spec).register(interp);
        }
    }
    Ok(t)
}

/// FUNCTIONs and PROCEDUREs as HOC functions `name_suffix(args)`, run on
/// the instance in the middle of the accessed section (scratch values when
/// the mechanism is not there, or for point processes).
fn declare_functions(interp: &mut Interpreter, h: &Rc<NrnHost>, t: MechTypeId, ir: &MechIr) {
    let spec = match h.model.borrow().mechanism_spec(t) {
        Ok(s) => s.clone(),
        Err(_) => return,
    };
    let density = ir.kind == MechKind::Density;
    if density {
        // setdata_name(x): the instance at x of the accessed section is the
        // one later function calls work on (NEURON's `_setdata`)
        let mech = ir.name.clone();
        interp.register_fn(&format!("setdata_{}", ir.name), move |i, a| {
            a.expect_count(0, 1)?;
            let x = a.num_or(0, 0.5)?;
            let (h, s) = cas(i)?;
            let inst = model(&h)?.density_instance(s, x, t).map_err(merr)?;
            let Some(inst) = inst else {
                let name = model(&h)?.name(s).map_err(merr)?.to_string();
                return Err(HocError::msg(format!(
                    "{mech} mechanism not inserted in section {name}"
                )));
            };
            h.setdata.borrow_mut().insert(t, inst);
            Ok(Value::Num(0.0))
        });
    }
    for f in spec.functions {
        let name = format!("{}_{}", f.name, ir.name);
        let table = spec.function_tables.iter().any(|t| t.name == f.name);
        let mech = ir.name.clone();
        interp.register_fn(&name, move |i, a| {
            let args = function_args(a, &f)?;
            let given = |i: &mut Interpreter| -> Result<bool, HocError> {
                let h = host(i)?;
                let r = model(&h)?.function_table_given(t, &f.name).map_err(merr);
                r
            };
            if table && !given(i)? {
                // NEURON: "table not specified in hoc_func_table"
                return Err(merr(ModelError::FunctionTableNotGiven {
                    mechanism: mech.clone(),
                    table: f.name.clone(),
                }));
            }
            let inst = if density {
                // the instance `setdata_` chose, else the one in the middle
                // of the accessed section
                let h = host(i)?;
                let chosen = h.setdata.borrow().get(&t).copied();
                match chosen {
                    Some(c) if model(&h)?.instance_type(c).is_ok() => Some(c),
                    _ => match cas(i) {
                        Ok((h, s)) => model(&h)?.density_instance(s, 0.5, t).map_err(merr)?,
                        Err(_) => None,
                    },
                }
            } else {
                None
            };
            let h = host(i)?;
            let k = current_kernel(&h, t, &f)?;
            let r = model(&h)?.call_function(t, inst, k, &args).map_err(merr)?;
            Ok(Value::Num(r))
        });
    }
}

/// The kernel a FUNCTION has now (a reloaded `.mod` replaces it).
fn current_kernel(
    h: &NrnHost,
    t: MechTypeId,
    f: &FunctionSpec,
) -> Result<FunctionKernel, HocError> {
    let m = model(h)?;
    let spec = m.mechanism_spec(t).map_err(merr)?;
    Ok(spec
        .functions
        .iter()
        .find(|g| g.name == f.name)
        .map(|g| g.kernel)
        .unwrap_or(f.kernel))
}

/// Loads a new version of an installed mechanism: when its variables,
/// globals, ions and kind are unchanged, its kernels and functions are
/// replaced and live instances keep their values; otherwise a clear error.
pub fn reinstall(
    interp: &mut Interpreter,
    t: MechTypeId,
    ir: &MechIr,
    ks: KernelSet,
) -> Result<(), HocError> {
    let h = host(interp)?;
    let new = spec_of(ir, &ks);
    {
        let mut m = model(&h)?;
        let old = m.mechanism_spec(t).map_err(merr)?;
        let fields = |s: &MechanismSpec| {
            s.fields
                .iter()
                .map(|f| (f.name.clone(), f.size))
                .collect::<Vec<_>>()
        };
        let globals = |s: &MechanismSpec| s.globals.iter().map(|g| g.0.clone()).collect::<Vec<_>>();
        let same = old.kind == new.kind
            && fields(old) == fields(&new)
            && globals(old) == globals(&new)
            && old.ions == new.ions
            && old.weights == new.weights
            && old.randoms == new.randoms
            && old.functions.len() == new.functions.len()
            && old.watches.len() == new.watches.len();
        if !same {
            return Err(HocError::msg(format!(
                "cannot reload {}: its variables, ions or functions changed, so the live                  instances cannot be carried over (start a new session to use the new version)",
                ir.name
            )));
        }
        // SAFETY: as for `install`: JIT kernels keep to the ABI contract, and
        // the layout they were compiled for is the one checked equal above.
        unsafe { m.replace_kernels(t, new) }.map_err(merr)?;
    }
    // the old code stays alive: HOC objects made before may still hold it
    h.code.borrow_mut().push(ks.keep);
    Ok(())
}

fn function_args(a: &nerve_runtime::hoc::Args, f: &FunctionSpec) -> Result<Vec<f64>, HocError> {
    if a.len() < f.args {
        return Err(HocError::msg(format!(
            "{}: not enough arguments ({} given, {} needed)",
            a.name(),
            a.len(),
            f.args
        )));
    }
    (0..f.args).map(|k| a.num(k)).collect()
}

/// The model instance of a point-process object, or a clear error.
fn instance_of(o: &nerve_runtime::hoc::Obj) -> Result<nerve_runtime::model::InstanceId, HocError> {
    let p = o.native::<PointProcess>()?;
    p.instance
        .ok_or_else(|| HocError::msg(format!("{} has been deleted", o.name())))
}

/// The HOC class of a point process or artificial cell.
fn point_class(
    h: &Rc<NrnHost>,
    t: MechTypeId,
    ir: &MechIr,
    spec: &MechanismSpec,
) -> ClassBuilder<PointProcess> {
    let hh = Rc::downgrade(&h.model);
    let mut b = ClassBuilder::new(&ir.name, move |i, a| {
        let h = host(i)?;
        let inst = if a.is_empty() {
            model(&h)?.new_unlocated(t).map_err(merr)?
        } else {
            let x = a.num(0)?;
            let (h, s) = cas(i)?;
            let r = model(&h)?.new_point_process(t, s, x).map_err(merr)?;
            r
        };
        Ok(PointProcess {
            mech: t,
            instance: Some(inst),
            model: hh.clone(),
        })
    });
    for (k, s) in ir.slots.iter().enumerate() {
        if !s.hoc {
            continue;
        }
        let slot = ir.slot_offset(k);
        let size = s.size;
        let model_rc = h.model.clone();
        let get_m = model_rc.clone();
        let set_m = model_rc.clone();
        let ptr_m = model_rc.clone();
        if size == 1 {
            b = b.property(
                &s.name,
                Property {
                    get: Rc::new(move |_, o, _| {
                        let i = instance_of(o)?;
                        let mut m = get_m.borrow_mut();
                        Ok(Value::Num(m.get(VarRef::Instance(i, slot)).map_err(merr)?))
                    }),
                    set: Some(Rc::new(move |_, o, _, v| {
                        let i = instance_of(o)?;
                        let x = match v {
                            Value::Num(x) => x,
                            other => {
                                return Err(HocError::msg(format!(
                                    "a number is needed, not {}",
                                    other.type_name()
                                )))
                            }
                        };
                        set_m
                            .borrow_mut()
                            .set(VarRef::Instance(i, slot), x)
                            .map_err(merr)
                    })),
                    ptr: Some(Rc::new(move |o, _| {
                        let i = instance_of(o)?;
                        Ok(nerve_runtime::hoc::value::Ptr::Handle(var_ptr(
                            &ptr_m,
                            VarRef::Instance(i, slot),
                        )))
                    })),
                },
            );
        } else {
            let check = move |idx: &[f64]| -> Result<usize, HocError> {
                let k = idx.first().copied().unwrap_or(0.0);
                if k < 0.0 || k as usize >= size {
                    return Err(HocError::msg(format!(
                        "subscript {k} out of range (size {size})"
                    )));
                }
                Ok(slot + k as usize)
            };
            b = b.property_n(
                &s.name,
                PropertyN {
                    get: Rc::new(move |_, o, idx| {
                        let i = instance_of(o)?;
                        let sl = check(idx)?;
                        get_m
                            .borrow_mut()
                            .get(VarRef::Instance(i, sl))
                            .map_err(merr)
                    }),
                    set: Some(Rc::new(move |_, o, idx, x| {
                        let i = instance_of(o)?;
                        let sl = check(idx)?;
                        set_m
                            .borrow_mut()
                            .set(VarRef::Instance(i, sl), x)
                            .map_err(merr)
                    })),
                    ptr: Some(Rc::new(move |_, o, idx| {
                        let i = instance_of(o)?;
                        let sl = check(idx)?;
                        Ok(nerve_runtime::hoc::value::Ptr::Handle(var_ptr(
                            &ptr_m,
                            VarRef::Instance(i, sl),
                        )))
                    })),
                },
            );
        }
    }
    for (k, p) in ir.pointers.iter().enumerate() {
        b = b.property(&p.name, pointer_property(&h.model, k));
    }
    b = b
        .method("loc", move |i, o, a| {
            a.expect_count(1, 1)?;
            let x = a.num(0)?;
            let inst = instance_of(o)?;
            let (h, s) = cas(i)?;
            let mut m = model(&h)?;
            m.locate_point_process(inst, s, x).map_err(merr)?;
            let (_, x) = m.point_process_location(inst).map_err(merr)?;
            Ok(Value::Num(x))
        })
        .method("get_loc", |i, o, a| {
            a.expect_count(0, 0)?;
            let inst = instance_of(o)?;
            let h = host(i)?;
            let (s, x) = model(&h)?.point_process_location(inst).map_err(merr)?;
            i.push_section(h.handle(s));
            Ok(Value::Num(x))
        })
        .method("has_loc", |i, o, a| {
            a.expect_count(0, 0)?;
            let inst = instance_of(o)?;
            let h = host(i)?;
            let located = model(&h)?.point_process_location(inst).is_ok();
            Ok(Value::Num(if located { 1.0 } else { 0.0 }))
        });
    if ir.name == "APCount" {
        let slot = |n: &str| {
            ir.slots
                .iter()
                .position(|s| s.name == n)
                .map(|k| ir.slot_offset(k))
        };
        if let (Some(n_slot), Some(time_slot)) = (slot("n"), slot("time")) {
            b = b.method("record", move |i, o, a| {
                a.expect_count(1, 1)?;
                let inst = instance_of(o)?;
                let data = crate::vector::vector_data(&a.object(0)?)?;
                super::apcount::record(i, inst, n_slot, time_slot, data)?;
                Ok(Value::Num(0.0))
            });
        }
    }
    for f in &spec.functions {
        let f = f.clone();
        b = b.method(&f.name.clone(), move |i, o, a| {
            let inst = instance_of(o)?;
            let args = function_args(a, &f)?;
            let h = host(i)?;
            let k = current_kernel(&h, t, &f)?;
            let r = model(&h)?
                .call_function(t, Some(inst), k, &args)
                .map_err(merr)?;
            Ok(Value::Num(r))
        });
    }
    super::random::random_methods(b, &h.model, spec)
}

/// `pp.name` for POINTER `k` of a point process: reads and writes reach
/// the target; `&pp.name` (what `setpointer` takes) names the POINTER.
fn pointer_property(
    model: &Rc<std::cell::RefCell<nerve_runtime::model::Model>>,
    k: usize,
) -> Property {
    let (get_m, set_m, ptr_m) = (model.clone(), model.clone(), model.clone());
    Property {
        get: Rc::new(move |_, o, _| {
            let i = instance_of(o)?;
            let x = get_m
                .borrow_mut()
                .get(VarRef::Pointer(i, k))
                .map_err(merr)?;
            Ok(Value::Num(x))
        }),
        set: Some(Rc::new(move |_, o, _, v| {
            let i = instance_of(o)?;
            let Value::Num(x) = v else {
                return Err(HocError::msg(format!(
                    "a number is needed, not {}",
                    v.type_name()
                )));
            };
            set_m
                .borrow_mut()
                .set(VarRef::Pointer(i, k), x)
                .map_err(merr)
        })),
        ptr: Some(Rc::new(move |o, _| {
            let i = instance_of(o)?;
            Ok(nerve_runtime::hoc::value::Ptr::Handle(var_ptr(
                &ptr_m,
                VarRef::Pointer(i, k),
            )))
        })),
    }
}

/// Reads a mechanism variable (the VM's `get` for numbers from
/// [`MECH_VAR_BASE`]).
pub(crate) fn get(
    h: &NrnHost,
    var: MechVar,
    s: Option<nerve_runtime::model::SectionId>,
    x: Option<f64>,
) -> Result<f64, HocError> {
    let mut m = h
        .model
        .try_borrow_mut()
        .map_err(|_| HocError::msg("internal: the model is in use"))?;
    match (var, s) {
        (MechVar::Global { mech, index }, _) => Ok(m.globals(mech).map_err(merr)?[index]),
        (MechVar::Range { mech, slot }, Some(s)) => {
            let r = m
                .var_ref(
                    s,
                    x.unwrap_or(0.5),
                    nerve_runtime::model::RangeVar::Mech { mech, slot },
                )
                .map_err(merr)?;
            m.get(r).map_err(merr)
        }
        (MechVar::Pointer { mech, pointer }, Some(s)) => {
            let r = m
                .var_ref(
                    s,
                    x.unwrap_or(0.5),
                    nerve_runtime::model::RangeVar::Pointer { mech, pointer },
                )
                .map_err(merr)?;
            m.get(r).map_err(merr)
        }
        (MechVar::Range { .. } | MechVar::Pointer { .. }, None) => {
            Err(HocError::msg("a range variable needs a section"))
        }
    }
}

/// Writes a mechanism variable; a range variable without `x` is set in every
/// segment of the section.
pub(crate) fn set(
    h: &NrnHost,
    var: MechVar,
    s: Option<nerve_runtime::model::SectionId>,
    x: Option<f64>,
    value: f64,
) -> Result<(), HocError> {
    let mut m = h
        .model
        .try_borrow_mut()
        .map_err(|_| HocError::msg("internal: the model is in use"))?;
    match (var, s, x) {
        (MechVar::Global { mech, index }, _, _) => m.set_global(mech, index, value).map_err(merr),
        (MechVar::Range { mech, slot }, Some(s), None) => {
            m.set_mech_all(s, mech, slot, value).map_err(merr)
        }
        (MechVar::Range { mech, slot }, Some(s), Some(x)) => {
            let r = m
                .var_ref(s, x, nerve_runtime::model::RangeVar::Mech { mech, slot })
                .map_err(merr)?;
            m.set(r, value).map_err(merr)
        }
        (MechVar::Pointer { mech, pointer }, Some(s), x) => {
            // without x: every segment's target
            let xs = match x {
                Some(x) => vec![x],
                None => {
                    let n = m.nseg(s).map_err(merr)?;
                    (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect()
                }
            };
            for x in xs {
                let r = m
                    .var_ref(
                        s,
                        x,
                        nerve_runtime::model::RangeVar::Pointer { mech, pointer },
                    )
                    .map_err(merr)?;
                m.set(r, value).map_err(merr)?;
            }
            Ok(())
        }
        (MechVar::Range { .. } | MechVar::Pointer { .. }, None, _) => {
            Err(HocError::msg("a range variable needs a section"))
        }
    }
}

/// Registers the mechanism built-ins that do not depend on a mechanism.
pub(crate) fn register(interp: &mut Interpreter) {
    // ion_style("X_ion" [, c_style, e_style, einit, eadvance, cinit])
    interp.register_fn("ion_style", |i, a| {
        if a.len() != 1 && a.len() != 6 {
            return Err(HocError::msg(
                "ion_style: takes the ion name, then optionally c_style, e_style, einit, eadvance, cinit",
            ));
        }
        let name = a.str(0)?;
        let new = if a.len() == 6 {
            let n = |k| a.num(k).map(|x| x as i32);
            Some(n(1)? + 8 * n(2)? + 32 * n(3)? + 64 * n(4)? + 4 * n(5)?)
        } else {
            None
        };
        let (h, s) = cas(i)?;
        let r = model(&h)?.ion_style(s, &name, new).map_err(merr)?;
        Ok(Value::Num(r))
    });
}
