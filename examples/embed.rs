//! Embedding nerve's HOC interpreter in a Rust program: run HOC source,
//! read and write its variables, and give it a native function and a
//! native class, through the same API the standard library uses.
//!
//! Run: `cargo run --example embed`

use nerve::{Args, ClassBuilder, HocError, Interpreter, Value};

/// A native class: an accumulator HOC code can create with `new Accum(start)`.
struct Accum {
    total: f64,
}

fn register_host_api(hoc: &mut Interpreter) {
    // A native function: hypot(x, y).
    hoc.register_fn("hypot", |_, a: &mut Args| {
        a.expect_count(2, 2)?;
        Ok(Value::Num(a.num(0)?.hypot(a.num(1)?)))
    });
    // A native class with a method and a property.
    ClassBuilder::new("Accum", |_, a: &mut Args| {
        Ok(Accum {
            total: a.num_or(0, 0.0)?,
        })
    })
    .method_mut("add", |acc: &mut Accum, a: &mut Args| {
        for i in 0..a.len() {
            acc.total += a.num(i)?;
        }
        Ok(Value::Num(acc.total))
    })
    .num_property(
        "total",
        |acc: &Accum| acc.total,
        |acc: &mut Accum, x| acc.total = x,
    )
    .register(hoc);
}

fn main() -> Result<(), HocError> {
    let mut hoc = nerve::interpreter();
    register_host_api(&mut hoc);
    hoc.set_num("scale", 2.0)?;
    hoc.run_source(
        "embedded",
        r#"
        objref acc
        acc = new Accum(1)
        {acc.add(2, 3) acc.add(hypot(3, 4) * scale)}
        {printf("total from HOC: %g\n", acc.total)}
        result = acc.total
        "#,
    )?;
    hoc.flush();
    println!(
        "result read from Rust: {}",
        hoc.get_num("result").unwrap_or(f64::NAN)
    );
    Ok(())
}
