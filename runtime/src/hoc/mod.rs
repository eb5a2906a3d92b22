//! The HOC virtual machine: values and objects, the compiler from syntax
//! trees to resolved code, the executor, and the interpreter API.
pub mod class;
pub mod code;
pub mod compile;
pub mod error;
pub mod exec;
pub mod interp;
pub mod symbols;
pub mod template;
pub mod value;

pub use class::{Args, ClassBuilder, Property};
pub use error::{ErrorData, ErrorKind, HocError};
pub use interp::Interpreter;
pub use value::{Obj, Object, Ptr, StrRef, Value};
