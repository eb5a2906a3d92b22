//! Values the HOC VM computes with: numbers, strings, object references and
//! pointers to doubles, and the objects themselves.

use super::error::HocError;
use std::any::Any;
use std::cell::{Cell, Ref, RefCell, RefMut};
use std::fmt;
use std::rc::{Rc, Weak};

/// A string variable's storage (`strdef`), shared so that `$s1` can write
/// into the caller's variable.
pub type StrRef = Rc<RefCell<String>>;

/// Storage of an array of doubles (a `double x[n]` array, a Vector's
/// elements), shared so that pointers into it stay valid.
pub type DoubleArray = Rc<RefCell<Vec<f64>>>;

/// A reference to an object; `None` is HOC's `NULLobject`.
pub type Obj = Rc<Object>;

/// A value on the VM's stack.
#[derive(Clone, Default)]
pub enum Value {
    /// A double.
    Num(f64),
    /// A string (a strdef passed by reference, or a fresh string).
    Str(StrRef),
    /// An object reference, possibly nil.
    Obj(Option<Obj>),
    /// A pointer to a double (`&x`).
    Ptr(Ptr),
    /// What a procedure returns: nothing.
    #[default]
    Void,
}

impl Value {
    /// A fresh string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(Rc::new(RefCell::new(s.into())))
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Obj(_) => "an object",
            Value::Ptr(_) => "a pointer",
            Value::Void => "nothing (a procedure's result)",
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(x) => write!(f, "Num({x})"),
            Value::Str(s) => write!(f, "Str({:?})", s.borrow()),
            Value::Obj(Some(o)) => write!(f, "Obj({})", o.name()),
            Value::Obj(None) => write!(f, "Obj(NULLobject)"),
            Value::Ptr(_) => write!(f, "Ptr"),
            Value::Void => write!(f, "Void"),
        }
    }
}

/// Something outside the VM that a pointer can reach (a model variable, for example).
pub trait DoubleHandle {
    /// Reads the double.
    fn get(&self) -> Result<f64, HocError>;
    /// Writes the double.
    fn set(&self, value: f64) -> Result<(), HocError>;
    /// The handle as `Any`, so a host program can recognise its own handles
    /// (and reach what they point at without going through `get`).
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
}

/// A pointer to a double: what `&x` makes and `$&1` uses.
#[derive(Clone)]
pub enum Ptr {
    /// A scalar variable.
    Cell(Rc<Cell<f64>>),
    /// An element of an array (bounds checked on use).
    Elem(DoubleArray, usize),
    /// A local variable of a live frame, by its absolute slot in the VM's local stack.
    Stack(usize),
    /// A double owned elsewhere.
    Handle(Rc<dyn DoubleHandle>),
}

/// What a class's instances hold: the fields of a template instance, or a
/// native payload.
pub enum ObjectData {
    /// An instance of a HOC template.
    Template(RefCell<Vec<super::template::Field>>),
    /// An instance of a native (Rust) class.
    Native(RefCell<Box<dyn Any>>),
}

/// An object: an instance of a template or of a native class.
pub struct Object {
    /// Its class.
    pub class: Rc<ClassInfo>,
    /// Its number within the class: `Vector[3]`. Never reused.
    pub index: usize,
    /// Its data.
    pub data: ObjectData,
}

impl Object {
    /// `Class[index]`, as HOC prints objects.
    pub fn name(&self) -> String {
        format!("{}[{}]", self.class.name, self.index)
    }

    /// Borrows a native payload of type `T`, or fails with a clear error.
    pub fn native<T: 'static>(&self) -> Result<Ref<'_, T>, HocError> {
        match &self.data {
            ObjectData::Native(cell) => {
                let b = cell
                    .try_borrow()
                    .map_err(|_| HocError::msg(format!("{} is in use", self.name())))?;
                Ref::filter_map(b, |b| b.downcast_ref::<T>()).map_err(|_| {
                    HocError::msg(format!("{} is not of the expected class", self.name()))
                })
            }
            ObjectData::Template(_) => Err(HocError::msg(format!(
                "{} is not of the expected class",
                self.name()
            ))),
        }
    }

    /// Mutably borrows a native payload of type `T`, or fails with a clear error.
    pub fn native_mut<T: 'static>(&self) -> Result<RefMut<'_, T>, HocError> {
        match &self.data {
            ObjectData::Native(cell) => {
                let b = cell
                    .try_borrow_mut()
                    .map_err(|_| HocError::msg(format!("{} is in use", self.name())))?;
                RefMut::filter_map(b, |b| b.downcast_mut::<T>()).map_err(|_| {
                    HocError::msg(format!("{} is not of the expected class", self.name()))
                })
            }
            ObjectData::Template(_) => Err(HocError::msg(format!(
                "{} is not of the expected class",
                self.name()
            ))),
        }
    }

    /// Field `i` of a template instance. Members a template gained after this
    /// object was made (by `execute1(cmd, obj)`) get fresh storage on first use.
    pub fn field(&self, i: usize) -> Option<super::symbols::Sym> {
        let ObjectData::Template(fields) = &self.data else {
            return None;
        };
        if i >= fields.borrow().len() {
            let ClassKind::Template(t) = &self.class.kind else {
                return None;
            };
            let fresh = t.new_fields();
            let mut f = fields.borrow_mut();
            let have = f.len();
            f.extend(fresh.into_iter().skip(have));
        }
        fields.borrow().get(i).cloned()
    }

    /// Replaces field `i` of a template instance.
    pub fn set_field(&self, i: usize, sym: super::symbols::Sym) -> bool {
        if self.field(i).is_none() {
            return false;
        }
        match &self.data {
            ObjectData::Template(fields) => {
                fields.borrow_mut()[i] = sym;
                true
            }
            ObjectData::Native(_) => false,
        }
    }

    /// Whether the object's class is called `name`.
    pub fn is(&self, name: &str) -> bool {
        &*self.class.name == name
    }
}

impl Drop for Object {
    fn drop(&mut self) {
        self.class
            .live_count
            .set(self.class.live_count.get().saturating_sub(1));
    }
}

/// What the VM knows of a class, native or template, shared by its instances.
pub struct ClassInfo {
    /// The class name.
    pub name: Rc<str>,
    /// How many instances were ever made (the next index).
    pub next_index: Cell<usize>,
    /// How many instances are alive.
    pub live_count: Cell<usize>,
    /// Weak references to instances, in creation order (pruned lazily).
    pub instances: RefCell<Vec<Weak<Object>>>,
    /// The class's behaviour.
    pub kind: ClassKind,
}

/// The behaviour of a class.
pub enum ClassKind {
    /// A native class registered from Rust.
    Native(super::class::NativeClass),
    /// A HOC template.
    Template(Rc<super::template::Template>),
}

impl ClassInfo {
    /// Creates the class record.
    pub fn new(name: &str, kind: ClassKind) -> Rc<ClassInfo> {
        Rc::new(ClassInfo {
            name: name.into(),
            next_index: Cell::new(0),
            live_count: Cell::new(0),
            instances: RefCell::new(Vec::new()),
            kind,
        })
    }

    /// Makes an object of this class with the next index and registers it.
    pub fn instantiate(self: &Rc<Self>, data: ObjectData) -> Obj {
        // NEURON numbers instances from 0 again once none is alive.
        if self.live_count.get() == 0 {
            self.next_index.set(0);
        }
        let index = self.next_index.get();
        self.next_index.set(index + 1);
        self.live_count.set(self.live_count.get() + 1);
        let obj = Rc::new(Object {
            class: self.clone(),
            index,
            data,
        });
        let mut inst = self.instances.borrow_mut();
        if inst.len() > 64 && inst.len() > 2 * self.live_count.get() {
            inst.retain(|w| w.strong_count() > 0);
        }
        inst.push(Rc::downgrade(&obj));
        obj
    }

    /// The live instances, in creation order.
    pub fn live(&self) -> Vec<Obj> {
        self.instances
            .borrow()
            .iter()
            .filter_map(|w| w.upgrade())
            .collect()
    }
}
