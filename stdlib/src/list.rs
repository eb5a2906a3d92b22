//! The HOC `List` class: an ordered list of object references.
//!
//! As in NEURON (`src/ivoc/oclist.cpp`):
//!
//! * `new List()` (or `new List(n)`, the number being ignored) makes an empty
//!   list that keeps its objects alive;
//! * `new List("Name")` makes a list of every instance of the class or
//!   template `Name`. Such a list is *live*: instances created later are
//!   appended and instances that are destroyed disappear from it, and it
//!   does not keep its objects alive. `new List("List")` holds the new list
//!   itself twice, exactly as NEURON's does;
//! * `append`, `prepend`, `insrt`, `remove` and `remove_all` return the new
//!   count; `append(NULLobject)` is ignored;
//! * the GUI methods (`browser`, `select`, `selected`, `select_action`,
//!   `accept_action`, `scroll_pos`) do nothing and return what NEURON
//!   returns without a display.

use nerve_runtime::hoc::value::{ClassInfo, Object};
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Value};
use std::rc::{Rc, Weak};

/// One element of a list: owned (ordinary lists) or watched (class lists).
enum Entry {
    Strong(Obj),
    Weak(Weak<Object>),
}

impl Entry {
    fn get(&self) -> Option<Obj> {
        match self {
            Entry::Strong(o) => Some(o.clone()),
            Entry::Weak(w) => w.upgrade(),
        }
    }

    fn is(&self, o: &Obj) -> bool {
        match self {
            Entry::Strong(x) => Rc::ptr_eq(x, o),
            Entry::Weak(w) => std::ptr::eq(w.as_ptr(), Rc::as_ptr(o)),
        }
    }
}

/// What a `new List("Name")` list watches.
struct ClassWatch {
    /// The class whose instances the list holds.
    class: Rc<ClassInfo>,
    /// Instances with an index below this one have been seen.
    seen: usize,
    /// The list is of its own class and has not yet added itself (twice).
    self_twice: bool,
}

/// The payload of a HOC `List` object.
#[derive(Default)]
pub struct HocList {
    items: Vec<Entry>,
    watch: Option<ClassWatch>,
}

impl HocList {
    /// Brings a class list up to date: drops destroyed instances and appends
    /// those created since the last look. `this` is the list's own object.
    fn sync(&mut self, this: &Obj) {
        let Some(w) = &mut self.watch else { return };
        self.items.retain(|e| e.get().is_some());
        let next = w.class.next_index.get();
        if next > w.seen {
            for o in w.class.live() {
                if o.index >= w.seen {
                    self.items.push(Entry::Weak(Rc::downgrade(&o)));
                    if w.self_twice && Rc::ptr_eq(&o, this) {
                        self.items.push(Entry::Weak(Rc::downgrade(&o)));
                    }
                }
            }
            w.seen = next;
            w.self_twice = false;
        }
    }

    fn entry(&self, o: Obj) -> Entry {
        if self.watch.is_some() {
            Entry::Weak(Rc::downgrade(&o))
        } else {
            Entry::Strong(o)
        }
    }

    /// The number of objects (of an up-to-date list).
    fn count(&self) -> usize {
        self.items.len()
    }

    fn index_of(&self, o: &Obj) -> Option<usize> {
        self.items.iter().position(|e| e.is(o))
    }
}

/// NEURON's `chkarg(i, low, high)`: argument `i` (0-based) as a number that
/// must lie in `[low, high]` (NaN passes, as in NEURON).
pub(crate) fn chkarg(args: &Args, i: usize, low: f64, high: f64) -> Result<f64, HocError> {
    let x = args.num(i)?;
    if x < low || x > high {
        return Err(HocError::msg(format!(
            "Arg out of range in user function: {} argument {} is {x}, must be in [{low}, {high}]",
            args.name(),
            i + 1
        )));
    }
    Ok(x)
}

/// The list payload of `this`, brought up to date, mutably borrowed.
fn synced(this: &Obj) -> Result<std::cell::RefMut<'_, HocList>, HocError> {
    let mut l = this.native_mut::<HocList>()?;
    l.sync(this);
    Ok(l)
}

fn count_value(l: &HocList) -> Value {
    Value::Num(l.count() as f64)
}

/// The objects of a `List` object, in order.
pub fn list_items(list: &Obj) -> Result<Vec<Obj>, HocError> {
    let l = synced(list)?;
    Ok(l.items.iter().filter_map(Entry::get).collect())
}

/// Appends `item` to a `List` object (as `list.append(item)`).
pub fn list_append(list: &Obj, item: Obj) -> Result<(), HocError> {
    let mut l = synced(list)?;
    let e = l.entry(item);
    l.items.push(e);
    Ok(())
}

/// Where an ordinary list (one that keeps its objects alive) holds `item`;
/// `None` for a class list (`new List("Name")`) or a non-list.
pub(crate) fn owned_index(list: &Obj, item: &Obj) -> Option<Vec<usize>> {
    let l = list.native::<HocList>().ok()?;
    if l.watch.is_some() {
        return None;
    }
    Some(
        (0..l.items.len())
            .filter(|&i| l.items[i].is(item))
            .collect(),
    )
}

/// Creates a new ordinary `List` holding `items`.
pub fn new_list(interp: &mut Interpreter, items: Vec<Obj>) -> Result<Obj, HocError> {
    let list = interp.new_object("List", Vec::new())?;
    list.native_mut::<HocList>()?.items = items.into_iter().map(Entry::Strong).collect();
    Ok(list)
}

fn construct(interp: &mut Interpreter, args: &mut Args) -> Result<HocList, HocError> {
    if args.is_empty() {
        return Ok(HocList::default());
    }
    if !args.is_str(0) {
        chkarg(args, 0, 0.0, 1e8)?;
        return Ok(HocList::default());
    }
    let name = args.str(0)?;
    let class = interp
        .class(&name)
        .ok_or_else(|| HocError::msg(format!("{name} is not a template name")))?;
    let own = interp.class("List").is_some_and(|c| Rc::ptr_eq(&c, &class));
    let items = class
        .live()
        .iter()
        .map(|o| Entry::Weak(Rc::downgrade(o)))
        .collect();
    let seen = class.next_index.get();
    Ok(HocList {
        items,
        watch: Some(ClassWatch {
            class,
            seen,
            self_twice: own,
        }),
    })
}

/// Registers the `List` class.
pub fn register(interp: &mut Interpreter) {
    ClassBuilder::<HocList>::new("List", construct)
        .method("append", |_, this, args| {
            let ob = args.obj(0)?;
            let mut l = synced(this)?;
            if let Some(ob) = ob {
                let e = l.entry(ob);
                l.items.push(e);
            }
            Ok(count_value(&l))
        })
        .method("prepend", |_, this, args| {
            let ob = args.obj(0)?;
            let mut l = synced(this)?;
            if let Some(ob) = ob {
                let e = l.entry(ob);
                l.items.insert(0, e);
            }
            Ok(count_value(&l))
        })
        .method("insrt", |_, this, args| {
            let mut l = synced(this)?;
            let i = chkarg(args, 0, 0.0, l.count() as f64)? as usize;
            if let Some(ob) = args.obj(1)? {
                let e = l.entry(ob);
                let at = i.min(l.count());
                l.items.insert(at, e);
            }
            Ok(count_value(&l))
        })
        .method("remove", |i, this, args| {
            let removed;
            let n = {
                let mut l = synced(this)?;
                let i = chkarg(args, 0, 0.0, l.count() as f64 - 1.0)? as usize;
                if i >= l.count() {
                    return Err(HocError::msg("remove: the list is empty"));
                }
                removed = l.items.remove(i);
                l.count()
            };
            // The object may be destroyed here; the list is no longer borrowed.
            if let Entry::Strong(o) = removed {
                i.release(o)?;
            }
            Ok(Value::Num(n as f64))
        })
        .method("remove_all", |i, this, _| {
            let removed = std::mem::take(&mut synced(this)?.items);
            for e in removed {
                if let Entry::Strong(o) = e {
                    i.release(o)?;
                }
            }
            Ok(Value::Num(0.0))
        })
        .method("index", |_, this, args| {
            let ob = args.obj(0)?;
            let l = synced(this)?;
            let i = ob.and_then(|o| l.index_of(&o));
            Ok(Value::Num(i.map_or(-1.0, |i| i as f64)))
        })
        .method("count", |_, this, _| Ok(count_value(&*synced(this)?)))
        .method("object", object)
        .method("o", object)
        .method("browser", |_, _, _| Ok(Value::Num(1.0)))
        .method("select", |_, _, _| Ok(Value::Num(1.0)))
        .method("selected", |_, _, _| Ok(Value::Num(-1.0)))
        .method("select_action", |_, _, _| Ok(Value::Num(1.0)))
        .method("accept_action", |_, _, _| Ok(Value::Num(1.0)))
        .method("scroll_pos", |_, _, _| Ok(Value::Num(-1.0)))
        .register(interp);
}

/// `list.object(i)` / `list.o(i)`.
fn object(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let l = synced(this)?;
    let i = chkarg(args, 0, 0.0, l.count() as f64 - 1.0)? as usize;
    let o =
        l.items.get(i).and_then(Entry::get).ok_or_else(|| {
            HocError::msg(format!("{}.object({i}): the list is empty", this.name()))
        })?;
    Ok(Value::Obj(Some(o)))
}

/// Helpers shared by the unit tests of the stdlib classes.
#[cfg(test)]
pub(crate) mod testutil {
    use nerve_runtime::hoc::Interpreter;
    use std::{cell::RefCell, io::Write, rc::Rc};

    /// Collects an interpreter's output.
    pub struct Sink(pub Rc<RefCell<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// An interpreter with the stdlib installed and its captured output.
    pub fn interp() -> (Interpreter, Rc<RefCell<Vec<u8>>>) {
        let buf = Rc::new(RefCell::new(Vec::new()));
        let mut interp = Interpreter::with_output(Box::new(Sink(buf.clone())));
        crate::install(&mut interp);
        (interp, buf)
    }

    /// Runs `src`, panicking on error, and returns the interpreter and its output.
    pub fn run(src: &str) -> (Interpreter, String) {
        let (mut i, buf) = interp();
        if let Err(e) = i.run_source("test", src) {
            panic!("{}", e.render());
        }
        i.flush();
        let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
        (i, out)
    }

    /// Runs `src`, which must fail; returns the error message and the output.
    pub fn run_err(src: &str) -> (String, String) {
        let (mut i, buf) = interp();
        let e = match i.run_source("test", src) {
            Ok(()) => panic!("expected an error from {src:?}"),
            Err(e) => e.message.clone(),
        };
        i.flush();
        let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
        (e, out)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::{run, run_err};

    #[test]
    fn basic_methods_return_counts() {
        let (_, out) = run(
            "objref l, w\nl = new List()\nw = new List()\nl.append(w)\nl.append(w)\n\
             l.count\nl.prepend(w)\nl.insrt(0,w)\nl.remove(0)\nl.remove_all()\nl.index(w)\n\
             l.browser()\nl.select(0)\nl.selected()\nl.scroll_pos()\nl.accept_action(\"\")\n\
             l.select_action(\"\")\n",
        );
        assert_eq!(
            out,
            "\t1 \n\t2 \n\t2 \n\t3 \n\t4 \n\t3 \n\t0 \n\t-1 \n\t1 \n\t1 \n\t-1 \n\t-1 \n\t1 \n\t1 \n"
        );
    }

    #[test]
    fn order_index_object() {
        let (i, _) = run("objref l, a, b, c, o\nl = new List()\na = new List()\nb = new List()\n\
             c = new List()\n{l.append(a) l.append(b) l.prepend(c) l.insrt(1, a)}\n\
             n = l.count()\nia = l.index(a)\nib = l.index(b)\no = l.object(3)\nsame = l.index(o) == 3\n\
             {l.remove(0)}\nic = l.index(c)\nn2 = l.count\n");
        assert_eq!(i.get_num("n"), Some(4.0));
        assert_eq!(i.get_num("ia"), Some(1.0));
        assert_eq!(i.get_num("ib"), Some(3.0));
        assert_eq!(i.get_num("same"), Some(1.0));
        assert_eq!(i.get_num("ic"), Some(-1.0));
        assert_eq!(i.get_num("n2"), Some(3.0));
    }

    #[test]
    fn nil_is_ignored() {
        let (i, _) = run("objref l, nil\nl = new List()\nn = l.append(nil)\nk = l.index(nil)\n");
        assert_eq!(i.get_num("n"), Some(0.0));
        assert_eq!(i.get_num("k"), Some(-1.0));
    }

    #[test]
    fn list_keeps_objects_alive() {
        let (i, _) = run(
            "objref l, tl\nl = new List()\ntl = new List()\n{l.append(tl)}\nobjref tl\n\
             objref all\nall = new List(\"List\")\nn = all.count()\n",
        );
        // l, the appended list, and `all` twice (as NEURON).
        assert_eq!(i.get_num("n"), Some(4.0));
    }

    #[test]
    fn class_list_is_live() {
        let (_, out) = run(
            "objref a, b, c\na = new List(\"List\")\na.count\na.object(0)\n\
             a.object(1)\nb = new List(\"List\")\na.count\na.object(2)\nobjref b\na.count\n\
             c = new List(5)\na.count\n",
        );
        assert_eq!(
            out,
            "\t2 \n\tList[0] \n\tList[0] \n\t3 \n\tList[1] \n\t2 \n\t3 \n"
        );
    }

    #[test]
    fn class_list_of_templates() {
        let (i, _) = run("begintemplate Item\npublic val\nproc init() { val = $1 }\n\
             endtemplate Item\nobjref l, s, keep\nl = new List()\n\
             for i = 1, 4 l.append(new Item(i*i))\nkeep = new Item(0)\ns = new List(\"Item\")\n\
             n = s.count()\nobjref keep\nn2 = s.count()\n{l.remove_all()}\nn3 = s.count()\n");
        assert_eq!(i.get_num("n"), Some(5.0));
        assert_eq!(i.get_num("n2"), Some(4.0));
        assert_eq!(i.get_num("n3"), Some(0.0));
    }

    #[test]
    fn errors() {
        let (e, _) = run_err("objref l\nl = new List()\nl.object(0)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref l\nl = new List(\"NoSuchThing\")\n");
        assert_eq!(e, "NoSuchThing is not a template name");
        let (e, _) = run_err("objref l\nl = new List()\nl.remove(0)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref l\nl = new List()\nl.insrt(2, l)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref l\nl = new List()\nl.append(1)\n");
        assert!(e.contains("must be an object"), "{e}");
    }

    #[test]
    fn self_reference_does_not_panic() {
        let (i, _) =
            run("objref l\nl = new List()\n{l.append(l)}\nn = l.index(l)\n{l.remove(0)}\n");
        assert_eq!(i.get_num("n"), Some(0.0));
    }
}
