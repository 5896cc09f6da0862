//! The REPL pane's line editing: what the keys do to the pane and what
//! they ask of the REPL task or the device, as `p14p repl` does at the
//! terminal, with the same pieces: [`Grouper`] for blocks and
//! auto-indent, [`Paste`] for paste mode, [`Helper`] for Tab.
//!
//! * Enter: the line joins the pending block; each complete input runs
//!   (queued while one runs). While a program waits in `input()`, the
//!   line is its answer.
//! * Tab: completion ([`Helper::complete_line`]: names, live attributes,
//!   module members; one level of indentation in leading blanks). At an
//!   empty line it moves to the next pane, as Tab does in the other panes.
//! * Ctrl-E: paste mode (`=== ` prompt): lines as written, blank ones too;
//!   Ctrl-D runs them as one program, Ctrl-C drops them. A bracketed
//!   paste outside paste mode is grouped as `p14p repl` groups one.
//! * Ctrl-C: interrupts a running input (and a pending `input()`), else
//!   drops the line. Ctrl-D: end of input for `input()`, else quits.
//!
//! Pure: the UI's loop carries out the [`Effect`]s, and tests drive the
//! pane with keys alone.

use super::input::Action;
use super::state::App;
use crate::repl::complete::Helper;
use crate::repl::input::Grouper;
use crate::repl::paste::{self, Paste};
use std::collections::VecDeque;

/// The prompts, as the terminal REPL's.
pub const PRIMARY: &str = ">>> ";
/// The prompt inside a block.
pub const CONTINUATION: &str = "... ";

/// What the REPL task runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A complete input, echoed as `p14p repl` echoes it.
    Input(String),
    /// Paste mode's text, run as one program.
    Paste(String),
}

/// What a key asks of the world outside the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run this in the REPL task (the pane is busy until it ends).
    Run(Entry),
    /// The running program's `input()` answer (empty: end of input).
    Line(String),
    /// Interrupt the running program.
    Interrupt,
    /// Focus the next pane.
    NextPane,
    /// Leave the UI.
    Quit,
}

/// The editing state the pane does not show.
pub struct Editor {
    grouper: Grouper,
    paste: Option<Paste>,
    queued: VecDeque<Entry>,
    interrupts: u32,
    completer: Helper,
}

impl Editor {
    /// An editor completing with `completer` (the REPL's, see
    /// `Repl::completer`).
    pub fn new(completer: Helper) -> Editor {
        Editor {
            grouper: Grouper::new(),
            paste: None,
            queued: VecDeque::new(),
            interrupts: 0,
            completer,
        }
    }

    /// Carries out `action` (one of the REPL pane's) on `app`. `Complete`
    /// may ask the device for live attributes: call it inside
    /// `block_in_place`.
    pub fn act(&mut self, action: &Action, app: &mut App) -> Vec<Effect> {
        let repl = &mut app.repl;
        match action {
            Action::Type(c) => {
                repl.input.push(*c);
                repl.recall = None;
            }
            Action::Backspace => {
                repl.input.pop();
            }
            Action::History(older) => {
                let h = &repl.history;
                let at = match (repl.recall, older) {
                    (None, true) => h.len().checked_sub(1),
                    (Some(i), true) => Some(i.saturating_sub(1)),
                    (Some(i), false) if i + 1 < h.len() => Some(i + 1),
                    _ => None,
                };
                repl.recall = at;
                repl.input = at.and_then(|i| h.get(i).cloned()).unwrap_or_default();
            }
            Action::Enter => return self.enter(app),
            Action::Complete => return self.complete(app),
            Action::PasteMode if !repl.busy && self.paste.is_none() => {
                repl.print(&format!(
                    "{}{}\n{}\n",
                    repl.prompt,
                    repl.input,
                    paste::BANNER
                ));
                repl.input.clear();
                self.paste = Some(Paste::new());
                repl.prompt = paste::PROMPT.into();
                // What was typed before Ctrl-E is complete as it stands.
                let before = self.grouper.finish().map(Entry::Input);
                return before.map(|e| self.run(e, app)).unwrap_or_default();
            }
            Action::Pasted(text) => return self.pasted(text, app),
            Action::EndOfInput => {
                if repl.asked {
                    repl.asked = false;
                    repl.print("\n");
                    return vec![Effect::Line(String::new())];
                }
                if let Some(mut p) = self.paste.take() {
                    // A last line not yet entered is part of the paste.
                    let last = std::mem::take(&mut repl.input);
                    repl.print(&format!("{}{last}\n", repl.prompt));
                    if !last.is_empty() {
                        p.push(&last);
                    }
                    repl.prompt = PRIMARY.into();
                    return p
                        .finish()
                        .map(|text| self.run(Entry::Paste(text), app))
                        .unwrap_or_default();
                }
                return vec![Effect::Quit];
            }
            Action::Interrupt => return self.interrupt(app),
            _ => {}
        }
        Vec::new()
    }

    /// The REPL task finished an input: the pane is idle again, or runs
    /// the next queued one.
    pub fn finished(&mut self, app: &mut App) -> Vec<Effect> {
        app.repl.busy = false;
        app.repl.asked = false;
        self.interrupts = 0;
        match self.queued.pop_front() {
            Some(next) => self.run(next, app),
            None => Vec::new(),
        }
    }

    /// Runs `entry`, or queues it behind the running one.
    fn run(&mut self, entry: Entry, app: &mut App) -> Vec<Effect> {
        if app.repl.busy {
            self.queued.push_back(entry);
            return Vec::new();
        }
        app.repl.busy = true;
        vec![Effect::Run(entry)]
    }

    fn enter(&mut self, app: &mut App) -> Vec<Effect> {
        let repl = &mut app.repl;
        let line = std::mem::take(&mut repl.input);
        repl.recall = None;
        if repl.asked {
            // The program's prompt is on screen; the answer ends its line.
            repl.asked = false;
            repl.print(&format!("{line}\n"));
            return vec![Effect::Line(format!("{line}\n"))];
        }
        repl.print(&format!("{}{line}\n", repl.prompt));
        if let Some(p) = self.paste.as_mut() {
            p.push(&line);
            return Vec::new();
        }
        if !line.trim().is_empty() {
            repl.history.push(line.clone());
        }
        let inputs = self.grouper.push(&line);
        self.run_inputs(inputs, app)
    }

    /// Runs the complete inputs the grouper gave, after setting the prompt
    /// for what it still holds.
    fn run_inputs(&mut self, inputs: Vec<String>, app: &mut App) -> Vec<Effect> {
        self.prompt_after(app);
        let mut effects = Vec::new();
        for input in inputs {
            effects.extend(self.run(Entry::Input(input), app));
        }
        effects
    }

    /// The prompt (and auto-indent) for what the grouper holds.
    fn prompt_after(&self, app: &mut App) {
        if self.grouper.pending() {
            app.repl.prompt = CONTINUATION.into();
            app.repl.input = self.grouper.indent();
        } else {
            app.repl.prompt = PRIMARY.into();
        }
    }

    fn complete(&mut self, app: &mut App) -> Vec<Effect> {
        let repl = &mut app.repl;
        if self.paste.is_some() {
            // Paste mode takes text as written: a Tab is indentation.
            repl.input.push_str("    ");
            return Vec::new();
        }
        if repl.asked || repl.busy {
            return Vec::new();
        }
        if repl.input.is_empty() {
            return vec![Effect::NextPane];
        }
        let done = self.completer.complete_line(&repl.input);
        if !done.shown.is_empty() {
            repl.print(&format!(
                "{}{}\n{}\n",
                repl.prompt,
                repl.input,
                done.shown.join("  ")
            ));
        }
        repl.input = done.line;
        Vec::new()
    }

    fn pasted(&mut self, text: &str, app: &mut App) -> Vec<Effect> {
        let repl = &mut app.repl;
        if repl.asked || !text.contains('\n') {
            // One line: typed in, as the terminal does.
            repl.input.push_str(text.trim_end_matches(['\r', '\n']));
            return Vec::new();
        }
        let text = format!("{}{text}", std::mem::take(&mut repl.input));
        let mut prompt = repl.prompt.clone();
        for line in text.trim_end_matches(['\r', '\n']).split('\n') {
            repl.print(&format!("{prompt}{}\n", line.trim_end_matches('\r')));
            if self.paste.is_none() {
                prompt = CONTINUATION.into();
            }
        }
        if let Some(p) = self.paste.as_mut() {
            p.push(text.trim_end_matches(['\r', '\n']));
            return Vec::new();
        }
        let inputs = self.grouper.push_paste(&text);
        self.run_inputs(inputs, app)
    }

    fn interrupt(&mut self, app: &mut App) -> Vec<Effect> {
        let repl = &mut app.repl;
        if repl.busy {
            // The first may be caught; a second is not.
            self.interrupts += 1;
            self.queued.clear();
            if self.interrupts == 1 {
                app.status = "interrupted (Ctrl-C again if it goes on)".into();
            }
            if repl.asked {
                // The session waits for the line: end it, or it would not
                // hear the program end.
                repl.asked = false;
                let typed = std::mem::take(&mut repl.input);
                repl.print(&format!("{typed}\n"));
                return vec![Effect::Interrupt, Effect::Line(String::new())];
            }
            return vec![Effect::Interrupt];
        }
        repl.print(&format!(
            "{}{}\nKeyboardInterrupt\n",
            repl.prompt, repl.input
        ));
        repl.input.clear();
        repl.prompt = PRIMARY.into();
        self.paste = None;
        self.grouper.clear();
        Vec::new()
    }
}
