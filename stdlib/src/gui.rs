//! NEURON's InterViews GUI as headless no-ops: the panel builders (`xpanel`,
//! `xbutton`, `xvalue`, ...), the dialogs, and the classes `Graph`, `Shape`,
//! `PlotShape`, `VBox`, `HBox`, `Deck`, `PWManager`, ... so that legacy
//! scripts that build windows run unchanged in batch.
//!
//! nerve has no display, so each call returns what NEURON 9.0.2 returns when
//! started without one (`DISPLAY` unset; measured, call by call): the panel
//! builders 0, the menus and `doNotify` 1, most Graph methods 1, `size` and
//! `view_count` 0, and so on. Arguments are accepted and ignored whatever
//! their number and type; nothing is drawn, no statement given to a button is
//! ever run, and dialogs answer as if dismissed.
//!
//! Where NEURON crashes headless (`Graph.getline`, `PWManager.name`,
//! `TextEditor.text`), nerve answers as an empty window would (-1, "").

use nerve_runtime::hoc::{Args, ClassBuilder, Interpreter, Value};

/// What a stub returns.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ret {
    /// The number 0.
    Zero,
    /// The number 1.
    One,
    /// The number -1 (nothing selected, no line, no window).
    MinusOne,
    /// `NULLobject`.
    Null,
    /// An empty string.
    Empty,
    /// The first argument, when it is a number (else 0): `intercept(flag)`,
    /// `priority(p)`.
    Arg,
}

impl Ret {
    fn value(self, args: &Args) -> Value {
        match self {
            Ret::Arg => Value::Num(if args.is_num(0) {
                args.num(0).unwrap_or(0.0)
            } else {
                0.0
            }),
            Ret::Zero => Value::Num(0.0),
            Ret::One => Value::Num(1.0),
            Ret::MinusOne => Value::Num(-1.0),
            Ret::Null => Value::Obj(None),
            Ret::Empty => Value::str(""),
        }
    }
}

use Ret::{Arg, Empty, MinusOne, Null, One, Zero};

/// Global GUI functions and their headless results.
const FUNCTIONS: &[(&str, Ret)] = &[
    // panels and their widgets
    ("xpanel", Zero),
    ("xbutton", Zero),
    ("xstatebutton", Zero),
    ("xcheckbox", Zero),
    ("xradiobutton", Zero),
    ("xmenu", Zero),
    ("xlabel", Zero),
    ("xvarlabel", Zero),
    ("xvalue", Zero),
    ("xpvalue", Zero),
    ("xfixedvalue", Zero),
    ("xslider", Zero),
    // dialogs: dismissed at once
    ("continue_dialog", One),
    ("boolean_dialog", Zero),
    ("string_dialog", Zero),
    // sessions and the window manager
    ("save_session", Zero),
    ("print_session", Zero),
    ("pwman_place", Zero),
    ("ivoc_style", One),
    // the event loop
    ("doNotify", One),
    ("doEvents", One),
    // built-in menus of sections, mechanisms and point processes
    ("nrnpointmenu", One),
    ("nrnsecmenu", One),
    ("nrnglobalmechmenu", One),
    ("nrnallsectionmenu", One),
    ("nrnallpointmenu", One),
    // the domain a value editor allows a variable
    ("variable_domain", One),
];

/// Methods every drawing (Graph, Shape, PlotShape) has.
const SCENE: &[(&str, Ret)] = &[
    ("begin", One),
    ("beginline", One),
    ("erase", One),
    ("erase_all", One),
    ("flush", One),
    ("label", One),
    ("line", One),
    ("mark", One),
    ("menu_action", One),
    ("menu_tool", One),
    ("printfile", One),
    ("save_name", One),
    ("view", One),
    ("exec_menu", Zero),
    ("gif", Zero),
    ("size", Zero),
    ("unmap", Zero),
    ("view_count", Zero),
];

const GRAPH: &[(&str, Ret)] = &[
    ("addexpr", One),
    ("addobject", One),
    ("addvar", One),
    ("align", One),
    ("brush", One),
    ("color", One),
    ("family", One),
    ("fastflush", One),
    ("fixed", One),
    ("plot", One),
    ("relative", One),
    ("simgraph", One),
    ("vector", One),
    ("vfixed", One),
    ("xaxis", One),
    ("xexpr", One),
    ("yaxis", One),
    ("crosshair_action", Zero),
    ("glyph", Zero),
    ("menu_remove", Zero),
    ("view_size", Zero),
    ("line_info", MinusOne),
    ("view_info", MinusOne),
    ("getline", MinusOne),
];

/// Methods Shape and PlotShape share beyond [`SCENE`].
const SHAPE_COMMON: &[(&str, Ret)] = &[
    ("show", One),
    ("color", Zero),
    ("color_all", Zero),
    ("color_list", Zero),
    ("len_scale", Zero),
    ("nearest", Zero),
    ("observe", Zero),
    ("rotate", Zero),
    ("push_selected", MinusOne),
    ("nearest_seg", Null),
    ("selected_seg", Null),
];

const SHAPE: &[(&str, Ret)] = &[
    ("action", One),
    ("select", One),
    ("point_mark", Zero),
    ("point_mark_remove", Zero),
];

const PLOT_SHAPE: &[(&str, Ret)] = &[
    ("colormap", One),
    ("fastflush", One),
    ("hinton", One),
    ("scale", One),
    ("variable", One),
];

const BOX: &[(&str, Ret)] = &[
    ("map", One),
    ("save", One),
    ("priority", Arg),
    ("adjust", Zero),
    ("adjuster", Zero),
    ("dialog", Zero),
    ("dismiss_action", Zero),
    ("full_request", Zero),
    ("intercept", Arg),
    ("ismapped", Zero),
    ("ref", Zero),
    ("size", Zero),
    ("unmap", Zero),
];

const DECK: &[(&str, Ret)] = &[
    ("map", One),
    ("save", One),
    ("intercept", Arg),
    ("move_last", Zero),
    ("remove", Zero),
    ("remove_last", Zero),
    ("unmap", Zero),
    ("flip_to", MinusOne),
];

const PW_MANAGER: &[(&str, Ret)] = &[
    ("deco", One),
    ("landscape", One),
    ("paper_place", One),
    ("printfile", One),
    ("scale", One),
    ("window_place", One),
    ("close", Zero),
    ("count", Zero),
    ("deiconify", Zero),
    ("hide", Zero),
    ("iconify", Zero),
    ("is_mapped", Zero),
    ("map", Zero),
    ("save", Zero),
    ("snap", Zero),
    ("leader", MinusOne),
    ("manager", MinusOne),
    ("group", Null),
    ("name", Empty),
];

const SYM_CHOOSER: &[(&str, Ret)] = &[("run", Zero), ("text", Zero)];

const TEXT_EDITOR: &[(&str, Ret)] = &[("map", Zero), ("readonly", Zero), ("text", Empty)];

const SECTION_BROWSER: &[(&str, Ret)] = &[
    ("accept_action", One),
    ("select", One),
    ("select_action", One),
];

/// A table of methods (or functions) and what each returns.
type Table = &'static [(&'static str, Ret)];

/// The headless classes and their method tables (later tables override
/// earlier ones for the same name).
const CLASSES: &[(&str, &[Table])] = &[
    ("Graph", &[SCENE, GRAPH]),
    ("Shape", &[SCENE, SHAPE_COMMON, SHAPE]),
    ("PlotShape", &[SCENE, SHAPE_COMMON, PLOT_SHAPE]),
    ("VBox", &[BOX]),
    ("HBox", &[BOX]),
    ("Deck", &[DECK]),
    ("PWManager", &[PW_MANAGER]),
    ("SymChooser", &[SYM_CHOOSER]),
    ("TextEditor", &[TEXT_EDITOR]),
    ("SectionBrowser", &[SECTION_BROWSER]),
    ("ValueFieldEditor", &[]),
];

/// The payload of a headless GUI object: it holds nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Headless;

/// Registers the GUI functions and classes as headless no-ops.
pub fn register(interp: &mut Interpreter) {
    for &(name, ret) in FUNCTIONS {
        interp.register_fn(name, move |_, a| Ok(ret.value(a)));
    }
    for &(class, tables) in CLASSES {
        let mut builder = ClassBuilder::<Headless>::new(class, |_, _| Ok(Headless));
        for &(method, ret) in tables.iter().flat_map(|t| t.iter()) {
            builder = builder.method(method, move |_, _, a| Ok(ret.value(a)));
        }
        builder.register(interp);
    }
}

#[cfg(test)]
mod tests {
    use crate::list::testutil::run;

    #[test]
    fn panels_return_neurons_headless_values() {
        let (_, out) = run(
            "xpanel(\"p\")\nxbutton(\"b\", \"print 1\")\nxvalue(\"t\", \"t\", 2)\n\
             xpanel()\ndoNotify()\ncontinue_dialog(\"x\")\nboolean_dialog(\"q\", \"y\", \"n\")\n",
        );
        assert_eq!(out, "\t0 \n\t0 \n\t0 \n\t0 \n\t1 \n\t1 \n\t0 \n");
    }

    #[test]
    fn graph_methods_take_any_arguments() {
        let (_, out) = run(
            "objref g\ng = new Graph(0)\ng.size(0, 5, -80, 40)\ng.addvar(\"v(.5)\", 2, 1)\n\
             g.view_count()\ng.line_info()\ng.begin()\n",
        );
        assert_eq!(out, "\t0 \n\t1 \n\t0 \n\t-1 \n\t1 \n");
    }

    #[test]
    fn boxes_and_shapes() {
        let (_, out) = run(
            "objref b, s\nb = new VBox()\nb.intercept(1)\nb.map(\"w\", 0, 0, 100, 100)\n\
             s = new Shape()\ns.selected_seg()\nb.unmap()\nb.intercept(0)\nb.priority(5)\n",
        );
        assert_eq!(out, "\t1 \n\t1 \n\tNULLobject \n\t0 \n\t0 \n\t5 \n");
    }
}
