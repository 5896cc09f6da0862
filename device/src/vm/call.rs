//! Calls: Python functions get a heap frame (no Rust recursion); natives
//! run at once; natives that call back into Python run a nested dispatch
//! loop, bounded by [`MAX_NEST`](super::MAX_NEST) and the stack floor
//! (`vm/nest.rs`).
//!
//! Arguments are described by [`Args`]: `n` positional values followed by
//! the values of the keywords named in the tuple `kw`, all in the arena
//! (a caller's value stack or a tuple) or on the temp-root stack. Either
//! way they stay reachable by the collector during the call.

use super::frame::{flag, CodeInfo, LOCALS};
use super::{Vm, R};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::func::{F_CLOSURE, F_CODE, F_DEFAULTS, F_FAST, F_GLOBALS, F_IMAGE, F_KWDEFAULTS};
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::code_flags;

/// Where argument values are.
#[derive(Debug, Clone, Copy)]
pub enum Src {
    /// Arena words from this absolute index.
    Arena(usize),
    /// Temp roots from this index.
    Roots(usize),
}

/// A call's arguments.
#[derive(Debug, Clone, Copy)]
pub struct Args {
    /// Where the values are.
    pub src: Src,
    /// Positional count.
    pub n: usize,
    /// Keyword names (a tuple of str) or NULL; their values follow the
    /// positional ones.
    pub kw: Value,
}

impl Args {
    /// The arguments after the first `k` positional ones (`k <= n`).
    pub fn after(&self, k: usize) -> Args {
        let src = match self.src {
            Src::Arena(b) => Src::Arena(b + k),
            Src::Roots(s) => Src::Roots(s + k),
        };
        Args {
            src,
            n: self.n - k,
            kw: self.kw,
        }
    }

    /// Positional arguments at arena index `base`.
    pub fn arena(base: usize, n: usize) -> Args {
        Args {
            src: Src::Arena(base),
            n,
            kw: Value::NULL,
        }
    }
}

impl Vm<'_> {
    /// Argument `i` (positional first, then keyword values). Out of line:
    /// inlined at its hundreds of call sites it costs ~4 KiB of flash
    /// (LLVM's own choice flips with small changes elsewhere).
    #[inline(never)]
    pub(crate) fn arg(&self, a: &Args, i: usize) -> Value {
        match a.src {
            Src::Arena(b) => self.heap.v(b + i),
            Src::Roots(s) => self.root_at(s + i),
        }
    }

    /// A new tuple of `first` (left out when NULL), then `n` arguments of
    /// `a` from `from` on: a bound method's or a constructor's argument
    /// list, an exception's `args`, a `*args` parameter. `first` must be reachable from elsewhere (the
    /// tuple's allocation may collect).
    #[inline(never)]
    fn args_tuple(&mut self, first: Value, a: &Args, from: usize, n: usize) -> R<Value> {
        let k = usize::from(!first.is_null());
        let t = self.tuple_new(n + k)?;
        // Tuple items start at word 2 of the block.
        let items = t.word() + 2;
        if k == 1 {
            self.heap.setv(items, first);
        }
        for i in 0..n {
            let x = self.arg(a, from + i);
            self.heap.setv(items + k + i, x);
        }
        Ok(t)
    }

    /// Number of keyword arguments.
    pub(crate) fn nkw(&self, a: &Args) -> usize {
        if a.kw.is_null() {
            0
        } else {
            self.seq_items(a.kw).map_or(0, |s| s.1)
        }
    }

    /// Name of keyword argument `j`.
    pub(crate) fn kw_name(&self, a: &Args, j: usize) -> Value {
        let (b, _) = self.seq_items(a.kw).unwrap_or((0, 0));
        self.heap.v(b + j)
    }

    /// The keyword argument called `name`, if given.
    pub(crate) fn kwarg(&self, a: &Args, name: &[u8]) -> Option<Value> {
        (0..self.nkw(a)).find_map(|j| {
            let k = self.kw_name(a, j);
            (self.str_bytes(k) == name).then(|| self.arg(a, a.n + j))
        })
    }

    /// Calls `f`. A Python function gets a frame and `Ok(None)` is returned:
    /// with `ret = Some(slot)` the caller's stack is cut to `slot` and the
    /// result will be pushed there when the frame returns; with `None` the
    /// frame is a boundary (the caller runs [`Vm::execute`]). Natives and
    /// constructors return `Ok(Some(result))`.
    pub(crate) fn call_value(
        &mut self,
        host: &mut Hx<'_>,
        f: Value,
        a: Args,
        ret: Option<usize>,
    ) -> R<Option<Value>> {
        if f.is_obj() {
            match self.heap.tag(f.word()) {
                tag::FUNC => return self.call_python(f, a, ret),
                tag::CLASS => return self.construct_class(host, f, a, ret),
                tag::INST => {
                    if let Some(m) = self.special(f, super::Dunder::Call)? {
                        if let (Some(slot), Src::Arena(base)) = (ret, a.src) {
                            if base > slot && base <= self.sp {
                                self.heap.setv(base - 1, f);
                                let args = Args {
                                    src: Src::Arena(base - 1),
                                    n: a.n + 1,
                                    kw: a.kw,
                                };
                                return self.call_python(m, args, Some(slot));
                            }
                        }
                        return self.call_prepended(host, m, f, a, ret);
                    }
                }
                tag::BOUND => {
                    let this = self.heap.v(f.word() + 1);
                    let inner = self.heap.v(f.word() + 2);
                    return self.call_prepended(host, inner, this, a, ret);
                }
                _ => {}
            }
        } else if f.is_imm() {
            let mark = self.nroots;
            let r = match f.imm_kind() {
                kind::BUILTIN => crate::builtins::call_builtin(self, host, f.payload(), &a),
                kind::METHOD => crate::builtins::call_method(self, host, f.payload(), &a),
                kind::MEM => {
                    let m = f;
                    match a.n {
                        1 => self.mem_get(host, m, self.arg(&a, 0)),
                        2 => {
                            let (x, v) = (self.arg(&a, 0), self.arg(&a, 1));
                            self.mem_set(host, m, x, v).map(|_| Value::NONE)
                        }
                        _ => self.raise_s(T::TypeError, ErrMsg::ArgCount, b"mem"),
                    }
                }
                kind::TYPE => match T::from_id(f.payload()) {
                    Some(t) => crate::builtins::construct(self, host, t, &a),
                    None => self.raise_type(ErrMsg::NotCallable, f),
                },
                _ => self.raise_type(ErrMsg::NotCallable, f),
            };
            self.unroot(mark);
            return r.map(Some);
        }
        self.raise_type(ErrMsg::NotCallable, f)
    }

    /// Calls `f` with `first` before the arguments `a` (a bound method's
    /// `self`, an instance's `__call__`): the arguments are copied into a
    /// new tuple after `first`, rooted for the call. `first` and `f` must
    /// be reachable from elsewhere (the bound method, the class).
    #[inline(never)]
    fn call_prepended(
        &mut self,
        host: &mut Hx<'_>,
        f: Value,
        first: Value,
        a: Args,
        ret: Option<usize>,
    ) -> R<Option<Value>> {
        let nk = self.nkw(&a);
        let t = self.args_tuple(first, &a, 0, a.n + nk)?;
        let m = self.root(t);
        let args = Args {
            src: Src::Arena(t.word() + 2),
            n: a.n + 1,
            kw: a.kw,
        };
        let r = self.call_value(host, f, args, ret);
        self.unroot(m);
        r
    }

    /// Calls `f` with `first` before the arguments `a`, from native code,
    /// to completion. `first` and `f` must be reachable from elsewhere.
    pub(crate) fn call_with_first(
        &mut self,
        host: &mut Hx<'_>,
        f: Value,
        first: Value,
        a: &Args,
    ) -> R<Value> {
        // As a bound method: its call puts `first` before the arguments.
        let bm = self.bound_new(first, f)?;
        let m = self.root(bm);
        let r = self.call_args_nested(host, bm, *a);
        self.unroot(m);
        r
    }

    /// The arguments `a` with `first` in place of the first one (a
    /// method's receiver replaced by its native base), in a new tuple kept
    /// on the temp roots until the calling native returns.
    pub(crate) fn args_with_first(&mut self, a: &Args, first: Value) -> R<Args> {
        let nk = self.nkw(a);
        let t = self.args_tuple(first, a, 1, a.n - 1 + nk)?;
        self.root(t);
        Ok(Args {
            src: Src::Arena(t.word() + 2),
            n: a.n,
            kw: a.kw,
        })
    }

    /// Calls user class `cls`: makes the instance and runs `__init__`. From
    /// the dispatch loop (`ret` given, arguments on the stack) `__init__`
    /// gets a frame like any call: the instance is written just below the
    /// arguments and stays on the caller's stack as the result.
    pub(crate) fn construct_class(
        &mut self,
        host: &mut Hx<'_>,
        cls: Value,
        a: Args,
        ret: Option<usize>,
    ) -> R<Option<Value>> {
        if self.class_flags(cls) & crate::obj::class::CF_NEW != 0 {
            return self.construct_new(host, cls, &a).map(Some);
        }
        let base_t = self.class_base_t(cls);
        let init_name = self.dunder(super::Dunder::Init)?;
        let init = self.class_lookup(cls, init_name);
        // The instance: an exception block for an exception class, one
        // with its native base for a class deriving from a builtin type,
        // else a plain one.
        let inst = if base_t == T::object {
            self.inst_alloc(cls, Value::NULL)?
        } else if base_t.is_exception() {
            let t = self.args_tuple(Value::NULL, &a, 0, a.n)?;
            let e = self.exc_new(base_t, crate::obj::exc::PY_MADE, t, Value::NULL)?;
            self.heap.setv(e.word() + 2, cls);
            e
        } else if crate::obj::subclass::native_kind(base_t) {
            self.native_inst(host, cls, base_t, &a, init.is_some())?
        } else {
            self.inst_new(cls, Value::NULL)?
        };
        let m = self.root(inst);
        let r = (|| {
            let Some(init) = init else {
                // A builtin base's constructor took the arguments.
                let plain = base_t == T::object
                    || !(base_t.is_exception() || crate::obj::subclass::native_kind(base_t));
                if plain && (a.n > 0 || self.nkw(&a) > 0) {
                    let name = self.class_name(cls);
                    return self.raise_v(T::TypeError, ErrMsg::ArgCount, name);
                }
                return Ok(Some(inst));
            };
            if let (Some(slot), Src::Arena(base), true) = (ret, a.src, self.is(init, tag::FUNC)) {
                if base > slot && base <= self.sp {
                    self.heap.setv(slot, inst);
                    self.heap.setv(base - 1, inst);
                    let args = Args {
                        src: Src::Arena(base - 1),
                        n: a.n + 1,
                        kw: a.kw,
                    };
                    match self.call_python(init, args, Some(slot + 1))? {
                        None => {
                            let fl = self.frame_flags(self.fp);
                            self.set_frame_flags(self.fp, fl | flag::CTOR);
                        }
                        // A generator `__init__` does not run; the instance is
                        // the result.
                        Some(_) => self.sp = slot + 1,
                    }
                    return Ok(None);
                }
            }
            let nk = self.nkw(&a);
            let t = self.args_tuple(inst, &a, 0, a.n + nk)?;
            self.root(t);
            let args = Args {
                src: Src::Arena(t.word() + 2),
                n: a.n + 1,
                kw: a.kw,
            };
            self.call_args_nested(host, init, args)?;
            Ok(Some(inst))
        })();
        self.unroot(m);
        r
    }

    /// Calls `f` from native code and runs it to completion.
    pub(crate) fn call_nested(&mut self, host: &mut Hx<'_>, f: Value, args: &[Value]) -> R<Value> {
        let mark = self.nroots;
        if mark + args.len() + 1 > self.roots_cap() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        self.root(f);
        for &a in args {
            self.root(a);
        }
        let a = Args {
            src: Src::Roots(mark + 1),
            n: args.len(),
            kw: Value::NULL,
        };
        let r = self.call_args_nested(host, f, a);
        self.unroot(mark);
        r
    }

    /// Calls `f` with the items of tuple `t` from native code.
    pub(crate) fn call_with_tuple(&mut self, host: &mut Hx<'_>, f: Value, t: Value) -> R<Value> {
        let (b, n) = self.seq_items(t).unwrap_or((0, 0));
        let m = self.root(t);
        self.root(f);
        let r = self.call_args_nested(host, f, Args::arena(b, n));
        self.unroot(m);
        r
    }

    /// Calls `f` with `a` and runs a Python callee in a nested loop.
    pub(crate) fn call_args_nested(&mut self, host: &mut Hx<'_>, f: Value, a: Args) -> R<Value> {
        if self.nest_full() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        match self.call_value(host, f, a, None)? {
            Some(v) => Ok(v),
            None => {
                self.nest += 1;
                let r = self.execute(host);
                self.nest -= 1;
                r
            }
        }
    }

    /// Calls a Python function: allocates and binds its frame, then enters
    /// it (or wraps it in a generator).
    pub(crate) fn call_python(
        &mut self,
        f: Value,
        a: Args,
        ret: Option<usize>,
    ) -> R<Option<Value>> {
        if let (true, Src::Arena(base)) = (a.kw.is_null(), a.src) {
            if self.call_fast(f, base, a.n, ret)? {
                return Ok(None);
            }
        }
        self.call_general(f, a, ret)
    }

    /// The exact-positional fast call of FUNC `f` with the `n` arguments
    /// at arena `base`: when `f` is [`F_FAST`] and takes exactly `n`
    /// positional parameters, enters its frame (built from the function's
    /// cached code fields without reading the code record) and returns
    /// true; otherwise does nothing and returns false (the caller takes
    /// [`Vm::call_python`]'s general path).
    #[inline(never)]
    pub(crate) fn call_fast(
        &mut self,
        f: Value,
        base: usize,
        n: usize,
        ret: Option<usize>,
    ) -> R<bool> {
        let [code, entry, shape] = match self.heap.words::<3>(f.word() + F_CODE) {
            Some(&w) => w,
            None => return Ok(false),
        };
        if code & F_FAST == 0 || n != (shape & 0xFF) as usize {
            return Ok(false);
        }
        let nl = ((shape >> 8) & 0xFF) as usize;
        let ms = (shape >> 16) as usize;
        self.enter_fast(f, entry as usize, code & 0xFFFF, nl, ms, base, n, ret)?;
        Ok(true)
    }

    /// Any call of a Python function: decodes the code record, binds
    /// keywords, defaults, `*args`/`**kwargs` and cells.
    #[inline(never)]
    fn call_general(&mut self, f: Value, a: Args, ret: Option<usize>) -> R<Option<Value>> {
        let fw = f.word();
        let image = self.heap.v(fw + F_IMAGE);
        let index = self.heap.w(fw + F_CODE) as u16;
        let ci = self.code_info(image, index);
        let globals = self.heap.v(fw + F_GLOBALS);
        let frame = self.new_frame(&ci, image, f, globals)?;
        let m = self.root(Value::obj(frame));
        let r = self.bind(frame, &ci, f, &a);
        self.unroot(m);
        r?;
        if ci.flags & code_flags::GENERATOR != 0 {
            return self.gen_new(frame).map(Some);
        }
        match ret {
            Some(slot) => self.sp = slot,
            None => self.set_frame_flags(frame, flag::BOUNDARY),
        }
        self.push_frame(frame)?;
        Ok(None)
    }

    /// The str naming slot `j` of a code object.
    fn slot_name(&self, frame: usize, ci: &CodeInfo, j: usize) -> Value {
        let names = self.heap.v(frame + super::frame::NAMES).word();
        let idx = self.slot_name_index(ci, j);
        self.heap.v(names + 1 + idx)
    }

    /// The name of function `f` (a str).
    pub(crate) fn func_name(&self, f: Value) -> Value {
        let fw = f.word();
        let image = self.heap.v(fw + F_IMAGE);
        let ci = self.code_info(image, self.heap.w(fw + F_CODE) as u16);
        let names = self.heap.v(image.word() + super::image::NAMES).word();
        self.heap.v(names + 1 + ci.name as usize)
    }

    fn raise_arg<X>(&mut self, m: ErrMsg, name: Value) -> R<X> {
        self.raise_v(T::TypeError, m, name)
    }

    /// Binds arguments into the locals of `frame`, then creates cells and
    /// installs the closure.
    fn bind(&mut self, frame: usize, ci: &CodeInfo, f: Value, a: &Args) -> R<()> {
        let locals = frame + LOCALS;
        let argc = ci.argcount as usize;
        let kwonly = ci.kwonly as usize;
        let varargs = ci.flags & code_flags::VARARGS != 0;
        let varkw = ci.flags & code_flags::VARKW != 0;
        let nkw = self.nkw(a);
        let n = a.n;
        // The positional parameters given (all of them, the plain case).
        for i in 0..n.min(argc) {
            let v = self.arg(a, i);
            self.heap.setv(locals + i, v);
        }
        if nkw != 0 || n != argc || varargs || varkw || kwonly != 0 {
            let mut next = argc + kwonly;
            if varargs {
                let extra = n.saturating_sub(argc);
                let t = self.args_tuple(Value::NULL, a, argc, extra)?;
                self.heap.setv(locals + next, t);
                next += 1;
            } else if n > argc {
                let name = self.func_name(f);
                return self.raise_arg(ErrMsg::ArgCount, name);
            }
            let kwdict = if varkw {
                let d = self.dict_new(0)?;
                self.heap.setv(locals + next, d);
                d
            } else {
                Value::NULL
            };
            for j in 0..nkw {
                let name = self.kw_name(a, j);
                let v = self.arg(a, n + j);
                let slot = (ci.posonly as usize..argc + kwonly)
                    .find(|&s| self.str_eq(self.slot_name(frame, ci, s), name));
                match slot {
                    Some(s) => {
                        if !self.heap.v(locals + s).is_null() {
                            return self.raise_arg(ErrMsg::DuplicateArg, name);
                        }
                        self.heap.setv(locals + s, v);
                    }
                    None if varkw => self.dict_set(kwdict, name, v)?,
                    None => return self.raise_arg(ErrMsg::UnexpectedKeyword, name),
                }
            }
            let defaults = self.func_extra(f, F_DEFAULTS);
            let (db, nd) = if defaults.is_null() {
                (0, 0)
            } else {
                self.seq_items(defaults).unwrap_or((0, 0))
            };
            for i in n.min(argc)..argc {
                if self.heap.v(locals + i).is_null() {
                    if i + nd >= argc {
                        let d = self.heap.v(db + i + nd - argc);
                        self.heap.setv(locals + i, d);
                    } else {
                        let name = self.slot_name(frame, ci, i);
                        return self.raise_arg(ErrMsg::MissingArg, name);
                    }
                }
            }
            let kwd = self.func_extra(f, F_KWDEFAULTS);
            for i in argc..argc + kwonly {
                if self.heap.v(locals + i).is_null() {
                    let name = self.slot_name(frame, ci, i);
                    let d = if kwd.is_null() {
                        None
                    } else {
                        self.dict_get(kwd, name)?
                    };
                    match d {
                        Some(d) => self.heap.setv(locals + i, d),
                        None => return self.raise_arg(ErrMsg::MissingArg, name),
                    }
                }
            }
        }
        for c in 0..ci.ncells as usize {
            let slot = self.code_byte(ci.cells + c) as usize;
            let v = self.heap.v(locals + slot);
            let cell = self.cell_new(v)?;
            self.heap.setv(locals + slot, cell);
        }
        let nfree = ci.nfree as usize;
        if nfree > 0 {
            let closure = self.func_extra(f, F_CLOSURE);
            if let Some((cb, cn)) = self.seq_items(closure) {
                let first = ci.nlocals as usize - nfree;
                for i in 0..nfree.min(cn) {
                    let c = self.heap.v(cb + i);
                    self.heap.setv(locals + first + i, c);
                }
            }
        }
        Ok(())
    }

    /// `f(*args, **kwargs)` with `args` a tuple (or list) and `kwargs` a dict
    /// or NULL.
    pub(crate) fn call_ex(
        &mut self,
        host: &mut Hx<'_>,
        f: Value,
        args: Value,
        kwargs: Value,
        ret: usize,
    ) -> R<Option<Value>> {
        let (_, np) = self.seq_items(args).unwrap_or((0, 0));
        if kwargs.is_null() || self.dict_len(kwargs) == 0 {
            let (b, _) = self.seq_items(args).unwrap_or((0, 0));
            return self.call_value(host, f, Args::arena(b, np), Some(ret));
        }
        let nk = self.dict_len(kwargs);
        let vals = self.tuple_new(np + nk)?;
        let m = self.root(vals);
        let names = self.tuple_new(nk);
        let names = match names {
            Ok(n) => n,
            Err(e) => {
                self.unroot(m);
                return Err(e);
            }
        };
        self.root(names);
        let (b, _) = self.seq_items(args).unwrap_or((0, 0));
        self.heap.arena.copy_within(b..b + np, vals.word() + 2);
        let mut j = 0;
        for i in 0..self.dict_used(kwargs) {
            if let Some((k, v)) = self.dict_entry(kwargs, i) {
                if !self.is_str(k) {
                    self.unroot(m);
                    return self.raise(T::TypeError, ErrMsg::KeywordsNotStr);
                }
                self.heap.setv(names.word() + 2 + j, k);
                self.heap.setv(vals.word() + 2 + np + j, v);
                j += 1;
            }
        }
        let a = Args {
            src: Src::Arena(vals.word() + 2),
            n: np,
            kw: names,
        };
        let r = self.call_value(host, f, a, Some(ret));
        self.unroot(m);
        r
    }
}
