//! The checks of a port's native modules ([`Target::port_modules`]): a
//! name the program binds to one (`import board`, `import board as b`) or
//! to one of its functions (`from board import led`) is remembered, and
//! every use of it is checked against the module's declaration in the
//! manifest: an unknown function is an error at the attribute or the
//! import, a call with the wrong number of positional arguments (or with
//! keywords, which a native function never takes) an error at the call.
//!
//! Only names that resolve to the module's globals are checked (a
//! function's own `board` parameter is another value), and a name bound
//! again by anything but such an import is forgotten from there on.

use super::{span, Codegen};
use crate::compile::scope::{ScopeKind, SymKind};
use crate::compile::{NativeSig, Target};
use crate::diag::Diagnostic;
use p14p_protocol::msg::{ArgType, NativeFunction};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

/// What a global name is bound to.
#[derive(Debug, Clone)]
pub(super) enum Bound {
    /// A port module (its index in [`Target::port_modules`]).
    Module(usize),
    /// A port module's function (module index, function index).
    Function(usize, usize),
}

/// The port module called `name`, if the target has one.
fn port_module(target: &Target, name: &str) -> Option<usize> {
    target.port_modules.iter().position(|(m, _)| m == name)
}

/// `sig`'s parameter list for a message: `(int, [bool])`.
fn params(sig: &NativeSig) -> String {
    let mut out = Vec::new();
    let typed = !sig.signature.is_empty();
    for i in 0..sig.max.min(NativeFunction::MAX_TYPED as u8) {
        let t = if typed {
            let letters: String = sig.signature.chars().filter(|&c| c != '|').collect();
            let letter = letters.chars().nth(usize::from(i)).unwrap_or('o');
            [ArgType::Int, ArgType::Bool, ArgType::Str, ArgType::Bytes]
                .into_iter()
                .find(|t| t.letter() == letter)
                .map_or("object", |t| t.name())
        } else {
            "object"
        };
        out.push(if i < sig.min {
            t.to_string()
        } else {
            format!("[{t}]")
        });
    }
    format!("({})", out.join(", "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl<'a> Codegen<'a> {
    /// After `import name [as alias]` stored `alias`.
    pub(super) fn bind_import(&mut self, module: &str, alias: &str) {
        self.native.remove(alias);
        if let Some(m) = port_module(self.target, module).filter(|_| self.at_module()) {
            self.native.insert(alias.to_string(), Bound::Module(m));
        }
    }

    /// After `from module import name [as alias]` stored `alias`.
    pub(super) fn bind_from(&mut self, module: &str, a: &ast::Alias) {
        let alias = a.asname.as_ref().unwrap_or(&a.name).as_str();
        self.native.remove(alias);
        let Some(m) = port_module(self.target, module) else {
            return;
        };
        // An unknown name is the error `import_from` reports for every
        // native module.
        let f = self.target.port_modules[m]
            .1
            .iter()
            .position(|s| s.name == a.name.as_str());
        if let Some(f) = f.filter(|_| self.at_module()) {
            self.native.insert(alias.to_string(), Bound::Function(m, f));
        }
    }

    /// A store to `name` other than by a port module's import forgets it.
    pub(super) fn forget_native(&mut self, name: &str) {
        if !self.native.is_empty() && self.resolves_global(name) {
            self.native.remove(name);
        }
    }

    fn at_module(&self) -> bool {
        self.scope().kind == ScopeKind::Module
    }

    /// True when `name`, here, is the module's global `name`.
    fn resolves_global(&self, name: &str) -> bool {
        self.at_module()
            || matches!(
                self.scope().kind_of(name),
                SymKind::GlobalExplicit | SymKind::GlobalImplicit
            )
    }

    /// Function `name` of port module `m`; `None`, with an error at
    /// `at`, when it has none.
    fn function(&mut self, m: usize, name: &str, at: ruff_text_size::TextRange) -> Option<usize> {
        let (module, sigs) = &self.target.port_modules[m];
        if let Some(f) = sigs.iter().position(|s| s.name == name) {
            return Some(f);
        }
        let names: Vec<&str> = sigs.iter().map(|s| s.name.as_str()).collect();
        let d = Diagnostic::error(
            format!("module '{module}' has no '{name}' on this device"),
            span(at),
        )
        .with_help(format!("it provides: {}", names.join(", ")));
        self.error(d);
        None
    }

    /// The port module a global name `value` is bound to, if any.
    fn bound_module(&self, value: &Expr) -> Option<usize> {
        let Expr::Name(n) = value else { return None };
        match self.native.get(n.id.as_str()) {
            Some(Bound::Module(m)) if self.resolves_global(n.id.as_str()) => Some(*m),
            _ => None,
        }
    }

    /// `board.name` (a load): an unknown `name` is an error at it.
    pub(super) fn check_native_attr(&mut self, a: &ast::ExprAttribute) -> Option<(usize, usize)> {
        let m = self.bound_module(&a.value)?;
        let f = self.function(m, a.attr.as_str(), a.attr.range)?;
        Some((m, f))
    }

    /// A call of a port function (`board.led(1)`, `led(1)`): the count of
    /// positional arguments against its declaration, and no keywords.
    pub(super) fn check_native_call(&mut self, c: &ast::ExprCall) {
        let args = &c.arguments;
        if self.native.is_empty() || args.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return;
        }
        let (m, f) = match &*c.func {
            Expr::Attribute(a) => match self.check_native_attr(a) {
                Some(mf) => mf,
                None => return,
            },
            Expr::Name(n) => match self.native.get(n.id.as_str()) {
                Some(Bound::Function(m, f)) if self.resolves_global(n.id.as_str()) => (*m, *f),
                _ => return,
            },
            _ => return,
        };
        let (module, sigs) = &self.target.port_modules[m];
        let sig = &sigs[f];
        let help = format!("the device declares {module}.{}{}", sig.name, params(sig));
        let n = args.args.len();
        let (min, max) = (usize::from(sig.min), usize::from(sig.max));
        let message = if !args.keywords.is_empty() {
            format!("{module}.{}() takes no keyword arguments", sig.name)
        } else if n < min || n > max {
            let takes = if min == max {
                format!("{min} positional argument{}", plural(min))
            } else {
                format!("from {min} to {max} positional arguments")
            };
            let were = if n == 1 { "was" } else { "were" };
            format!("{module}.{}() takes {takes} but {n} {were} given", sig.name)
        } else {
            return;
        };
        self.error(Diagnostic::error(message, span(c.range())).with_help(help));
    }
}
