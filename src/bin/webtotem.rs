//! The `webtotem` command; see [`webtotem::cli`].

fn main() {
    // Panics are reported as JSON errors by the core's guard, not printed.
    std::panic::set_hook(Box::new(|_| {}));
    let code = webtotem::cli::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
