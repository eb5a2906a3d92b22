//! The `SectionList` and `SectionRef` classes.

use super::{cas, host, merr, model, NrnHost};
use nerve_runtime::hoc::{ClassBuilder, HocError, Interpreter, Obj, SecHandle, SectionHost, Value};
use nerve_runtime::model::{Model, SectionId};

/// A `SectionList`'s payload: sections in the order appended.
#[derive(Default)]
pub struct SectionListData(pub Vec<SecHandle>);

/// A `SectionRef`'s payload: the section accessed when it was made.
pub struct SectionRefData(pub SecHandle);

/// The sections of a `SectionList` object (for `forsec list`).
pub(crate) fn list_sections(o: &Obj) -> Option<Vec<SecHandle>> {
    if !o.is("SectionList") {
        return None;
    }
    o.native::<SectionListData>().ok().map(|l| l.0.clone())
}

/// `s` and the sections below it, depth first, children in model order.
fn subtree(m: &Model, s: SectionId, out: &mut Vec<SectionId>) -> Result<(), HocError> {
    out.push(s);
    for &c in m.children(s).map_err(merr)? {
        subtree(m, c, out)?;
    }
    Ok(())
}

/// `sr.sec`, `sr.parent`, `sr.trueparent`, `sr.root`, `sr.child[i]`.
pub(crate) fn sectionref_section(
    h: &NrnHost,
    o: &Obj,
    name: &str,
    index: Option<usize>,
) -> Option<Result<SecHandle, HocError>> {
    if !o.is("SectionRef") {
        return None;
    }
    let s = match o.native::<SectionRefData>() {
        Ok(r) => r.0,
        Err(e) => return Some(Err(e)),
    };
    let r = (|| {
        let id = h.id(s)?;
        let m = h
            .model
            .try_borrow()
            .map_err(|_| HocError::msg("internal: the model is in use"))?;
        if !m.section_exists(id) {
            return Err(HocError::msg("SectionRef: Accessing a deleted section"));
        }
        let found = match name {
            "sec" => Some(id),
            "parent" | "trueparent" => m.parent(id).map_err(merr)?.map(|p| p.0),
            "root" => Some(m.root_of(id).map_err(merr)?),
            "child" => m
                .children(id)
                .map_err(merr)?
                .get(index.unwrap_or(0))
                .copied(),
            _ => return Err(HocError::msg(format!("SectionRef has no section {name}"))),
        };
        let found = found.ok_or_else(|| {
            HocError::msg(format!(
                "SectionRef: {} has no {name}",
                m.name(id).unwrap_or("?")
            ))
        })?;
        drop(m);
        Ok(h.handle(found))
    })();
    Some(r)
}

fn bool_value(b: bool) -> Value {
    Value::Num(if b { 1.0 } else { 0.0 })
}

/// Registers `SectionList` and `SectionRef`.
pub fn register(interp: &mut Interpreter) {
    // `sr.sec { }` parses as a section reference. `parent`, `trueparent`,
    // `root` and `child` are not registered: after a dot they would stop
    // `obj.parent = x` from parsing for every object (the parser cannot ask
    // the object's class); the host still answers them.
    for name in ["sec", "parent", "trueparent", "root", "child"] {
        interp.add_section_name(name);
    }
    ClassBuilder::new("SectionList", |_, a| {
        a.expect_count(0, 0)?;
        Ok(SectionListData::default())
    })
    .method("append", |i, o, a| {
        a.expect_count(0, 0)?;
        let s = i.current_section()?;
        o.native_mut::<SectionListData>()?.0.push(s);
        Ok(Value::Num(1.0))
    })
    .method("remove", |i, o, a| {
        a.expect_count(0, 1)?;
        let gone: Vec<SecHandle> = if a.is_empty() {
            vec![i.current_section()?]
        } else {
            let other = a.object(0)?;
            list_sections(&other).ok_or_else(|| {
                HocError::msg("SectionList.remove: the argument is not a SectionList")
            })?
        };
        let mut l = o.native_mut::<SectionListData>()?;
        let before = l.0.len();
        l.0.retain(|s| !gone.contains(s));
        Ok(Value::Num((before - l.0.len()) as f64))
    })
    .method("children", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let kids: Vec<SectionId> = model(&h)?.children(s).map_err(merr)?.to_vec();
        let mut l = o.native_mut::<SectionListData>()?;
        l.0.extend(kids.into_iter().map(|k| h.handle(k)));
        Ok(Value::Num(1.0))
    })
    .method("subtree", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let mut ids = Vec::new();
        subtree(&*model(&h)?, s, &mut ids)?;
        o.native_mut::<SectionListData>()?
            .0
            .extend(ids.into_iter().map(|k| h.handle(k)));
        Ok(Value::Num(1.0))
    })
    .method("wholetree", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let mut ids = Vec::new();
        {
            let m = model(&h)?;
            let r = m.root_of(s).map_err(merr)?;
            subtree(&m, r, &mut ids)?;
        }
        o.native_mut::<SectionListData>()?
            .0
            .extend(ids.into_iter().map(|k| h.handle(k)));
        Ok(Value::Num(1.0))
    })
    .method("allroots", |i, o, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        let mut roots = Vec::new();
        {
            let m = model(&h)?;
            for s in m.sections() {
                if m.parent(s).map_err(merr)?.is_none() {
                    roots.push(s);
                }
            }
        }
        o.native_mut::<SectionListData>()?
            .0
            .extend(roots.into_iter().map(|k| h.handle(k)));
        Ok(Value::Num(1.0))
    })
    .method("unique", |_, o, a| {
        a.expect_count(0, 0)?;
        let mut l = o.native_mut::<SectionListData>()?;
        let before = l.0.len();
        let mut seen = std::collections::HashSet::new();
        l.0.retain(|s| seen.insert(*s));
        Ok(Value::Num((before - l.0.len()) as f64))
    })
    .method("contains", |i, o, a| {
        a.expect_count(0, 0)?;
        let s = i.current_section()?;
        Ok(bool_value(o.native::<SectionListData>()?.0.contains(&s)))
    })
    .method("printnames", |i, o, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        let list = o.native::<SectionListData>()?.0.clone();
        let mut text = String::new();
        for s in list {
            if h.exists(s) {
                text.push_str(&h.name(s)?);
                text.push('\n');
            }
        }
        i.write_out(&text)?;
        Ok(Value::Num(1.0))
    })
    .register(interp);

    ClassBuilder::new("SectionRef", |i, a| {
        a.expect_count(0, 0)?;
        Ok(SectionRefData(i.current_section()?))
    })
    .method("nchild", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, id) = ref_id(i, o)?;
        let r = model(&h)?.children(id).map_err(merr)?.len() as f64;
        Ok(Value::Num(r))
    })
    .method("has_parent", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, id) = ref_id(i, o)?;
        let r = model(&h)?.parent(id).map_err(merr)?.is_some();
        Ok(bool_value(r))
    })
    .method("has_trueparent", |i, o, a| {
        a.expect_count(0, 0)?;
        let (h, id) = ref_id(i, o)?;
        let r = model(&h)?.parent(id).map_err(merr)?.is_some();
        Ok(bool_value(r))
    })
    .method("exists", |i, o, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        Ok(bool_value(h.exists(o.native::<SectionRefData>()?.0)))
    })
    .method("is_cas", |i, o, a| {
        a.expect_count(0, 0)?;
        let s = o.native::<SectionRefData>()?.0;
        Ok(bool_value(i.current_section()? == s))
    })
    .register(interp);
}

fn ref_id(i: &mut Interpreter, o: &Obj) -> Result<(std::rc::Rc<NrnHost>, SectionId), HocError> {
    let h = host(i)?;
    let s = o.native::<SectionRefData>()?.0;
    if !h.exists(s) {
        return Err(HocError::msg("SectionRef: Accessing a deleted section"));
    }
    let id = h.id(s)?;
    Ok((h, id))
}
