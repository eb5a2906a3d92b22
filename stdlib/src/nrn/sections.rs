//! Section built-ins working on the currently accessed section: names,
//! `topology()`, `psection()`, `area`, `ri`, `distance`, the connection
//! queries, and the section stack functions.

use super::{cas, host, merr, model, NrnHost};
use nerve_runtime::hoc::{HocError, Interpreter, Obj, SecHandle, SectionHost, Value};
use nerve_runtime::model::{Model, SectionId};

/// The cell (template object) a section belongs to (NEURON's
/// `nrn_sec2cell`); `None` for a section made outside any object.
pub(crate) fn section_cell(
    interp: &mut Interpreter,
    s: SectionId,
) -> Result<Option<Obj>, HocError> {
    let h = host(interp)?;
    let name = model(&h)?.name(s).map_err(merr)?.to_string();
    Ok(object_named(interp, &name))
}

/// The object a section name starts with (`PCell[2]` of `PCell[2].soma`).
fn object_named(interp: &Interpreter, section: &str) -> Option<Obj> {
    let (obj, _) = section.split_once('.')?;
    let (class, rest) = obj.split_once('[')?;
    let index: usize = rest.strip_suffix(']')?.parse().ok()?;
    interp
        .class(class)?
        .live()
        .into_iter()
        .find(|o| o.index == index)
}

/// The origin of `distance()`: a section and a position on it.
#[derive(Default)]
struct DistanceOrigin(Option<(SectionId, f64)>);

/// The points from `(s, x)` up to the root: `(section, position)` pairs
/// with the path length from `(s, x)` to each.
fn path_to_root(
    m: &mut Model,
    s: SectionId,
    x: f64,
) -> Result<Vec<(SectionId, f64, f64)>, HocError> {
    let mut out = vec![(s, x, 0.0)];
    let (mut cur, mut cx, mut d) = (s, x, 0.0);
    for _ in 0..=m.section_count() {
        let Some((p, px)) = m.parent(cur).map_err(merr)? else {
            break;
        };
        d += (cx - m.orientation(cur).map_err(merr)?).abs() * m.length(cur).map_err(merr)?;
        out.push((p, px, d));
        cur = p;
        cx = px;
    }
    Ok(out)
}

/// Path length between two points of the same tree [µm] (1e20 across trees).
fn path_distance(m: &mut Model, a: (SectionId, f64), b: (SectionId, f64)) -> Result<f64, HocError> {
    let pa = path_to_root(m, a.0, a.1)?;
    let pb = path_to_root(m, b.0, b.1)?;
    for &(sa, xa, da) in &pa {
        if let Some(&(_, xb, db)) = pb.iter().find(|p| p.0 == sa) {
            return Ok(da + db + (xa - xb).abs() * m.length(sa).map_err(merr)?);
        }
    }
    Ok(1e20)
}

fn num_or_half(a: &nerve_runtime::hoc::Args, i: usize) -> Result<f64, HocError> {
    a.num_or(i, 0.5)
}

/// A section handle by name (for `push_section("name")`).
fn find_by_name(h: &NrnHost, name: &str) -> Option<SecHandle> {
    h.all()
        .into_iter()
        .find(|s| h.name(*s).is_ok_and(|n| n == name))
}

/// Registers the section built-ins.
pub fn register(interp: &mut Interpreter) {
    interp.register_fn("topology", |i, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        let text = model(&h)?.topology_text().map_err(merr)?;
        i.write_out(&text)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("psection", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let text = model(&h)?.psection(s).map_err(merr)?.to_text();
        i.write_out(&text)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("secname", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let name = model(&h)?.name(s).map_err(merr)?.to_string();
        Ok(Value::str(name))
    });
    interp.register_fn("sectionname", |i, a| {
        a.expect_count(1, 1)?;
        let dst = a.str_ref(0)?;
        let (h, s) = cas(i)?;
        *dst.borrow_mut() = model(&h)?.name(s).map_err(merr)?.to_string();
        Ok(Value::Num(1.0))
    });
    interp.register_fn("area", |i, a| {
        a.expect_count(1, 1)?;
        let (h, s) = cas(i)?;
        let x = a.num(0)?;
        let r = model(&h)?.area(s, x).map_err(merr)?;
        Ok(Value::Num(r))
    });
    interp.register_fn("ri", |i, a| {
        a.expect_count(1, 1)?;
        let (h, s) = cas(i)?;
        let x = a.num(0)?;
        let r = model(&h)?.ri(s, x).map_err(merr)?;
        Ok(Value::Num(r))
    });
    interp.register_fn("distance", |i, a| {
        a.expect_count(0, 2)?;
        let (h, s) = cas(i)?;
        let (set_origin, x) = match a.len() {
            0 => (true, 0.0),
            1 => (false, a.num(0)?),
            _ => (a.num(0)? == 0.0, num_or_half(a, 1)?),
        };
        if set_origin {
            i.ext::<DistanceOrigin>().0 = Some((s, x));
            return Ok(Value::Num(0.0));
        }
        let origin = i.ext::<DistanceOrigin>().0;
        let mut m = model(&h)?;
        let origin = match origin {
            Some(o) if m.section_exists(o.0) => o,
            _ => {
                // NEURON's default origin: the 0 end of the root of the tree
                let r = m.root_of(s).map_err(merr)?;
                let o = m.orientation(r).map_err(merr)?;
                (r, o)
            }
        };
        Ok(Value::Num(path_distance(&mut m, origin, (s, x))?))
    });
    interp.register_fn("parent_connection", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let p = model(&h)?.parent(s).map_err(merr)?;
        Ok(Value::Num(p.map_or(0.0, |p| p.1)))
    });
    interp.register_fn("section_orientation", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let r = model(&h)?.orientation(s).map_err(merr)?;
        Ok(Value::Num(r))
    });
    interp.register_fn("issection", |i, a| {
        a.expect_count(1, 1)?;
        let pattern = a.str(0)?;
        let (h, s) = cas(i)?;
        let name = model(&h)?.name(s).map_err(merr)?.to_string();
        let hit = NrnHost::matches(&pattern, &name, true)?;
        Ok(Value::Num(if hit { 1.0 } else { 0.0 }))
    });
    interp.register_fn("ismembrane", |i, a| {
        a.expect_count(1, 1)?;
        let name = a.str(0)?;
        let (h, s) = cas(i)?;
        let m = model(&h)?;
        let hit = match m.mechanism_type(&name) {
            Some(t) => m.is_inserted(s, t).map_err(merr)?,
            None => false,
        };
        Ok(Value::Num(if hit { 1.0 } else { 0.0 }))
    });
    interp.register_fn("this_section", |i, a| {
        a.expect_count(0, 1)?;
        let s = i.current_section()?;
        Ok(Value::Num(s.0 as f64 + 1.0))
    });
    interp.register_fn("push_section", |i, a| {
        a.expect_count(1, 1)?;
        let h = host(i)?;
        let s = if a.is_str(0) {
            let name = a.str(0)?;
            find_by_name(&h, &name)
                .ok_or_else(|| HocError::msg(format!("push_section: no section named {name}")))?
        } else {
            let x = a.num(0)?;
            let s = SecHandle((x - 1.0).max(0.0) as u64);
            if x < 1.0 || !h.exists(s) {
                return Err(HocError::msg(
                    "push_section: the number is not a value of this_section()",
                ));
            }
            s
        };
        i.push_section(s);
        Ok(Value::Num(1.0))
    });
    interp.register_fn("pop_section", |i, a| {
        a.expect_count(0, 0)?;
        if i.pop_section().is_none() {
            return Err(HocError::msg("pop_section: the section stack is empty"));
        }
        Ok(Value::Num(1.0))
    });
    interp.register_fn("delete_section", |i, a| {
        a.expect_count(0, 0)?;
        let s = i.current_section()?;
        host(i)?.delete(s);
        Ok(Value::Num(1.0))
    });
    interp.register_fn("disconnect", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        model(&h)?.disconnect(s).map_err(merr)?;
        Ok(Value::Num(0.0))
    });
}
