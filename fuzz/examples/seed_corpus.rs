//! Writes the seed corpus of every fuzz target: `cargo run --example seed_corpus [DIR]` writes
//! DIR/<target>/<seed> (DIR defaults to `corpus`). Valid files signed with the fixed test keys,
//! so the fuzzer starts past the signature. Existing files are overwritten, others kept.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    for target in cunjing_fuzz::TARGETS {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        let seeds = cunjing_fuzz::seeds(target);
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(format!("seed-{name}")), bytes)?;
        }
        println!("{}: {} seeds", dir.display(), seeds.len());
    }
    Ok(())
}
