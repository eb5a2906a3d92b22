//! HOC templates (`begintemplate ... endtemplate`): the member table a
//! template builds while its body is read, and the per-object fields.

use super::code::ProcDef;
use super::symbols::Sym;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A field of a template instance: the same storage kinds as a global symbol.
pub type Field = Sym;

/// What a template member is.
#[derive(Clone)]
pub enum MemberKind {
    /// A data member; instances get fresh storage shaped like this prototype.
    Data(Sym),
    /// A proc, func, obfunc or iterator (not yet defined while `None`).
    Code(Option<Rc<ProcDef>>),
}

/// A member of a template.
#[derive(Clone)]
pub struct Member {
    /// Its name.
    pub name: Rc<str>,
    /// What it is.
    pub kind: MemberKind,
}

/// A template: its members in declaration order, which are public, which
/// global names it imports.
pub struct Template {
    /// The template's name.
    pub name: Rc<str>,
    /// Members, indexed by their position.
    pub members: RefCell<Vec<Member>>,
    /// Member index by name.
    pub index: RefCell<HashMap<Rc<str>, usize>>,
    /// Names declared `public`.
    pub public: RefCell<Vec<Rc<str>>>,
    /// Names declared `external`.
    pub external: RefCell<Vec<Rc<str>>>,
    /// Names created as sections in the body.
    pub sections: RefCell<Vec<Rc<str>>>,
}

impl Template {
    /// An empty template.
    pub fn new(name: &str) -> Rc<Template> {
        Rc::new(Template {
            name: name.into(),
            members: RefCell::new(Vec::new()),
            index: RefCell::new(HashMap::new()),
            public: RefCell::new(Vec::new()),
            external: RefCell::new(Vec::new()),
            sections: RefCell::new(Vec::new()),
        })
    }

    /// The index of member `name`, if any.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.index.borrow().get(name).copied()
    }

    /// The index of member `name`, adding it with `kind` when new.
    pub fn member(&self, name: &str, kind: MemberKind) -> usize {
        if let Some(i) = self.find(name) {
            return i;
        }
        let mut m = self.members.borrow_mut();
        let i = m.len();
        let name: Rc<str> = name.into();
        m.push(Member {
            name: name.clone(),
            kind,
        });
        self.index.borrow_mut().insert(name, i);
        i
    }

    /// Whether `name` was declared public.
    pub fn is_public(&self, name: &str) -> bool {
        self.public.borrow().iter().any(|p| &**p == name)
    }

    /// Whether `name` was declared external.
    pub fn is_external(&self, name: &str) -> bool {
        self.external.borrow().iter().any(|p| &**p == name)
    }

    /// Fresh fields for a new instance.
    pub fn new_fields(&self) -> Vec<Field> {
        self.members
            .borrow()
            .iter()
            .map(|m| match &m.kind {
                MemberKind::Data(proto) => proto.fresh_copy(),
                MemberKind::Code(_) => Sym::Undef,
            })
            .collect()
    }
}
