//! The command line, built on clap: one file per subcommand. The options
//! themselves are declared once, as the fields of the library's option
//! structs (`JitOptions`, `AotOptions`, `CompareOptions`); the subcommands
//! add the file and the program's arguments.

mod aot;
mod cache;
mod check;
mod compare;
mod repl;
mod run;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;

/// Exit status of a usage error.
const USAGE_STATUS: i32 = 2;

/// Exit status for an internal compiler error.
pub const ICE_STATUS: i32 = 70;

/// lljit compiles LC programs with LLVM: function by function as they are
/// first called (`run`, `repl`), or ahead of time (`aot`)
#[derive(Parser)]
#[command(
    name = "lljit",
    version,
    arg_required_else_help = true,
    subcommand_required = true
)]
// A fixed width: the same help on every terminal, and in docs/cli.md.
#[command(term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::RunArgs),
    Aot(aot::AotArgs),
    Compare(compare::CompareArgs),
    Check(check::CheckArgs),
    Repl(repl::ReplArgs),
    Cache(cache::CacheArgs),
}

/// Parses `args` (with the program name first) and runs the command; gives
/// the exit status.
pub fn main(mut args: Vec<OsString>) -> i32 {
    // `lljit` alone on a terminal: a session.
    if args.len() == 1 && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        args.push("repl".into());
    }
    let command = Cli::command();
    // `lljit run FILE ARGS...`: ARGS are the program's, not options.
    let mut program_args = Vec::new();
    if args.get(1).is_some_and(|a| a == "run") {
        let run = command.find_subcommand("run").expect("the run subcommand");
        let start = 2 + run::program_args_start(run, &args[2..]);
        program_args = args.split_off(start);
    }
    // The subcommand a usage error's hint names.
    let help_for = match args.get(1).and_then(|a| a.to_str()) {
        Some(sub) if command.find_subcommand(sub).is_some() => format!("lljit {sub}"),
        _ => "lljit".to_string(),
    };
    let words = args.clone();
    let usage = |e: clap::Error| {
        environment_error(&e, &command, &words).unwrap_or_else(|| usage_error(e, &help_for))
    };
    let matches = match command.clone().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return usage(e),
    };
    if let Some(status) = matches
        .subcommand()
        .and_then(|(sub, m)| contradiction(sub, m))
    {
        return status;
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage(e),
    };
    match cli.command {
        Command::Run(mut a) => {
            for arg in program_args {
                match arg.into_string() {
                    Ok(s) => a.args.push(s),
                    Err(bad) => {
                        eprintln!("error: the program argument {bad:?} is not valid UTF-8");
                        return USAGE_STATUS;
                    }
                }
            }
            a.main()
        }
        Command::Aot(a) => a.main(),
        Command::Compare(a) => a.main(),
        Command::Check(a) => a.main(),
        Command::Repl(a) => a.main(),
        Command::Cache(a) => a.main(),
    }
}

/// Two JIT options given together on the command line where one turns
/// off what the other tunes (`--no-osr --osr-threshold=1`): a usage error.
fn contradiction(sub: &str, m: &clap::ArgMatches) -> Option<i32> {
    use clap::parser::ValueSource;
    if sub != "run" && sub != "repl" {
        return None;
    }
    let given = |id: &str| {
        m.try_contains_id(id).unwrap_or(false)
            && m.value_source(id) == Some(ValueSource::CommandLine)
    };
    let (off, tuned) = lljit::jit::CONTRADICTIONS
        .iter()
        .find(|(off, tuned)| given(off) && given(tuned))?;
    let command = Cli::command();
    let sub_command = command.find_subcommand(sub)?;
    let long = |id: &str| {
        sub_command
            .get_arguments()
            .find(|a| a.get_id() == id)
            .and_then(|a| a.get_long())
            .map(|l| format!("--{l}"))
            .unwrap_or_default()
    };
    eprintln!(
        "error: {} contradicts {}: the one turns off what the other sets; give one of them\n\n\
         For more information, try 'lljit {sub} --help'.",
        long(off),
        long(tuned)
    );
    Some(USAGE_STATUS)
}

/// A bad value that came from an option's environment variable (not from
/// the command line) is reported naming the variable; gives the status.
fn environment_error(e: &clap::Error, command: &clap::Command, words: &[OsString]) -> Option<i32> {
    use clap::error::{ContextKind, ContextValue};
    if e.kind() != ErrorKind::ValueValidation && e.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let sub = words.get(1)?.to_str()?;
    let option = command.find_subcommand(sub)?.get_arguments().find(|a| {
        a.get_long()
            .is_some_and(|l| arg.starts_with(&format!("--{l}")))
    })?;
    let long = format!("--{}", option.get_long()?);
    let on_command_line = words
        .iter()
        .filter_map(|w| w.to_str())
        .any(|w| w == long || w.starts_with(&format!("{long}=")));
    let var = option.get_env()?.to_string_lossy().into_owned();
    if on_command_line || std::env::var_os(&var).is_none() {
        return None;
    }
    let value = std::env::var(&var).unwrap_or_default();
    let why = std::error::Error::source(e)
        .map(|c| format!(": {c}"))
        .unwrap_or_default();
    eprintln!(
        "error: invalid value '{value}' in the environment variable {var} (it sets {long}){why}"
    );
    Some(USAGE_STATUS)
}

/// Prints help or version (status 0), or a usage error as clap words it
/// without the usage line, with a hint naming `COMMAND --help` (status 2).
fn usage_error(e: clap::Error, command: &str) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return e.exit_code();
        }
        _ => {}
    }
    let mut text = String::new();
    for line in e.render().to_string().lines() {
        if line.starts_with("Usage: ") {
            continue;
        }
        if line.starts_with("For more information, try ") {
            text.push_str(&format!("For more information, try '{command} --help'.\n"));
        } else if !(line.is_empty() && text.ends_with("\n\n")) {
            text.push_str(line);
            text.push('\n');
        }
    }
    eprint!("{text}");
    USAGE_STATUS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn option_defaults_are_the_library_defaults() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).unwrap().command;
        let Command::Run(run) = parse(&["lljit", "run", "p.lc"]) else {
            panic!()
        };
        assert_eq!(run.jit, lljit::jit::JitOptions::default());
        let Command::Aot(aot) = parse(&["lljit", "aot", "p.lc"]) else {
            panic!()
        };
        assert_eq!(aot.opts, lljit::aot::AotOptions::default());
        let Command::Compare(compare) = parse(&["lljit", "compare", "p.lc"]) else {
            panic!()
        };
        assert_eq!(compare.opts, lljit::compare::CompareOptions::default());
    }
}
