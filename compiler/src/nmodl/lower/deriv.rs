//! Symbolic differentiation of IR expressions with respect to one variable
//! (a STATE's slot), with the small simplifier it needs: cnexp takes the
//! linear coefficient of an equation, KINETIC the partial derivatives of
//! reaction fluxes (the terms nocmodl puts into the sparse matrix).

use super::super::ir::*;
use super::build::*;
use super::visit_expr;

/// Whether `e` reads `x`.
pub(crate) fn depends(e: &Expr, x: &Var) -> bool {
    let mut found = false;
    visit_expr(e, &mut |e| {
        if let Expr::Load(v) = e {
            if v == x {
                found = true;
            }
        }
    });
    found
}

/// `e` with every load of `x` replaced by `with`.
pub(crate) fn subst(e: &Expr, x: &Var, with: &Expr) -> Expr {
    let s = |a: &Expr| Box::new(subst(a, x, with));
    match e {
        Expr::Load(v) if v == x => with.clone(),
        Expr::Num(_) | Expr::Load(_) => e.clone(),
        Expr::Un(op, a) => Expr::Un(*op, s(a)),
        Expr::Bin(op, a, b) => Expr::Bin(*op, s(a), s(b)),
        Expr::Select(c, a, b) => Expr::Select(s(c), s(a), s(b)),
        Expr::Math(f, args) => Expr::Math(*f, args.iter().map(|a| subst(a, x, with)).collect()),
        Expr::Call(f, args) => Expr::Call(*f, args.iter().map(|a| subst(a, x, with)).collect()),
        Expr::Host(f, args) => Expr::Host(*f, args.iter().map(|a| subst(a, x, with)).collect()),
    }
}

fn is_num(e: &Expr, x: f64) -> bool {
    matches!(e, Expr::Num(v) if *v == x)
}

/// Folds constants and drops `0 +`, `* 1`, `* 0`, ... (only identities that
/// hold for every finite value).
pub(crate) fn simplify(e: &Expr) -> Expr {
    match e {
        Expr::Un(UnOp::Neg, a) => match simplify(a) {
            Expr::Num(v) => num(-v),
            Expr::Un(UnOp::Neg, b) => *b,
            a => neg(a),
        },
        Expr::Un(op, a) => Expr::Un(*op, Box::new(simplify(a))),
        Expr::Bin(op, a, b) => {
            let (a, b) = (simplify(a), simplify(b));
            if let (Expr::Num(x), Expr::Num(y)) = (&a, &b) {
                let (x, y) = (*x, *y);
                match op {
                    BinOp::Add => return num(x + y),
                    BinOp::Sub => return num(x - y),
                    BinOp::Mul => return num(x * y),
                    BinOp::Div if y != 0.0 => return num(x / y),
                    _ => {}
                }
            }
            match op {
                BinOp::Add if is_num(&a, 0.0) => b,
                BinOp::Add | BinOp::Sub if is_num(&b, 0.0) => a,
                BinOp::Sub if is_num(&a, 0.0) => simplify(&neg(b)),
                BinOp::Mul if is_num(&a, 0.0) || is_num(&b, 0.0) => num(0.0),
                BinOp::Mul if is_num(&a, 1.0) => b,
                BinOp::Mul | BinOp::Div if is_num(&b, 1.0) => a,
                BinOp::Div if is_num(&a, 0.0) => num(0.0),
                _ => bin(*op, a, b),
            }
        }
        Expr::Select(c, a, b) => Expr::Select(
            Box::new(simplify(c)),
            Box::new(simplify(a)),
            Box::new(simplify(b)),
        ),
        Expr::Math(f, args) => Expr::Math(*f, args.iter().map(simplify).collect()),
        Expr::Call(f, args) => Expr::Call(*f, args.iter().map(simplify).collect()),
        Expr::Host(f, args) => Expr::Host(*f, args.iter().map(simplify).collect()),
        Expr::Num(_) | Expr::Load(_) => e.clone(),
    }
}

/// d e / d x, or `None` when `e` depends on `x` in a way that cannot be
/// differentiated (a FUNCTION call or a comparison of `x`).
pub(crate) fn diff(e: &Expr, x: &Var) -> Option<Expr> {
    if !depends(e, x) {
        return Some(num(0.0));
    }
    Some(match e {
        Expr::Num(_) => num(0.0),
        Expr::Load(v) => num(if v == x { 1.0 } else { 0.0 }),
        Expr::Un(UnOp::Neg, a) => neg(diff(a, x)?),
        Expr::Un(UnOp::Not, _) => return None,
        Expr::Bin(op, a, b) => {
            let (a, b) = (a.as_ref().clone(), b.as_ref().clone());
            match op {
                BinOp::Add => add(diff(&a, x)?, diff(&b, x)?),
                BinOp::Sub => sub(diff(&a, x)?, diff(&b, x)?),
                BinOp::Mul => add(mul(diff(&a, x)?, b.clone()), mul(a.clone(), diff(&b, x)?)),
                BinOp::Div => {
                    if depends(&b, x) {
                        div(
                            sub(mul(diff(&a, x)?, b.clone()), mul(a.clone(), diff(&b, x)?)),
                            mul(b.clone(), b),
                        )
                    } else {
                        div(diff(&a, x)?, b)
                    }
                }
                BinOp::Pow => pow_diff(a, b, x)?,
                _ => return None,
            }
        }
        Expr::Select(c, a, b) => {
            if depends(c, x) {
                return None;
            }
            Expr::Select(c.clone(), Box::new(diff(a, x)?), Box::new(diff(b, x)?))
        }
        Expr::Math(f, args) => {
            let a = args.first()?.clone();
            let da = || diff(&a, x);
            match f {
                MathFn::Exp => mul(math(MathFn::Exp, vec![a.clone()]), da()?),
                MathFn::Log => div(da()?, a),
                MathFn::Log10 => div(da()?, mul(a, num(std::f64::consts::LN_10))),
                MathFn::Sqrt => div(da()?, mul(num(2.0), math(MathFn::Sqrt, vec![a]))),
                MathFn::Sin => mul(math(MathFn::Cos, vec![a.clone()]), da()?),
                MathFn::Cos => neg(mul(math(MathFn::Sin, vec![a.clone()]), da()?)),
                MathFn::Sinh => mul(math(MathFn::Cosh, vec![a.clone()]), da()?),
                MathFn::Cosh => mul(math(MathFn::Sinh, vec![a.clone()]), da()?),
                MathFn::Tanh => {
                    let t = math(MathFn::Tanh, vec![a.clone()]);
                    mul(sub(num(1.0), mul(t.clone(), t)), da()?)
                }
                MathFn::Fabs => Expr::Select(
                    Box::new(bin(BinOp::Lt, a.clone(), num(0.0))),
                    Box::new(neg(da()?)),
                    Box::new(da()?),
                ),
                MathFn::Pow if args.len() == 2 => pow_diff(a, args[1].clone(), x)?,
                _ => return None,
            }
        }
        Expr::Call(..) | Expr::Host(..) => return None,
    })
}

/// d(a^b)/dx.
fn pow_diff(a: Expr, b: Expr, x: &Var) -> Option<Expr> {
    let p = |a: Expr, b: Expr| bin(BinOp::Pow, a, b);
    if !depends(&b, x) {
        // b * a^(b-1) * a'
        let b1 = simplify(&sub(b.clone(), num(1.0)));
        Some(mul(mul(b, p(a.clone(), b1)), diff(&a, x)?))
    } else {
        // a^b * (b' ln a + b a'/a)
        let lna = math(MathFn::Log, vec![a.clone()]);
        Some(mul(
            p(a.clone(), b.clone()),
            add(mul(diff(&b, x)?, lna), div(mul(b, diff(&a, x)?), a)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_coefficient() {
        let x = Var::Slot(3, None);
        let tau = Var::Slot(4, None);
        // (minf - x)/tau
        let e = div(sub(load(&Var::Global(0, None)), load(&x)), load(&tau));
        let a = simplify(&diff(&e, &x).unwrap());
        assert_eq!(a, div(num(-1.0), load(&tau)));
        let b = simplify(&subst(&e, &x, &num(0.0)));
        assert_eq!(b, div(load(&Var::Global(0, None)), load(&tau)));
    }
}
