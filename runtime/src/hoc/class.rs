//! Native classes: how Rust code defines a HOC class (Vector, List, File,
//! and a host program's own) with a typed builder, and the argument list
//! every native function and method receives.

use super::error::HocError;
use super::interp::Interpreter;
use super::value::{Obj, Ptr, StrRef, Value};
use std::any::Any;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::rc::Rc;

/// A native function: `name(args)`.
pub type NativeFn = Rc<dyn Fn(&mut Interpreter, &mut Args) -> Result<Value, HocError>>;
/// A native constructor: makes the payload of a new object.
pub type NativeCtor = Rc<dyn Fn(&mut Interpreter, &mut Args) -> Result<Box<dyn Any>, HocError>>;
/// A native method: `obj.name(args)`; it gets the object itself.
pub type NativeMethod = Rc<dyn Fn(&mut Interpreter, &Obj, &mut Args) -> Result<Value, HocError>>;
/// Reads a property, `obj.name` or `obj.name[i]`.
pub type PropGet = Rc<dyn Fn(&mut Interpreter, &Obj, Option<usize>) -> Result<Value, HocError>>;
/// Writes a property.
pub type PropSet = Rc<dyn Fn(&mut Interpreter, &Obj, Option<usize>, Value) -> Result<(), HocError>>;
/// Makes a pointer to a property's double, `&obj.name[i]`.
pub type PropPtr = Rc<dyn Fn(&Obj, Option<usize>) -> Result<Ptr, HocError>>;

/// A property of a native class (a named value, optionally indexed).
#[derive(Clone)]
pub struct Property {
    /// Reads it.
    pub get: PropGet,
    /// Writes it, if writable.
    pub set: Option<PropSet>,
    /// Points at it, if it is a double that can be pointed at.
    pub ptr: Option<PropPtr>,
}

/// Reads a numeric property with any number of subscripts, `m.x[i][j]`
/// (raw subscripts: the property rounds them as it needs).
pub type PropGetN = Rc<dyn Fn(&mut Interpreter, &Obj, &[f64]) -> Result<f64, HocError>>;
/// Writes a numeric property with subscripts.
pub type PropSetN = Rc<dyn Fn(&mut Interpreter, &Obj, &[f64], f64) -> Result<(), HocError>>;
/// Points at a numeric property with subscripts.
pub type PropPtrN = Rc<dyn Fn(&mut Interpreter, &Obj, &[f64]) -> Result<Ptr, HocError>>;

/// A double-valued property that takes several subscripts (`Matrix.x[i][j]`).
#[derive(Clone)]
pub struct PropertyN {
    /// Reads it.
    pub get: PropGetN,
    /// Writes it, if writable.
    pub set: Option<PropSetN>,
    /// Points at it, if it can be pointed at.
    pub ptr: Option<PropPtrN>,
}

/// A native class, as registered.
pub struct NativeClass {
    /// Makes the payload of a new instance.
    pub ctor: NativeCtor,
    /// Methods by name.
    pub methods: HashMap<Rc<str>, NativeMethod>,
    /// Properties by name.
    pub properties: HashMap<Rc<str>, Property>,
    /// Numeric properties with several subscripts, by name.
    pub properties_n: HashMap<Rc<str>, PropertyN>,
}

/// Builds a native class whose instances hold a `T`.
///
/// ```ignore
/// ClassBuilder::new("Counter", |_, _| Ok(0.0f64))
///     .method("incr", |_, this, _| { *this.native_mut::<f64>()? += 1.0; Ok(Value::Num(0.0)) })
///     .register(&mut interp);
/// ```
pub struct ClassBuilder<T> {
    name: String,
    class: NativeClass,
    _t: PhantomData<T>,
}

impl<T: 'static> ClassBuilder<T> {
    /// Starts a class called `name` whose constructor `new Name(args)` makes a `T`.
    pub fn new(
        name: &str,
        ctor: impl Fn(&mut Interpreter, &mut Args) -> Result<T, HocError> + 'static,
    ) -> Self {
        ClassBuilder {
            name: name.to_string(),
            class: NativeClass {
                ctor: Rc::new(move |i, a| Ok(Box::new(ctor(i, a)?) as Box<dyn Any>)),
                methods: HashMap::new(),
                properties: HashMap::new(),
                properties_n: HashMap::new(),
            },
            _t: PhantomData,
        }
    }

    /// Adds a method with access to the interpreter and the object.
    pub fn method(
        mut self,
        name: &str,
        f: impl Fn(&mut Interpreter, &Obj, &mut Args) -> Result<Value, HocError> + 'static,
    ) -> Self {
        self.class.methods.insert(name.into(), Rc::new(f));
        self
    }

    /// Adds a method that only needs the payload: `f(&mut T, args)`.
    /// The payload is borrowed while `f` runs, so `f` must not be given the
    /// same object among its arguments (use [`ClassBuilder::method`] for that).
    pub fn method_mut(
        self,
        name: &str,
        f: impl Fn(&mut T, &mut Args) -> Result<Value, HocError> + 'static,
    ) -> Self {
        self.method(name, move |_, this, args| {
            let mut t = this.native_mut::<T>()?;
            f(&mut t, args)
        })
    }

    /// Adds a property with a getter, an optional setter and an optional pointer maker.
    pub fn property(mut self, name: &str, prop: Property) -> Self {
        self.class.properties.insert(name.into(), prop);
        self
    }

    /// Adds a double property that takes several subscripts (`m.x[i][j]`).
    pub fn property_n(mut self, name: &str, prop: PropertyN) -> Self {
        self.class.properties_n.insert(name.into(), prop);
        self
    }

    /// A read-write double property stored in the payload.
    pub fn num_property(
        self,
        name: &str,
        get: impl Fn(&T) -> f64 + 'static,
        set: impl Fn(&mut T, f64) + 'static,
    ) -> Self {
        let prop = Property {
            get: Rc::new(move |_, o, _| Ok(Value::Num(get(&*o.native::<T>()?)))),
            set: Some(Rc::new(move |_, o, _, v| {
                let x = match v {
                    Value::Num(x) => x,
                    other => {
                        return Err(HocError::msg(format!(
                            "a number is needed, not {}",
                            other.type_name()
                        )))
                    }
                };
                set(&mut *o.native_mut::<T>()?, x);
                Ok(())
            })),
            ptr: None,
        };
        self.property(name, prop)
    }

    /// Registers the class into an interpreter.
    pub fn register(self, interp: &mut Interpreter) {
        interp.register_native_class(&self.name, self.class);
    }

    /// Finishes without registering (to register elsewhere).
    pub fn build(self) -> (String, NativeClass) {
        (self.name, self.class)
    }
}

/// The arguments of a native call, with typed accessors whose errors name
/// the function and the argument.
pub struct Args {
    vals: Vec<Value>,
    name: Rc<str>,
}

impl Args {
    /// Wraps evaluated arguments of the call `name(...)`.
    pub fn new(name: Rc<str>, vals: Vec<Value>) -> Args {
        Args { vals, name }
    }

    /// The function's or method's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many arguments there are.
    pub fn len(&self) -> usize {
        self.vals.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }

    /// All of them.
    pub fn values(&self) -> &[Value] {
        &self.vals
    }

    /// Argument `i` (0-based) as it is.
    pub fn get(&self, i: usize) -> Result<&Value, HocError> {
        self.vals.get(i).ok_or_else(|| {
            HocError::msg(format!(
                "{}: argument {} is missing ({} given)",
                self.name,
                i + 1,
                self.vals.len()
            ))
        })
    }

    fn wrong(&self, i: usize, want: &str) -> HocError {
        let got = self.vals.get(i).map(|v| v.type_name()).unwrap_or("nothing");
        HocError::msg(format!(
            "{}: argument {} must be {want}, not {got}",
            self.name,
            i + 1
        ))
    }

    /// Fails unless there are between `min` and `max` arguments.
    pub fn expect_count(&self, min: usize, max: usize) -> Result<(), HocError> {
        let n = self.vals.len();
        if n < min || n > max {
            let want = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(HocError::msg(format!(
                "{}: takes {want} argument(s), {n} given",
                self.name
            )));
        }
        Ok(())
    }

    /// Argument `i` as a number.
    pub fn num(&self, i: usize) -> Result<f64, HocError> {
        match self.get(i)? {
            Value::Num(x) => Ok(*x),
            _ => Err(self.wrong(i, "a number")),
        }
    }

    /// Argument `i` as a number, or `default` when absent.
    pub fn num_or(&self, i: usize, default: f64) -> Result<f64, HocError> {
        if i < self.vals.len() {
            self.num(i)
        } else {
            Ok(default)
        }
    }

    /// Argument `i` as a non-negative integer index (truncated), for sizes and indices.
    pub fn index(&self, i: usize) -> Result<usize, HocError> {
        let x = self.num(i)?;
        if !(0.0..1e15).contains(&x) {
            return Err(HocError::msg(format!(
                "{}: argument {} must be a non-negative index, not {x}",
                self.name,
                i + 1
            )));
        }
        Ok(x as usize)
    }

    /// Argument `i` as a string (a copy).
    pub fn str(&self, i: usize) -> Result<String, HocError> {
        match self.get(i)? {
            Value::Str(s) => Ok(s.borrow().clone()),
            _ => Err(self.wrong(i, "a string")),
        }
    }

    /// Argument `i` as a string variable, for functions that write into it (sprint).
    pub fn str_ref(&self, i: usize) -> Result<StrRef, HocError> {
        match self.get(i)? {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(self.wrong(i, "a string variable")),
        }
    }

    /// Argument `i` as an object reference, possibly nil.
    pub fn obj(&self, i: usize) -> Result<Option<Obj>, HocError> {
        match self.get(i)? {
            Value::Obj(o) => Ok(o.clone()),
            _ => Err(self.wrong(i, "an object")),
        }
    }

    /// Argument `i` as an object that is not nil.
    pub fn object(&self, i: usize) -> Result<Obj, HocError> {
        self.obj(i)?.ok_or_else(|| {
            HocError::msg(format!("{}: argument {} is NULLobject", self.name, i + 1))
        })
    }

    /// Argument `i` as a pointer (`&x`).
    pub fn ptr(&self, i: usize) -> Result<Ptr, HocError> {
        match self.get(i)? {
            Value::Ptr(p) => Ok(p.clone()),
            _ => Err(self.wrong(i, "a pointer (&var)")),
        }
    }

    /// Whether argument `i` exists and is a number.
    pub fn is_num(&self, i: usize) -> bool {
        matches!(self.vals.get(i), Some(Value::Num(_)))
    }

    /// Whether argument `i` exists and is a string.
    pub fn is_str(&self, i: usize) -> bool {
        matches!(self.vals.get(i), Some(Value::Str(_)))
    }

    /// Whether argument `i` exists and is an object reference.
    pub fn is_obj(&self, i: usize) -> bool {
        matches!(self.vals.get(i), Some(Value::Obj(_)))
    }

    /// Whether argument `i` exists and is a pointer.
    pub fn is_ptr(&self, i: usize) -> bool {
        matches!(self.vals.get(i), Some(Value::Ptr(_)))
    }
}
