//! A host built against the "next" plugin API: loads each library given on the command line
//! and prints `ok NAME` or `refused: REASON`, one line each (new host, old plugin).

fn main() {
    for path in std::env::args().skip(1) {
        match vigil_host::load_library(std::path::Path::new(&path)) {
            Ok(plugin) => println!("ok {}", plugin.name()),
            Err(e) => println!("refused: {e}"),
        }
    }
}
