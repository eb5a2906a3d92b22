//! The HOC virtual machine: values and objects, the compiler from syntax
//! trees to resolved code, the executor, and the interpreter API.
pub mod class;
pub mod code;
pub mod compile;
mod compile_section;
pub mod error;
pub mod exec;
mod exec_args;
mod exec_call;
mod exec_member;
mod exec_section;
mod exec_vars;
pub mod interp;
pub mod section;
pub mod symbols;
pub mod template;
pub mod value;

pub use class::{Args, ClassBuilder, Property};
pub use error::{ErrorData, ErrorKind, HocError};
pub use interp::Interpreter;
pub use section::{RangeKind, RangeSym, SecArray, SecHandle, SectionHost};
pub use value::{Obj, Object, Ptr, StrRef, Value};
