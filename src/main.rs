//! The `nerve` command: runs HOC files like `nrniv`, then reads statements
//! from standard input (a REPL on a terminal).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A deep HOC recursion must become an error, not a stack overflow: run the
    // interpreter on a thread with a large stack.
    let child = std::thread::Builder::new()
        .name("nerve".into())
        .stack_size(1 << 30)
        .spawn(move || nerve::cli::main(args));
    let code = match child.map(|c| c.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => 70,
        Err(e) => {
            eprintln!("nerve: cannot start: {e}");
            70
        }
    };
    std::process::exit(code);
}
