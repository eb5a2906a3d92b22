//! `FUNCTION_TABLE` values given from HOC (NEURON's `hoc_spec_table`):
//! the table of a type lives after the type's declared globals, where its
//! kernels read it through the header the lowering declared (see
//! [`FunctionTableSpec`]). Giving a table again reuses its place when the
//! new one fits, else appends.
//!
//! NEURON keeps pointers into the HOC Vectors or arrays it was given, so
//! later changes to them show in the table; nerve copies the values when
//! the table is given.

use super::{MechTypeId, Model, ModelError, Result};
use crate::mechanism::FunctionTableSpec;

/// One axis of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum TableAxis {
    /// these argument values, increasing (one per grid point)
    Points(Vec<f64>),
    /// `n` points evenly from `min` to `max`
    Range {
        /// number of points (≥ 1)
        n: usize,
        /// the first point
        min: f64,
        /// the last point (≥ min)
        max: f64,
    },
}

impl TableAxis {
    /// Number of grid points.
    pub fn len(&self) -> usize {
        match self {
            TableAxis::Points(p) => p.len(),
            TableAxis::Range { n, .. } => *n,
        }
    }

    /// Whether the axis has no point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The values of a FUNCTION_TABLE over its axes (row order: the last axis
/// varies fastest). A constant is one value over axes of one point.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionTable {
    /// one value per grid point
    pub values: Vec<f64>,
    /// one axis per argument
    pub axes: Vec<TableAxis>,
}

impl FunctionTable {
    /// `table_f(c)`: the function is `c` everywhere.
    pub fn constant(c: f64, args: usize) -> Self {
        FunctionTable {
            values: vec![c],
            axes: vec![
                TableAxis::Range {
                    n: 1,
                    min: 1e20,
                    max: 1e20,
                };
                args
            ],
        }
    }

    /// Values and points, as stored after the globals.
    fn storage_len(&self) -> usize {
        let points: usize = self
            .axes
            .iter()
            .map(|a| match a {
                TableAxis::Points(p) => p.len(),
                TableAxis::Range { .. } => 0,
            })
            .sum();
        self.values.len() + points
    }
}

/// The storage a header at `h` of `args` axes describes (0 when the table
/// was never given): (offset, length).
fn stored(globals: &[f64], h: usize, args: usize) -> (usize, usize) {
    let off = globals[h] as usize;
    if off == 0 {
        return (0, 0);
    }
    let mut values = 1;
    let mut points = 0;
    for i in 0..args {
        let n = globals[h + 1 + 4 * i] as usize;
        values *= n;
        if globals[h + 4 + 4 * i] != 0.0 {
            points += n;
        }
    }
    (off, values + points)
}

impl Model {
    /// Gives FUNCTION_TABLE `name` of type `t` its values (HOC's
    /// `table_<name>_<suffix>`).
    pub fn set_function_table(
        &mut self,
        t: MechTypeId,
        name: &str,
        table: FunctionTable,
    ) -> Result<()> {
        let m = self
            .mech_types
            .get_mut(t.0 as usize)
            .ok_or(ModelError::UnknownMechanism)?;
        let Some(spec) = m.spec.function_tables.iter().find(|f| f.name == name) else {
            return Err(ModelError::BadFunctionTable(format!(
                "{} has no FUNCTION_TABLE {name}",
                m.spec.name
            )));
        };
        let (h, args) = (spec.header, spec.args);
        let size: usize = table.axes.iter().map(TableAxis::len).product();
        if table.axes.len() != args || size == 0 || size != table.values.len() {
            return Err(ModelError::BadFunctionTable(format!(
                "table_{name}_{}: {} values for axes of {:?} points",
                m.spec.name,
                table.values.len(),
                table.axes.iter().map(TableAxis::len).collect::<Vec<_>>()
            )));
        }
        let g = &mut m.globals;
        let (old, old_len) = stored(g, h, args);
        let need = table.storage_len();
        let mut at = if old != 0 && need <= old_len {
            old
        } else {
            let end = g.len();
            g.resize(end + need, 0.0);
            end
        };
        g[h] = at as f64;
        g[at..at + table.values.len()].copy_from_slice(&table.values);
        at += table.values.len();
        for (i, axis) in table.axes.iter().enumerate() {
            let a = h + 1 + 4 * i;
            g[a] = axis.len() as f64;
            match axis {
                TableAxis::Points(p) => {
                    g[a + 1] = p.first().copied().unwrap_or(0.0);
                    g[a + 2] = p.last().copied().unwrap_or(0.0);
                    g[a + 3] = at as f64;
                    g[at..at + p.len()].copy_from_slice(p);
                    at += p.len();
                }
                TableAxis::Range { min, max, .. } => {
                    g[a + 1] = *min;
                    g[a + 2] = *max;
                    g[a + 3] = 0.0;
                }
            }
        }
        Ok(())
    }

    /// Whether FUNCTION_TABLE `name` of type `t` has been given.
    pub fn function_table_given(&self, t: MechTypeId, name: &str) -> Result<bool> {
        let m = self
            .mech_types
            .get(t.0 as usize)
            .ok_or(ModelError::UnknownMechanism)?;
        Ok(m.spec
            .function_tables
            .iter()
            .find(|f| f.name == name)
            .is_some_and(|f| m.globals[f.header] != 0.0))
    }

    /// Before kernels run: every FUNCTION_TABLE they use, of a type with
    /// instances, has been given (NEURON stops with "table not specified in
    /// hoc_func_table" at the first lookup).
    pub(crate) fn check_function_tables(&self) -> Result<()> {
        for (t, m) in self.mech_types.iter().enumerate() {
            let missing = |f: &&FunctionTableSpec| f.used && m.globals[f.header] == 0.0;
            let Some(f) = m.spec.function_tables.iter().find(missing) else {
                continue;
            };
            let in_use = self
                .groups
                .iter()
                .chain([&self.loose])
                .any(|g| g.mechs.get(t).is_some_and(|mb| mb.count > 0));
            if in_use {
                return Err(ModelError::FunctionTableNotGiven {
                    mechanism: m.spec.name.clone(),
                    table: f.name.clone(),
                });
            }
        }
        Ok(())
    }
}
