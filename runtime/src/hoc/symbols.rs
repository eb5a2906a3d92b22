//! The storage a name can have: a global symbol, or a field of a template
//! instance. The VM resolves names to these at compile time and checks the
//! kind at run time, because HOC lets a name be redeclared.

use super::class::NativeFn;
use super::code::ProcDef;
use super::section::{RangeSym, SecArray};
use super::value::{ClassInfo, DoubleArray, Obj, StrRef};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Dimensions and elements of an array variable (row-major).
pub struct ArrayOf<T> {
    /// Size of each dimension.
    pub dims: Vec<usize>,
    /// The elements.
    pub data: T,
}

/// The storage of an objref variable (or array of them).
pub type ObjArray = Rc<ArrayOf<RefCell<Vec<Option<Obj>>>>>;

/// What a name is bound to.
#[derive(Clone, Default)]
pub enum Sym {
    /// Seen but never given a meaning.
    #[default]
    Undef,
    /// A scalar double.
    Num(Rc<Cell<f64>>),
    /// An array of doubles.
    Array(Rc<ArrayOf<DoubleArray>>),
    /// A string variable (`strdef`), or an array of them.
    Str(Rc<ArrayOf<Vec<StrRef>>>),
    /// An object reference (`objref`), or an array of them.
    Objs(ObjArray),
    /// A proc, func, obfunc or iterator.
    Proc(Rc<ProcDef>),
    /// A native function.
    Builtin(NativeFn),
    /// A class (template or native).
    Class(Rc<ClassInfo>),
    /// A section or an array of sections (`create`).
    Sections(Rc<SecArray>),
    /// A variable owned by the section host: a section property (`L`), a
    /// range variable (`v`), or a simulation global (`t`).
    Range(RangeSym),
    /// The name of a mechanism (`hh`, `pas`, `na_ion`): what `insert`
    /// takes; not a value.
    Mechanism,
}

impl Sym {
    /// A new scalar double.
    pub fn num(x: f64) -> Sym {
        Sym::Num(Rc::new(Cell::new(x)))
    }

    /// A new zeroed double array.
    pub fn array(dims: Vec<usize>) -> Sym {
        let n = dims.iter().product();
        Sym::Array(Rc::new(ArrayOf {
            dims,
            data: Rc::new(RefCell::new(vec![0.0; n])),
        }))
    }

    /// New empty strings.
    pub fn strings(dims: Vec<usize>) -> Sym {
        let n = dims.iter().product::<usize>();
        Sym::Str(Rc::new(ArrayOf {
            dims,
            data: (0..n)
                .map(|_| Rc::new(RefCell::new(String::new())))
                .collect(),
        }))
    }

    /// New nil object references.
    pub fn objrefs(dims: Vec<usize>) -> Sym {
        let n = dims.iter().product::<usize>();
        Sym::Objs(Rc::new(ArrayOf {
            dims,
            data: RefCell::new(vec![None; n]),
        }))
    }

    /// Fresh storage of the same shape (for a new template instance).
    pub fn fresh_copy(&self) -> Sym {
        match self {
            Sym::Num(_) => Sym::num(0.0),
            Sym::Array(a) => Sym::array(a.dims.clone()),
            Sym::Str(a) => Sym::strings(a.dims.clone()),
            Sym::Objs(a) => Sym::objrefs(a.dims.clone()),
            Sym::Sections(a) => Sym::Sections(Rc::new(SecArray::prototype(a.dims.clone()))),
            other => other.clone(),
        }
    }

    /// A word for the kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Sym::Undef => "undefined",
            Sym::Num(_) => "a variable",
            Sym::Array(_) => "an array",
            Sym::Str(_) => "a strdef",
            Sym::Objs(_) => "an objref",
            Sym::Proc(_) => "a procedure or function",
            Sym::Builtin(_) => "a built-in function",
            Sym::Class(_) => "a template",
            Sym::Sections(_) => "a section",
            Sym::Range(_) => "a section or range variable",
            Sym::Mechanism => "a mechanism",
        }
    }
}

/// A global symbol.
pub struct Symbol {
    /// The name.
    pub name: Rc<str>,
    /// What it is bound to.
    pub sym: Sym,
    /// Built-ins are visible inside templates; user globals are not.
    pub builtin: bool,
}
